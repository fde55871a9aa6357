import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongPlatform

/// A database made by an earlier release is brought up to date, not migrated a second time.
@Suite("Migration names")
struct MigrationNameTests {
    /// The names the release at `80b7cb6` (one `Gotong` target) recorded. Once a database holds a
    /// name it must never change: a renamed migration runs again on tables that exist.
    static let released = [
        "Gotong.CreateTenants", "Gotong.CreateTenantContent", "Gotong.CreateMasterTemplate", "Gotong.CreateIdentity",
        "Fluent.SessionRecord.Create", "Gotong.CreateAuditEntries", "Gotong.CreatePeopleImports",
        "Gotong.CreateCatalog", "Gotong.CreateNotifications", "Gotong.AddCourseSequential",
        "Gotong.CreateTemplateCourses", "Gotong.CreatePlatformSecrets", "Gotong.CreateLearning",
        "Gotong.CreateReminders", "Gotong.CreateForums",
    ]

    @Test func aModulesNameBecomesTheStableOneAndOthersStay() {
        #expect(RecordedMigrations.stableName("GotongTenancy.CreateTenants") == "Gotong.CreateTenants")
        #expect(RecordedMigrations.stableName("GotongLearning.Outer.Inner") == "Gotong.Outer.Inner")
        #expect(RecordedMigrations.stableName("Gotong.CreateTenants") == "Gotong.CreateTenants")
        #expect(RecordedMigrations.stableName("Fluent.SessionRecord.Create") == "Fluent.SessionRecord.Create")
        #expect(RecordedMigrations.stableName("NoDot") == "NoDot")
    }

    @Test(arguments: TestDatabase.all)
    func aFreshDatabaseRecordsTheReleasedNames(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let recorded = try await MigrationLog.query(on: app.db).all().map(\.name)
            for name in Self.released { #expect(recorded.contains(name), "\(name) is not recorded") }
            #expect(recorded.allSatisfy { $0.hasPrefix("Gotong.") || $0.hasPrefix("Fluent.") }, "\(recorded)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func namesRecordedUnderAModuleAreAdoptedNotRunAgain(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a database whose log names each migration by the module that held it then
            let before = try await MigrationLog.query(on: app.db).sort(\.$name).all().map(\.name)
            let moved = try await MigrationLog.query(on: app.db).filter(\.$name ~~ "Gotong.").all()
            for log in moved {
                log.name = log.name.replacingOccurrences(of: "Gotong.", with: "GotongCatalog.")
                try await log.update(on: app.db)
            }
            #expect(!moved.isEmpty)

            // when the server starts again (twice), then nothing runs again and the names are back
            try await app.migrateDatabase()
            try await app.migrateDatabase()
            let after = try await MigrationLog.query(on: app.db).sort(\.$name).all().map(\.name)
            #expect(after == before)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aMigrationTheLogLacksStillRuns(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a database from before the last migration (its log row and its column gone)
            let last = "Gotong.AddNotificationRoute"
            try #require(try await MigrationLog.query(on: app.db).filter(\.$name == last).count() == 1)
            try await MigrationLog.query(on: app.db).filter(\.$name == last).delete()
            try await AddNotificationRoute().revert(on: app.db)

            // when it is migrated, then the migration runs and is recorded once
            try await app.migrateDatabase()
            #expect(try await MigrationLog.query(on: app.db).filter(\.$name == last).count() == 1)
            _ = try await app.db.sql.raw("SELECT route FROM notifications").all()
        }
    }
}
