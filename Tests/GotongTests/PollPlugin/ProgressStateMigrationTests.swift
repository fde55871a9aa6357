import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import Gotong
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform

/// Progress stored before the open activity contract keeps its meaning after it: a video's
/// furthest point and percent and a forum's posts move into the rows' type state.
@Suite("Progress state migration")
struct ProgressStateMigrationTests {
    @Test(arguments: TestDatabase.all)
    func typeFactsMoveIntoTheState(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course of three activities, a learner, and rows as they were stored before the move
            let given = Given(app)
            let tenant = try await given.tenant()
            _ = try await given.course(in: tenant, activities: [.page("Satu"), .page("Dua"), .page("Tiga")])
            _ = try await given.person(in: tenant)
            let migration = MoveTypeProgressToState()
            try await migration.revert(on: app.db)
            let activities = try await Activity.query(on: app.db).limit(3).all()
            let person = try #require(try await Person.query(on: app.db).first()).requireID()
            #expect(activities.count == 3)
            let ids = activities.map { _ in UUID() }
            let facts: [(Double, Int, Int)] = [(42.5, 71, 0), (0, 0, 3), (0, 0, 0)]
            for (i, activity) in activities.enumerated() {
                try await app.db.sql.raw(
                    """
                    INSERT INTO activity_progress (id, tenant_id, course_id, activity_id, person_id, views, seconds, \
                    video_furthest, video_percent, posts) VALUES (\(bind: ids[i]), \(bind: activity.tenantID), \
                    \(bind: activity.courseID), \(bind: activity.requireID()), \(bind: person), 1, 60, \
                    \(bind: facts[i].0), \(bind: facts[i].1), \(bind: facts[i].2))
                    """
                ).run()
            }

            // when the migration runs
            try await migration.prepare(on: app.db)

            // then each row's type state says what its columns said, and the others are empty
            func state(_ id: UUID) async throws -> ProgressState {
                try #require(try await ActivityProgress.find(id, on: app.db)).state
            }
            let video = try await state(ids[0])
            #expect(video.videoFurthest == 42.5)
            #expect(video.videoPercent == 71)
            #expect(try await state(ids[1]).posts == 3)
            #expect(try await state(ids[2]) == ProgressState())
        }
    }

    @Test
    func stateTextThatIsNotAnObjectOfNumbersReadsAsEmpty() {
        for text in ["", "{}", "[]", "null", "{\"a\":\"x\"}", "{oops", String(repeating: "{", count: 10_000)] {
            #expect(ProgressState(json: text) == ProgressState(), "\(text.prefix(20))")
        }
        var state = ProgressState()
        state["posts"] = 2
        state["gone"] = 0
        #expect(state.json == "{\"posts\":2}")
        #expect(ProgressState(json: state.json) == state)
        state["huge"] = 1e300
        #expect(state.int("huge") == Int.max, "a stored number never traps when read as a whole number")
    }
}
