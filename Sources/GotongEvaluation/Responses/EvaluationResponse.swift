import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

/// One filled-in form: a participant's about a course (or one of its trainers), or a
/// supervisor's about a participant. A form that has been answered keeps its questions (it is
/// copied to be changed), so the results of every run of a course stay comparable.
public final class EvaluationResponse: TenantOwned, @unchecked Sendable {
    public static let schema = "evaluation_responses"
    public static var tenantKey: KeyPath<EvaluationResponse, FieldProperty<EvaluationResponse, UUID>> {
        \.$tenantID
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "course_id") public var courseID: UUID
    @Field(key: "form_id") public var formID: UUID
    @Enum(key: "purpose") public var purpose: EvaluationForm.Purpose
    /// The participant it is about (who filled it in, except a supervisor's).
    @Field(key: "participant_id") public var participantID: UUID
    /// The trainer a trainer form is about; the nil UUID for every other form (so the unique
    /// key holds: one response per participant, form and trainer).
    @Field(key: "trainer_id") public var trainerID: UUID
    /// The run it belongs to: the year the participant finished the course.
    @Field(key: "year") public var year: Int
    @Field(key: "submitted_at") public var submittedAt: Date

    public init() {}

    public static let noTrainer = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $courseID, $formID, $purpose, $participantID, $trainerID, $year, $submittedAt]
    }
}

/// One answer: a scale's point or a choice's number (from 1), or text. A multiple-choice
/// question has one row per choice taken.
public final class EvaluationAnswer: Model, @unchecked Sendable {
    public static let schema = "evaluation_answers"

    @ID(key: .id) public var id: UUID?
    @Field(key: "response_id") public var responseID: UUID
    @Field(key: "item_id") public var itemID: UUID
    @OptionalField(key: "number") public var number: Int?
    @Field(key: "text") public var text: String

    public init() {}

    public init(response: UUID, item: UUID, number: Int?, text: String) {
        (id, responseID, itemID, self.number, self.text) = (UUID(), response, item, number, text)
    }

    public var properties: [any AnyProperty] { [$id, $responseID, $itemID, $number, $text] }
}

struct CreateEvaluationResponses: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(EvaluationResponse.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("form_id", .uuid, .required, .references(EvaluationForm.schema, "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("participant_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("trainer_id", .uuid, .required)
            .field("year", .int, .required)
            .field("submitted_at", .datetime, .required)
            .create()
        // One response per participant, purpose and trainer: a second submission is refused.
        try await db.sql.create(index: "evaluation_responses_once").unique().on(EvaluationResponse.schema)
            .column("course_id").column("participant_id").column("purpose").column("trainer_id").run()
        try await db.sql.create(index: "evaluation_responses_course_idx").on(EvaluationResponse.schema)
            .column("course_id").column("form_id").column("year").run()
        try await db.schema(EvaluationAnswer.schema)
            .id()
            .field("response_id", .uuid, .required, .references(EvaluationResponse.schema, "id", onDelete: .cascade))
            .field("item_id", .uuid, .required, .references(EvaluationItem.schema, "id", onDelete: .cascade))
            .field("number", .int)
            .field("text", .string, .required)
            .create()
        try await db.sql.create(index: "evaluation_answers_response_idx").on(EvaluationAnswer.schema)
            .column("response_id").run()
        try await db.sql.create(index: "evaluation_answers_item_idx").on(EvaluationAnswer.schema).column("item_id")
            .run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(EvaluationAnswer.schema).delete()
        try await db.schema(EvaluationResponse.schema).delete()
    }
}
