import Fluent
import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy
import SQLKit

/// How one course is evaluated: which forms its participants fill in after finishing it
/// (level 1), whether its certificate waits for them, and the follow-up some weeks later
/// (level 3). Level 2 needs no setting here: it is read from the course's quizzes whose role
/// is pre-test or post-test, as the gradebook reads it. A course without one is not evaluated.
public final class CourseEvaluation: TenantOwned, @unchecked Sendable {
    public static let schema = "course_evaluations"
    public static var tenantKey: KeyPath<CourseEvaluation, FieldProperty<CourseEvaluation, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    /// One per course (a unique index).
    @Field(key: "course_id") public var courseID: UUID
    /// Level 1: the form on the training's organisation, and the one filled in per trainer.
    @OptionalField(key: "course_form_id") public var courseFormID: UUID?
    @OptionalField(key: "trainer_form_id") public var trainerFormID: UUID?
    /// The certificate is issued only once the level-1 forms are filled in.
    @Field(key: "required") public var required: Bool
    /// Level 3: weeks after finishing, the participant's form and their supervisor's.
    @OptionalField(key: "follow_up_weeks") public var followUpWeeks: Int?
    @OptionalField(key: "follow_up_form_id") public var followUpFormID: UUID?
    @OptionalField(key: "supervisor_form_id") public var supervisorFormID: UUID?
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    /// The level-1 forms a participant fills in (none when neither is chosen).
    public var hasLevelOne: Bool { courseFormID != nil || trainerFormID != nil }
    public var hasFollowUp: Bool { followUpWeeks != nil && (followUpFormID != nil || supervisorFormID != nil) }

    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $courseID, $courseFormID, $trainerFormID, $required, $followUpWeeks, $followUpFormID,
            $supervisorFormID, $updatedAt,
        ]
    }
}

struct CreateCourseEvaluations: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let forms = EvaluationForm.schema
        try await db.schema(CourseEvaluation.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("course_form_id", .uuid, .references(forms, "id", onDelete: .setNull))
            .field("trainer_form_id", .uuid, .references(forms, "id", onDelete: .setNull))
            .field("required", .bool, .required)
            .field("follow_up_weeks", .int)
            .field("follow_up_form_id", .uuid, .references(forms, "id", onDelete: .setNull))
            .field("supervisor_form_id", .uuid, .references(forms, "id", onDelete: .setNull))
            .field("updated_at", .datetime, .required)
            .unique(on: "course_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(CourseEvaluation.schema).delete()
    }
}
