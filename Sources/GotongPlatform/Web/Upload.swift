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
    /// Parts of one form, and files among them: a form has a few dozen fields at most, and each
    /// file costs a temporary file.
    static let maxParts = 200
    static let maxFiles = 20
    /// Bytes the multipart parser may take without producing anything (headers, preamble): it
    /// copies a header it is still reading with every chunk, so a long one is refused early.
    static let maxQuietBytes = 16 * 1024
    /// What is read and dropped after a refusal, so the sender finishes and sees the answer
    /// instead of a stalled connection; a sender that goes on beyond it is cut off.
    static let drainAfterRefusal = 16 * 1_048_576
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
        upload(method, at: path, maxSize: maxSize, use: closure)
    }

    /// ``upload(_:_:maxSize:use:)`` at a typed route.
    @discardableResult
    package func upload<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ route: some SiteRoute, maxSize: Vapor.ByteCount,
        use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        upload(method, at: route.pathComponents, maxSize: maxSize, use: closure)
    }

    private func upload<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, at path: [PathComponent], maxSize: Vapor.ByteCount,
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
        try await UploadReader(for: self).readWhole(named: filename)
    }

    /// Marks the body as read; a body can be read once (a second reader would wait forever).
    fileprivate func takeBody() throws {
        guard storage[BodyTakenKey.self] == nil else {
            throw Abort(.internalServerError, reason: "the upload body was read twice")
        }
        storage[BodyTakenKey.self] = true
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
private struct BodyTakenKey: StorageKey { typealias Value = Bool }
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
        do {
            try await eachChunk { chunk in
                for event in try parts.feed(chunk) {
                    try await apply(event, to: &progress)
                }
            }
            // A body that ends inside a part was cut off: nothing of it is taken.
            guard !progress.inPart else { throw Abort(.badRequest) }
        } catch {
            try? await progress.part.file?.abandon()
            throw error
        }
        return progress.form
    }

    /// The API's `PUT` of a file: the whole body is the file.
    func readWhole(named filename: String) async throws -> ReceivedFile {
        let file = try await TemporaryFile(in: directory, filename: filename, for: req)
        do {
            try await eachChunk { chunk in try await file.append(chunk) }
            return try await file.finish()
        } catch {
            try? await file.abandon()
            throw error
        }
    }

    /// Hands each chunk of the body to `use`, counting them against the limit; a body whose
    /// declared length is over it is refused before a byte is read. After a refusal (over the
    /// limit, or `use` failed) the rest is read and dropped, up to ``Uploads/drainAfterRefusal``,
    /// so the sender finishes sending and reads the answer.
    private func eachChunk(_ use: (ByteBuffer) async throws -> Void) async throws {
        try req.takeBody()
        if let declared = req.headers.first(name: .contentLength).flatMap(Int.init), declared > limit {
            throw tooLarge()
        }
        var received = 0
        var refusal: (any Error)?
        for try await chunk in req.body {
            received += chunk.readableBytes
            if refusal == nil, received > limit { refusal = tooLarge() }
            if refusal != nil {
                if received > limit + Uploads.drainAfterRefusal { break }
                continue
            }
            do { try await use(chunk) } catch { refusal = error }
        }
        if let refusal { throw refusal }
    }

    private func readURLEncoded() async throws -> ReceivedForm {
        var body = ByteBuffer()
        try await eachChunk { chunk in
            guard body.readableBytes + chunk.readableBytes <= Uploads.maxTextBytes else { throw tooLarge() }
            body.writeImmutableBuffer(chunk)
        }
        let values = (try? URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))) ?? [:]
        return ReceivedForm(values: values)
    }

    private func apply(_ event: MultipartEvents.Event, to progress: inout FormInProgress) async throws {
        switch event {
        case .header(let name, let value):
            // Parsed whole within one chunk, a long header costs no copying, but no form has one.
            guard name.utf8.count + value.utf8.count <= Uploads.maxQuietBytes else { throw Abort(.badRequest) }
            guard name.lowercased() == "content-disposition" else { return }
            progress.parts += 1
            guard progress.parts <= Uploads.maxParts else { throw Abort(.badRequest) }
            progress.inPart = true
            let disposition = ContentDisposition(value)
            progress.part.name = disposition.name ?? ""
            progress.textBytes += progress.part.name.utf8.count
            switch disposition.filename {
            case nil: break
            // A file field left empty: the browser sends the part without a file.
            case ""?: progress.part.isEmptyFile = true
            case let filename?:
                progress.files += 1
                guard progress.files <= Uploads.maxFiles else { throw Abort(.badRequest) }
                if progress.part.file == nil {
                    progress.part.file = try await TemporaryFile(in: directory, filename: filename, for: req)
                }
            }
        case .body(let chunk):
            if let file = progress.part.file {
                try await file.append(chunk)
            } else if !progress.part.isEmptyFile {
                progress.part.text.writeImmutableBuffer(chunk)
                progress.textBytes += chunk.readableBytes
            }
            guard progress.textBytes <= Uploads.maxTextBytes else { throw tooLarge() }
        case .partComplete:
            if let file = progress.part.file {
                progress.form.files[progress.part.name] = try await file.finish()
            } else if !progress.part.isEmptyFile {
                progress.form.values[progress.part.name] = String(buffer: progress.part.text)
            }
            progress.part = PartInProgress()
            progress.inPart = false
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
    var parts = 0
    var files = 0
    /// Between a part's headers and its end.
    var inPart = false
}

/// The part being read.
private struct PartInProgress {
    var name = ""
    var file: TemporaryFile?
    var text = ByteBuffer()
    var isEmptyFile = false
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
