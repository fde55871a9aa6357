import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import SQLKit
import Vapor

/// A post of the desk's site: an announcement, a campaign or a piece of public education, shown
/// on the site from `publishAt` until `expiresAt` and sent then to the channels it names.
public final class InfoPost: TenantOwned, @unchecked Sendable {
    public static let schema = "info_posts"
    public static var tenantKey: KeyPath<InfoPost, FieldProperty<InfoPost, UUID>> { \.$tenantID }

    public enum Kind: String, Codable, CaseIterable, Sendable {
        case pengumuman, kampanye, edukasi
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Enum(key: "kind") public var kind: Kind
    @Field(key: "title") public var title: String
    @Field(key: "body") public var body: String
    /// The image in the file store (PNG or JPEG, known by its bytes), and its size.
    @OptionalField(key: "image_key") public var imageKey: String?
    @Field(key: "image_size") public var imageSize: Int
    /// What the image shows, for readers who cannot see it (and Telegram's caption).
    @Field(key: "image_text") public var imageText: String
    @Field(key: "publish_at") public var publishAt: Date
    @OptionalField(key: "expires_at") public var expiresAt: Date?
    /// The channels it goes to, by name, comma-separated (`instagram,x`).
    @Field(key: "channels") var channelList: String
    /// When its sends were put in the desk's outbox; nil until then.
    @OptionalField(key: "sent_at") public var sentAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $kind, $title, $body, $imageKey, $imageSize, $imageText, $publishAt, $expiresAt,
            $channelList, $sentAt, $createdAt, $updatedAt,
        ]
    }

    public var channels: [DeskCase.Channel] {
        channelList.split(separator: ",").compactMap { DeskCase.Channel(rawValue: String($0)) }
    }

    public func isOver(at now: Date) -> Bool { expiresAt.map { $0 <= now } ?? false }

    /// Where a post stands: before its time, on the site, or past its end.
    public enum State: String, Sendable { case scheduled, live, over }

    public func state(at now: Date) -> State { publishAt > now ? .scheduled : isOver(at: now) ? .over : .live }
}

extension InfoPost: PathTag { public static let parameterName = "postID" }

/// What a platform reported of a post on one channel, imported from its export: the latest
/// import replaces the one before.
public final class InfoPostFigures: TenantOwned, @unchecked Sendable {
    public static let schema = "info_post_figures"
    public static var tenantKey: KeyPath<InfoPostFigures, FieldProperty<InfoPostFigures, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "post_id") public var postID: UUID
    @Enum(key: "channel") public var channel: DeskCase.Channel
    @Field(key: "reach") public var reach: Int
    @Field(key: "views") public var views: Int
    @Field(key: "likes") public var likes: Int
    @Field(key: "comments") public var comments: Int
    @Field(key: "shares") public var shares: Int
    @Field(key: "imported_at") public var importedAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $postID, $channel, $reach, $views, $likes, $comments, $shares, $importedAt]
    }
}

struct AddInfoPosts: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(InfoPost.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("image_key", .string)
            .field("image_size", .int, .required)
            .field("image_text", .string, .required)
            .field("publish_at", .datetime, .required)
            .field("expires_at", .datetime)
            .field("channels", .string, .required)
            .field("sent_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.sql.create(index: "info_posts_tenant_publish_idx").on(InfoPost.schema)
            .column("tenant_id").column("publish_at").run()
        try await db.schema(InfoPostFigures.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("post_id", .uuid, .required, .references(InfoPost.schema, "id", onDelete: .cascade))
            .field("channel", .string, .required)
            .field("reach", .int, .required)
            .field("views", .int, .required)
            .field("likes", .int, .required)
            .field("comments", .int, .required)
            .field("shares", .int, .required)
            .field("imported_at", .datetime, .required)
            .unique(on: "tenant_id", "post_id", "channel")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(InfoPostFigures.schema).delete()
        try await db.schema(InfoPost.schema).delete()
    }
}
