import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Many writers of every kind at once, as a busy server has them: none may wait forever or
/// fail for another's lock. On SQLite (one writer at a time) this is where a busy handler that
/// spins on the thread pool used to starve the connection holding the lock.
@Suite("Concurrent writes")
struct ConcurrentWritesTests {
    /// Three servers in one process at once (as the test run has them), each with 64 writers.
    @Test(arguments: TestDatabase.all)
    func sixtyFourWritersOfEveryKindAllFinish(db: TestDatabase) async throws {
        try await withThrowingTaskGroup(of: Void.self) { servers in
            for _ in 0..<3 { servers.addTask { try await Self.sixtyFourWriters(db) } }
            try await servers.waitForAll()
        }
    }

    static func sixtyFourWriters(_ db: TestDatabase) async throws {
        // The demo's people and courses: writes spread over many rows, as in production.
        try await withGotong(db, seedDemo: true) { app, _ in
            // setup: learners, courses and a progress ticket to write with
            let people = try await Person.query(on: app.db).limit(16).all()
            let courses = try await Course.query(on: app.db).filter(\.$status == .published).all()
            let f = try await LearningTests.fixture(Given(app))
            let topic = try await LearningTests.section(f, "Topik 1")
            let page = try await LearningTests.activity(
                f, section: topic, ["type": "page", "title": "Bacaan", "settings": ["body": "Teks."]])
            let text = try #require(
                try await f.learner.call(.GET, "/api/v1/activities/\(page)")["progress_ticket"] as? String)
            let ticket = try #require(
                ProgressTicket.verify(text, with: try await app.secretKeys.key(ProgressTicket.keyName, on: app.db)))
            let auditsBefore = try await AuditEntry.query(on: app.db).count()
            let started = ContinuousClock.now

            // MUT: 64 writers at once — plain inserts, Fluent transactions, locking transactions
            // (seat counts), heartbeat batches, raw updates and job claims
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<64 {
                    group.addTask {
                        switch i % 6 {
                        case 0:
                            try await AuditEntry(
                                tenantID: nil, actorID: nil, actorName: "uji", action: "test.write", subject: "\(i)",
                                detail: "", ip: ""
                            ).create(on: app.db)
                        case 1:
                            try await app.db.transaction { tx in
                                try await Notifier.record(
                                    [
                                        .init(
                                            personID: try people[i % people.count].requireID(), tenantID: nil,
                                            key: "notify.submitted", args: ["course": "\(i)"],
                                            route: CatalogRoute.myCourses)
                                    ], on: tx)
                            }
                        case 2:
                            _ = try await app.db.lockingTransaction { tx in
                                try await tx.sql.raw(
                                    """
                                    UPDATE courses SET enrolled_count = enrolled_count + 0 WHERE id = \
                                    \(bind: try courses[i % courses.count].requireID())
                                    """
                                ).run()
                            }
                        case 3:
                            let beat = Heartbeat(
                                ticket: ticket, tab: "tab-\(i)", seq: 1, seconds: 30, video: nil,
                                at: Date().addingTimeInterval(30))
                            _ = try await HeartbeatRecorder.write([beat], types: app.learning.types, on: app.db)
                        case 4:
                            try await app.db.sql.raw("UPDATE tenants SET name = name WHERE slug = 'bps'").run()
                        default:
                            await JobQueue.runDue(app, limit: 2)
                        }
                    }
                }
                try await group.waitForAll()
            }

            // validate: every write landed, well inside the pool's 30 s wait
            #expect(try await AuditEntry.query(on: app.db).count() == auditsBefore + 11)
            #expect(ContinuousClock.now - started < .seconds(60))
        }
    }
}
