import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongLearning
@testable import GotongPlatform

/// Learner outlines kept per process (``CourseOutlines``): an author's change shows at once in
/// this process, and within the version check's 200 ms when another process made it.
@Suite("Kept course outlines")
struct KeptOutlineTests {
    /// A course with one section and the step "Bacaan Awal", whose learner has seen the outline
    /// (so it is kept).
    static func seenOutline(
        _ app: Application, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (LearningTests.Fixture, section: String, activity: String, learner: Browser, outline: String) {
        let given = Given(app)
        let f = try await LearningTests.fixture(given)
        let section = try await LearningTests.section(f, "Topik Satu")
        let activity = try await LearningTests.activity(
            f, section: section,
            ["type": "page", "title": "Bacaan Awal", "settings": ["body": "Teks."], "completion": ["viewed": true]])
        let learner = try await given.browser(signedInAs: f.enrolled)
        let outline = "/t/\(f.tenant.slug)/belajar/\(f.course.slug)"
        #expect(
            try await learner.get(outline).body.string.contains("Bacaan Awal"), sourceLocation: sourceLocation)
        return (f, section, activity, learner, outline)
    }

    @Test(arguments: TestDatabase.all)
    func anAuthorsChangeShowsInTheNextLearnerPage(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a learner who has seen the outline (and so filled the cache)
            let (f, section, activity, learner, outline) = try await Self.seenOutline(app)

            // when the coordinator renames the step, adds one and hides the section's sibling
            #expect(
                try await f.staff.call(.PATCH, "\(f.base)/activities/\(activity)", ["title": "Bacaan Pembuka"]).status
                    == .ok)
            _ = try await LearningTests.activity(
                f, section: section,
                [
                    "type": "page", "title": "Bacaan Kedua", "settings": ["body": "Teks."],
                    "completion": ["viewed": true],
                ])

            // then the learner's next page shows both, without waiting
            let page = try await learner.get(outline).body.string
            #expect(page.contains("Bacaan Pembuka"))
            #expect(!page.contains("Bacaan Awal"))
            #expect(page.contains("Bacaan Kedua"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func anotherProcesssChangeShowsWithinTheVersionCheck(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a kept outline
            let (_, _, activity, learner, outline) = try await Self.seenOutline(app)

            // when another process renames it: its own SQL, and the version it raises
            let id = try #require(UUID(uuidString: activity))
            try await app.db.sql.raw("UPDATE activities SET title = 'Bacaan Baru' WHERE id = \(bind: id)").run()
            try await ContentVersion(name: "learning").bump(on: app.db)

            // then this process shows it once its 200 ms check has passed
            try await Task.sleep(for: VersionCheck.interval + .milliseconds(50))
            let page = try await learner.get(outline).body.string
            #expect(page.contains("Bacaan Baru"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func versionsStartAtZeroAndRiseByOne(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let version = ContentVersion(name: "uji")
            #expect(try await version.current(on: app.db) == 0)
            try await version.bump(on: app.db)
            try await version.bump(on: app.db)
            #expect(try await version.current(on: app.db) == 2)
            #expect(try await ContentVersion(name: "lain").current(on: app.db) == 0)
        }
    }

    /// After a start or a change, many requests miss the same courses at once: one read serves
    /// them all, and each gets every course it asked for.
    @Test(arguments: TestDatabase.all)
    func requestsThatMissTheSameCoursesAtOnceShareOneRead(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given two courses with steps, and no outline kept yet
            let given = Given(app)
            let tenant = try await given.tenant()
            let first = try await given.course(in: tenant, activities: [.page("Bacaan A"), .page("Bacaan B")]).course
            let second = try await given.course(in: tenant, activities: [.page("Bacaan C")]).course
            let courses = [(tenant.id!, first.id!), (tenant.id!, second.id!)]
            let outlines = CourseOutlines()
            let counter = QueryCounter(app)
            let handle = try counter.database(app)

            // when twelve requests ask for both at once
            let (steps, statements) = try await counter.count {
                try await withThrowingTaskGroup(of: [UUID: [CourseStructure.Step]].self) { group in
                    for _ in 0..<12 { group.addTask { try await outlines.learnerSteps(of: courses, on: handle) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }

            // then the activities were read once, and every request got both courses in order
            #expect(
                statements.filter { $0.contains("FROM \"activities\"") || $0.contains("FROM activities") }.count == 1)
            for got in steps {
                #expect(got[first.id!]?.map(\.title) == ["Bacaan A", "Bacaan B"])
                #expect(got[second.id!]?.map(\.title) == ["Bacaan C"])
            }
        }
    }
}
