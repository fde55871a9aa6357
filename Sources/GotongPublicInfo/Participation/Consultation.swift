import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit
import Tagged
import Vapor

/// Asking the public: a poll (one question, its choices), a survey (the questions of an
/// evaluation form built for it), or a consultation on a draft (its sections, which people
/// comment on and officers moderate). Open between two moments; each person answers once; when
/// it closes the officers write what the government did with what it heard.
public final class Consultation: TenantOwned, @unchecked Sendable {
    public static let schema = "info_consultations"
    public static var tenantKey: KeyPath<Consultation, FieldProperty<Consultation, UUID>> { \.$tenantID }

    public enum Kind: String, Codable, CaseIterable, Sendable {
        case jajak, survei, konsultasi
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Enum(key: "kind") public var kind: Kind
    /// A poll's question; a survey's or a draft's title.
    @Field(key: "title") public var title: String
    @Field(key: "intro") public var intro: String
    /// A poll's choices, one a line.
    @Field(key: "choices") public var choicesText: String
    /// A survey's questions: an evaluation form of purpose `public_survey`.
    @OptionalField(key: "form_id") public var formID: UUID?
    @Field(key: "opens_at") public var opensAt: Date
    @Field(key: "closes_at") public var closesAt: Date
    /// What the government did with the input, written after it closed.
    @Field(key: "outcome") public var outcome: String
    @OptionalField(key: "outcome_at") public var outcomeAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $kind, $title, $intro, $choicesText, $formID, $opensAt, $closesAt, $outcome, $outcomeAt,
            $createdAt, $updatedAt,
        ]
    }

    public var choices: [String] { choicesText.split(separator: "\n").map(String.init) }

    public enum Phase: String, Sendable { case upcoming, open, closed }

    public func phase(at now: Date) -> Phase { now < opensAt ? .upcoming : now < closesAt ? .open : .closed }
}

extension Consultation: PathTag { public static let parameterName = "consultationID" }
public typealias ConsultationID = Tagged<Consultation, UUID>

/// A section of a consultation's draft, which people comment on.
public final class ConsultationSection: TenantOwned, @unchecked Sendable {
    public static let schema = "info_consultation_sections"
    public static var tenantKey: KeyPath<ConsultationSection, FieldProperty<ConsultationSection, UUID>> {
        \.$tenantID
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "consultation_id") public var consultationID: UUID
    @Field(key: "position") public var position: Int
    @Field(key: "heading") public var heading: String
    @Field(key: "body") public var body: String

    public init() {}

    public var properties: [any AnyProperty] { [$id, $tenantID, $consultationID, $position, $heading, $body] }
}

/// One person's answer to a poll or a survey, by their keyed hash: the database says who
/// answered only to whoever holds the server's key, and never what a named person answered.
public final class ConsultationResponse: TenantOwned, @unchecked Sendable {
    public static let schema = "info_consultation_responses"
    public static var tenantKey: KeyPath<ConsultationResponse, FieldProperty<ConsultationResponse, UUID>> {
        \.$tenantID
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "consultation_id") public var consultationID: UUID
    @Field(key: "voter") public var voter: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var properties: [any AnyProperty] { [$id, $tenantID, $consultationID, $voter, $createdAt] }
}

/// One answer of a response: a poll's or a question's choice (1-based), or a text.
public final class ConsultationAnswer: TenantOwned, @unchecked Sendable {
    public static let schema = "info_consultation_answers"
    public static var tenantKey: KeyPath<ConsultationAnswer, FieldProperty<ConsultationAnswer, UUID>> {
        \.$tenantID
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "consultation_id") public var consultationID: UUID
    @Field(key: "response_id") public var responseID: UUID
    /// The survey's question; nil for a poll.
    @OptionalField(key: "item_id") public var itemID: UUID?
    @OptionalField(key: "number") public var number: Int?
    @Field(key: "text") public var text: String

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $consultationID, $responseID, $itemID, $number, $text]
    }
}

/// A comment on a section of a draft: shown once an officer lets it through.
public final class ConsultationComment: TenantOwned, @unchecked Sendable {
    public static let schema = "info_consultation_comments"
    public static var tenantKey: KeyPath<ConsultationComment, FieldProperty<ConsultationComment, UUID>> {
        \.$tenantID
    }

    public enum State: String, Codable, CaseIterable, Sendable {
        case menunggu, tampil, ditolak
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "consultation_id") public var consultationID: UUID
    @Field(key: "section_id") public var sectionID: UUID
    @Field(key: "voter") public var voter: String
    /// The name shown with it, as the person gave it (empty: "Warga").
    @Field(key: "name") public var name: String
    @Field(key: "text") public var text: String
    @Enum(key: "state") public var state: State
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "moderated_at") public var moderatedAt: Date?

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $consultationID, $sectionID, $voter, $name, $text, $state, $createdAt, $moderatedAt]
    }
}

/// A code sent to an email address to prove a person holds it, and, once given back, the
/// token (in a cookie) that lets them answer for a while. Only hashes are kept.
public final class ParticipantProof: TenantOwned, @unchecked Sendable {
    public static let schema = "info_participant_proofs"
    public static var tenantKey: KeyPath<ParticipantProof, FieldProperty<ParticipantProof, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    /// The address's keyed hash: the person it answers as.
    @Field(key: "voter") public var voter: String
    /// The keyed hash of the address the request came from: codes a sender may ask for are capped.
    @Field(key: "sender") public var sender: String
    @Field(key: "code_hash") public var codeHash: String
    @Field(key: "attempts") public var attempts: Int
    @OptionalField(key: "token_hash") public var tokenHash: String?
    @Field(key: "expires_at") public var expiresAt: Date
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $voter, $sender, $codeHash, $attempts, $tokenHash, $expiresAt, $createdAt]
    }
}

struct AddConsultations: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let tenant = { (b: SchemaBuilder) in
            b.id().field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
        }
        try await tenant(db.schema(Consultation.schema))
            .field("kind", .string, .required).field("title", .string, .required)
            .field("intro", .string, .required).field("choices", .string, .required).field("form_id", .uuid)
            .field("opens_at", .datetime, .required).field("closes_at", .datetime, .required)
            .field("outcome", .string, .required).field("outcome_at", .datetime)
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
            .create()
        let parent = { (b: SchemaBuilder) in
            b.field(
                "consultation_id", .uuid, .required, .references(Consultation.schema, "id", onDelete: .cascade))
        }
        try await parent(tenant(db.schema(ConsultationSection.schema)))
            .field("position", .int, .required).field("heading", .string, .required).field("body", .string, .required)
            .create()
        try await parent(tenant(db.schema(ConsultationResponse.schema)))
            .field("voter", .string, .required).field("created_at", .datetime, .required)
            .unique(on: "tenant_id", "consultation_id", "voter")
            .create()
        try await parent(tenant(db.schema(ConsultationAnswer.schema)))
            .field(
                "response_id", .uuid, .required, .references(ConsultationResponse.schema, "id", onDelete: .cascade)
            )
            .field("item_id", .uuid).field("number", .int).field("text", .string, .required)
            .create()
        try await db.sql.create(index: "info_consultation_answers_tenant_consultation_idx")
            .on(ConsultationAnswer.schema).column("tenant_id").column("consultation_id").run()
        try await parent(tenant(db.schema(ConsultationComment.schema)))
            .field(
                "section_id", .uuid, .required, .references(ConsultationSection.schema, "id", onDelete: .cascade)
            )
            .field("voter", .string, .required).field("name", .string, .required).field("text", .string, .required)
            .field("state", .string, .required).field("created_at", .datetime, .required)
            .field("moderated_at", .datetime)
            .unique(on: "tenant_id", "section_id", "voter")
            .create()
        try await tenant(db.schema(ParticipantProof.schema))
            .field("voter", .string, .required).field("sender", .string, .required)
            .field("code_hash", .string, .required)
            .field("attempts", .int, .required).field("token_hash", .string)
            .field("expires_at", .datetime, .required).field("created_at", .datetime, .required)
            .create()
        try await db.sql.create(index: "info_participant_proofs_tenant_token_idx").on(ParticipantProof.schema)
            .column("tenant_id").column("token_hash").run()
        try await db.sql.create(index: "info_participant_proofs_tenant_created_idx").on(ParticipantProof.schema)
            .column("tenant_id").column("created_at").run()
    }

    func revert(on db: any Database) async throws {
        for schema in [
            ParticipantProof.schema, ConsultationComment.schema, ConsultationAnswer.schema,
            ConsultationResponse.schema, ConsultationSection.schema, Consultation.schema,
        ] {
            try await db.schema(schema).delete()
        }
    }
}
