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

    struct ThreadRow: Sendable {
        let url: String; let title: String; let author: String; let replies: Int; let answered: Bool; let when: String
    }

    struct ListModel: Sendable {
        let descriptionHTML: String
        let threads: [ThreadRow]
        let action: String
    }

    func render(_ context: ActivityViewContext) async throws -> ActivityBody {
        let req = context.request
        let forum = Forum(
            activity: context.activity, personID: try req.requirePerson().requireID(), isStaff: context.isStaff,
            db: req.database, progress: req.learning.progressStore(on: req.database))
        let (threads, names) = try await forum.threads()
        let base = context.webRoute
        return ActivityBody(
            html: context.html(
                ListModel(
                    descriptionHTML: SafeMarkdown.html(context.activity.settings.string("description")),
                    threads: threads.map { t in
                        .init(
                            url: ForumPage.thread(.value(ThreadID(t.id!))).path(under: base), title: t.title,
                            author: names[t.authorID] ?? "—",
                            replies: t.replies,
                            answered: t.answerPostID != nil, when: req.dayTime(t.lastPostAt))
                    },
                    action: ForumPage.threads.path(under: base)
                ), csrf: CSRF.token(for: req)), tracksTime: false)
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
            db: req.database, progress: req.learning.progressStore(on: req.database))
    }

    // MARK: Routes

    func boot(web: any RoutesBuilder, api: any RoutesBuilder) throws {
        let thread = PathComponent.parameter(ThreadID.parameterName)
        web.post(ForumPage.threads, use: startWeb)
        web.get(ForumPage.thread(.key), use: threadPage)
        web.post(ForumPage.reply(.key), use: replyWeb)
        web.post(ForumPage.answer(.key), use: answerWeb)
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

    private func activityURL(_ open: OpenActivity) -> String { activityRoute(open).path }

    private func activityRoute(_ open: OpenActivity) -> LearningRoute {
        LearningRoute.activity(open.tenant.routeSlug, open.course.routeSlug, open.activity.routeID)
    }

    /// The address of one of the forum's pages of `open`'s activity.
    private func path(_ page: ForumPage, _ open: OpenActivity) -> String { page.path(under: activityRoute(open)) }

    struct PostForm: Content { var title: String?; var body: String?; var post_id: String? }

    func startWeb(req: Request) async throws -> Response {
        let (open, forum) = try await openForum(req, web: true)
        let form = try req.content.decode(PostForm.self)
        do {
            let thread = try await forum.start(
                title: form.title ?? "", body: form.body ?? "", now: req.application.clock.now())
            return req.seeOther(path(.thread(.value(ThreadID(thread.id!))), open))
        } catch let error as InputError {
            // Shown again at once with what was typed, each error at its field.
            var errors: [String: String] = [:]
            for problem in error.problems where errors[problem.field] == nil {
                errors[problem.field] = req.t(problem.key, problem.args)
            }
            let model = NewThreadModel(
                courseTitle: open.course.title, activityTitle: open.activity.title, activityURL: activityURL(open),
                action: path(.threads, open), values: ["title": form.title ?? "", "body": form.body ?? ""],
                errors: errors)
            return try await req.render(
                model, title: "forum.new_thread", tenant: open.tenant, status: .unprocessableEntity)
        }
    }

    /// A thread that was refused, shown again to be mended.
    struct NewThreadModel: Sendable {
        let courseTitle: String
        let activityTitle: String
        let activityURL: String
        let action: String
        let values: [String: String]
        let errors: [String: String]
    }

    struct ThreadModel: Sendable {
        struct Post: Sendable {
            let id: String; let author: String; let when: String; let html: String; let isAnswer: Bool
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
        /// A refused reply, shown again with its reason.
        var replyBody = ""
        var replyError: String? = nil
    }

    func threadPage(req: Request) async throws -> Response {
        let (open, forum) = try await openForum(req, web: true)
        let thread = try await forum.thread(req.parameter(ThreadID.self).rawValue)
        return try await renderThread(thread, open, req: req)
    }

    private func renderThread(
        _ thread: Forum.Thread, _ open: OpenActivity, reply: (body: String, error: String)? = nil, req: Request
    ) async throws -> Response {
        let id = Param<ThreadID>.value(ThreadID(thread.thread.id!))
        let model = ThreadModel(
            courseTitle: open.course.title, activityTitle: open.activity.title, activityURL: activityURL(open),
            title: thread.thread.title,
            posts: thread.posts.enumerated().map { i, p in
                .init(
                    id: p.id!.uuidString, author: thread.authors[p.authorID] ?? "—", when: req.dayTime(p.createdAt),
                    html: SafeMarkdown.html(p.body), isAnswer: p.id == thread.thread.answerPostID, isFirst: i == 0)
            },
            replyAction: path(.reply(id), open), answerAction: path(.answer(id), open),
            canMarkAnswer: open.access.isStaff, replyBody: reply?.body ?? "", replyError: reply?.error
        )
        return try await req.render(
            model, title: "forum.thread.title", titleArgs: ["title": thread.thread.title], tenant: open.tenant,
            status: reply == nil ? .ok : .unprocessableEntity)
    }

    func replyWeb(req: Request) async throws -> Response {
        let (open, forum) = try await openForum(req, web: true)
        let thread = try await forum.thread(req.parameter(ThreadID.self).rawValue)
        let body = try req.content.decode(PostForm.self).body ?? ""
        do {
            _ = try await forum.reply(to: thread.thread, body: body, now: req.application.clock.now())
            req.flash(.success, "forum.replied")
        } catch let error as InputError {
            // Shown again at once, not through a redirect that would lose what was typed.
            let message = error.problems.map { req.t($0.key, $0.args) }.joined(separator: " ")
            return try await renderThread(thread, open, reply: (body, message), req: req)
        }
        return req.seeOther(path(.thread(.value(ThreadID(thread.thread.id!))), open))
    }

    func answerWeb(req: Request) async throws -> Response {
        let (open, forum) = try await openForum(req, web: true)
        let thread = try await forum.thread(req.parameter(ThreadID.self).rawValue)
        let postID = try req.content.decode(PostForm.self).post_id.flatMap(UUID.init(uuidString:))
        try await forum.markAnswer(thread.thread, postID: postID)
        req.flash(.success, postID == nil ? "forum.answer_cleared" : "forum.answer_marked")
        return req.seeOther(path(.thread(.value(ThreadID(thread.thread.id!))), open))
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
        let thread = try await forum.start(
            title: form.title ?? "", body: form.body ?? "", now: req.application.clock.now())
        return try await detail(forum.thread(thread.id)).encodeResponse(status: .created, for: req)
    }

    func threadAPI(req: Request) async throws -> ThreadDetail {
        let (_, forum) = try await openForum(req, web: false)
        return detail(try await forum.thread(req.parameter(ThreadID.self).rawValue))
    }

    func replyAPI(req: Request) async throws -> Response {
        let (_, forum) = try await openForum(req, web: false)
        let thread = try await forum.thread(req.parameter(ThreadID.self).rawValue)
        _ = try await forum.reply(
            to: thread.thread, body: try req.content.decode(PostForm.self).body ?? "", now: req.application.clock.now())
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
