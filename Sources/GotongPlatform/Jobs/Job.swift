import Fluent
import Foundation
import SQLKit

/// Background work that must happen even if the process dies: written in the same transaction
/// as the change that causes it, run later by a worker in every `gotong serve` process, retried
/// with back-off until it succeeds or its attempts run out. Handlers must be safe to run twice
/// (a worker may die after the work and before marking it done).
public final class QueuedJob: Model, @unchecked Sendable {
    public static let schema = "jobs"

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Waiting for `run_at`.
        case pending
        /// Taken by a worker until `run_at` (its lease); a lease that ran out is taken again.
        case running
        case done
        /// Out of attempts; an administrator may retry it.
        case failed
    }

    @ID(key: .id) public var id: UUID?
    /// Which handler runs it (`course.check`, `mail.send`, …).
    @Field(key: "kind") public var kind: String
    /// The handler's input as JSON.
    @Field(key: "payload") public var payload: String
    @Enum(key: "status") public var status: Status
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "run_at") public var runAt: Date
    @Field(key: "last_error") public var lastError: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] {
        [$id, $kind, $payload, $status, $attempts, $runAt, $lastError, $createdAt, $updatedAt]
    }

    init(kind: String, payload: String, at now: Date) {
        self.id = UUID()
        self.kind = kind
        self.payload = payload
        self.status = .pending
        self.attempts = 0
        self.runAt = now
        self.lastError = ""
        self.createdAt = now
        self.updatedAt = now
    }
}

/// The jobs table; workers look for due jobs by status and time.
package struct CreateJobs: AsyncMigration {
    package init() {}

    package func prepare(on database: any Database) async throws {
        try await database.schema(QueuedJob.schema)
            .id()
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("run_at", .datetime, .required)
            .field("last_error", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "jobs_due").on(QueuedJob.schema).column("status").column("run_at").run()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(QueuedJob.schema).delete()
    }
}
