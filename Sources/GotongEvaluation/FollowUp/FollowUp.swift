import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

/// Level 3 (behaviour) of one participant of a course: when their follow-up is due (some weeks
/// after finishing), their supervisor (atasan) — named by the participant during the course or
/// by a coordinator — and the supervisor's link: only its SHA-256 is kept, it expires, and a
/// reminder sends a new one (the old one stops working).
public final class EvaluationFollowUp: TenantOwned, @unchecked Sendable {
    public static let schema = "evaluation_follow_ups"
    public static var tenantKey: KeyPath<EvaluationFollowUp, FieldProperty<EvaluationFollowUp, UUID>> {
        \.$tenantID
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "course_id") public var courseID: UUID
    @Field(key: "person_id") public var personID: UUID
    /// Set when the course is finished (nil while a supervisor is named during it).
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @OptionalField(key: "due_at") public var dueAt: Date?
    @Field(key: "supervisor_name") public var supervisorName: String
    @Field(key: "supervisor_email") public var supervisorEmail: String
    @OptionalField(key: "token_hash") public var tokenHash: String?
    @OptionalField(key: "link_expires_at") public var linkExpiresAt: Date?
    /// When the follow-up was sent (the participant told, the supervisor mailed), and reminded.
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @OptionalField(key: "reminded_at") public var remindedAt: Date?
    @OptionalField(key: "supervisor_done_at") public var supervisorDoneAt: Date?
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $courseID, $personID, $completedAt, $dueAt, $supervisorName, $supervisorEmail, $tokenHash,
            $linkExpiresAt, $sentAt, $remindedAt, $supervisorDoneAt, $updatedAt,
        ]
    }
}

struct CreateEvaluationFollowUps: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(EvaluationFollowUp.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("completed_at", .datetime)
            .field("due_at", .datetime)
            .field("supervisor_name", .string, .required)
            .field("supervisor_email", .string, .required)
            .field("token_hash", .string)
            .field("link_expires_at", .datetime)
            .field("sent_at", .datetime)
            .field("reminded_at", .datetime)
            .field("supervisor_done_at", .datetime)
            .field("updated_at", .datetime, .required)
            .unique(on: "course_id", "person_id")
            .unique(on: "token_hash")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(EvaluationFollowUp.schema).delete()
    }
}
