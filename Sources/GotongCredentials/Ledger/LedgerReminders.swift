import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Reminders to an institution's people below 20 JP: the request audits and queues the first
/// chunk; each chunk's job writes 500 notifications and queues the next in one transaction, so
/// a retried chunk never reminds anyone twice and no request holds the database for minutes.
enum LedgerReminders {
    static let job = "ledger.remind"
    static let chunkSize = 500

    struct Chunk: Codable, Sendable {
        let tenantID: UUID
        let year: Int
        /// The last person reminded by the chunk before (people go in id order).
        let after: UUID?
        /// People per chunk (``chunkSize`` when absent).
        var size: Int? = nil
        /// The day the reminders were started (`2026-12-05`), which names this run's steps.
        var day: String? = nil

        var limit: Int { min(max(size ?? chunkSize, 1), chunkSize) }
        /// This chunk's step of the run, unique per tenant and day.
        var step: String { "after:" + (after?.uuidString.lowercased() ?? "first") }
    }

    /// Claims a step of a tenant's reminders of a day: true once, false for everyone after
    /// (a unique key, so two administrators at once, or a retried chunk, find it taken).
    static func claim(_ step: String, tenant: UUID, day: String, on db: any Database) async throws -> Bool {
        try await db.sql.raw(
            """
            INSERT INTO \(ident: ReminderRun.schema) (id, tenant_id, day, step) \
            VALUES (\(bind: UUID()), \(bind: tenant), \(bind: day), \(bind: step)) \
            ON CONFLICT (tenant_id, day, step) DO NOTHING RETURNING id
            """
        ).first() != nil
    }

    /// Queues the reminders; nil when they were started today already, else how many people.
    static func start(_ req: Request) async throws -> Int? {
        let tenantID = try req.tenant.requireID()
        let now = req.application.clock.now()
        let year = LocalDates.year(of: now)
        let today = LocalDates.isoDay.string(from: now)
        let below = Compliance.totals(try await Compliance(db: req.database).units(tenantID, year: year)).below
        let started = try await req.database.lockingTransaction { tx -> Bool in
            guard try await claim("start", tenant: tenantID, day: today, on: tx) else { return false }
            let first = Chunk(tenantID: tenantID, year: year, after: nil, day: today)
            try await JobQueue.enqueue(job, first, on: tx, at: now)
            try await req.audit("ledger.remind", subject: today, detail: "people=\(below)", tenantID: tenantID, on: tx)
            return true
        }
        guard started else { return nil }
        req.application.jobs.kick()
        return below
    }

    /// One chunk: its notifications and the next chunk in one transaction, which first claims
    /// the chunk's step, so a chunk run again (its job retried after it committed) does nothing.
    static func run(_ chunk: Chunk, app: Application) async throws {
        let now = app.clock.now()
        let day = chunk.day ?? LocalDates.isoDay.string(from: now)
        let people = try await below(chunk, on: app.db)
        guard !people.isEmpty else { return }
        let more = try await app.db.lockingTransaction { tx -> Bool in
            guard try await claim(chunk.step, tenant: chunk.tenantID, day: day, on: tx) else { return false }
            let messages = people.map { person in
                Notifier.Message(
                    personID: person.id, tenantID: chunk.tenantID, key: "notify.ledger.reminder",
                    args: [
                        "year": "\(chunk.year)", "jp": "\(person.jp)", "short": "\(JPLedger.targetJP - person.jp)",
                    ], route: CredentialsRoute.myLedger)
            }
            try await Notifier.record(messages, on: tx, at: now)
            guard people.count == chunk.limit else { return false }
            var next = Chunk(tenantID: chunk.tenantID, year: chunk.year, after: people.last?.id, size: chunk.size)
            next.day = day
            try await JobQueue.enqueue(job, next, on: tx, at: now)
            return true
        }
        if more { app.jobs.kick() }
    }

    /// The next people below target after `chunk.after`, in id order, with their JP.
    static func below(_ chunk: Chunk, on db: any Database) async throws -> [(id: UUID, jp: Int)] {
        let after: SQLQueryString = chunk.after.map { " AND p.id > \(bind: $0)" } ?? ""
        let sql: SQLQueryString =
            "SELECT p.id, p.jp " + Compliance(db: db).from(chunk.tenantID, year: chunk.year)
            + " AND p.jp < \(literal: JPLedger.targetJP)" + after
            + " ORDER BY p.id LIMIT \(literal: chunk.limit)"
        return try await db.sql.raw(sql).all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "jp", as: Int.self))
        }
    }
}

/// The steps of reminder runs taken: one row per tenant, day and step (`start`, then each
/// chunk's), so a run starts once a day and each chunk sends once.
final class ReminderRun: Model, @unchecked Sendable {
    static let schema = "ledger_reminder_runs"

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "day") var day: String
    @Field(key: "step") var step: String

    init() {}

    var properties: [any AnyProperty] { [$id, $tenantID, $day, $step] }
}

struct CreateReminderRuns: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(ReminderRun.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("step", .string, .required)
            .unique(on: "tenant_id", "day", "step")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(ReminderRun.schema).delete()
    }
}
