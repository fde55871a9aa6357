import Foundation
import Vapor

/// Keeps uploaded files. Local disk by default; the interface is what an S3-compatible store
/// would implement.
public protocol FileStore: Sendable {
    func put(_ data: ByteBuffer, at key: String) async throws
    func get(_ key: String) async throws -> ByteBuffer?
    func delete(_ key: String) async throws
    /// Deletes every file whose key starts with `prefix` (a folder such as `activities/<id>/`),
    /// for sweeping what a deleted record kept.
    func deleteAll(under prefix: String) async throws
    /// Serves a stored file to a browser, honouring `Range` requests so a video can be sought
    /// (an object store would answer with a redirect to a signed address instead). 404 when
    /// the file is not there.
    func serve(_ key: String, as mediaType: HTTPMediaType, for request: Request) async throws -> Response
}

/// Files under one folder on the local disk. Keys are made by Gotong, never by users.
public struct LocalFileStore: FileStore {
    let root: String

    public init(root: String) { self.root = root }

    private func path(_ key: String) throws -> String {
        guard !key.contains(".."), !key.hasPrefix("/") else { throw Abort(.badRequest) }
        return root + "/" + key
    }

    public func put(_ data: ByteBuffer, at key: String) async throws {
        let path = try path(key)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(buffer: data)) else {
            throw Abort(.internalServerError, reason: "could not write \(key)")
        }
    }

    public func get(_ key: String) async throws -> ByteBuffer? {
        guard let data = FileManager.default.contents(atPath: try path(key)) else { return nil }
        return ByteBuffer(data: data)
    }

    public func delete(_ key: String) async throws {
        try? FileManager.default.removeItem(atPath: try path(key))
    }

    public func deleteAll(under prefix: String) async throws {
        guard prefix.hasSuffix("/"), prefix.count > 1 else { throw Abort(.badRequest) }
        try? FileManager.default.removeItem(atPath: try path(prefix))
    }

    public func serve(_ key: String, as mediaType: HTTPMediaType, for request: Request) async throws -> Response {
        let path = try path(key)
        guard FileManager.default.fileExists(atPath: path) else { throw Abort(.notFound) }
        // Vapor's file streaming answers Range requests with 206 and the part asked for.
        let response = try await request.fileio.asyncStreamFile(at: path, mediaType: mediaType)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=3600")
        return response
    }
}

/// Limits every upload route shares.
public enum Uploads {
    /// The largest request an upload may be: the largest file any activity type takes (200 MB
    /// of video) with room for the form's other fields, so an oversized file gets the type's
    /// own message, not a bare "too large". Uploads are still read into memory whole.
    public static let maxRequestSize: ByteCount = "210mb"
}

struct FileStoreKey: StorageKey { typealias Value = any FileStore }

extension Application {
    public var files: any FileStore {
        get { storage[FileStoreKey.self] ?? LocalFileStore(root: gotong.dataDirectory + "/files") }
        set { storage[FileStoreKey.self] = newValue }
    }
}
