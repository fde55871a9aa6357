import Fluent
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

/// How many SQL statements the hot pages run, in the manner of Swift Package Index's
/// `QueryPerformanceTests`: each has a budget, and a page that starts asking the database once
/// per course, activity or enrolment (an N+1) runs over it — or, where the tests grow the data,
/// runs more statements for more rows. A budget is raised only together with a reason.
@Suite("Query counts of the hot pages")
struct QueryCountTests {
    /// Statements each page may run (the same on SQLite and PostgreSQL), as measured when the
    /// test was written. Reading the session with its person is one of each signed-in page's.
    /// A heartbeat batch is counted where it is written (``HeartbeatRecorder/write(_:types:on:)``):
    /// its statements are the same for one beat as for a full batch.
    ///
    /// Issue 15 lowered them: a guest's storefront is kept whole (``SharedPages``), the
    /// outlines are kept per course (``CourseOutlines``), and /saya reads no notifications when
    /// none is unread; the session is read with its person in one statement, and the learning
    /// pages take the course and its staff from the course page's kept data; a person's
    /// memberships are kept too (``KeptMemberships``). Then /saya's courses and the person's
    /// progress in them became one statement, as did the enrolment and progress that a course's
    /// content pages read (``Database/read(_:and:)``).
    enum Budget {
        static let catalogueSearch = 1
        static let storefront = 0
        static let coursePage = 3
        static let dashboard = 2
        static let outline = 2
        static let activityPage = 2
        static let heartbeatBatch = 8
    }

    struct Setup {
        let app: Application
        let counter: QueryCounter
        let f: LearningTests.Fixture
        let learner: Browser
        let course: Course
        let section: String
    }

    /// The learning fixture's course with a section, its learner signed in on the web.
    static func setUp(_ app: Application) async throws -> Setup {
        let counter = QueryCounter(app)
        let given = Given(app)
        let f = try await LearningTests.fixture(given)
        let course = try #require(try await Course.find(f.courseID, on: app.db))
        let section = try await LearningTests.section(f, "Topik 1")
        let learner = try await given.browser(signedInAs: f.enrolled)
        return Setup(app: app, counter: counter, f: f, learner: learner, course: course, section: section)
    }

    static func addPages(_ s: Setup, _ count: Int) async throws -> [String] {
        var ids: [String] = []
        for i in 1...count {
            ids.append(
                try await LearningTests.activity(
                    s.f, section: s.section,
                    [
                        "type": "page", "title": "Bacaan \(i)", "settings": ["body": "Teks \(i)."],
                        "completion": ["viewed": true],
                    ]))
        }
        return ids
    }

    /// The statements `path` runs for `browser`, checked to answer 200: the fewest of three
    /// calls after a first one (which fills caches and records a first view). Caches that expire
    /// with time (the catalogue's freshness check every 200 ms, the tenant lookup) may ask once
    /// more on a slow run; the fewest is what the page itself needs.
    static func statements(
        _ s: Setup, _ browser: Browser, _ path: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String] {
        _ = try await browser.get(path)
        var fewest: [String]?
        for _ in 0..<3 {
            let (response, statements) = try await s.counter.count { try await browser.get(path) }
            #expect(response.status == .ok, "\(path) answered \(response.status)", sourceLocation: sourceLocation)
            // The versions' freshness checks (at most every 200 ms) depend on timing, not the page.
            let counted = statements.filter { !$0.contains("catalog_state") && !$0.contains("content_versions") }
            if counted.count < fewest?.count ?? .max { fewest = counted }
        }
        return fewest ?? []
    }

    static func expect(
        _ statements: [String], within budget: Int, _ page: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            statements.count <= budget,
            "\(page): \(statements.count) statements, budget \(budget):\n\(statements.joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    }

    @Test(arguments: TestDatabase.all)
    func cataloguePagesStayWithinTheirBudgets(db: TestDatabase) async throws {
        // The demo's ten courses in four institutions: a statement per course or tenant would show.
        try await withGotong(db, seedDemo: true) { app, _ in
            // setup
            let s = try await Self.setUp(app)
            let anonymous = Browser(app)

            // MUT + validate: the catalogue (with ten courses, a statement per course would show)
            Self.expect(
                try await Self.statements(s, anonymous, "/katalog?q=pajak"), within: Budget.catalogueSearch,
                "catalogue search")
            Self.expect(try await Self.statements(s, anonymous, "/t/bps"), within: Budget.storefront, "storefront")
            Self.expect(
                try await Self.statements(s, s.learner, "/t/\(s.f.tenant.slug)/pelatihan/\(s.course.slug)"),
                within: Budget.coursePage,
                "course page")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theDashboardRunsAsManyStatementsForFourCoursesAsForOne(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: enrolled in one course, with three more open in this and another institution
            let s = try await Self.setUp(app)
            let given = Given(app)
            let elsewhere = try await given.tenant()
            for tenant in [s.f.tenant, elsewhere, elsewhere] { _ = try await given.course(in: tenant, activities: []) }
            let one = try await Self.statements(s, s.learner, "/saya")

            // MUT: enrolled in three more
            let others = try await Course.query(on: app.db).filter(\.$id != s.course.requireID()).all()
            var enrolled = 0
            for course in others where enrolled < 3 {
                if try await s.f.learner.call(.POST, "/api/v1/courses/\(course.requireID())/enrolments").status
                    == .created
                {
                    enrolled += 1
                }
            }
            #expect(enrolled == 3)
            let four = try await Self.statements(s, s.learner, "/saya")

            // validate
            #expect(
                four.count == one.count,
                "one course: \(one.count), four: \(four.count)\n\(four.joined(separator: "\n"))")
            Self.expect(four, within: Budget.dashboard, "dashboard")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theOutlineAndAnActivityRunAsManyStatementsForFifteenActivitiesAsForThree(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: three activities, one of them viewed
            let s = try await Self.setUp(app)
            let first = try await Self.addPages(s, 3)
            let outline = "/t/\(s.f.tenant.slug)/belajar/\(s.course.slug)"
            let fewOutline = try await Self.statements(s, s.learner, outline)
            let fewActivity = try await Self.statements(s, s.learner, "\(outline)/\(first[1])")

            // MUT: twelve more
            _ = try await Self.addPages(s, 12)
            let manyOutline = try await Self.statements(s, s.learner, outline)
            let manyActivity = try await Self.statements(s, s.learner, "\(outline)/\(first[1])")

            // validate
            #expect(manyOutline.count == fewOutline.count, "outline: \(fewOutline.count) → \(manyOutline.count)")
            #expect(manyActivity.count == fewActivity.count, "activity: \(fewActivity.count) → \(manyActivity.count)")
            Self.expect(manyOutline, within: Budget.outline, "outline")
            Self.expect(manyActivity, within: Budget.activityPage, "activity page")
        }
    }

    /// On PostgreSQL, the production database, only: on SQLite a batch's connection is held
    /// outside Fluent's handle and logs to its own logger, which the counter cannot reach (the
    /// statements are the same apart from SQLite's PRAGMAs).
    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func aHeartbeatBatchRunsAsManyStatementsForThirtyLearnersAsForOne(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a timed page and thirty-one learners
            let given = Given(app)
            let built = try await given.course(
                in: try await given.tenant(),
                activities: [.page("Bacaan", completion: CompletionRule(kind: "min_seconds", value: 60))])
            var learners: [Person] = []
            for _ in 0..<31 { learners.append(try await given.learner(enrolledIn: built)) }
            let counter = QueryCounter(app)
            let handle = try counter.database(app)
            let activity = built.activities[0]
            let now = Date()
            func beats(_ people: ArraySlice<Person>, seq: Int) throws -> [Heartbeat] {
                try people.map { person in
                    let ticket = ProgressTicket(
                        personID: try person.requireID(), activityID: try activity.requireID(),
                        courseID: try built.course.requireID(), tenantID: built.course.tenantID, activityType: "page",
                        completion: activity.completion, expires: now.addingTimeInterval(ProgressTicket.lifetime))
                    return Heartbeat(
                        ticket: ticket, tab: "tab", seq: seq, seconds: 30, video: nil,
                        at: now.addingTimeInterval(TimeInterval(30 * seq)))
                }
            }
            func write(_ batch: [Heartbeat]) async throws -> [String] {
                try await counter.count {
                    _ = try await HeartbeatRecorder.write(batch, types: app.learning.types, on: handle)
                }.statements
            }

            // when one learner's beat is written, then thirty others' in one batch; their second
            // beats bring each to the page's 60 seconds
            let one = try await write(try beats(learners.prefix(1), seq: 1))
            let thirty = try await write(try beats(learners.dropFirst(), seq: 1))
            let finishing = try await write(try beats(learners.dropFirst(), seq: 2))

            // then a batch costs the same statements whatever its size, within the budget, and a
            // batch in which people finish adds one: the course check for all of them, as a job
            #expect(one.count > 2, "\(one)")
            #expect(thirty.count == one.count, "one beat: \(one), thirty: \(thirty)")
            #expect(finishing.count == one.count + 1, "one beat: \(one), thirty finishing: \(finishing)")
            #expect(finishing.contains { $0.hasPrefix("INSERT INTO jobs") }, "\(finishing)")
            Self.expect(finishing, within: Budget.heartbeatBatch, "heartbeat batch")
            let stored = try await ActivityProgress.query(on: app.db).filter(\.$activityID == activity.requireID())
                .all()
            #expect(stored.count == 31)
            #expect(stored.filter { $0.completedAt != nil }.count == 30)
        }
    }
}
