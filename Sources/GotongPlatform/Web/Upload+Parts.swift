import Foundation
import NIOFileSystem
import Vapor

/// The name and filename of a multipart part, from its `Content-Disposition` header, read by
/// Vapor's header-directive parser (a `;` inside quotes stays in the name).
struct ContentDisposition {
    var name: String?
    var filename: String?

    init(_ header: String) {
        let parsed = HTTPHeaders([("Content-Disposition", header)]).contentDisposition
        name = parsed?.name
        filename = parsed?.filename
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
