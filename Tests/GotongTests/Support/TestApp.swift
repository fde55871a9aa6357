import Fluent
import FluentPostgresDriver
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// The databases every database test runs on. PostgreSQL comes from `GOTONG_TEST_POSTGRES_URL`
/// (`./scripts/test` starts a throwaway server and sets it); without it the PostgreSQL cases fail
/// with a message saying so, unless `GOTONG_TEST_SQLITE_ONLY=1` is set for a quick local run.
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var all: [TestDatabase] {
        ProcessInfo.processInfo.environment["GOTONG_TEST_SQLITE_ONLY"] == "1" ? [.sqlite] : [.sqlite, .postgres]
    }

    /// A fresh, empty database location for one test.
    func freshLocation() async throws -> GotongConfig.DatabaseLocation {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gotong-tests", isDirectory: true)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return .sqlite(path: dir.appendingPathComponent("\(UUID().uuidString).sqlite").path)
        case .postgres:
            let name = Self.freshPostgresName()
            let location = try Self.postgresLocation(named: name)
            try await PostgresAdmin.run("CREATE DATABASE \(name)")
            return location
        }
    }

    static func freshPostgresName() -> String {
        "gotong_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    }

    /// The address of database `name` on the test server.
    static func postgresLocation(named name: String) throws -> GotongConfig.DatabaseLocation {
        guard let admin = ProcessInfo.processInfo.environment["GOTONG_TEST_POSTGRES_URL"] else {
            throw TestSetupError(
                """
                GOTONG_TEST_POSTGRES_URL is not set: run ./scripts/test, or set GOTONG_TEST_SQLITE_ONLY=1 for \
                SQLite only
                """
            )
        }
        guard var components = URLComponents(string: admin) else {
            throw TestSetupError("bad GOTONG_TEST_POSTGRES_URL")
        }
        components.path = "/" + name
        return .postgres(url: components.string!)
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Creates and drops per-test PostgreSQL databases through a short-lived admin application.
enum PostgresAdmin {
    /// Runs one statement (`CREATE`/`DROP DATABASE`, which take no binds) on the server's admin database.
    static func run(_ statement: String) async throws {
        guard let adminURL = ProcessInfo.processInfo.environment["GOTONG_TEST_POSTGRES_URL"] else {
            throw TestSetupError("GOTONG_TEST_POSTGRES_URL is not set")
        }
        let admin = try await Application.make(.testing)
        do {
            admin.databases.use(try .postgres(url: adminURL), as: .psql)
            try await (admin.db as! any SQLDatabase).raw("\(unsafeRaw: statement)").run()
        } catch {
            try? await admin.asyncShutdown()
            throw error
        }
        try await admin.asyncShutdown()
    }
}

/// Runs `body` with a migrated Gotong application on a fresh database of `database`, with mail
/// kept in memory. The database is a copy of one migrated (and, with `seedDemo`, seeded)
/// template made once per test process (``DatabaseTemplates``), and is dropped afterwards.
func withGotong(
    _ database: TestDatabase, seedDemo: Bool = false, activityTypes: [any ActivityType] = [],
    _ body: (Application, MemoryMailer) async throws -> Void
) async throws {
    try await AppSlots.turn(for: database) {
        try await runGotong(database, seedDemo: seedDemo, activityTypes: activityTypes, body)
    }
}

/// Test applications on PostgreSQL take turns: the whole suite starts at once, each application
/// opens up to thirteen connections (its pools on two event loops, the quiz writer's and the
/// heartbeats' own), and the test script's server takes 600. Past that, sign-ins failed with
/// "too many clients" in whichever tests came last. A test inside another's turn (a nested
/// application) runs in it.
actor AppSlots {
    static let postgres = AppSlots(limit: 32)
    @TaskLocal static var holding = false

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = limit }

    static func turn<T>(for database: TestDatabase, _ body: () async throws -> T) async throws -> T {
        guard database == .postgres, !holding else { return try await body() }
        await postgres.acquire()
        do {
            let result = try await $holding.withValue(true) { try await body() }
            await postgres.release()
            return result
        } catch {
            await postgres.release()
            throw error
        }
    }

    private func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

private func runGotong(
    _ database: TestDatabase, seedDemo: Bool, activityTypes: [any ActivityType],
    _ body: (Application, MemoryMailer) async throws -> Void
) async throws {
    let location = try await DatabaseTemplates.shared.copy(of: database, seedDemo: seedDemo)
    let app = try await Application.make(.testing)
    let mailer = MemoryMailer()
    do {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gotong-tests/files-\(UUID().uuidString)"
        ).path
        let config = GotongConfig(
            database: location, baseURL: "http://gotong.test", dataDirectory: dataDir,
            credentialsKey: TestData.credentialsKey)
        try await configure(app, config: config, activityTypes: activityTypes)
        app.mailer = mailer
        // Nothing to do on a copy of the template; kept so a test that adds a migration runs it.
        try await app.migrateDatabase()
        try await body(app, mailer)
    } catch {
        try? await app.asyncShutdown()
        await DatabaseTemplates.discard(location)
        throw error
    }
    try await app.asyncShutdown()
    await DatabaseTemplates.discard(location)
}

/// Migrated databases, with and without the demo, made once per test process and copied for
/// each test: migrating and seeding (with its password hashing) took most of a test's time.
/// PostgreSQL copies with `CREATE DATABASE … TEMPLATE`, SQLite copies the file.
actor DatabaseTemplates {
    static let shared = DatabaseTemplates()

    private struct Key: Hashable {
        let database: TestDatabase
        let seedDemo: Bool
    }

    private var templates: [Key: Task<GotongConfig.DatabaseLocation, any Error>] = [:]

    /// A new database with the template's content.
    func copy(of database: TestDatabase, seedDemo: Bool) async throws -> GotongConfig.DatabaseLocation {
        let key = Key(database: database, seedDemo: seedDemo)
        let task = templates[key] ?? Task { try await Self.makeTemplate(database, seedDemo: seedDemo) }
        templates[key] = task
        let template = try await task.value
        switch template {
        case .sqlite(let path):
            let copy = try await database.freshLocation()
            guard case .sqlite(let target) = copy else { throw TestSetupError("not a SQLite location") }
            try FileManager.default.copyItem(atPath: path, toPath: target)
            return copy
        case .postgres(let url):
            let name = TestDatabase.freshPostgresName()
            try await PostgresAdmin.run("CREATE DATABASE \(name) TEMPLATE \(Self.databaseName(url))")
            return try TestDatabase.postgresLocation(named: name)
        default:
            throw TestSetupError("no template for \(template)")
        }
    }

    /// Deletes a test's database (PostgreSQL keeps every database until dropped).
    static func discard(_ location: GotongConfig.DatabaseLocation) async {
        switch location {
        case .postgres(let url):
            try? await PostgresAdmin.run("DROP DATABASE IF EXISTS \(databaseName(url)) WITH (FORCE)")
        case .sqlite(let path):
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        default: break
        }
    }

    private static func makeTemplate(
        _ database: TestDatabase, seedDemo: Bool
    ) async throws -> GotongConfig.DatabaseLocation {
        let location = try await database.freshLocation()
        let app = try await Application.make(.testing)
        do {
            let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "gotong-tests/files-\(UUID().uuidString)"
            ).path
            try await configure(
                app,
                config: GotongConfig(
                    database: location, baseURL: "http://gotong.test", dataDirectory: dataDir,
                    credentialsKey: TestData.credentialsKey))
            app.jobs.startsWorker = false
            app.mailer = MemoryMailer()
            try await app.migrateDatabase()
            if seedDemo { try await DemoData.seed(app, password: TestData.password) }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        // Closed before copying: PostgreSQL copies no database that has connections, and
        // SQLite writes its journal back into the file on close.
        try await app.asyncShutdown()
        return location
    }

    private static func databaseName(_ url: String) -> String {
        String(url.split(separator: "/").last ?? "")
    }
}

/// Runs `body` with an application configured on `database` but not migrated: for tests of
/// routing and start-up that need no tables.
func withConfiguredApp(
    _ database: GotongConfig.DatabaseLocation = .sqliteMemory, _ body: (Application) async throws -> Void
) async throws {
    let app = try await Application.make(.testing)
    do {
        try await configure(app, config: GotongConfig(database: database))
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

enum TestData {
    static let password = "sandi-uji-2026"
    /// The key that seals channel keys in the tests (GOTONG_CREDENTIALS_KEY), made per run.
    static let credentialsKey = Data((0..<32).map { _ in UInt8.random(in: 0...255) })
}
