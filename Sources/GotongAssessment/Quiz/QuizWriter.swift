import Fluent
import Foundation
import GotongPlatform
import SQLKit
import Vapor

/// Where a quiz's writes go: the answers, in batches (``GroupCommit``), and the transactions
/// that start and hand in attempts. When thousands start a post-test in the same minute, these
/// writes take turns (SQLite has one writer), and on the server's busy event loops each round
/// trip of a turn waited behind web requests: starts held the turn ten times longer than their
/// work, and answers queued behind them for seconds. On PostgreSQL the hand-ins' progress
/// transactions (which take their turn with heartbeats) held the server's few pooled
/// connections while their round trips waited on those loops, and hand-ins timed out. So the
/// writes run on database connections, an event loop and a thread of their own
/// (``DedicatedDatabase``), as Learning's heartbeats do, where a turn lasts only its work: one
/// connection on SQLite (one writer at a time anyway), four on PostgreSQL. An in-memory
/// database has none, and everything uses the server's.
final class QuizWriter: Sendable {
    struct Pending: Sendable {
        let attempt: UUID
        let tenant: UUID
        let slot: Int
        let json: String
        let at: Date
    }

    /// Six binds an answer; 400 stay far under both databases' limits.
    static let maxBatch = 400
    private let answers: GroupCommit<Pending, Bool>
    private let transactions: any Database
    private let executor: (any TaskExecutor)?

    init(server: any Database, dedicated: DedicatedDatabase?) {
        let own = dedicated?.db ?? server
        answers = GroupCommit(maxBatch: Self.maxBatch, executor: dedicated?.executor) { batch in
            try await Self.write(batch, on: own)
        }
        transactions = own
        executor = dedicated?.executor
    }

    /// The database quiz transactions write on (progress included).
    var database: any Database { transactions }

    /// Saves an answer with the next batch: false when its attempt was not open.
    func save(_ pending: Pending) async throws -> Bool { try await answers.submit(pending) }

    /// Runs `body` with the database quiz transactions write on, on that database's own event
    /// loop when it has one: every round trip of `body` lands there.
    func run<T: Sendable>(_ body: (any Database) async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(executor) { try await body(transactions) }
    }

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
    private struct QuizWriterKey: StorageKey { typealias Value = QuizWriter }

    /// The process's quiz writer (``Assessment/setUp(_:)`` makes it).
    var quizWriter: QuizWriter {
        guard let writer = storage[QuizWriterKey.self] else { fatalError("Assessment.setUp(app) was not called") }
        return writer
    }

    /// Makes the quiz writer, with a database of its own when the configured one allows it (the
    /// same location the server's pool was configured with, so it cannot fail here).
    func setUpQuizWriter() {
        let dedicated = try? DedicatedDatabase(gotong.database, name: "quiz", logger: logger, connections: 4)
        if let dedicated { lifecycle.use(DedicatedDatabaseLifecycle(database: dedicated)) }
        storage[QuizWriterKey.self] = QuizWriter(server: db, dedicated: dedicated)
    }
}
