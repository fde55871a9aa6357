import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

/// A person's progress in many courses at once, for `/saya`: two queries whatever the number of
/// courses. The person's own records across tenants; every row read is bound to one of their
/// enrolments' tenant and course.
struct MyProgress: CourseProgressProvider {
    struct ActivityRow: Decodable {
        let id: UUID
        let tenant_id: UUID
        let course_id: UUID
        let section_id: UUID
        let title: String
        let position: Int
        let section_position: Int
        let completion_kind: String
        let hidden: Bool
        let opens_at: Date?
    }

    struct DoneRow: Decodable {
        let activity_id: UUID
        let views: Int
        let completed_at: Date?
        /// Worked out here: a computed flag in SQL is an integer on one database and a boolean
        /// on the other (PostgreSQL refused to decode it, and /saya answered 500).
        var completed: Bool { completed_at != nil }
    }

    func summaries(
        personID: UUID, courses: [(tenantID: UUID, courseID: UUID, tenantSlug: String, courseSlug: String)],
        on db: any Database
    ) async throws -> [UUID: CourseProgressSummary] {
        guard !courses.isEmpty else { return [:] }
        let courseIDs = courses.map(\.courseID)
        let allowed = Set(courses.map { "\($0.tenantID)/\($0.courseID)" })
        let activities = try await db.sql.raw(
            """
            SELECT a.id, a.tenant_id, a.course_id, a.section_id, a.title, a.position, s.position AS section_position,
                   a.completion_kind, a.hidden, a.opens_at
            FROM activities a JOIN course_sections s ON s.id = a.section_id AND s.tenant_id = a.tenant_id
            WHERE a.course_id IN (\(binds: courseIDs)) AND s.hidden = \(bind: false) AND a.hidden = \(bind: false)
            """
        ).all(decoding: ActivityRow.self).filter { allowed.contains("\($0.tenant_id)/\($0.course_id)") }
        let done = try await db.sql.raw(
            """
            SELECT activity_id, views, completed_at
            FROM activity_progress WHERE person_id = \(bind: personID) AND course_id IN (\(binds: courseIDs))
            """
        ).all(decoding: DoneRow.self)
        let progress = Dictionary(done.map { ($0.activity_id, $0) }, uniquingKeysWith: { a, _ in a })
        let now = Date()
        var result: [UUID: CourseProgressSummary] = [:]
        for course in courses {
            let ordered = activities.filter { $0.course_id == course.courseID }
                .sorted { ($0.section_position, $0.position) < ($1.section_position, $1.position) }
            let required = ordered.filter { $0.completion_kind != CompletionRule.none.kind }
            let completed = required.filter { progress[$0.id]?.completed == true }.count
            let next = ordered.first { a in
                let p = progress[a.id]
                let isRequired = a.completion_kind != CompletionRule.none.kind
                return (a.opens_at ?? .distantPast) <= now && p?.completed != true
                    && (isRequired || (p?.views ?? 0) == 0)
            }
            result[course.courseID] = CourseProgressSummary(
                percent: required.isEmpty ? 0 : completed * 100 / required.count, nextTitle: next?.title,
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
