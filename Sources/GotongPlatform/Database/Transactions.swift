import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import Synchronization

/// The connection of the writing transaction the current task is in, if any.
enum WriteTurn {
    @TaskLocal static var connection: (any Database)?
}

/// Serialises read-then-write transactions on SQLite. SQLite has one writer at a time, and two
/// deferred transactions that both read before writing can deadlock (one gets SQLITE_BUSY), so
/// on the embedded default such transactions queue in-process. PostgreSQL needs no gate: its
/// row locks do the work.
actor SQLiteWriteGate {
    static let shared = SQLiteWriteGate()
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}

extension Database {
    /// Puts an SQLite file in write-ahead-log mode (readers never wait for the writer; the
    /// setting stays with the file). Nothing to do on PostgreSQL.
    package func useWriteAheadLog() async throws {
        guard isSQLite, let sql = self as? any SQLDatabase else { return }
        try await sql.raw("PRAGMA journal_mode = WAL").run()
    }

    var isSQLite: Bool { (self as? any SQLDatabase)?.isSQLite ?? false }

    /// Inside a ``lockingTransaction(_:)``: waits for the turn `turn` names, so the rest of the
    /// transaction runs between, never beside, the ``pipelinedTransaction(turn:reading:then:)``
    /// transactions of that turn (on SQLite the write gate already did).
    package func takeTurn(_ turn: Int64) async throws {
        guard !isSQLite, let sql = self as? any SQLDatabase else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: turn))").run()
    }

    /// A transaction that reads and then writes rows other requests may write at the same time
    /// (seats of a course, say). It should take its row lock with its first statement.
    ///
    /// The body runs in the caller's task, on one connection held for it, between `BEGIN` and
    /// `COMMIT` (or `ROLLBACK` when it throws). Fluent's own `transaction` starts a new task for
    /// the body, which loses the caller's executor (the heartbeat writer keeps its round trips
    /// on a loop of its own) and waits for a turn on a busy server.
    ///
    /// This is the one path of every writing transaction in Gotong (Fluent's `transaction` is
    /// not used): on SQLite the write gate gives writers their turn in the process, so two
    /// transactions never hold or wait for the file's lock at once. Called again inside the
    /// body (a service that writes, called from another's transaction), it joins the
    /// transaction already open instead of waiting for the gate its own task holds.
    public func lockingTransaction<T: Sendable>(
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        if let open = WriteTurn.connection { return try await body(open) }
        return try await withWriteConnection { connection in
            if connection.isSQLite { _ = try await connection.sql.pipeline(Self.sqliteWriteSettings) }
            return try await WriteTurn.$connection.withValue(connection) { try await connection.inTransaction(body) }
        }
    }

    /// The settings of a writing SQLite connection (they stay with it): commits synced at
    /// checkpoints, and a wait for the lock that sleeps with back-off and gives up after 10 s
    /// (sqlite-nio's own busy handler retries at once, forever, holding a pool thread).
    static var sqliteWriteSettings: [SQLQueryString] { [sqliteCommitSync, "PRAGMA busy_timeout = 10000"] }

    /// In WAL mode, NORMAL syncs at checkpoints rather than at every commit: a commit is no
    /// longer an fsync, and the database stays consistent if the machine dies (the last
    /// commits may be lost). The setting belongs to the connection, so it is set on the one a
    /// writing transaction uses.
    static var sqliteCommitSync: SQLQueryString { "PRAGMA synchronous = NORMAL" }

    /// One held connection for a read-then-write transaction; on SQLite, after the others'
    /// turn (``SQLiteWriteGate``).
    private func withWriteConnection<T: Sendable>(_ body: @Sendable (any Database) async throws -> T) async throws -> T
    {
        guard isSQLite else { return try await withHeldConnection(body) }
        await SQLiteWriteGate.shared.acquire()
        do {
            let result = try await withHeldConnection(body)
            await SQLiteWriteGate.shared.release()
            return result
        } catch {
            await SQLiteWriteGate.shared.release()
            throw error
        }
    }

    /// A read-then-write transaction in three waits, however many statements it has: `BEGIN`
    /// and the `reads` are sent together and their rows come back together (one list per
    /// read); `decide` turns the rows into the statements to write (and the caller's result)
    /// without touching the database; the writes are sent together; then `COMMIT`, or
    /// `ROLLBACK` when anything failed. This is for the hottest write (heartbeats). The
    /// connection runs the statements in order, so each still sees what the previous ones did.
    ///
    /// Transactions with the same `turn` run one after another across server processes: on
    /// PostgreSQL each first takes that transaction-scoped advisory lock; on SQLite the write
    /// gate already makes every writing transaction wait its turn.
    package func pipelinedTransaction<T: Sendable>(
        turn: Int64, reading reads: [SQLQueryString],
        then decide: @escaping @Sendable ([[any SQLRow]]) throws -> (writes: [SQLQueryString], result: T)
    ) async throws -> T {
        if let open = WriteTurn.connection {
            // Inside another writing transaction: the statements join it (on SQLite it holds
            // the write gate, and waiting for it again would wait for ever); on PostgreSQL the
            // turn is taken in it, as a session may take an advisory lock it holds.
            try await open.takeTurn(turn)
            let rows = try await open.sql.pipeline(reads)
            let (writes, result) = try decide(rows)
            _ = try await open.sql.pipeline(writes)
            return result
        }
        return try await withWriteConnection { connection in
            let sql = connection.sql
            let opening: [SQLQueryString] =
                connection.isSQLite
                ? Self.sqliteWriteSettings + ["BEGIN IMMEDIATE"]
                : ["BEGIN", "SELECT pg_advisory_xact_lock(\(literal: turn))"]
            do {
                let rows = try await sql.pipeline(opening + reads).dropFirst(opening.count)
                let (writes, result) = try decide(Array(rows))
                _ = try await sql.pipeline(writes)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// `BEGIN`, the body, `COMMIT`; `ROLLBACK` and rethrow when the body throws. Call it on a
    /// single connection (see ``withHeldConnection(_:)``).
    private func inTransaction<T: Sendable>(_ body: @Sendable (any Database) async throws -> T) async throws -> T {
        // On SQLite the write lock is taken at BEGIN: a transaction that read first and then
        // found another writer's newer commit could not write at all (SQLITE_BUSY_SNAPSHOT).
        try await sql.raw(isSQLite ? "BEGIN IMMEDIATE" : "BEGIN").run()
        do {
            let result = try await body(self)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            // Also after a failed COMMIT: the connection goes back to the pool out of any
            // transaction.
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }

    /// Holds one pooled connection for the body, which runs in the caller's task (Fluent's
    /// async `withConnection` runs it in a new one). The connection goes back to the pool when
    /// the body ends, however it ends.
    func withHeldConnection<T: Sendable>(_ body: @Sendable (any Database) async throws -> T) async throws -> T {
        let finished = eventLoop.makePromise(of: Void.self)
        let connection: any Database = try await withCheckedThrowingContinuation { continuation in
            // The closure runs once a connection is free; the pool keeps it until `finished`
            // completes. `finished` only ever succeeds, so a failure here means no connection
            // was handed out and the continuation has not been resumed.
            withConnection { connection in
                continuation.resume(returning: connection)
                return finished.futureResult
            }.whenFailure { error in
                // No connection came (the pool timed out or is shutting down): the promise is
                // still ours to complete, or NIO reports it leaked.
                finished.succeed(())
                continuation.resume(throwing: error)
            }
        }
        defer { finished.succeed(()) }
        return try await body(connection)
    }
}

extension SQLDatabase {
    package var isSQLite: Bool { dialect.name == "sqlite" }

    /// Sends the statements one after another without waiting for each answer (the connection
    /// queues them in order) and waits once for all. Returns each statement's rows; throws the
    /// first failure once every statement has finished, so nothing is left running. Call it
    /// on a single connection: on a pool the statements could run on different ones.
    ///
    /// On SQLite the statements are run one after another: sqlite-nio hands each statement to
    /// the thread pool on its own, so with more than one thread they could run out of order
    /// (a BEGIN overtaking the PRAGMA before it). There is no network to save waits on anyway.
    func pipeline(_ queries: [SQLQueryString]) async throws -> [[any SQLRow]] {
        guard !queries.isEmpty else { return [] }
        if isSQLite {
            var results: [[any SQLRow]] = []
            for query in queries { results.append(try await raw(query).all()) }
            return results
        }
        let collected = queries.map { _ in NIOLockedValueBox<[any SQLRow]>([]) }
        let finished = zip(queries, collected).map { query, rows in
            execute(sql: query) { row in rows.withLockedValue { $0.append(row) } }
        }
        for result in try await EventLoopFuture.whenAllComplete(finished, on: eventLoop).get() {
            if case .failure(let error) = result { throw error }
        }
        return collected.map { $0.withLockedValue { $0 } }
    }
}
