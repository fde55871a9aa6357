import Foundation
import GotongPlatform
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
    /// memory holds one file, not the assignment).
    static func write(_ entries: [Entry], from store: any FileStore, to url: URL) async throws {
        let archive = try Archive(url: url, accessMode: .create)
        var folders = Set<String>()
        for entry in entries {
            let folder = unique(safe("\(entry.participant) (\(entry.email))"), in: &folders)
            var names = Set<String>()
            if !entry.text.isEmpty {
                try add(Data(entry.text.utf8), as: folder + "/" + unique("teks.txt", in: &names), to: archive)
            }
            for file in entry.files {
                guard let bytes = try await store.get(file.key) else { continue }
                try add(Data(buffer: bytes), as: folder + "/" + unique(safe(file.name), in: &names), to: archive)
            }
        }
    }

    private static func add(_ data: Data, as path: String, to archive: Archive) throws {
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
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
