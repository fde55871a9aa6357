import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Who is in one course, for the modules above Catalog: who takes part, who teaches, and one
/// person's place in it. Catalog owns the enrolment and staff tables; Learning's access checks
/// and monitoring read them only through here, so the tables can change without them.
package struct CourseMembers: Sendable {
    package let tenantID: UUID
    package let courseID: UUID
    let db: any Database

    package init(course: Course, on db: any Database) throws {
        tenantID = course.tenantID
        courseID = try course.requireID()
        self.db = db
    }

    private var scope: TenantScope { TenantScope(tenantID: tenantID, db: db) }

    /// The person's enrolment when they take part (enrolled or finished; nil otherwise), with
    /// their rows that `companion` names (what another module keeps of them in this course,
    /// such as their progress), in one statement: each page of a course's content reads both.
    package func participation<Companion: TenantRowsRead>(
        of person: PersonID, with companion: Companion
    ) async throws -> (enrolment: Enrolment?, rows: [Companion.Model]) {
        let (enrolments, rows) = try await scope.read(
            EnrolmentService.PersonInCourse<Enrolment>(courseID: courseID, personID: person.rawValue), and: companion)
        return (enrolments.first.flatMap(Self.takingPart), rows)
    }

    /// An enrolment that lets its person in: enrolled, or finished.
    private static func takingPart(_ enrolment: Enrolment) -> Enrolment? {
        [.enrolled, .completed].contains(enrolment.status) ? enrolment : nil
    }

    /// Whether the person is one of the course's own trainers or coordinators.
    package func teaches(_ person: PersonID) async throws -> Bool {
        let personID = person.rawValue
        return try await !scope.rows(
            CourseStaff.self, where: "course_id = \(bind: courseID) AND person_id = \(bind: personID)", limit: 1
        ).isEmpty
    }

    /// A participant as the monitoring table shows them.
    package struct Participant: Decodable, Sendable {
        package let id: UUID
        package let person_id: UUID
        package let status: Enrolment.Status
        package let due_at: Date?
        package let completed_at: Date?
        package let name: String
        package let email: String
        package let unit_kerja: String
    }

    /// Everyone taking part or finished, with their names, in one joined read.
    package func participants() async throws -> [Participant] {
        let e = Enrolment.schema, p = Person.schema
        return try await db.sql.select()
            .column(SQLColumn("id", table: e)).column(SQLColumn("person_id", table: e)).column(
                SQLColumn("status", table: e)
            )
            .column(SQLColumn("due_at", table: e)).column(SQLColumn("completed_at", table: e))
            .column(SQLColumn("name", table: p)).column(SQLColumn("email", table: p)).column(
                SQLColumn("unit_kerja", table: p)
            )
            .from(e)
            .join(p, on: SQLColumn("id", table: p), .equal, SQLColumn("person_id", table: e))
            .where(SQLColumn("tenant_id", table: e), .equal, SQLBind(tenantID))
            .where(SQLColumn("course_id", table: e), .equal, SQLBind(courseID))
            .where(
                SQLColumn("status", table: e), .in,
                SQLBind.group([Enrolment.Status.enrolled.rawValue, Enrolment.Status.completed.rawValue])
            )
            .all(decoding: Participant.self)
    }

    /// When each participant who finished the course finished it.
    package func completionDates() async throws -> [Date] {
        struct Completed: Decodable { let completed_at: Date }
        return try await db.sql.select().column("completed_at").from(Enrolment.schema)
            .where("tenant_id", .equal, tenantID).where("course_id", .equal, courseID)
            .where("completed_at", .isNot, SQLLiteral.null)
            .all(decoding: Completed.self).map(\.completed_at)
    }
}
