import Foundation
import NIOFileSystem
import Vapor

/// The name and filename of a multipart part, from its `Content-Disposition` header. A `;`
/// inside quotes is part of the name (`"x; name=title.pdf"` is a filename, not a second name).
struct ContentDisposition {
    var name: String?
    var filename: String?

    init(_ header: String) {
        for item in Self.parameters(header) {
            if item.hasPrefix("name=") { name = Self.unquoted(item.dropFirst(5)) }
            if item.hasPrefix("filename=") { filename = Self.unquoted(item.dropFirst(9)) }
        }
    }

    private static func parameters(_ header: String) -> [String] {
        var items: [String] = [], current = "", quoted = false, escaped = false
        for character in header {
            if escaped { current.append(character); escaped = false; continue }
            switch character {
            case "\\" where quoted: escaped = true; current.append(character)
            case "\"": quoted.toggle(); current.append(character)
            case ";" where !quoted: items.append(current); current = ""
            default: current.append(character)
            }
        }
        items.append(current)
        return items.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    private static func unquoted(_ value: Substring) -> String {
        guard value.count >= 2, value.first == "\"", value.last == "\"" else { return String(value) }
        return String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
    }
}

/// MultipartKit's parser, which calls back as it goes, turned into a list of events per chunk,
/// so the caller can `await` a disk write for each.
struct MultipartEvents {
    enum Event {
        case header(String, String)
        case body(ByteBuffer)
        case partComplete
    }

    private let parser: MultipartParser
    private let sink = Sink()

    private final class Sink {
        var events: [Event] = []
        /// Bytes fed since the parser last produced something.
        var quietBytes = 0
    }

    init(boundary: String) {
        parser = MultipartParser(boundary: boundary)
        let sink = sink
        parser.onHeader = { sink.events.append(.header($0, $1)) }
        parser.onBody = { sink.events.append(.body($0)) }
        parser.onPartComplete = { sink.events.append(.partComplete) }
    }

    /// The events `chunk` completes (a boundary split across chunks completes in the next one).
    func feed(_ chunk: ByteBuffer) throws -> [Event] {
        do {
            try parser.execute(chunk)
        } catch {
            throw Abort(.badRequest)
        }
        defer { sink.events = [] }
        sink.quietBytes = sink.events.isEmpty ? sink.quietBytes + chunk.readableBytes : 0
        guard sink.quietBytes <= Uploads.maxQuietBytes else { throw Abort(.badRequest) }
        return sink.events
    }
}

/// One temporary file being written: bytes are gathered and written in batches.
final class TemporaryFile {
    let filename: String
    let path: String
    private let handle: WriteFileHandle
    private var pending = ByteBuffer()
    private var head: [UInt8] = []
    private(set) var size = 0
    private var written: Int64 = 0

    init(in directory: String, filename: String, for req: Request) async throws {
        self.filename = filename
        path = directory + "/" + UUID().uuidString
        try await FileSystem.shared.createDirectory(at: FilePath(directory), withIntermediateDirectories: true)
        // Registered before it exists, so it is deleted however the request ends.
        req.temporaryUploads.add(path)
        handle = try await FileSystem.shared.openFile(
            forWritingAt: FilePath(path), options: .newFile(replaceExisting: false))
    }

    func append(_ chunk: ByteBuffer) async throws {
        if head.count < ReceivedFile.headLength {
            head += chunk.readableBytesView.prefix(ReceivedFile.headLength - head.count)
        }
        size += chunk.readableBytes
        var chunk = chunk
        pending.writeBuffer(&chunk)
        if pending.readableBytes >= Uploads.writeBatch { try await flush() }
    }

    func finish() async throws -> ReceivedFile {
        try await flush()
        try await handle.close()
        return ReceivedFile(filename: filename, path: path, size: size, head: head)
    }

    func abandon() async throws {
        try await handle.close(makeChangesVisible: false)
    }

    private func flush() async throws {
        guard pending.readableBytes > 0 else { return }
        written += try await handle.write(contentsOf: pending, toAbsoluteOffset: written)
        pending.clear()
    }
}
