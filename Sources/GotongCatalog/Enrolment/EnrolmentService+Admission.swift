import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

extension EnrolmentService {
    /// Gives the person a place in a course whose door is not the catalogue's: the attendance
    /// code of a live episode admits whoever heard it to the episode's quiz. No quota or
    /// window is checked (the caller checked its own); a finished enrolment stays finished, and
    /// one the person left is taken up again. True when this admitted them (false: they were in, or done).
    public func admit(_ person: PersonID, to course: CourseID, of tenant: TenantID) async throws -> Bool {
        let (enrolled, completed) = (Enrolment.Status.enrolled.rawValue, Enrolment.Status.completed.rawValue)
        // One statement: two admissions at once leave one row (the unique key), never two.
        let row = try await db.sql.raw(
            """
            INSERT INTO enrolments (id, tenant_id, course_id, person_id, status, assigned, reason, \
            requested_at, enrolled_at, updated_at) VALUES (\(bind: UUID()), \(bind: tenant.rawValue), \
            \(bind: course.rawValue), \(bind: person.rawValue), \(bind: enrolled), \(bind: false), '', \(bind: now), \
            \(bind: now), \(bind: now)) ON CONFLICT (tenant_id, course_id, person_id) DO UPDATE SET \
            status = \(bind: enrolled), enrolled_at = \(bind: now), updated_at = \(bind: now) \
            WHERE enrolments.status <> \(bind: enrolled) AND enrolments.status <> \(bind: completed) RETURNING id
            """
        ).first()
        return row != nil
    }
}
