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
            guard let admin = ProcessInfo.processInfo.environment["GOTONG_TEST_POSTGRES_URL"] else {
                throw TestSetupError("GOTONG_TEST_POSTGRES_URL is not set: run ./scripts/test, or set GOTONG_TEST_SQLITE_ONLY=1 for SQLite only")
            }
            let name = "gotong_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            try await PostgresAdmin.createDatabase(name, adminURL: admin)
            guard var components = URLComponents(string: admin) else { throw TestSetupError("bad GOTONG_TEST_POSTGRES_URL") }
            components.path = "/" + name
            return .postgres(url: components.string!)
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Creates per-test PostgreSQL databases through a short-lived admin application.
enum PostgresAdmin {
    static func createDatabase(_ name: String, adminURL: String) async throws {
        let admin = try await Application.make(.testing)
        do {
            admin.databases.use(try .postgres(url: adminURL), as: .psql)
            try await (admin.db as! any SQLDatabase).raw("CREATE DATABASE \(unsafeRaw: name)").run()
        } catch {
            try? await admin.asyncShutdown()
            throw error
        }
        try await admin.asyncShutdown()
    }
}

/// Runs `body` with a migrated Gotong application on a fresh database of `database`, with mail
/// kept in memory.
func withGotong(
    _ database: TestDatabase, seedDemo: Bool = false,
    _ body: (Application, MemoryMailer) async throws -> Void
) async throws {
    let app = try await Application.make(.testing)
    let mailer = MemoryMailer()
    do {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("gotong-tests/files-\(UUID().uuidString)").path
        let config = GotongConfig(database: try await database.freshLocation(), baseURL: "http://gotong.test", dataDirectory: dataDir)
        try await configure(app, config: config)
        app.mailer = mailer
        try await app.autoMigrate()
        if seedDemo {
            try await DemoData.seed(app, password: TestData.password)
        }
        try await body(app, mailer)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

/// Runs `body` with an application configured on `database` but not migrated: for tests of
/// routing and start-up that need no tables.
func withConfiguredApp(_ database: GotongConfig.DatabaseLocation = .sqliteMemory, _ body: (Application) async throws -> Void) async throws {
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
}
