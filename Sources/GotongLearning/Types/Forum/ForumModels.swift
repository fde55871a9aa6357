import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Tagged

/// A discussion thread in a forum activity.
/// A thread's id in an address (`…/utas/{threadID}`).
typealias ThreadID = Tagged<ForumThread, UUID>

extension ForumThread: PathTag { static let parameterName = "threadID" }

/// The forum's own pages, under its activity's address (`…/{activityID}/utas/{threadID}`):
/// registered on the activity's group and linked with ``SiteRoute/path(under:)``.
enum ForumPage: SiteRoute {
    case threads
    case thread(Param<ThreadID>)
    case reply(Param<ThreadID>)
    case answer(Param<ThreadID>)

    var segments: [PathSegment] {
        switch self {
        case .threads: ["utas"]
        case .thread(let t): ["utas", .param(t)]
        case .reply(let t): Self.thread(t).segments + ["balas"]
        case .answer(let t): Self.thread(t).segments + ["jawaban"]
        }
    }
}

final class ForumThread: TenantOwned, @unchecked Sendable {
    static let schema = "forum_threads"
    static var tenantKey: KeyPath<ForumThread, FieldProperty<ForumThread, UUID>> { \.$tenantID }

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "author_id") var authorID: UUID
    @Field(key: "title") var title: String
    /// The reply a trainer marked as the answer.
    @OptionalField(key: "answer_post_id") var answerPostID: UUID?
    @Field(key: "replies") var replies: Int
    @Field(key: "last_post_at") var lastPostAt: Date
    @Field(key: "created_at") var createdAt: Date

    init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    var properties: [any AnyProperty] {
        [$id, $tenantID, $activityID, $authorID, $title, $answerPostID, $replies, $lastPostAt, $createdAt]
    }

    init(tenantID: UUID, activityID: UUID, authorID: UUID, title: String, at date: Date) {
        self.tenantID = tenantID
        self.activityID = activityID
        self.authorID = authorID
        self.title = title
        replies = 0
        lastPostAt = date
        createdAt = date
    }
}

/// One message in a thread; the first is the question that opened it.
final class ForumPost: TenantOwned, @unchecked Sendable {
    static let schema = "forum_posts"
    static var tenantKey: KeyPath<ForumPost, FieldProperty<ForumPost, UUID>> { \.$tenantID }

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "thread_id") var threadID: UUID
    @Field(key: "author_id") var authorID: UUID
    /// Markdown, rendered safely.
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    var properties: [any AnyProperty] { [$id, $tenantID, $threadID, $authorID, $body, $createdAt] }

    init(tenantID: UUID, threadID: UUID, authorID: UUID, body: String, at date: Date) {
        self.tenantID = tenantID
        self.threadID = threadID
        self.authorID = authorID
        self.body = body
        createdAt = date
    }
}

/// The forum type's own tables; they go with their activity.
struct CreateForums: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(ForumThread.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("activity_id", .uuid, .required, .references(Activity.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("answer_post_id", .uuid)
            .field("replies", .int, .required)
            .field("last_post_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.sql.create(index: "forum_threads_activity_idx").on(ForumThread.schema)
            .column("tenant_id").column("activity_id").column("last_post_at").run()
        try await db.schema(ForumPost.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("thread_id", .uuid, .required, .references(ForumThread.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.sql.create(index: "forum_posts_thread_idx").on(ForumPost.schema)
            .column("tenant_id").column("thread_id").column("created_at").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(ForumPost.schema).delete()
        try await db.schema(ForumThread.schema).delete()
    }
}
