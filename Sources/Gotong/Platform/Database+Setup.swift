import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

extension Application {
    /// Connects Fluent to the configured database: an SQLite file by default, PostgreSQL in production.
    func configureDatabase(_ location: GotongConfig.DatabaseLocation) throws {
        switch location {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1, sqlLogLevel: .trace), as: .sqlite)
        case .sqliteMemory:
            databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url):
            databases.use(
                try .postgres(url: url, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(30), sqlLogLevel: .trace),
                as: .psql
            )
        }
    }
}

extension Database {
    /// The SQLKit view of this database, for bulk writes and reports.
    public var sql: any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            preconditionFailure("Gotong only runs on SQL databases")
        }
        return sql
    }
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
    func useWriteAheadLog() async throws {
        guard isSQLite, let sql = self as? any SQLDatabase else { return }
        try await sql.raw("PRAGMA journal_mode = WAL").run()
    }

    var isSQLite: Bool { (self as? any SQLDatabase)?.dialect.name == "sqlite" }

    /// A transaction that reads and then writes rows other requests may write at the same time
    /// (seats of a course, say). It should take its row lock with its first statement.
    public func lockingTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard isSQLite else { return try await transaction(body) }
        await SQLiteWriteGate.shared.acquire()
        do {
            let result = try await withConnection { connection in
                // In WAL mode, NORMAL syncs at checkpoints rather than at every commit: a commit
                // is no longer an fsync, and the database stays consistent if the machine dies
                // (the last commits may be lost). The setting belongs to the connection, so it
                // is set on the one this transaction uses.
                try await connection.sql.raw("PRAGMA synchronous = NORMAL").run()
                return try await connection.transaction(body)
            }
            await SQLiteWriteGate.shared.release()
            return result
        } catch {
            await SQLiteWriteGate.shared.release()
            throw error
        }
    }
}
