import Foundation
import NIOFileSystem
import Vapor

/// Keeps uploaded files. Local disk by default; the interface is what an S3-compatible store
/// would implement.
public protocol FileStore: Sendable {
    func put(_ data: ByteBuffer, at key: String) async throws
    /// Keeps a received upload (its temporary file is taken, not copied, where the store can).
    func put(_ file: ReceivedFile, at key: String) async throws
    func get(_ key: String) async throws -> ByteBuffer?
    /// Deletes one file. Files may be shared by copies of a record (``FileReference``), so
    /// there is no sweeping a record's folder: each file goes when nothing uses it.
    func delete(_ key: String) async throws
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
        let contents = Data(buffer: data)
        // A second try: deleting the folder's last other file may remove the folder between
        // making it and writing into it.
        for _ in 0..<2 {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if FileManager.default.createFile(atPath: path, contents: contents) { return }
        }
        throw Abort(.internalServerError, reason: "could not write \(key)")
    }

    /// Moves the temporary file into place: the upload folder is in the same data folder, so
    /// this is a rename, and a 200 MB video is never read back through memory.
    public func put(_ file: ReceivedFile, at key: String) async throws {
        let path = try path(key)
        let folder = FilePath((path as NSString).deletingLastPathComponent)
        // A second try, as in the other `put`: the folder may vanish between making and using it.
        for attempt in 0..<2 {
            do {
                try await FileSystem.shared.createDirectory(at: folder, withIntermediateDirectories: true)
                try await FileSystem.shared.moveItem(at: FilePath(file.path), to: FilePath(path))
                return
            } catch let error as FileSystemError where attempt == 0 && error.code == .notFound {
                continue
            }
        }
    }

    public func get(_ key: String) async throws -> ByteBuffer? {
        guard let data = FileManager.default.contents(atPath: try path(key)) else { return nil }
        return ByteBuffer(data: data)
    }

    /// Deletes the file, and its folder when that is left empty (as an object store has no
    /// empty folders), so a deleted record leaves no folder behind.
    public func delete(_ key: String) async throws {
        let path = try path(key)
        try? FileManager.default.removeItem(atPath: path)
        let folder = (path as NSString).deletingLastPathComponent
        // rmdir removes only an empty folder, so a file written there meanwhile stays.
        if folder.count > root.count { _ = rmdir(folder) }
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

package struct FileStoreKey: StorageKey { package typealias Value = any FileStore }

extension Application {
    public var files: any FileStore {
        get { storage[FileStoreKey.self] ?? LocalFileStore(root: gotong.dataDirectory + "/files") }
        set { storage[FileStoreKey.self] = newValue }
    }
}
