import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// The jobs table: work queued in the transaction that causes it survives the process, is
/// retried with back-off, and is visible to (and retried by) the platform administrator.
@Suite("Jobs")
struct JobsTests {
    /// An application on `location` whose worker does not start: jobs run only when a test says.
    static func app(_ location: GotongConfig.DatabaseLocation, files: String) async throws -> Application {
        let app = try await Application.make(.testing)
        do {
            try await configure(
                app, config: GotongConfig(database: location, baseURL: "http://gotong.test", dataDirectory: files))
            app.jobs.startsWorker = false
            app.mailer = MemoryMailer()
            try await app.migrateDatabase()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    @Test(arguments: TestDatabase.all)
    func aCourseFinishedByAHeartbeatIsRecordedAfterARestart(db: TestDatabase) async throws {
        // setup: a course whose only required activity asks for 30 s on it
        let location = try await db.freshLocation()
        let files = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gotong-tests/files-\(UUID().uuidString)"
        ).path
        let first = try await Self.app(location, files: files)
        let courseID: UUID, personID: UUID
        do {
            let f = try await LearningTests.fixture(Given(first))
            courseID = f.courseID
            let topic = try await LearningTests.section(f, "Topik 1")
            let page = try await LearningTests.activity(
                f, section: topic,
                [
                    "type": "page", "title": "Bacaan", "settings": ["body": "Teks."],
                    "completion": ["min_seconds": 30],
                ])
            let text = try #require(
                try await f.learner.call(.GET, "/api/v1/activities/\(page)")["progress_ticket"] as? String)
            let ticket = try #require(
                ProgressTicket.verify(text, with: try await first.secretKeys.key(ProgressTicket.keyName, on: first.db)))
            personID = ticket.personID

            // MUT: the beat that completes the activity commits; the process stops before any
            // worker looked at the queue
            let beat = Heartbeat(
                ticket: ticket, tab: "t", seq: 1, seconds: 30, video: nil, at: Date().addingTimeInterval(30))
            let (outcomes, _) = try await HeartbeatRecorder.write([beat], types: first.learning.types, on: first.db)
            #expect(outcomes.first?.completed == true)
            #expect(
                try await QueuedJob.query(on: first.db).filter(\.$kind == CourseCompletion.checkJob).filter(
                    \.$status == .pending
                ).count() == 1)
            #expect(try await Self.status(courseID, personID, on: first.db) == .enrolled)
        } catch {
            try? await first.asyncShutdown()
            throw error
        }
        try await first.asyncShutdown()

        // validate: the next process's worker records the completion
        let second = try await Self.app(location, files: files)
        second.clock = ServerClock.manual(Date().addingTimeInterval(60)).0
        do {
            #expect(await JobQueue.runDue(second) >= 1)
            #expect(try await Self.status(courseID, personID, on: second.db) == .completed)
            #expect(
                try await QueuedJob.query(on: second.db).filter(\.$kind == CourseCompletion.checkJob).first()?.status
                    == .done)
        } catch {
            try? await second.asyncShutdown()
            throw error
        }
        try await second.asyncShutdown()
    }

    static func status(_ course: UUID, _ person: UUID, on db: any Database) async throws -> Enrolment.Status? {
        try await Enrolment.query(on: db).filter(\.$courseID == course).filter(\.$personID == person).first()?.status
    }

    struct Flaky: Codable, Sendable { var note: String }

    @Test(arguments: TestDatabase.all)
    func aJobInHandWhenTheServerStopsFinishesAndIsRecorded(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given: a job that takes a moment, and the worker of a server that is running it
            app.jobs.startsWorker = false
            let (started, ended) = (NIOLockedValueBox(false), NIOLockedValueBox(false))
            app.jobs.register("test.slow", as: Flaky.self) { _, _ in
                started.withLockedValue { $0 = true }
                try await Task.sleep(for: .milliseconds(300))
                ended.withLockedValue { $0 = true }
            }
            try await JobQueue.enqueue("test.slow", Flaky(note: "x"), on: app.db, at: app.clock.now())
            try await JobQueue.enqueue("test.slow", Flaky(note: "y"), on: app.db, at: app.clock.now())
            app.jobs.startsWorker = true
            let worker = JobWorker(stopGrace: .seconds(600))
            try worker.didBoot(app)
            while !started.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }

            // when: the server stops
            await worker.shutdownAsync(app)

            // then: the job in hand ran to its end and is recorded done (not left running, to
            // run again after the restart); the next one was not taken
            #expect(ended.withLockedValue { $0 })
            let statuses = try await QueuedJob.query(on: app.db).filter(\.$kind == "test.slow").all().map(\.status)
            #expect(statuses.sorted { $0.rawValue < $1.rawValue } == [.done, .pending])
        }
    }

    @Test(arguments: TestDatabase.all)
    func failingJobsBackOffThenWaitForTheAdministrator(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: a job kind that always fails, and a clock the test moves
            app.jobs.startsWorker = false
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            let given = Given(app)
            let (operator_, learnerPerson) = (
                try await given.platformAdmin(), try await given.person(in: try await given.tenant())
            )
            try await QueuedJob.query(on: app.db).delete()  // anything the setup queued
            app.jobs.register("test.flaky", as: Flaky.self) { _, _ in
                throw Abort(.serviceUnavailable, reason: "relay down")
            }
            try await JobQueue.enqueue("test.flaky", Flaky(note: "x"), on: app.db, at: time.current)

            // MUT: the first try fails and waits 30 s; it is not due before then
            #expect(await JobQueue.runDue(app) == 1)
            var job = try #require(try await QueuedJob.query(on: app.db).filter(\.$kind == "test.flaky").first())
            #expect(job.status == .pending && job.attempts == 1 && job.lastError.contains("relay down"))
            #expect(abs(job.runAt.timeIntervalSince(time.current) - 30) < 1)
            #expect(await JobQueue.runDue(app) == 0)
            // Each later try waits longer, until the attempts run out.
            for _ in 2...JobQueue.maxAttempts {
                time.advance(3600)
                #expect(await JobQueue.runDue(app) == 1)
            }
            job = try #require(try await QueuedJob.find(job.id, on: app.db))
            #expect(job.status == .failed && job.attempts == JobQueue.maxAttempts)

            // validate: the platform administrator sees it and retries it
            let admin = try await given.browser(signedInAs: operator_)
            let page = try await admin.get("/admin/tugas")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("test.flaky") && page.body.string.contains("relay down"))
            let learner = try await given.browser(signedInAs: learnerPerson)
            #expect(try await learner.get("/admin/tugas").status == .forbidden)
            #expect(try await learner.post("/admin/tugas/\(job.id!)/ulang").status == .forbidden)
            #expect(try await admin.post("/admin/tugas/\(job.id!)/ulang").status == .seeOther)
            job = try #require(try await QueuedJob.find(job.id, on: app.db))
            #expect(job.status == .pending && job.attempts == 0)
            #expect(try await admin.post("/admin/tugas/\(job.id!)/ulang").status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.all)
    func notificationMailIsQueuedWithTheNotification(db: TestDatabase) async throws {
        try await withGotong(db) { app, mailer in
            // setup
            app.jobs.startsWorker = false
            app.notificationMails = true
            let given = Given(app)
            let person = try await given.person(in: try await given.tenant())
            try await QueuedJob.query(on: app.db).delete()  // anything the setup queued
            let message = Notifier.Message(
                personID: try person.requireID(), tenantID: nil, key: "notify.submitted", args: ["course": "Uji"],
                route: CatalogRoute.myCourses)

            // MUT: a transaction that records a notification and then fails leaves neither
            await #expect(throws: (any Error).self) {
                try await app.db.transaction { tx in
                    try await Notifier.record([message], on: tx)
                    throw Abort(.conflict)
                }
            }
            #expect(try await QueuedJob.query(on: app.db).filter(\.$kind == Notifier.mailJob).count() == 0)
            try await app.db.transaction { tx in _ = try await Notifier.record([message], on: tx) }

            // validate: the mail goes out when the worker runs the job
            #expect(mailer.outbox.isEmpty)
            #expect(await JobQueue.runDue(app) == 1)
            #expect(mailer.outbox.map(\.to) == [person.email])
        }
    }
}
