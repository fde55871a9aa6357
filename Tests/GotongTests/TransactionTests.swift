import Fluent
import Foundation
import SQLKit
import Synchronization
import Testing
import Vapor
@testable import GotongPlatform

/// The writing transactions every module uses: one writer in at a time on SQLite, statements
/// that run in the order sent, and nothing kept of a transaction that failed anywhere, also
/// where SQLite's statements are sent together (a dedicated database, ``SQLiteInOrder``).
@Suite("Transactions")
struct TransactionTests {
    @Test func theWriteGateLetsOneWriterInAtATime() async {
        let gate = SQLiteWriteGate()
        let tally = Tally()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<300 {
                group.addTask {
                    await gate.acquire()
                    let now = tally.inside.withLock {
                        $0 += 1; return $0
                    }
                    tally.most.withLock { $0 = max($0, now) }
                    await Task.yield()
                    tally.inside.withLock { $0 -= 1 }
                    tally.done.withLock { $0 += 1 }
                    gate.release()
                }
            }
        }
        #expect(tally.most.withLock { $0 } == 1)
        #expect(tally.done.withLock { $0 } == 300)
        // Free again once everyone is through.
        await gate.acquire()
        gate.release()
    }

    @Test(arguments: TestDatabase.all)
    func aDedicatedDatabaseRunsInOrderAndKeepsNothingOfAFailedTransaction(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            try await app.db.sql.raw("CREATE TABLE probe (n INTEGER PRIMARY KEY)").run()
            let dedicated = try #require(try DedicatedDatabase(app.gotong.database, name: "probe", logger: app.logger))
            let own = dedicated.db
            #expect(SQLiteInOrder.contains(own.eventLoop) == (db == .sqlite))

            // A read sees the statement sent before it.
            let seen = try await own.pipelinedTransaction(
                turn: 7, reading: ["INSERT INTO probe (n) VALUES (1)", "SELECT count(*) AS c FROM probe"]
            ) { rows in ([], try rows[1][0].decode(column: "c", as: Int.self)) }
            #expect(seen == 1)

            // A failed write: neither the write before it nor the one after is kept.
            await #expect(throws: (any Error).self) {
                try await own.pipelinedTransaction(turn: 7, reading: []) { _ in
                    (
                        [
                            "INSERT INTO probe (n) VALUES (2)", "INSERT INTO probe (n) VALUES (1)",
                            "INSERT INTO probe (n) VALUES (3)",
                        ], ()
                    )
                }
            }
            // A failed read: nothing written, and the writes never sent.
            await #expect(throws: (any Error).self) {
                try await own.pipelinedTransaction(
                    turn: 7,
                    reading: [
                        "INSERT INTO probe (n) VALUES (4)", "SELECT n FROM nowhere", "INSERT INTO probe (n) VALUES (5)",
                    ]
                ) { _ in (["INSERT INTO probe (n) VALUES (6)"], ()) }
            }
            // A failed body of a locking transaction: its first write is not kept either.
            await #expect(throws: (any Error).self) {
                try await own.lockingTransaction { tx in
                    try await tx.sql.raw("INSERT INTO probe (n) VALUES (7)").run()
                    try await tx.sql.raw("INSERT INTO probe (n) VALUES (1)").run()
                }
            }

            // The connection is out of any transaction: a new one writes and commits.
            try await own.lockingTransaction { tx in try await tx.sql.raw("INSERT INTO probe (n) VALUES (8)").run() }
            let left = try await app.db.sql.raw("SELECT n FROM probe ORDER BY n").all().map {
                try $0.decode(column: "n", as: Int.self)
            }
            #expect(left == [1, 8])
            await dedicated.shutdown()
        }
    }

    /// Writers inside the gate now, the most there ever were, and those through.
    final class Tally: Sendable {
        let inside = Mutex(0)
        let most = Mutex(0)
        let done = Mutex(0)
    }
}
