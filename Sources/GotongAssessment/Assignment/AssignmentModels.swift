import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit
import Tagged
import Vapor

/// One participant's hand-in of an assignment, one row per round: the first, and one more each
/// time a grader reopens it. A round is a draft until handed in; then a grader grades it, and
/// the grade reaches the participant (and their progress) only once released.
public final class AssignmentSubmission: TenantOwned, @unchecked Sendable {
    public static let schema = "assignment_submissions"
    public static var tenantKey: KeyPath<AssignmentSubmission, FieldProperty<AssignmentSubmission, UUID>> {
        \.$tenantID
    }

    public enum Status: String, Codable, Sendable {
        case draft, submitted
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "course_id") public var courseID: UUID
    @Field(key: "activity_id") public var activityID: UUID
    @Field(key: "person_id") public var personID: UUID
    /// 1 for the first round; one more for each reopening.
    @Field(key: "round") public var round: Int
    @Enum(key: "status") public var status: Status
    @Field(key: "text") public var text: String
    @Field(key: "updated_at") public var updatedAt: Date
    @OptionalField(key: "submitted_at") public var submittedAt: Date?
    /// Handed in after the due date.
    @Field(key: "late") public var late: Bool
    /// The grade in percent (pass/fail: 100 or 0); nil until graded.
    @OptionalField(key: "percent") public var percent: Double?
    @OptionalField(key: "passed") public var passed: Bool?
    /// The rubric's chosen level per criterion, as JSON (`[2,0,1]`).
    @OptionalField(key: "rubric_levels") public var rubricLevels: String?
    @Field(key: "feedback") public var feedback: String
    @OptionalField(key: "graded_by") public var gradedBy: UUID?
    @OptionalField(key: "graded_at") public var gradedAt: Date?
    /// When the grade was shown to the participant; nil while the grader keeps it back.
    @OptionalField(key: "released_at") public var releasedAt: Date?
    /// When a grader reopened it for another round.
    @OptionalField(key: "reopened_at") public var reopenedAt: Date?

    public init() {}

    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $courseID, $activityID, $personID, $round, $status, $text, $updatedAt, $submittedAt,
            $late, $percent, $passed, $rubricLevels, $feedback, $gradedBy, $gradedAt, $releasedAt, $reopenedAt,
        ]
    }

    init(tenantID: UUID, courseID: UUID, activityID: UUID, personID: UUID, round: Int, text: String, now: Date) {
        self.id = UUID()
        self.tenantID = tenantID
        self.courseID = courseID
        self.activityID = activityID
        self.personID = personID
        self.round = round
        self.status = .draft
        self.text = text
        self.updatedAt = now
        self.late = false
        self.feedback = ""
    }

    var isGraded: Bool { gradedAt != nil }
    var isReleased: Bool { releasedAt != nil }

    var chosenLevels: [Int] {
        rubricLevels.flatMap { try? JSONDecoder().decode([Int].self, from: Data($0.utf8)) } ?? []
    }
}

extension AssignmentSubmission: PathTag { public static let parameterName = "submissionID" }
public typealias SubmissionID = Tagged<AssignmentSubmission, UUID>

/// A file of a submission (`submission`) or a grader's feedback file (`feedback`). The bytes
/// are in the file store under `key`; the activity holds the store's use of the key
/// (``FileReference``), so deleting the activity deletes its files once nothing else uses them.
/// A reopened round lists the same keys as the round before.
public final class AssignmentFile: TenantOwned, @unchecked Sendable {
    public static let schema = "assignment_files"
    public static var tenantKey: KeyPath<AssignmentFile, FieldProperty<AssignmentFile, UUID>> { \.$tenantID }

    public enum Role: String, Codable, Sendable {
        case submission, feedback
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "activity_id") public var activityID: UUID
    @Field(key: "submission_id") public var submissionID: UUID
    @Enum(key: "role") public var role: Role
    @Field(key: "name") public var name: String
    @Field(key: "key") public var key: String
    @Field(key: "kind") public var kind: String
    @Field(key: "size") public var size: Int
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $activityID, $submissionID, $role, $name, $key, $kind, $size, $createdAt]
    }

    init(submission: AssignmentSubmission, role: Role, name: String, key: String, kind: FileKind, size: Int, now: Date)
    {
        self.id = UUID()
        self.tenantID = submission.tenantID
        self.activityID = submission.activityID
        self.submissionID = submission.id!
        self.role = role
        self.name = name
        self.key = key
        self.kind = kind.rawValue
        self.size = size
        self.createdAt = now
    }

    /// The same file listed in another round.
    func copy(to submission: AssignmentSubmission) -> AssignmentFile {
        let copy = AssignmentFile()
        (copy.id, copy.tenantID, copy.activityID, copy.submissionID) = (UUID(), tenantID, activityID, submission.id!)
        (copy.role, copy.name, copy.key, copy.kind, copy.size, copy.createdAt) = (
            role, name, key, kind, size, createdAt
        )
        return copy
    }

    var fileKind: FileKind? { FileKind(rawValue: kind) }
}

extension AssignmentFile: PathTag { public static let parameterName = "assignmentFileID" }
public typealias AssignmentFileID = Tagged<AssignmentFile, UUID>

/// The assignment's tables, created with the type's registration.
struct CreateAssignments: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(AssignmentSubmission.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required)
            .field("activity_id", .uuid, .required, .references("activities", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required)
            .field("round", .int, .required)
            .field("status", .string, .required)
            .field("text", .string, .required)
            .field("updated_at", .datetime, .required)
            .field("submitted_at", .datetime)
            .field("late", .bool, .required)
            .field("percent", .double)
            .field("passed", .bool)
            .field("rubric_levels", .string)
            .field("feedback", .string, .required)
            .field("graded_by", .uuid)
            .field("graded_at", .datetime)
            .field("released_at", .datetime)
            .field("reopened_at", .datetime)
            // One row per round: two first saves at once, or two reopenings, make one.
            .unique(on: "tenant_id", "activity_id", "person_id", "round")
            .create()
        try await db.sql.create(index: "assignment_submissions_person_idx").on(AssignmentSubmission.schema)
            .column("tenant_id").column("activity_id").column("person_id").run()
        try await db.schema(AssignmentFile.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("activity_id", .uuid, .required, .references("activities", "id", onDelete: .cascade))
            .field(
                "submission_id", .uuid, .required, .references(AssignmentSubmission.schema, "id", onDelete: .cascade)
            )
            .field("role", .string, .required)
            .field("name", .string, .required)
            .field("key", .string, .required)
            .field("kind", .string, .required)
            .field("size", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.sql.create(index: "assignment_files_submission_idx").on(AssignmentFile.schema)
            .column("tenant_id").column("submission_id").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(AssignmentFile.schema).delete()
        try await db.schema(AssignmentSubmission.schema).delete()
    }
}
