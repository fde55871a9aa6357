import Fluent
import Foundation
import Logging
import NIOConcurrencyHelpers
import Vapor

/// Counts the SQL statements the requests of a test application run. SQLKit logs every
/// statement, Fluent's and hand-written ("Executing query", at the `sqlLogLevel` the
/// database is configured with: trace) through the logger of the database handle,
/// and `req.db` takes the request's logger, so each request is given a logger that writes
/// statements down instead of printing them. Work done on `app.db` outside a request's handle
/// is not counted.
final class QueryCounter: Sendable {
    private let statements = NIOLockedValueBox<[String]>([])

    init(_ app: Application) {
        app.middleware.use(CountingMiddleware(counter: self), at: .beginning)
    }

    /// The statements run while `body` ran, and what it returned.
    func count<T>(_ body: () async throws -> T) async rethrows -> (value: T, statements: [String]) {
        statements.withLockedValue { $0 = [] }
        let value = try await body()
        return (value, statements.withLockedValue { $0 })
    }

    /// A handle on the application's database whose statements are counted, for work done
    /// outside a request (a heartbeat batch is written on a connection of its own).
    func database(_ app: Application) throws -> any Database {
        var logger = Logger(label: "gotong.test.queries") { _ in CountingLogHandler(counter: self) }
        logger.logLevel = .trace
        guard let db = app.databases.database(logger: logger, on: app.eventLoopGroup.any()) else {
            throw TestSetupError("no database")
        }
        return db
    }

    fileprivate func record(_ sql: String) {
        statements.withLockedValue { $0.append(sql) }
    }

    private struct CountingMiddleware: AsyncMiddleware {
        let counter: QueryCounter

        func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            var logger = Logger(label: "gotong.test.queries") { _ in CountingLogHandler(counter: counter) }
            logger.logLevel = .trace
            req.logger = logger
            return try await next.respond(to: req)
        }
    }

    private struct CountingLogHandler: LogHandler {
        let counter: QueryCounter
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(
            level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
            file: String, function: String, line: UInt
        ) {
            if message.description == "Executing query", case .string(let sql)? = metadata?["sql"] {
                counter.record(sql)
            } else if level >= .warning {
                print("[\(level)] \(message)")
            }
        }
    }
}
