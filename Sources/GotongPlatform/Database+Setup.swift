import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

extension Application {
    /// Connects Fluent to the configured database: an SQLite file by default, PostgreSQL in production.
    package func configureDatabase(_ location: GotongConfig.DatabaseLocation) throws {
        if case .sqlite(let path) = location {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        }
        if location.isSQLite {
            // SQLite's statements run on the thread pool, and a statement that finds the file
            // locked waits on its thread. With a pool larger than the connections (one per event
            // loop), the connection holding the lock always finds a thread to finish on; Vapor's
            // default two-thread pool could be filled by waiters and nothing moved until the wait
            // gave up.
            threadPool = Self.sqliteThreadPool
            // Close the connections before the rest of the application's storage goes.
            lifecycle.use(DatabasesShutDownFirst())
        }
        let (factory, id) = try Self.databaseConfiguration(location, connectionsPerEventLoop: location.isSQLite ? 1 : 4)
        databases.use(factory, as: id)
    }

    /// One pool for the process, never shut down. A connection still in use when its
    /// application shut down is closed when it is handed back, on this pool; a pool of the
    /// application's own was gone by then, the close failed, and SQLite's driver trapped on the
    /// unclosed connection (in debug builds, where the tests run).
    static let sqliteThreadPool = NIOThreadPool._makePerpetualStartedPool(
        numberOfThreads: max(8, System.coreCount * 2 + 2), threadNamePrefix: "gotong-sqlite-")

    static func databaseConfiguration(
        _ location: GotongConfig.DatabaseLocation, connectionsPerEventLoop: Int
    ) throws
        -> (DatabaseConfigurationFactory, DatabaseID)
    {
        switch location {
        case .sqlite(let path):
            // The same 30 s wait for a connection as PostgreSQL: SQLite's default of 10 s ran out
            // while dozens of servers in one test process seeded their databases at once.
            (
                .sqlite(
                    .file(path), maxConnectionsPerEventLoop: connectionsPerEventLoop,
                    connectionPoolTimeout: .seconds(30), sqlLogLevel: .trace), .sqlite
            )
        case .sqliteMemory:
            (.sqlite(.memory, sqlLogLevel: .trace), .sqlite)
        case .postgres(let url):
            (
                try .postgres(
                    url: url, maxConnectionsPerEventLoop: connectionsPerEventLoop, connectionPoolTimeout: .seconds(30),
                    sqlLogLevel: .trace), .psql
            )
        }
    }
}

extension GotongConfig.DatabaseLocation {
    var isSQLite: Bool {
        switch self {
        case .sqlite, .sqliteMemory: true
        case .postgres: false
        }
    }
}

/// A connection pool of its own for one busy writer, on an event loop and a thread of its own.
/// The heartbeat writer makes several round trips per batch; on the server's event loops each
/// one waits its turn behind the web requests those loops are busy with, which made a batch
/// take ten times its work. Here nothing else runs. An in-memory SQLite database cannot be
/// shared between pools, so there the writer uses the server's pool.
package final class DedicatedDatabase: Sendable {
    let eventLoop: any EventLoop
    /// Runs a task's code on ``eventLoop``: a task that prefers it does all its database round
    /// trips there, continuation after continuation.
    package let executor: EventLoopTaskExecutor
    private let group: MultiThreadedEventLoopGroup
    private let threadPool: NIOThreadPool
    private let databases: Databases
    private let logger: Logger

    /// `connections`: one for a writer that writes one batch at a time; more on PostgreSQL for
    /// one whose transactions may run side by side (SQLite writes one at a time anyway).
    package init?(
        _ location: GotongConfig.DatabaseLocation, name: String, logger: Logger, connections: Int = 1
    ) throws {
        guard location != .sqliteMemory else { return nil }
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        eventLoop = group.next()
        executor = EventLoopTaskExecutor(eventLoop)
        // Its own thread too: SQLite's busy handler spins on a pool thread while another
        // connection writes, and must never take the thread the writer needs.
        threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        databases = Databases(threadPool: threadPool, on: group)
        let (factory, id) = try Application.databaseConfiguration(
            location, connectionsPerEventLoop: location.isSQLite ? 1 : max(1, connections))
        databases.use(factory, as: id)
        if location.isSQLite { SQLiteInOrder.add(eventLoop) }
        var logger = logger
        logger[metadataKey: "database"] = "\(name)"
        self.logger = logger
    }

    package var db: any Database {
        guard let db = databases.database(logger: logger, on: eventLoop) else {
            preconditionFailure("dedicated database not configured")
        }
        return db
    }

    func shutdown() async {
        SQLiteInOrder.remove(eventLoop)
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
        try? await group.shutdownGracefully()
    }
}

/// A task executor that runs jobs on one NIO event loop.
package final class EventLoopTaskExecutor: TaskExecutor, Sendable {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// Closes the databases' connections before the application's storage (and the thread pool
/// that runs SQLite's work) is shut down. Registered first, so it runs after every other
/// handler (the job worker, the heartbeat writer) has stopped; Fluent's own shutdown later
/// finds nothing left to close.
struct DatabasesShutDownFirst: LifecycleHandler {
    func shutdown(_ application: Application) {
        application.databases.shutdown()
    }

    func shutdownAsync(_ application: Application) async {
        await application.databases.shutdownAsync()
    }
}

/// Shuts a dedicated database down with the application.
package struct DedicatedDatabaseLifecycle: LifecycleHandler {
    let database: DedicatedDatabase

    package init(database: DedicatedDatabase) {
        self.database = database
    }

    package func shutdownAsync(_ application: Application) async {
        await database.shutdown()
    }
}

extension Request {
    private struct DatabaseKey: StorageKey { typealias Value = any Database }

    /// The request's database handle, made once. Fluent's `db` makes a new handle on every
    /// read (the configuration, the connection pool and the history settings looked up
    /// again), about 10 µs each, and a signed-in page read it five to ten times
    /// (docs/performance.md). The handle holds no connection: each statement takes one from
    /// the pool, as before. Made with the request's logger as it is at the first read.
    public var database: any Database { once(DatabaseKey.self) { $0.db } }
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
