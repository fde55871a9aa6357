import Foundation
import NIOConcurrencyHelpers
import NIOFileSystem
import Vapor

/// A file that came with a request, kept in a temporary file while the request runs: an upload
/// of 200 MB of video never sits in memory. The file is gone when the request ends, unless a
/// ``FileStore`` took it.
public struct ReceivedFile: Sendable {
    /// The name the sender gave it; only ever shown, never used as a path.
    public let filename: String
    /// Where the bytes are, under the data folder's `uploads/`.
    public let path: String
    public let size: Int
    /// The first bytes, by which ``FileKind/sniff(head:filename:allowed:)`` knows the kind.
    public let head: [UInt8]

    static let headLength = 16
}

/// A form as posted to an upload route: text values by name, files by name (on disk).
public struct ReceivedForm: Sendable {
    public var values: [String: String] = [:]
    public var files: [String: ReceivedFile] = [:]
}

/// The routes that take uploads, and how their bodies are read: streamed to temporary files as
/// they arrive, within the route's limit (``BodyLimit``), by one reader for every such route.
public enum Uploads {
    /// The largest request an upload may be: the largest file any activity type takes (200 MB
    /// of video) with room for the form's other fields, so an oversized file gets the type's
    /// own message, not a bare "too large".
    public static let maxRequestSize: Vapor.ByteCount = "210mb"
    /// All text fields of one upload form together; the rest of the limit is for files.
    static let maxTextBytes = 1_048_576
    /// Bytes gathered before each write to disk, so a slow sender's small chunks do not each
    /// cost a trip to the file system's threads.
    static let writeBatch = 256 * 1024
    /// Temporary files older than this were left by a process that stopped mid-request.
    static let staleAfter: TimeInterval = 24 * 60 * 60

    private static let streamedKey = AnySendableHashable("gotong.streamedUpload")

    /// Whether `req`'s route streams its body to temporary files (declared with
    /// ``RoutesBuilder/upload(_:_:maxSize:use:)``).
    package static func isStreamed(_ req: Request) -> Bool {
        req.route?.userInfo[streamedKey] as? Bool == true
    }

    static func markStreamed(_ route: Route) {
        route.userInfo[streamedKey] = true
    }

    /// The folder of temporary uploads: inside the data folder, so storing a file in the local
    /// file store is a rename, not a copy.
    package static func directory(of app: Application) -> String {
        app.gotong.dataDirectory + "/uploads"
    }

    /// Deletes temporary uploads that a stopped process left behind. Other processes may share
    /// the data folder, so only old files go, never a request's in flight.
    package static func removeStale(in directory: String, now: Date = Date()) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return }
        for name in names {
            let path = directory + "/" + name
            guard let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                now.timeIntervalSince(modified) > staleAfter
            else { continue }
            try? manager.removeItem(atPath: path)
        }
    }
}

extension RoutesBuilder {
    /// A route that takes files: its body is streamed to temporary files, up to `maxSize`, and
    /// read with ``Request/receivedForm()`` or ``Request/receivedFile(named:)``.
    @discardableResult
    package func upload<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., maxSize: Vapor.ByteCount,
        use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = on(method, path, body: .stream, use: closure)
        BodyLimit.record(maxSize, on: route)
        Uploads.markStreamed(route)
        return route
    }
}

extension Request {
    /// The body of an upload route as a form, files written to disk as they arrive. Read once:
    /// later calls (the route after the form check) get the same form.
    public func receivedForm() async throws -> ReceivedForm {
        if let form = storage[ReceivedFormKey.self] { return form }
        let form = try await UploadReader(for: self).readForm()
        storage[ReceivedFormKey.self] = form
        return form
    }

    /// The body of an upload route taken whole as one file (the API's `PUT` of a file).
    public func receivedFile(named filename: String) async throws -> ReceivedFile {
        let reader = UploadReader(for: self)
        let file = try await reader.readWhole(named: filename)
        return file
    }

    /// Files this request wrote to the upload folder, deleted when it ends
    /// (``UploadCleanupMiddleware``).
    var temporaryUploads: TemporaryUploads {
        if let existing = storage[TemporaryUploadsKey.self] { return existing }
        let made = TemporaryUploads()
        storage[TemporaryUploadsKey.self] = made
        return made
    }
}

private struct ReceivedFormKey: StorageKey { typealias Value = ReceivedForm }
private struct TemporaryUploadsKey: StorageKey { typealias Value = TemporaryUploads }

/// The temporary files of one request.
final class TemporaryUploads: Sendable {
    private let paths = NIOLockedValueBox<[String]>([])

    func add(_ path: String) { paths.withLockedValue { $0.append(path) } }

    /// Deletes every file still there (a store that took one has moved it away).
    func removeAll() async {
        let all = paths.withLockedValue { list in
            defer { list = [] }; return list
        }
        for path in all { _ = try? await FileSystem.shared.removeItem(at: FilePath(path)) }
    }
}

/// Deletes a request's temporary uploads when it has been answered, whether the route used
/// them, refused them, or never ran (the form check failed). Other routes pass straight through.
package struct UploadCleanupMiddleware: Middleware {
    package init() {}

    package func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard Uploads.isStreamed(req) else { return next.respond(to: req) }
        return next.respond(to: req).flatMapWithEventLoop { response, loop in
            loop.makeFutureWithTask {
                await req.temporaryUploads.removeAll(); return response
            }
        }.flatMapErrorWithEventLoop { error, loop in
            loop.makeFutureWithTask {
                await req.temporaryUploads.removeAll(); throw error
            }
        }
    }
}

/// Reads one upload route's body from the wire: multipart parts to text values or temporary
/// files, anything else as a URL-encoded form or a single file. Counts every byte against the
/// route's limit for this caller, and stops with 413 the moment it is passed.
struct UploadReader {
    let req: Request
    let limit: Int
    let directory: String

    init(for req: Request) {
        self.req = req
        limit = BodyLimit.forCaller(of: req)
        directory = Uploads.directory(of: req.application)
    }

    func readForm() async throws -> ReceivedForm {
        guard let type = req.headers.contentType, type.type == "multipart", let boundary = type.parameters["boundary"],
            !boundary.isEmpty, boundary.utf8.count <= 200
        else {
            return try await readURLEncoded()
        }
        let parts = MultipartEvents(boundary: boundary)
        var progress = FormInProgress()
        var received = 0
        do {
            for try await chunk in req.body {
                received += chunk.readableBytes
                guard received <= limit else { throw tooLarge() }
                for event in try parts.feed(chunk) {
                    try await apply(event, to: &progress)
                }
            }
        } catch {
            try? await progress.part.file?.abandon()
            throw error
        }
        // A body that ends inside a part is cut off: its file is incomplete, so it is not taken.
        try? await progress.part.file?.abandon()
        return progress.form
    }

    /// The API's `PUT` of a file: the whole body is the file.
    func readWhole(named filename: String) async throws -> ReceivedFile {
        let file = try await TemporaryFile(in: directory, filename: filename, for: req)
        do {
            for try await chunk in req.body {
                guard file.size + chunk.readableBytes <= limit else { throw tooLarge() }
                try await file.append(chunk)
            }
            return try await file.finish()
        } catch {
            try? await file.abandon()
            throw error
        }
    }

    private func readURLEncoded() async throws -> ReceivedForm {
        var body = ByteBuffer()
        for try await var chunk in req.body {
            guard body.readableBytes + chunk.readableBytes <= min(limit, Uploads.maxTextBytes) else { throw tooLarge() }
            body.writeBuffer(&chunk)
        }
        let values = (try? URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))) ?? [:]
        return ReceivedForm(values: values)
    }

    private func apply(_ event: MultipartEvents.Event, to progress: inout FormInProgress) async throws {
        switch event {
        case .header(let name, let value):
            guard name.lowercased() == "content-disposition" else { return }
            let disposition = ContentDisposition(value)
            progress.part.name = disposition.name ?? ""
            if let filename = disposition.filename, progress.part.file == nil {
                progress.part.file = try await TemporaryFile(in: directory, filename: filename, for: req)
            }
        case .body(let chunk):
            if let file = progress.part.file {
                try await file.append(chunk)
            } else {
                progress.part.text.writeImmutableBuffer(chunk)
                progress.textBytes += chunk.readableBytes
                guard progress.textBytes <= Uploads.maxTextBytes else { throw tooLarge() }
            }
        case .partComplete:
            if let file = progress.part.file {
                progress.form.files[progress.part.name] = try await file.finish()
            } else {
                progress.form.values[progress.part.name] = String(buffer: progress.part.text)
            }
            progress.part = PartInProgress()
        }
    }

    private func tooLarge() -> LocalizedAbort {
        LocalizedAbort(.payloadTooLarge, req.t("error.413.detail"))
    }
}

/// A multipart form being read: what is done, the part in hand, and the text so far (held
/// against ``Uploads/maxTextBytes``).
private struct FormInProgress {
    var form = ReceivedForm()
    var part = PartInProgress()
    var textBytes = 0
}

/// The part being read.
private struct PartInProgress {
    var name = ""
    var file: TemporaryFile?
    var text = ByteBuffer()
}

/// The name and filename of a multipart part, from its `Content-Disposition` header.
struct ContentDisposition {
    var name: String?
    var filename: String?

    init(_ header: String) {
        for item in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if item.hasPrefix("name=") { name = Self.unquoted(item.dropFirst(5)) }
            if item.hasPrefix("filename=") { filename = Self.unquoted(item.dropFirst(9)) }
        }
    }

    private static func unquoted(_ value: Substring) -> String {
        value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
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
        try await handle.close()
    }

    private func flush() async throws {
        guard pending.readableBytes > 0 else { return }
        written += try await handle.write(contentsOf: pending, toAbsoluteOffset: written)
        pending.clear()
    }
}

extension ReceivedFile {
    /// A received file made from bytes in hand (demo data, tests), written to the upload folder
    /// like a request's; a store takes it, or the stale-upload sweep does.
    public static func holding(_ data: ByteBuffer, filename: String, app: Application) async throws -> ReceivedFile {
        let directory = Uploads.directory(of: app)
        let path = directory + "/" + UUID().uuidString
        try await FileSystem.shared.createDirectory(at: FilePath(directory), withIntermediateDirectories: true)
        try await FileSystem.shared.withFileHandle(
            forWritingAt: FilePath(path), options: .newFile(replaceExisting: false)
        ) { handle in
            _ = try await handle.write(contentsOf: data, toAbsoluteOffset: 0)
        }
        return ReceivedFile(
            filename: filename, path: path, size: data.readableBytes,
            head: Array(data.readableBytesView.prefix(headLength)))
    }
}
