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
///
/// A lock, not an actor: a free gate is taken where the caller runs. As an actor every turn
/// hopped to the shared pool and back, twice, and the writers of a post-test (on a loop of
/// their own, ``DedicatedDatabase``) waited for those threads behind the web's work.
final class SQLiteWriteGate: Sendable {
    static let shared = SQLiteWriteGate()

    private struct State {
        var busy = false
        var waiters = CircularBuffer<CheckedContinuation<Void, Never>>()
    }

    private let state = Mutex(State())

    func acquire() async {
        let taken = state.withLock { state in
            if state.busy { return false }
            state.busy = true
            return true
        }
        if taken { return }
        await withCheckedContinuation { waiter in
            // Freed in between: taken now; else the next release hands the turn over.
            let taken = state.withLock { state in
                if !state.busy {
                    state.busy = true
                    return true
                }
                state.waiters.append(waiter)
                return false
            }
            if taken { waiter.resume() }
        }
    }

    /// Hands the turn to the longest waiter, or frees the gate.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}

/// The event loops whose SQLite statements run in the order they are sent: a
/// ``DedicatedDatabase``'s, with one connection and one thread. There a transaction's
/// statements can be sent together (``SQLDatabase/pipeline(_:writing:)``), as on PostgreSQL, and wait
/// once instead of once each: every statement is a trip to the thread and back, and on a busy
/// server each trip waited for a core.
enum SQLiteInOrder {
    private static let loops = Mutex(Set<ObjectIdentifier>())

    static func add(_ loop: any EventLoop) { _ = loops.withLock { $0.insert(ObjectIdentifier(loop)) } }
    static func remove(_ loop: any EventLoop) { _ = loops.withLock { $0.remove(ObjectIdentifier(loop)) } }
    static func contains(_ loop: any EventLoop) -> Bool { loops.withLock { $0.contains(ObjectIdentifier(loop)) } }
}

extension Database {
    /// Puts an SQLite file in write-ahead-log mode (readers never wait for the writer; the
    /// setting stays with the file). Nothing to do on PostgreSQL.
    package func useWriteAheadLog() async throws {
        guard isSQLite, let sql = self as? any SQLDatabase else { return }
        try await sql.raw("PRAGMA journal_mode = WAL").run()
    }

    package var isSQLite: Bool { (self as? any SQLDatabase)?.isSQLite ?? false }

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
            try await WriteTurn.$connection.withValue(connection) { try await connection.inTransaction(body) }
        }
    }

    /// The settings of a writing SQLite connection (they stay with it): commits synced at
    /// checkpoints, and a wait for the lock that sleeps with back-off and gives up after 10 s
    /// (sqlite-nio's own busy handler retries at once, forever, holding a pool thread).
    static var sqliteWriteSettings: [SQLQueryString] { [sqliteCommitSync, "PRAGMA busy_timeout = 10000"] }

    /// How a writing transaction starts on SQLite: the settings, then the write lock, taken at
    /// BEGIN (a transaction that read first and then found another writer's newer commit could
    /// not write at all: SQLITE_BUSY_SNAPSHOT).
    static var sqliteOpening: [SQLQueryString] { sqliteWriteSettings + ["BEGIN IMMEDIATE"] }

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
            SQLiteWriteGate.shared.release()
            return result
        } catch {
            SQLiteWriteGate.shared.release()
            throw error
        }
    }

    /// A read-then-write transaction in three waits, however many statements it has: `BEGIN`
    /// and the `reads` are sent together and their rows come back together (one list per
    /// read); `decide` turns the rows into the statements to write (and the caller's result)
    /// without touching the database; the writes are sent together; then `COMMIT`, or
    /// `ROLLBACK` when anything failed. This is for the hottest writes (heartbeats, hand-ins).
    /// The connection runs the statements in order, so each still sees what the previous ones
    /// did. On SQLite `BEGIN` is a wait of its own, the reads are sent together only where
    /// they run in order, and the writes one after another (``SQLDatabase/pipeline(_:writing:)``):
    /// a read list may start with a write, but no write may follow another statement in it.
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
            _ = try await open.sql.pipeline(writes, writing: true)
            return result
        }
        return try await withWriteConnection { connection in
            let sql = connection.sql
            do {
                let rows: [[any SQLRow]]
                if connection.isSQLite {
                    // Apart: sent with the reads, a failed BEGIN would leave them running
                    // outside a transaction (SQLite goes on after a failed statement).
                    _ = try await sql.pipeline(Self.sqliteOpening)
                    rows = try await sql.pipeline(reads)
                } else {
                    // PostgreSQL fails every statement after a failed one in a transaction.
                    let opening: [SQLQueryString] = ["BEGIN", "SELECT pg_advisory_xact_lock(\(literal: turn))"]
                    rows = Array(try await sql.pipeline(opening + reads).dropFirst(opening.count))
                }
                let (writes, result) = try decide(rows)
                // COMMIT apart, for the same reason: only once every write succeeded.
                _ = try await sql.pipeline(writes, writing: true)
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
        do {
            _ = try await sql.pipeline(isSQLite ? Self.sqliteOpening : ["BEGIN"])
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
    /// On SQLite, sqlite-nio hands each statement to the thread pool on its own: with more
    /// than one thread they could run out of order (a BEGIN overtaking the PRAGMA before it),
    /// so they are run one after another, except on a connection whose statements run in
    /// order (``SQLiteInOrder``). Unlike PostgreSQL in a transaction, SQLite runs the
    /// statements after a failed one, and some failures (a full disk, an I/O error) roll the
    /// whole transaction back first, so what was sent after them would run on its own and be
    /// kept. So on SQLite only reads go together (a first statement may write: nothing that
    /// follows it writes), and `writing` statements wait for each other.
    func pipeline(_ queries: [SQLQueryString], writing: Bool = false) async throws -> [[any SQLRow]] {
        guard !queries.isEmpty else { return [] }
        if isSQLite, writing || !SQLiteInOrder.contains(eventLoop) {
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
