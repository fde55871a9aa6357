import Fluent
import SQLKit
import Synchronization
import Vapor

/// A named version of some content (a course's sections and activities: "learning"), raised in
/// the writer's own transaction and read by every process at most every 200 ms: what a
/// per-process read cache of that content compares against, so that a change made by any
/// process shows within 200 ms, and at once in the process that made it.
public final class ContentVersion: Sendable {
    private struct State { var version: Int?; var checkedAt: ContinuousClock.Instant? }
    public let name: String
    private let state = Mutex(State())
    static let checkInterval: Duration = .milliseconds(200)

    public init(name: String) { self.name = name }

    /// The version as this process last saw it, asking the database when that is 200 ms old.
    public func current(on db: any Database) async throws -> Int {
        let now = ContinuousClock.now
        if let known = state.withLock({ s -> Int? in
            guard let version = s.version, let at = s.checkedAt, now - at < Self.checkInterval else { return nil }
            return version
        }) {
            return known
        }
        let version =
            try await db.sql.raw("SELECT version FROM content_versions WHERE name = \(bind: name)")
            .first(decodingColumn: "version", as: Int.self) ?? 0
        state.withLock { $0 = State(version: version, checkedAt: now) }
        return version
    }

    /// Raises the version (making its row the first time); the next read here asks again.
    public func bump(on db: any Database) async throws {
        try await db.sql.raw(
            """
            INSERT INTO content_versions (name, version) VALUES (\(bind: name), 1) \
            ON CONFLICT (name) DO UPDATE SET version = content_versions.version + 1
            """
        ).run()
        state.withLock { $0.checkedAt = nil }
    }
}

/// Raises `version` whenever a model of type `M` is created, updated or deleted through Fluent
/// (a bulk query-builder write does not pass here: follow it with a model write, or bump).
public struct ContentChangeMiddleware<M: Model>: AsyncModelMiddleware {
    let version: ContentVersion
    /// Off where a new row cannot be in any kept value yet (and the first rows are written
    /// before the versions' table exists: the master template tenant).
    let onCreate: Bool

    public init(_ version: ContentVersion, onCreate: Bool = true) {
        self.version = version
        self.onCreate = onCreate
    }

    public func create(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.create(model, on: db)
        if onCreate { try await version.bump(on: db) }
    }

    public func update(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        try await version.bump(on: db)
    }

    public func delete(model: M, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.delete(model, force: force, on: db)
        try await version.bump(on: db)
    }
}

/// The table of ``ContentVersion``s. Listed late: a migration before it must not write a model
/// whose changes raise a version.
package struct CreateContentVersions: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema("content_versions")
            .field("name", .string, .identifier(auto: false))
            .field("version", .int64, .required, .sql(.default(0)))
            .create()
    }

    package func revert(on db: any Database) async throws {
        try await db.schema("content_versions").delete()
    }
}
