import Crypto
import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// A live Q&A with an official on Instagram, Facebook or YouTube: citizens send questions
/// beforehand and vote on them; the host works down the list during the live; the answers are
/// written down afterwards, and the session stays as a page.
public final class QASession: TenantOwned, @unchecked Sendable {
    public static let schema = "info_qa_sessions"
    public static var tenantKey: KeyPath<QASession, FieldProperty<QASession, UUID>> { \.$tenantID }

    public enum State: String, Codable, CaseIterable, Sendable {
        /// Questions and votes are taken.
        case upcoming
        /// On air: still taken; the host marks what is being answered.
        case live
        /// Over: the page stays with its questions and answers; nothing more is taken.
        case ended
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "topic") public var topic: String
    /// Who answers: name and position.
    @Field(key: "official") public var official: String
    @Field(key: "summary") public var summary: String
    @Field(key: "starts_at") public var startsAt: Date
    /// The live's address on its platform.
    @Field(key: "live_url") public var liveURL: String
    @Enum(key: "state") public var state: State
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $topic, $official, $summary, $startsAt, $liveURL, $state, $createdAt, $updatedAt]
    }
}

extension QASession: PathTag { public static let parameterName = "qaSessionID" }

/// A citizen's question to a session, its votes, and the answer given.
public final class QAQuestion: TenantOwned, @unchecked Sendable {
    public static let schema = "info_qa_questions"
    public static var tenantKey: KeyPath<QAQuestion, FieldProperty<QAQuestion, UUID>> { \.$tenantID }

    public enum State: String, Codable, CaseIterable, Sendable {
        case waiting, answering, answered
        /// Set aside by the host (abuse, off topic, a repeat): not shown.
        case hidden
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "session_id") public var sessionID: UUID
    @Field(key: "text") public var text: String
    /// How the asker signs (may be blank).
    @Field(key: "name") public var name: String
    @Field(key: "votes") public var votes: Int
    @Enum(key: "state") public var state: State
    @Field(key: "answer") public var answer: String
    /// The sender's keyed hash, for the limit on questions from one address.
    @Field(key: "sender") var sender: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $sessionID, $text, $name, $votes, $state, $answer, $sender, $createdAt]
    }
}

/// One vote: a question and who voted (a signed-in person, or a browser's token's hash).
final class QAVote: TenantOwned, @unchecked Sendable {
    static let schema = "info_qa_votes"
    static var tenantKey: KeyPath<QAVote, FieldProperty<QAVote, UUID>> { \.$tenantID }

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "question_id") var questionID: UUID
    @Field(key: "voter") var voter: String
    /// The sender's keyed hash (an IPv6 address by its /64): a browser can shed its cookie,
    /// its address cannot cast more than ``LiveQA/votesPerSender`` for one question.
    @Field(key: "sender") var sender: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var properties: [any AnyProperty] { [$id, $tenantID, $questionID, $voter, $sender, $createdAt] }
}

struct AddQASessions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(QASession.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("topic", .string, .required)
            .field("official", .string, .required)
            .field("summary", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("live_url", .string, .required)
            .field("state", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema(QAQuestion.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("session_id", .uuid, .required, .references(QASession.schema, "id", onDelete: .cascade))
            .field("text", .string, .required)
            .field("name", .string, .required)
            .field("votes", .int64, .required)
            .field("state", .string, .required)
            .field("answer", .string, .required)
            .field("sender", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema(QAVote.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("question_id", .uuid, .required, .references(QAQuestion.schema, "id", onDelete: .cascade))
            .field("voter", .string, .required)
            .field("sender", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "question_id", "voter")
            .create()
        try await db.sql.create(index: "info_qa_votes_question_sender_idx").on(QAVote.schema)
            .column("tenant_id").column("question_id").column("sender").run()
        try await db.sql.create(index: "info_qa_sessions_tenant_starts_idx").on(QASession.schema)
            .column("tenant_id").column("starts_at").run()
        try await db.sql.create(index: "info_qa_questions_session_idx").on(QAQuestion.schema)
            .column("tenant_id").column("session_id").column("votes").run()
    }

    func revert(on db: any Database) async throws {
        for schema in [QAVote.schema, QAQuestion.schema, QASession.schema] { try await db.schema(schema).delete() }
    }
}
