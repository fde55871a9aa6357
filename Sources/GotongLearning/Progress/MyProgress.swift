import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

/// A person's progress in many courses at once, for `/saya`: the courses' outlines as every
/// learner sees them (kept per process, ``CourseOutlines``) and one query for what the person
/// has done, whatever the number of courses. Every row read is bound to one of their
/// enrolments' tenant and course.
struct MyProgress: CourseProgressProvider {
    let outlines: CourseOutlines

    /// What the person has done in the courses /saya lists, bound to each enrolment's tenant
    /// and course; read on every visit, prepared. One text whatever the number of courses.
    struct Done: CombinableRead {
        typealias Row = DoneRow
        let personID: UUID
        static let columnCount = 4

        static let sql = """
            SELECT p.course_id, p.activity_id, p.views, p.completed_at FROM activity_progress p
            JOIN enrolments e ON e.tenant_id = p.tenant_id AND e.course_id = p.course_id AND e.person_id = p.person_id
            WHERE p.person_id = $1 AND e.status IN (\(MyCourses.listedSQL))
            """

        var values: [any PreparedValue] { [personID] }

        static func decode(_ c: inout RowColumns) throws -> DoneRow {
            try DoneRow(course_id: c.next(), activity_id: c.next(), views: c.next(), completed_at: c.next())
        }
    }

    struct DoneRow: Decodable, Sendable {
        let course_id: UUID
        let activity_id: UUID
        let views: Int
        let completed_at: Date?
        /// Worked out here: a computed flag in SQL is an integer on one database and a boolean
        /// on the other (PostgreSQL refused to decode it, and /saya answered 500).
        var completed: Bool { completed_at != nil }
    }

    func done(by personID: UUID) -> Done { Done(personID: personID) }

    func summaries(
        done: [DoneRow], courses: [(tenantID: UUID, courseID: UUID, tenantSlug: String, courseSlug: String)],
        on db: any Database
    ) async throws -> [UUID: CourseProgressSummary] {
        guard !courses.isEmpty else { return [:] }
        let courseIDs = Set(courses.map(\.courseID))
        let outlines = try await outlines.learnerSteps(of: courses.map { ($0.tenantID, $0.courseID) }, on: db)
        let done = done.filter { courseIDs.contains($0.course_id) }
        let progress = Dictionary(done.map { ($0.activity_id, $0) }, uniquingKeysWith: { a, _ in a })
        let now = Date()
        var result: [UUID: CourseProgressSummary] = [:]
        for course in courses {
            let ordered = outlines[course.courseID] ?? []
            // Counted, not filtered into copies: a course may have hundreds of steps.
            var required = 0
            var completed = 0
            for step in ordered where step.isRequired {
                required += 1
                if progress[step.id]?.completed == true { completed += 1 }
            }
            let next = ordered.first { a in
                let p = progress[a.id]
                return (a.opensAt ?? .distantPast) <= now && p?.completed != true
                    && (a.isRequired || (p?.views ?? 0) == 0)
            }
            result[course.courseID] = CourseProgressSummary(
                percent: required == 0 ? 0 : completed * 100 / required, nextTitle: next?.title,
                nextURL: next.map {
                    LearningRoute.activity(
                        .value(TenantSlug(rawValue: course.tenantSlug)),
                        .value(CourseSlug(rawValue: course.courseSlug)), .value(ActivityID($0.id))
                    ).path
                }
            )
        }
        return result
    }
}
