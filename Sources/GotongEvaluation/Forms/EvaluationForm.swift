import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit
import Tagged

/// An evaluation form (lembar evaluasi) a tenant builds and its courses use. What it asks
/// about decides who fills it in and when (``Purpose``).
public final class EvaluationForm: TenantOwned, @unchecked Sendable {
    public static let schema = "evaluation_forms"
    public static var tenantKey: KeyPath<EvaluationForm, FieldProperty<EvaluationForm, UUID>> { \.$tenantID }

    /// Who answers the form, about what.
    public enum Purpose: String, Codable, Sendable, CaseIterable {
        /// Level 1: the participant on the organisation of the training (penyelenggaraan).
        case course
        /// Level 1: the participant on each trainer (pengajar), once per trainer.
        case trainer
        /// Level 3: the participant, weeks after the training, on using what was learnt.
        case followUp = "follow_up"
        /// Level 3: the participant's supervisor (atasan), through a link, on the same.
        case supervisor
        /// Citizens, on the desk site's public surveys (the public information module).
        case publicSurvey = "public_survey"
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Enum(key: "purpose") public var purpose: Purpose
    @Field(key: "title") public var title: String
    /// Shown above the questions.
    @Field(key: "intro") public var intro: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var properties: [any AnyProperty] { [$id, $tenantID, $purpose, $title, $intro, $createdAt, $updatedAt] }
}

extension EvaluationForm: PathTag { public static let parameterName = "formID" }
public typealias EvaluationFormID = Tagged<EvaluationForm, UUID>

/// One question of a form.
public final class EvaluationItem: TenantOwned, @unchecked Sendable {
    public static let schema = "evaluation_items"
    public static var tenantKey: KeyPath<EvaluationItem, FieldProperty<EvaluationItem, UUID>> { \.$tenantID }

    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Agreement on a scale of 1–4 or 1–5 (Likert).
        case likert4, likert5
        /// One of the choices, or any number of them.
        case single, multiple
        /// A line, or a paragraph.
        case short, long

        /// The points of a scale (nil: not a scale).
        public var scale: Int? {
            switch self {
            case .likert4: 4
            case .likert5: 5
            default: nil
            }
        }

        public var hasChoices: Bool { self == .single || self == .multiple }
        public var isText: Bool { self == .short || self == .long }
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "form_id") public var formID: UUID
    @Field(key: "position") public var position: Int
    @Enum(key: "kind") public var kind: Kind
    @Field(key: "prompt") public var prompt: String
    /// The choices of a choice question, one per line.
    @Field(key: "choices") public var choicesText: String
    @Field(key: "required") public var required: Bool

    public init() {}

    public var choices: [String] { choicesText.split(separator: "\n").map(String.init) }

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $formID, $position, $kind, $prompt, $choicesText, $required]
    }
}

extension EvaluationItem: PathTag { public static let parameterName = "itemID" }
public typealias EvaluationItemID = Tagged<EvaluationItem, UUID>

struct CreateEvaluationForms: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(EvaluationForm.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("title", .string, .required)
            .field("intro", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.sql.create(index: "evaluation_forms_tenant_idx").on(EvaluationForm.schema).column("tenant_id")
            .run()
        try await db.schema(EvaluationItem.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("form_id", .uuid, .required, .references(EvaluationForm.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("kind", .string, .required)
            .field("prompt", .string, .required)
            .field("choices", .string, .required)
            .field("required", .bool, .required)
            .create()
        try await db.sql.create(index: "evaluation_items_form_idx").on(EvaluationItem.schema).column("form_id")
            .column("position").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(EvaluationItem.schema).delete()
        try await db.schema(EvaluationForm.schema).delete()
    }
}
