import Foundation
import GotongPlatform
import NIOPosix
import ZIPFoundation

/// All handed-in submissions of an assignment as one ZIP, for graders who read them offline:
/// a folder per participant named by them (`Budi Santoso (budi@bps.go.id)`), holding their
/// text as `teks.txt` and their files by the names they gave.
struct SubmissionsArchive {
    struct Entry: Sendable {
        let participant: String
        let email: String
        let text: String
        let files: [AssignmentFile]
    }

    /// Writes the archive to `url`, reading each file from `store` as it goes (one at a time, so
    /// memory holds one file, not the assignment). The writing blocks, so it runs on `pool`'s
    /// threads, never on the ones that serve requests.
    static func write(
        _ entries: [Entry], from store: any FileStore, to url: URL, on pool: NIOThreadPool
    ) async throws {
        let box = try await pool.runIfActive { ArchiveBox(archive: try Archive(url: url, accessMode: .create)) }
        var folders = Set<String>()
        for entry in entries {
            let folder = unique(safe("\(entry.participant) (\(entry.email))"), in: &folders)
            var names = Set<String>()
            if !entry.text.isEmpty {
                let path = folder + "/" + unique("teks.txt", in: &names)
                try await pool.runIfActive { try add(Data(entry.text.utf8), as: path, compress: true, to: box.archive) }
            }
            for file in entry.files {
                guard let bytes = try await store.get(file.key) else { continue }
                let path = folder + "/" + unique(safe(file.name), in: &names)
                // PDF, Office files and pictures are compressed already: stored as they are.
                try await pool.runIfActive { try add(Data(buffer: bytes), as: path, compress: false, to: box.archive) }
            }
        }
    }

    private static func add(_ data: Data, as path: String, compress: Bool, to archive: Archive) throws {
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: compress ? .deflate : .none
        ) { position, size in
            data.subdata(in: Int(position)..<min(Int(position) + size, data.count))
        }
    }

    /// A name safe as one part of a path in any unzip tool: no slashes, no control characters,
    /// no leading dots, at most 150 characters.
    static func safe(_ name: String) -> String {
        let kept = name.unicodeScalars.map { scalar -> Character in
            CharacterSet.controlCharacters.contains(scalar) || "/\\:*?\"<>|".unicodeScalars.contains(scalar)
                ? "_" : Character(scalar)
        }
        var text = String(kept).trimmingCharacters(in: .whitespaces)
        while text.hasPrefix(".") { text.removeFirst() }
        return text.isEmpty ? "_" : String(text.prefix(150))
    }

    /// `name`, or `name (2)` … when taken.
    static func unique(_ name: String, in taken: inout Set<String>) -> String {
        var candidate = name
        var number = 2
        while taken.contains(candidate.lowercased()) {
            let dot = name.lastIndex(of: ".")
            candidate =
                dot.map { "\(name[..<$0]) (\(number))\(name[$0...])" } ?? "\(name) (\(number))"
            number += 1
        }
        taken.insert(candidate.lowercased())
        return candidate
    }
}

/// The archive being written, handed from one pool task to the next (one at a time, in order).
private final class ArchiveBox: @unchecked Sendable {
    let archive: Archive
    init(archive: Archive) { self.archive = archive }
}
