import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

/// A tenant's account on a platform, connected to its desk: the account's id there (WhatsApp's
/// phone number id, the Instagram account's id, the X user's id) and its keys, sealed
/// (``Sealer``) — never shown again once entered.
public final class DeskChannel: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_channels"
    public static var tenantKey: KeyPath<DeskChannel, FieldProperty<DeskChannel, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Enum(key: "channel") public var channel: DeskCase.Channel
    @Field(key: "account") public var account: String
    @Field(key: "sealed") public var sealed: String
    @Field(key: "connected_at") public var connectedAt: Date

    public init() {}

    public var properties: [any AnyProperty] { [$id, $tenantID, $channel, $account, $sealed, $connectedAt] }

    /// Where its keys are sealed for: this tenant's this channel.
    static func sealingContext(tenant: UUID, _ channel: DeskCase.Channel) -> String {
        "desk-channel:\(tenant.uuidString):\(channel.rawValue)"
    }
}

/// A platform's message in the desk's inbox, by the platform's id: a retried delivery finds it
/// and is counted once. The webhook only records it (``DeskInbox``); the intake makes it into a
/// case or a message and then empties its content, keeping the id for the retries to come.
final class DeskInbound: TenantOwned, @unchecked Sendable {
    static let schema = "desk_inbound"
    static var tenantKey: KeyPath<DeskInbound, FieldProperty<DeskInbound, UUID>> { \.$tenantID }

    enum State: String, Codable, CaseIterable, Sendable {
        /// Recorded by the webhook, not yet taken in.
        case waiting
        /// Made into a case or a message (or answered); its content emptied.
        case taken
        /// Its intake failed ``DeskInbox/maxAttempts`` times; kept for an administrator to see.
        case failed
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Enum(key: "channel") var channel: DeskCase.Channel
    @Field(key: "external_id") var externalID: String
    /// When the platform delivered it: the moment its case opens and its clock starts.
    @Field(key: "at") var at: Date
    @Enum(key: "state") var state: State
    @Field(key: "attempts") var attempts: Int
    @Field(key: "handle") var handle: String
    @Field(key: "name") var name: String
    @Field(key: "body") var body: String
    @OptionalField(key: "comment") var comment: String?
    /// The platform's id of its photo or document ('' for none).
    @Field(key: "media") var media: String

    init() {}

    var properties: [any AnyProperty] {
        [$id, $tenantID, $channel, $externalID, $at, $state, $attempts, $handle, $name, $body, $comment, $media]
    }

    /// The message as the platform's adapter read it.
    var inbound: Inbound {
        Inbound(
            id: externalID, handle: handle, name: name, text: body, comment: comment,
            media: media.isEmpty ? nil : media)
    }
}

/// A message to send to a citizen through a platform (an officer's reply, the answer to
/// "status …"), and how its sending went: tried with back-off, its failure shown on the case.
/// The contact's id is kept only until it is sent.
public final class DeskOutbox: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_outbox"
    public static var tenantKey: KeyPath<DeskOutbox, FieldProperty<DeskOutbox, UUID>> { \.$tenantID }

    public enum State: String, Codable, CaseIterable, Sendable {
        case pending, sending, sent, delivered, read, failed
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Enum(key: "channel") public var channel: DeskCase.Channel
    @OptionalField(key: "case_id") public var caseID: UUID?
    /// The conversation's message this sends (a reply sent in parts has several).
    @OptionalField(key: "message_id") public var messageID: UUID?
    /// The parts of one message share a batch and go in the order of `part`.
    @Field(key: "batch") public var batch: UUID
    @Field(key: "part") public var part: Int
    @Field(key: "handle") public var handle: String
    /// The public comment answered privately (Instagram).
    @OptionalField(key: "comment") public var comment: String?
    @Field(key: "body") public var body: String
    @Enum(key: "state") public var state: State
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "last_error") public var lastError: String
    /// The platform's id of the sent message, which its reports name.
    @Field(key: "external_id") public var externalID: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    /// The public site's post this sends (``Outbox/publish(_:post:on:tenant:db:now:)``): to the
    /// account's own feed when `handle` is empty, else to one contact of the broadcast list.
    @OptionalField(key: "post_id") public var postID: UUID?
    /// The public address of the post's image.
    @OptionalField(key: "image") public var image: String?

    public init() {}

    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $channel, $caseID, $messageID, $batch, $part, $handle, $comment, $body, $state, $attempts,
            $lastError, $externalID, $createdAt, $updatedAt, $postID, $image,
        ]
    }
}

struct AddDeskChannels: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(DeskChannel.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("channel", .string, .required)
            .field("account", .string, .required)
            .field("sealed", .string, .required)
            .field("connected_at", .datetime, .required)
            .unique(on: "tenant_id", "channel")
            .create()
        try await db.schema(DeskInbound.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("channel", .string, .required)
            .field("external_id", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "tenant_id", "channel", "external_id")
            .create()
        try await db.schema(DeskOutbox.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("channel", .string, .required)
            .field("case_id", .uuid, .references(DeskCase.schema, "id", onDelete: .cascade))
            .field("message_id", .uuid, .references(DeskMessage.schema, "id", onDelete: .cascade))
            .field("batch", .uuid, .required)
            .field("part", .int, .required)
            .field("handle", .string, .required)
            .field("comment", .string)
            .field("body", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("last_error", .string, .required)
            .field("external_id", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.sql.create(index: "desk_outbox_tenant_case_idx").on(DeskOutbox.schema)
            .column("tenant_id").column("case_id").run()
        try await db.sql.create(index: "desk_outbox_tenant_external_idx").on(DeskOutbox.schema)
            .column("tenant_id").column("external_id").run()
        try await db.sql.create(index: "desk_outbox_tenant_batch_idx").on(DeskOutbox.schema)
            .column("tenant_id").column("batch").column("part").run()
        // The platform's id of the citizen, kept with who reported (retention empties it): the
        // next message of that id finds its open case.
        try await db.schema(DeskReporter.schema).field("handle", .string, .required, .sql(.default(""))).update()
        try await db.schema(DeskReporter.schema).field("comment", .string).update()
        try await db.sql.create(index: "desk_reporters_tenant_handle_idx").on(DeskReporter.schema)
            .column("tenant_id").column("handle").run()
    }

    func revert(on db: any Database) async throws {
        try await db.sql.drop(index: "desk_reporters_tenant_handle_idx").run()
        try await db.schema(DeskReporter.schema).deleteField("handle").update()
        try await db.schema(DeskReporter.schema).deleteField("comment").update()
        for schema in [DeskOutbox.schema, DeskInbound.schema, DeskChannel.schema] {
            try await db.schema(schema).delete()
        }
    }
}

/// The inbox: the webhook records a delivery's messages and answers at once; the intake
/// (``DeskInbox/drain(_:)``) makes cases of them. Messages taken in before it were taken in the
/// webhook itself, so they are marked taken.
struct AddDeskInbox: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(DeskInbound.schema)
            .field("state", .string, .required, .sql(.default(DeskInbound.State.taken.rawValue)))
            .update()
        for field: FieldKey in ["handle", "name", "body", "media"] {
            try await db.schema(DeskInbound.schema).field(field, .string, .required, .sql(.default(""))).update()
        }
        try await db.schema(DeskInbound.schema).field("attempts", .int, .required, .sql(.default(0))).update()
        try await db.schema(DeskInbound.schema).field("comment", .string).update()
        try await db.sql.create(index: "desk_inbound_state_tenant_at_idx").on(DeskInbound.schema)
            .column("state").column("tenant_id").column("at").run()
    }

    func revert(on db: any Database) async throws {
        try await db.sql.drop(index: "desk_inbound_state_tenant_at_idx").run()
        for field: FieldKey in ["state", "handle", "name", "body", "attempts", "comment", "media"] {
            try await db.schema(DeskInbound.schema).deleteField(field).update()
        }
    }
}
