import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Vapor

/// The site's posts ("Kabar"): announcements, campaigns and public education, newest first,
/// with an Atom feed; each post's page and image. The officers' editor writes them with a
/// schedule, an expiry and the channels to send them to — with each channel's text previewed —
/// and follows each send, sends a failed one again, and imports what the platforms counted.
package struct PostPages: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoRoute.posts(.key), use: list)
        tenant.get(InfoRoute.postFeed(.key), use: feed)
        tenant.get(InfoRoute.post(.key, .key), use: show)
        tenant.get(InfoRoute.postImage(.key, .key), use: image)
        tenant.get(InfoRoute.postEditor(.key), use: editor)
        tenant.upload(.POST, InfoRoute.postEditor(.key), maxSize: Posts.maxRequest, use: add)
        tenant.get(InfoRoute.postEdit(.key, .key), use: edit)
        tenant.upload(.POST, InfoRoute.postEdit(.key, .key), maxSize: Posts.maxRequest, use: save)
        tenant.post(InfoRoute.postRemove(.key, .key), use: remove)
        tenant.post(InfoRoute.postRetry(.key, .key), use: retry)
        tenant.upload(.POST, InfoRoute.postFigures(.key), maxSize: PostFigureImport.maxRequest, use: figures)
    }

    func list(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let kind = try QueryValue.choice(req.query[String.self, at: "jenis"], field: "jenis", as: InfoPost.Kind.self)
        let (rows, window) = try await Posts.live(
            scope, kind: kind, page: try req.pageNumber("halaman"), now: req.application.clock.now())
        let model = PostListModel(
            slug: try req.tenant.routeSlug, tenant: try req.tenant.name, kind: kind, rows: rows, window: window)
        return try await req.render(model, title: "info.posts.title", tenant: try req.tenant, needsToken: false)
    }

    /// The post, to anyone once it is published (an expired one stays, marked as over); before
    /// that only to the officers, from the editor.
    private func post(_ req: Request, _ scope: TenantScope) async throws -> InfoPost {
        guard let row = try await scope.find(InfoPost.self, try req.parameter(PostID.self).rawValue),
            row.publishAt <= req.application.clock.now()
        else { throw Abort(.notFound) }
        return row
    }

    func show(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let row = try await post(req, scope)
        let model = PostPageModel(slug: try req.tenant.routeSlug, row: row, now: req.application.clock.now())
        return try await req.render(
            model, title: "info.posts.post_title", titleArgs: ["title": row.title], tenant: try req.tenant,
            needsToken: false)
    }

    func image(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let row = try await post(req, scope)
        guard let key = row.imageKey, let kind = FileKind.of(key: key) else { throw Abort(.notFound) }
        let response = try await req.application.files.serve(key, as: kind.mediaType, for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=86400")
        return response
    }

    /// The latest 50 posts shown now, as an Atom feed.
    func feed(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let now = req.application.clock.now()
        let (rows, _) = try await Posts.live(scope, kind: nil, page: 1, now: now, per: 50)
        let xml = PostFeed.atom(
            rows, tenant: try req.tenant.name, slug: try req.tenant.routeSlug, base: req.application.gotong.baseURL,
            now: now, texts: req.texts)
        let response = Response(status: .ok, body: .init(string: xml))
        response.headers.replaceOrAdd(name: .contentType, value: "application/atom+xml; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return response
    }

    func editor(req: Request) async throws -> Response {
        try await renderEditor(req, try await ServiceEditor.scope(req), values: [:], errors: [:])
    }

    private func renderEditor(
        _ req: Request, _ scope: TenantScope, values: [String: String], errors: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let (rows, window) = try await Posts.all(scope, page: try req.pageNumber("halaman"))
        let model = PostEditorModel(
            slug: try req.tenant.routeSlug, rows: rows, window: window, now: req.application.clock.now(),
            values: values, errors: errors)
        return try await req.render(model, title: "info.posts.editor_title", tenant: try req.tenant, status: status)
    }

    /// The fields of the post form, and the draft they make.
    enum Form {
        static let fields =
            ["kind", "title", "body", "image_text", "publish_at", "expires_at", "remove_image"]
            + PostRules.channels.map { "channel_" + $0.rawValue }

        static func draft(_ values: [String: String]) -> Posts.Draft {
            var d = Posts.Draft()
            (d.kind, d.title, d.body, d.imageText) = (
                values["kind"], values["title"], values["body"], values["image_text"]
            )
            (d.publishAt, d.expiresAt) = (values["publish_at"], values["expires_at"])
            d.channels = PostRules.channels.map(\.rawValue).filter { values["channel_" + $0] != nil }
            d.removeImage = values["remove_image"] != nil
            return d
        }

        static func values(of row: InfoPost) -> [String: String] {
            var values = [
                "kind": row.kind.rawValue, "title": row.title, "body": row.body, "image_text": row.imageText,
                "publish_at": LocalDates.formValue(moment: row.publishAt),
                "expires_at": LocalDates.formValue(moment: row.expiresAt),
            ]
            for channel in row.channels { values["channel_" + channel.rawValue] = "1" }
            return values
        }
    }

    func add(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let form = try await req.receivedForm()
        let values = form.values.filter { Form.fields.contains($0.key) }
        do {
            let row = try await Posts.add(
                Form.draft(values), image: form.files[Posts.imageField], in: scope, files: req.application.files,
                now: req.application.clock.now())
            try await req.audit("info.post.add", subject: row.title, tenantID: scope.tenantID)
            req.flash(.success, "info.posts.saved")
            return req.seeOther(InfoRoute.postEdit(try req.tenant.routeSlug, .value(.init(row.id ?? UUID()))).path)
        } catch let error as InputError {
            return try await renderEditor(req, scope, values: values, errors: error.messages(req), status: error.status)
        }
    }

    private func owned(_ req: Request, _ scope: TenantScope) async throws -> InfoPost {
        try await scope.require(InfoPost.self, try req.parameter(PostID.self).rawValue)
    }

    func edit(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await owned(req, scope)
        return try await renderEdit(req, scope, row, values: Form.values(of: row), errors: [:])
    }

    private func renderEdit(
        _ req: Request, _ scope: TenantScope, _ row: InfoPost, values: [String: String], errors: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let slug = try req.tenant.routeSlug
        let id = try row.requireID()
        let model = PostEditModel(
            slug: slug, row: row, now: req.application.clock.now(), values: values, errors: errors,
            previews: Posts.publications(row, slug: slug, base: req.application.gotong.baseURL),
            deliveries: try await Outbox.deliveries(of: id, in: scope),
            figures: try await scope.query(InfoPostFigures.self).filter(\.$postID == id).all(),
            connected: try await Outbox.connected(scope),
            subscribers: try await Outbox.subscribers(on: .whatsapp, in: scope))
        return try await req.render(model, title: "info.posts.edit_title", tenant: try req.tenant, status: status)
    }

    func save(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await owned(req, scope)
        let form = try await req.receivedForm()
        let values = form.values.filter { Form.fields.contains($0.key) }
        do {
            let saved = try await Posts.update(
                try row.requireID(), Form.draft(values), image: form.files[Posts.imageField], in: scope,
                files: req.application.files, now: req.application.clock.now())
            try await req.audit("info.post.update", subject: saved.title, tenantID: scope.tenantID)
            req.flash(.success, "info.editor.saved")
            return req.seeOther(InfoRoute.postEdit(try req.tenant.routeSlug, .value(.init(saved.id ?? UUID()))).path)
        } catch let error as InputError {
            return try await renderEdit(
                req, scope, row, values: values, errors: error.messages(req), status: error.status)
        }
    }

    func remove(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await Posts.remove(
            try await owned(req, scope).requireID(), in: scope, files: req.application.files)
        try await req.audit("info.post.remove", subject: row.title, tenantID: scope.tenantID)
        req.flash(.success, "info.posts.removed")
        return req.seeOther(InfoRoute.postEditor(try req.tenant.routeSlug).path)
    }

    struct RetryForm: Content { var channel: String? }

    func retry(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await owned(req, scope)
        let channel = try QueryValue.choice(
            try req.content.decode(RetryForm.self).channel, field: "channel", as: DeskCase.Channel.self)
        guard let channel else { throw Abort(.badRequest) }
        let count = try await Outbox.retry(
            post: try row.requireID(), on: channel, in: scope, now: req.application.clock.now())
        try await req.audit("info.post.retry", subject: "\(row.title) · \(channel.rawValue)", tenantID: scope.tenantID)
        req.flash(.success, "info.posts.retried", ["count": String(count)])
        return req.seeOther(InfoRoute.postEdit(try req.tenant.routeSlug, .value(.init(row.id ?? UUID()))).path)
    }

    func figures(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let form = try await req.receivedForm()
        do {
            let text = try await PostFigureImport.text(form.files[PostFigureImport.field])
            let count = try await PostFigureImport.run(text, in: scope, now: req.application.clock.now())
            try await req.audit("info.post.figures", subject: "\(count)", tenantID: scope.tenantID)
            req.flash(.success, "info.posts.figures_imported", ["count": String(count)])
            return req.seeOther(InfoRoute.postEditor(try req.tenant.routeSlug).path)
        } catch let error as InputError {
            let messages = error.problems.prefix(20).map { problem in
                (problem.row.map { req.t("info.posts.figures_row", ["row": String($0)]) + " " } ?? "")
                    + req.t(problem.key, problem.args)
            }
            return try await renderEditor(
                req, scope, values: [:], errors: [PostFigureImport.field: messages.joined(separator: " · ")],
                status: error.status)
        }
    }
}
