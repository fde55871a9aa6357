import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// What people do in a forum: open a thread, reply, and (trainers) mark a reply as the answer.
/// Every post counts toward the poster's progress (``ForumProgress``: "posted" completes the
/// activity).
struct Forum: Sendable {
    let activity: Activity
    let personID: UUID
    let isStaff: Bool
    let db: any Database
    let progress: ProgressStore

    struct Thread: Sendable {
        let thread: ForumThread
        let posts: [ForumPost]
        let authors: [UUID: String]
    }

    static let maxTitle = 200
    static let maxBody = 10_000

    var scope: TenantScope { TenantScope(tenantID: activity.tenantID, db: db) }

    /// Threads newest first, with their authors' names.
    func threads() async throws -> ([ForumThread], [UUID: String]) {
        let threads = try await scope.query(ForumThread.self).filter(\.$activityID == activity.requireID())
            .sort(\.$lastPostAt, .descending).limit(200).all()
        return (threads, try await names(threads.map(\.authorID)))
    }

    func thread(_ id: UUID?) async throws -> Thread {
        guard let thread = try await scope.find(ForumThread.self, id), thread.activityID == activity.id else {
            throw Abort(.notFound)
        }
        let posts = try await scope.query(ForumPost.self).filter(\.$threadID == thread.requireID()).sort(\.$createdAt)
            .all()
        return Thread(thread: thread, posts: posts, authors: try await names(posts.map(\.authorID)))
    }

    func start(title: String, body: String, now: Date) async throws -> ForumThread {
        var p = ProblemList()
        let title = title.trimmed(max: Self.maxTitle + 1)
        if title.count < 3 || title.count > Self.maxTitle { p.add("title", "forum.error.title") }
        let body = try Self.checkBody(body, problems: &p)
        try p.throwIfAny()
        let thread = ForumThread(
            tenantID: activity.tenantID, activityID: try activity.requireID(), authorID: personID, title: title, at: now
        )
        try await db.lockingTransaction { tx in
            try await thread.create(on: tx)
            try await ForumPost(
                tenantID: thread.tenantID, threadID: try thread.requireID(), authorID: personID, body: body, at: now
            ).create(on: tx)
        }
        try await progress.update(activity, person: PersonID(personID), at: now) { $0.posts += 1 }
        return thread
    }

    func reply(to thread: ForumThread, body: String, now: Date) async throws -> ForumPost {
        var p = ProblemList()
        let body = try Self.checkBody(body, problems: &p)
        try p.throwIfAny()
        let post = ForumPost(
            tenantID: thread.tenantID, threadID: try thread.requireID(), authorID: personID, body: body, at: now)
        try await db.lockingTransaction { tx in
            try await post.create(on: tx)
            try await tx.sql.raw(
                """
                UPDATE forum_threads SET replies = replies + 1, last_post_at = \(bind: now)
                WHERE id = \(bind: thread.requireID()) AND tenant_id = \(bind: thread.tenantID)
                """
            ).run()
        }
        try await progress.update(activity, person: PersonID(personID), at: now) { $0.posts += 1 }
        return post
    }

    /// A trainer or coordinator marks `postID` (a reply in the thread) as the answer, or clears it.
    func markAnswer(_ thread: ForumThread, postID: UUID?) async throws {
        guard isStaff else { throw Abort(.forbidden) }
        if let postID {
            guard let post = try await scope.find(ForumPost.self, postID), post.threadID == thread.id else {
                throw InputError(field: "post_id", key: "forum.error.post")
            }
            thread.answerPostID = post.id
        } else {
            thread.answerPostID = nil
        }
        try await thread.save(on: db)
    }

    private static func checkBody(_ body: String, problems p: inout ProblemList) throws -> String {
        let text = body.cleanedText
        if text.isEmpty || text.count > maxBody { p.add("body", "forum.error.body", ["max": "\(maxBody)"]) }
        return text
    }

    private func names(_ ids: [UUID]) async throws -> [UUID: String] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        return Dictionary(
            try await Person.query(on: db).filter(\.$id ~~ unique).all().map { ($0.id!, $0.name) },
            uniquingKeysWith: { a, _ in a })
    }
}
