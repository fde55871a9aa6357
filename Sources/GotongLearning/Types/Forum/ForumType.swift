import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// A discussion forum for the course: threads and replies; trainers mark an answer. Posting
/// completes a "posted" activity.
struct ForumType: ActivityType {
    let key = "forum"
    let features: Set<ActivityFeature> = []
    let completionOptions = [CompletionOption.viewed, ForumProgress.posted]
    let fields = [SettingField("description", .markdown(max: 5_000))]
    var defaultCompletion: CompletionRule { CompletionRule(kind: ForumProgress.posted.kind) }
    var migrations: [any Migration] { [CreateForums()] }

    func monitorNote(_ state: ProgressState, req: Request) -> String? {
        state.posts > 0 ? req.t("monitor.cell.posts", ["count": "\(state.posts)"]) : nil
    }

    // MARK: Learner view

    struct ThreadRow: Encodable, Sendable {
        let url: String; let title: String; let author: String; let replies: Int; let answered: Bool; let when: String
    }

    struct ListModel: Encodable, Sendable {
        let descriptionHTML: String
        let threads: [ThreadRow]
        let action: String
        let csrf: String
    }

    func render(_ context: ActivityViewContext) async throws -> ActivityBody {
        let req = context.request
        let forum = Forum(
            activity: context.activity, personID: try req.requirePerson().requireID(), isStaff: context.isStaff,
            db: req.db, progress: req.learning.progressStore(on: req.db))
        let (threads, names) = try await forum.threads()
        let base = context.webBase + "/utas"
        return ActivityBody(
            html: try await context.html(
                "forum",
                ListModel(
                    descriptionHTML: SafeMarkdown.html(context.activity.settings.string("description")),
                    threads: threads.map { t in
                        .init(
                            url: "\(base)/\(t.id!)", title: t.title, author: names[t.authorID] ?? "—",
                            replies: t.replies,
                            answered: t.answerPostID != nil, when: req.dayTime(t.lastPostAt))
                    },
                    action: base, csrf: CSRF.token(for: req)
                )), tracksTime: false)
    }

    func apiContent(_ context: ActivityViewContext) async throws -> [String: JSONScalar] {
        [
            "description_html": .string(SafeMarkdown.html(context.activity.settings.string("description"))),
            "threads_url": .string(
                context.request.application.gotong.baseURL
                    + LearningAPIRoute.activity(context.activity.routeID).path + "/threads"),
        ]
    }

    private func forum(_ open: OpenActivity, _ req: Request) throws -> Forum {
        Forum(
            activity: open.activity, personID: try open.access.person.requireID(), isStaff: open.access.isStaff,
            db: req.db, progress: req.learning.progressStore(on: req.db))
    }

    // MARK: Routes

    func boot(web: any RoutesBuilder, api: any RoutesBuilder) throws {
        let thread = PathComponent.parameter(ThreadID.parameterName)
        web.post("utas", use: startWeb)
        web.get("utas", thread, use: threadPage)
        web.post("utas", thread, "balas", use: replyWeb)
        web.post("utas", thread, "jawaban", use: answerWeb)
        api.get("threads", use: listAPI)
        api.post("threads", use: startAPI)
        api.get("threads", thread, use: threadAPI)
        api.post("threads", thread, "replies", use: replyAPI)
        api.post("threads", thread, "answer", use: answerAPI)
    }

    /// The route's forum activity, open to the caller.
    private func openForum(_ req: Request, web: Bool) async throws -> (OpenActivity, Forum) {
        let open = web ? try await OpenActivity.web(req) : try await OpenActivity.api(req)
        guard open.activity.type == key else { throw Abort(.notFound) }
        guard open.isUsable else { throw Abort(.locked) }
        return (open, try forum(open, req))
    }

    private func activityURL(_ open: OpenActivity) -> String {
        LearningRoute.activity(open.tenant.routeSlug, open.course.routeSlug, open.activity.routeID).path
    }

    struct PostForm: Content { var title: String?; var body: String?; var post_id: String? }

    func startWeb(req: Request) async throws -> Response {
        let (open, forum) = try await openForum(req, web: true)
        let form = try req.content.decode(PostForm.self)
        do {
            let thread = try await forum.start(title: form.title ?? "", body: form.body ?? "")
            return req.seeOther("\(activityURL(open))/utas/\(thread.id!)")
        } catch let error as InputError {
            for problem in error.problems { req.flash(.error, problem.key, problem.args) }
            return req.seeOther(activityURL(open))
        }
    }

    struct ThreadModel: Encodable, Sendable {
        struct Post: Encodable, Sendable {
            let id: String; let author: String; let when: String; let html: String; let isAnswer: Bool;
            let isFirst: Bool
        }
        let courseTitle: String
        let activityTitle: String
        let activityURL: String
        let title: String
        let posts: [Post]
        let replyAction: String
        let answerAction: String
        let canMarkAnswer: Bool
    }

    func threadPage(req: Request) async throws -> Response {
        let (open, forum) = try await openForum(req, web: true)
        let thread = try await forum.thread(req.parameter(ThreadID.self).rawValue)
        let base = "\(activityURL(open))/utas/\(thread.thread.id!)"
        let model = ThreadModel(
            courseTitle: open.course.title, activityTitle: open.activity.title, activityURL: activityURL(open),
            title: thread.thread.title,
            posts: thread.posts.enumerated().map { i, p in
                .init(
                    id: p.id!.uuidString, author: thread.authors[p.authorID] ?? "—", when: req.dayTime(p.createdAt),
                    html: SafeMarkdown.html(p.body), isAnswer: p.id == thread.thread.answerPostID, isFirst: i == 0)
            },
            replyAction: base + "/balas", answerAction: base + "/jawaban", canMarkAnswer: open.access.isStaff
        )
        return try await req.render(
            "learning/forum-thread", title: "forum.thread.title", titleArgs: ["title": thread.thread.title],
            page: model, tenant: open.tenant)
    }

    func replyWeb(req: Request) async throws -> Response {
        let (open, forum) = try await openForum(req, web: true)
        let thread = try await forum.thread(req.parameter(ThreadID.self).rawValue)
        do {
            _ = try await forum.reply(to: thread.thread, body: try req.content.decode(PostForm.self).body ?? "")
            req.flash(.success, "forum.replied")
        } catch let error as InputError {
            for problem in error.problems { req.flash(.error, problem.key, problem.args) }
        }
        return req.seeOther("\(activityURL(open))/utas/\(thread.thread.id!)")
    }

    func answerWeb(req: Request) async throws -> Response {
        let (open, forum) = try await openForum(req, web: true)
        let thread = try await forum.thread(req.parameter(ThreadID.self).rawValue)
        let postID = try req.content.decode(PostForm.self).post_id.flatMap(UUID.init(uuidString:))
        try await forum.markAnswer(thread.thread, postID: postID)
        req.flash(.success, postID == nil ? "forum.answer_cleared" : "forum.answer_marked")
        return req.seeOther("\(activityURL(open))/utas/\(thread.thread.id!)")
    }

    // MARK: API

    struct ThreadResponse: Content {
        var id: UUID
        var title: String
        var author: String
        var replies: Int
        var answer_post_id: UUID?
        var last_post_at: Date
        var created_at: Date
    }

    struct PostResponse: Content {
        var id: UUID
        var author: String
        var body: String
        var html: String
        var is_answer: Bool
        var created_at: Date
    }

    struct ThreadList: Content { var threads: [ThreadResponse] }
    struct ThreadDetail: Content { var thread: ThreadResponse; var posts: [PostResponse] }

    private func response(_ t: ForumThread, _ names: [UUID: String]) -> ThreadResponse {
        ThreadResponse(
            id: t.id!, title: t.title, author: names[t.authorID] ?? "", replies: t.replies,
            answer_post_id: t.answerPostID,
            last_post_at: t.lastPostAt, created_at: t.createdAt)
    }

    private func detail(_ thread: Forum.Thread) -> ThreadDetail {
        ThreadDetail(
            thread: response(thread.thread, thread.authors),
            posts: thread.posts.map {
                PostResponse(
                    id: $0.id!, author: thread.authors[$0.authorID] ?? "", body: $0.body,
                    html: SafeMarkdown.html($0.body),
                    is_answer: $0.id == thread.thread.answerPostID, created_at: $0.createdAt)
            })
    }

    func listAPI(req: Request) async throws -> ThreadList {
        let (_, forum) = try await openForum(req, web: false)
        let (threads, names) = try await forum.threads()
        return ThreadList(threads: threads.map { response($0, names) })
    }

    func startAPI(req: Request) async throws -> Response {
        let (_, forum) = try await openForum(req, web: false)
        let form = try req.content.decode(PostForm.self)
        let thread = try await forum.start(title: form.title ?? "", body: form.body ?? "")
        return try await detail(forum.thread(thread.id)).encodeResponse(status: .created, for: req)
    }

    func threadAPI(req: Request) async throws -> ThreadDetail {
        let (_, forum) = try await openForum(req, web: false)
        return detail(try await forum.thread(req.parameter(ThreadID.self).rawValue))
    }

    func replyAPI(req: Request) async throws -> Response {
        let (_, forum) = try await openForum(req, web: false)
        let thread = try await forum.thread(req.parameter(ThreadID.self).rawValue)
        _ = try await forum.reply(to: thread.thread, body: try req.content.decode(PostForm.self).body ?? "")
        return try await detail(forum.thread(thread.thread.id)).encodeResponse(status: .created, for: req)
    }

    func answerAPI(req: Request) async throws -> ThreadDetail {
        let (_, forum) = try await openForum(req, web: false)
        let thread = try await forum.thread(req.parameter(ThreadID.self).rawValue)
        let raw = try req.content.decode(PostForm.self).post_id
        let postID = raw.flatMap(UUID.init(uuidString:))
        if raw != nil, postID == nil { throw InputError(field: "post_id", key: "forum.error.post") }
        try await forum.markAnswer(thread.thread, postID: postID)
        return detail(try await forum.thread(thread.thread.id))
    }
}
