import Fluent
import SQLKit
import Synchronization
import Vapor

/// A version number as this process last saw it, asked again when 200 ms old: what a read cache
/// compares against, so that another process's change shows within 200 ms. Shared by every
/// version the caches keep to (``ContentVersion``, the catalogue's).
public final class VersionCheck: Sendable {
    private struct State { var version: Int?; var checkedAt: ContinuousClock.Instant? }
    private let state = Mutex(State())
    public static let interval: Duration = .milliseconds(200)

    public init() {}

    /// The version, from `read` when the last one is older than ``interval``.
    public func current(read: () async throws -> Int) async throws -> Int {
        let now = ContinuousClock.now
        if let known = state.withLock({ s -> Int? in
            guard let version = s.version, let at = s.checkedAt, now - at < Self.interval else { return nil }
            return version
        }) {
            return known
        }
        let version = try await read()
        state.withLock { $0 = State(version: version, checkedAt: now) }
        return version
    }

    /// After a change made here, the next read asks again.
    public func forget() { state.withLock { $0.checkedAt = nil } }
}

/// A named version of some content (a course's sections and activities: "learning"), raised in
/// the writer's own transaction and read through a ``VersionCheck``: a change made by any process
/// shows within 200 ms, and at once in the process that made it.
public final class ContentVersion: Sendable {
    public let name: String
    private let check = VersionCheck()

    public init(name: String) { self.name = name }

    public func current(on db: any Database) async throws -> Int {
        try await check.current {
            try await db.sql.raw("SELECT version FROM content_versions WHERE name = \(bind: name)")
                .first(decodingColumn: "version", as: Int.self) ?? 0
        }
    }

    /// Raises the version (making its row the first time); the next read here asks again.
    public func bump(on db: any Database) async throws {
        try await db.sql.raw(
            """
            INSERT INTO content_versions (name, version) VALUES (\(bind: name), 1) \
            ON CONFLICT (name) DO UPDATE SET version = content_versions.version + 1
            """
        ).run()
        check.forget()
    }
}

/// Runs `changed` after every Fluent create (unless `onCreate` is off), update and delete of an
/// `M`, in the writer's own transaction: how every kept read model learns its content changed.
/// A bulk query-builder write does not pass here: follow it with a model write, or bump.
public struct ModelChangeMiddleware<M: Model>: AsyncModelMiddleware {
    /// Off where a new row cannot be in any kept value yet (and the first rows are written
    /// before the versions' tables exist: the master template tenant).
    let onCreate: Bool
    let changed: @Sendable (M, any Database) async throws -> Void

    public init(onCreate: Bool = true, changed: @escaping @Sendable (M, any Database) async throws -> Void) {
        self.onCreate = onCreate
        self.changed = changed
    }

    /// Raises `version` on every change.
    public static func raising(_ version: ContentVersion, onCreate: Bool = true) -> Self {
        Self(onCreate: onCreate) { _, db in try await version.bump(on: db) }
    }

    public func create(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.create(model, on: db)
        if onCreate { try await changed(model, db) }
    }

    public func update(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        try await changed(model, db)
    }

    public func delete(model: M, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.delete(model, force: force, on: db)
        try await changed(model, db)
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

/// Values kept per process against a version: a value kept at an older version is not given
/// back. When full, the cache starts over rather than track use; the next reads refill what is
/// popular. Derived state only: every process keeps its own.
public final class KeptValues<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        let version: Int
        let value: Value
    }

    private let entries = Mutex([Key: Entry]())
    let capacity: Int

    public init(capacity: Int) { self.capacity = capacity }

    /// The value kept for `key` at `version`, if any.
    public func value(_ key: Key, at version: Int) -> Value? {
        entries.withLock { entries in entries[key].flatMap { $0.version == version ? $0.value : nil } }
    }

    /// Keeps `values`, read at `version`.
    public func keep(_ values: [Key: Value], at version: Int) {
        entries.withLock { entries in
            if entries.count + values.count > capacity { entries.removeAll(keepingCapacity: true) }
            for (key, value) in values { entries[key] = Entry(version: version, value: value) }
        }
    }
}
