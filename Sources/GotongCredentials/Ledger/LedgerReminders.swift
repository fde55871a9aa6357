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

        var limit: Int { min(max(size ?? chunkSize, 1), chunkSize) }
    }

    /// Queues the reminders; nil when they were started today already, else how many people.
    static func start(_ req: Request) async throws -> Int? {
        let tenantID = try req.tenant.requireID()
        let now = req.application.clock.now()
        let year = LocalDates.year(of: now)
        let today = LocalDates.isoDay.string(from: now)
        let below = try await Compliance(db: req.database).totals(tenantID, year: year).below
        let started = try await req.database.lockingTransaction { tx -> Bool in
            let already = try await AuditEntry.query(on: tx).filter(\.$tenantID == tenantID)
                .filter(\.$action == "ledger.remind").filter(\.$subject == today).count()
            guard already == 0 else { return false }
            try await JobQueue.enqueue(job, Chunk(tenantID: tenantID, year: year, after: nil), on: tx, at: now)
            try await req.audit("ledger.remind", subject: today, detail: "people=\(below)", tenantID: tenantID, on: tx)
            return true
        }
        guard started else { return nil }
        req.application.jobs.kick()
        return below
    }

    static func run(_ chunk: Chunk, app: Application) async throws {
        let now = app.clock.now()
        let people = try await below(chunk, on: app.db)
        guard !people.isEmpty else { return }
        try await app.db.lockingTransaction { tx in
            let messages = people.map { person in
                Notifier.Message(
                    personID: person.id, tenantID: chunk.tenantID, key: "notify.ledger.reminder",
                    args: [
                        "year": "\(chunk.year)", "jp": "\(person.jp)", "short": "\(JPLedger.targetJP - person.jp)",
                    ], route: CredentialsRoute.myLedger)
            }
            try await Notifier.record(messages, on: tx, at: now)
            if people.count == chunk.limit {
                let next = Chunk(tenantID: chunk.tenantID, year: chunk.year, after: people.last?.id, size: chunk.size)
                try await JobQueue.enqueue(job, next, on: tx, at: now)
            }
        }
        if people.count == chunk.limit { app.jobs.kick() }
    }

    /// The next people below target after `chunk.after`, in id order, with their JP.
    static func below(_ chunk: Chunk, on db: any Database) async throws -> [(id: UUID, jp: Int)] {
        let after: SQLQueryString = chunk.after.map { " AND p.id > \(bind: $0)" } ?? ""
        let sql: SQLQueryString =
            "SELECT p.id, COALESCE(j.jp, 0) AS jp " + Compliance(db: db).from(chunk.tenantID, year: chunk.year)
            + " AND COALESCE(j.jp, 0) < \(literal: JPLedger.targetJP)" + after
            + " ORDER BY p.id LIMIT \(literal: chunk.limit)"
        return try await db.sql.raw(sql).all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "jp", as: Int.self))
        }
    }
}
