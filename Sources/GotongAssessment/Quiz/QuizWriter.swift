import Fluent
import Foundation
import GotongPlatform
import SQLKit
import Vapor

/// Writes answers in batches (``GroupCommit``): the answers that arrive while one batch is
/// written go together in the next, as one statement in one transaction. Each answer is still
/// written only while its attempt is open, and each caller learns whether its own was.
final class AnswerWriter: Sendable {
    struct Pending: Sendable {
        let attempt: UUID
        let tenant: UUID
        let slot: Int
        let json: String
        let at: Date
    }

    /// Six binds an answer; 400 stay far under both databases' limits.
    static let maxBatch = 400
    private let commit: GroupCommit<Pending, Bool>

    init(db: any Database) {
        commit = GroupCommit(maxBatch: Self.maxBatch) { batch in try await Self.write(batch, on: db) }
    }

    func save(_ pending: Pending) async throws -> Bool { try await commit.submit(pending) }

    /// One upsert for the batch. An answer given twice in one batch (a retry) is written once,
    /// its last version; both callers get the outcome.
    static func write(_ batch: [Pending], on db: any Database) async throws -> [Bool] {
        var latest: [String: Pending] = [:]
        for item in batch { latest["\(item.attempt)|\(item.slot)"] = item }
        let rows = Array(latest.values)
        let share: SQLQueryString = db.sql.isSQLite ? "" : " FOR SHARE"
        let values: [SQLQueryString] = rows.map { row in
            """
            (\(bind: UUID()), \(bind: row.tenant), \(bind: row.attempt), \(bind: row.slot), \(bind: row.json), \
            \(bind: row.at))
            """
        }
        let columns: SQLQueryString = "id, tenant_id, attempt_id, slot, response, saved_at"
        func open(_ attempt: SQLQueryString) -> SQLQueryString {
            "EXISTS (SELECT 1 FROM quiz_attempts a WHERE a.id = \(attempt) AND a.state = 'open'\(share))"
        }
        let statement: SQLQueryString = """
            WITH v (\(columns)) AS (VALUES \(values.joined(separator: ", "))) \
            INSERT INTO quiz_answers (\(columns)) SELECT \(columns) FROM v WHERE \(open("v.attempt_id")) \
            ON CONFLICT (attempt_id, slot) DO UPDATE SET response = excluded.response, \
            saved_at = excluded.saved_at WHERE \(open("quiz_answers.attempt_id")) RETURNING attempt_id, slot
            """
        let written = try await db.lockingTransaction { tx in
            try await tx.sql.raw(
                statement
            ).all()
        }
        var done = Set<String>()
        for row in written {
            done.insert(
                "\(try row.decode(column: "attempt_id", as: UUID.self))|\(try row.decode(column: "slot", as: Int.self))"
            )
        }
        return batch.map { done.contains("\($0.attempt)|\($0.slot)") }
    }
}

extension Application {
    private struct AnswerWriterKey: StorageKey { typealias Value = AnswerWriter }

    /// The process's answer writer (``Assessment/setUp(_:)`` makes it with the server's database).
    var answerWriter: AnswerWriter {
        guard let writer = storage[AnswerWriterKey.self] else { fatalError("Assessment.setUp(app) was not called") }
        return writer
    }

    func setUpAnswerWriter() { storage[AnswerWriterKey.self] = AnswerWriter(db: db) }
}
