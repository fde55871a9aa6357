import Fluent
import Foundation
import Synchronization
import Testing
import Vapor
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// The course-completion contract other modules (credits, certificates) hang off: a finished
/// course queues one job in the transaction that records it, the job tells every hook, and a
/// hook that fails is told again later, until it has done its work.
@Suite("Course completion hooks")
struct CompletionHooksTests {
    struct Flaky: Error {}

    /// What the hook heard, and how often it was called.
    final class Heard: Sendable {
        let events = Mutex<[CourseCompletion.Event]>([])
        let calls = Mutex(0)
    }

    @Test(arguments: TestDatabase.all)
    func aFinishedCourseReachesEveryHookThroughOneDurableJob(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course of one page, a learner, a hook that fails its first call and one that never fails
            // (jobs run only when the test runs them)
            app.jobs.startsWorker = false
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [.page("Satu-satunya")])
            let learner = try await given.learner(enrolledIn: built)
            let flaky = Heard()
            let steady = Heard()
            app.learning.completionHooks.register("uji.goyah") { event, _ in
                if flaky.calls.withLock({
                    $0 += 1; return $0
                }) == 1 {
                    throw Flaky()
                }
                flaky.events.withLock { $0.append(event) }
            }
            app.learning.completionHooks.register("uji.tenang") { event, _ in
                steady.calls.withLock { $0 += 1 }
                steady.events.withLock { $0.append(event) }
            }
            func finishedJobs() async throws -> [QueuedJob] {
                try await QueuedJob.query(on: app.db).filter(\.$kind == CourseCompletion.finishedJob).all()
            }

            // when the learner opens the page (which completes it, and so the course)
            let browser = try await given.browser(signedInAs: learner)
            let page = LearningRoute.activity(tenant.routeSlug, built.course.routeSlug, built.activities[0].routeID)
            #expect(try await browser.get(page.path).status == .ok)

            // then the enrolment is complete and one job waits; no hook has heard yet
            let enrolment = try await Enrolment.query(on: app.db).filter(\.$personID == learner.id!).first()
            #expect(enrolment?.status == .completed)
            #expect(try await finishedJobs().count == 1)
            #expect(flaky.calls.withLock { $0 } == 0)

            // and another check of the same course queues nothing more
            let key = CourseCompletion.Key(
                tenantID: try tenant.requireID(), courseID: try built.course.requireID(),
                personID: try learner.requireID())
            #expect(try await app.learning.completion.check(key, now: clock.now()) == false)
            #expect(try await finishedJobs().count == 1)

            // when the jobs run: the failing hook does not keep the other from hearing, and the job
            // waits to be tried again
            await JobQueue.runDue(app)
            // (the event's time is the enrolment's, to the database's precision)
            func told(_ heard: Heard) -> [String] {
                heard.events.withLock { events in
                    events.map {
                        let off = abs($0.completedAt.timeIntervalSince(enrolment?.completedAt ?? .distantPast))
                        return "\($0.tenant.rawValue) \($0.course.rawValue) \($0.person.rawValue) \(off < 0.01)"
                    }
                }
            }
            let expected = ["\(key.tenantID) \(key.courseID) \(key.personID) true"]
            #expect(told(steady) == expected)
            #expect(told(flaky).isEmpty)
            let waiting = try #require(try await finishedJobs().first)
            #expect(waiting.status == .pending)
            #expect(waiting.attempts == 1)

            // when its time to try again has come, then the failed hook hears, and the job is done
            time.advance(60)
            await JobQueue.runDue(app)
            #expect(told(flaky) == expected)
            #expect(try await finishedJobs().first?.status == .done)
        }
    }

    /// A type's own write that completes an activity (a forum post) queues the course check in
    /// its transaction: the check after it may fail, or the process stop, and no later write
    /// completes the activity again to try once more.
    @Test(arguments: TestDatabase.all)
    func aCompletionByATypesWriteQueuesItsCourseCheckWithIt(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course whose only activity is a forum done by posting, and a learner
            app.jobs.startsWorker = false
            let given = Given(app)
            let tenant = try await given.tenant()
            var change = ActivityChange()
            change.type = "forum"
            change.title = "Diskusi"
            change.settings = ["description": .string("Ceritakan pengalaman Anda.")]
            change.completion = CompletionRule(kind: ForumProgress.posted.kind)
            let built = try await given.course(in: tenant, activities: [.init(change: change)])
            let learner = try await given.learner(enrolledIn: built)
            func checks() async throws -> [QueuedJob] {
                try await QueuedJob.query(on: app.db).filter(\.$kind == CourseCompletion.checkJob).all()
            }
            #expect(try await checks().isEmpty)

            // when the learner's first post is recorded
            let facts = try await app.learning.progressStore(on: app.db).update(
                built.activities[0], person: PersonID(try learner.requireID()), at: app.clock.now()
            ) { $0.posts += 1 }

            // then the activity is complete, and the course check waits in the queue with it
            #expect(facts.state.posts == 1)
            let queued = try await checks()
            #expect(queued.count == 1)
            #expect(queued.first?.payload.contains(try learner.requireID().uuidString) == true)

            // and a second post queues nothing more
            try await app.learning.progressStore(on: app.db).update(
                built.activities[0], person: PersonID(try learner.requireID()), at: app.clock.now()
            ) { $0.posts += 1 }
            #expect(try await checks().count == 1)
        }
    }
}
