import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Vapor

/// The site's posts in the JSON API: those shown now, read by anyone; all of them, with each
/// channel's send and figures, and writing them, for the tenant's administrators and
/// coordinators (bearer token, audited). Images are added on the editor's page.
package struct PostAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoAPIRoute.posts(.key), use: list)
        tenant.post(InfoAPIRoute.posts(.key), use: create)
        tenant.get(InfoAPIRoute.post(.key, .key), use: show)
        tenant.on(.PUT, InfoAPIRoute.post(.key, .key), use: update)
        tenant.on(.DELETE, InfoAPIRoute.post(.key, .key), use: delete)
        tenant.on(
            .POST, InfoAPIRoute.postFigures(.key), body: .collect(maxSize: PostFigureImport.maxRequest), use: figures)
    }

    struct Input: Content {
        var kind, title, body, image_text, publish_at, expires_at: String?
        var channels: [String]?

        var draft: Posts.Draft {
            var d = Posts.Draft()
            (d.kind, d.title, d.body, d.imageText) = (kind, title, body, image_text)
            (d.publishAt, d.expiresAt, d.channels) = (publish_at, expires_at, channels ?? [])
            return d
        }
    }

    struct Delivery: Content {
        var channel, state, last_error, platform_id: String
        var total, sent, failed: Int
    }

    struct Figures: Content {
        var channel, imported_at: String
        var reach, views, likes, comments, shares: Int
    }

    struct Item: Content {
        var id, kind, title, body, image_text, publish_at, state, url: String
        var expires_at, image_url, sent_at: String?
        var channels: [String]
        var deliveries: [Delivery]?
        var figures: [Figures]?

        init(_ row: InfoPost, _ slug: Param<TenantSlug>, now: Date) {
            let id = Param<PostID>.value(.init(row.id ?? UUID()))
            (self.id, kind, title, body, image_text) = (
                row.id?.uuidString ?? "", row.kind.rawValue, row.title, row.body, row.imageText
            )
            (publish_at, expires_at, sent_at) = (
                LocalDates.iso(row.publishAt), row.expiresAt.map(LocalDates.iso), row.sentAt.map(LocalDates.iso)
            )
            state = row.state(at: now).rawValue
            (url, image_url) = (
                InfoRoute.post(slug, id).path, row.imageKey.map { _ in PostImage.address(row, slug: slug) }
            )
            channels = row.channels.map(\.rawValue)
        }
    }

    struct Page: Content {
        var posts: [Item]
        var page, pages, total: Int
    }

    /// The posts shown now (`?kind=&page=`); with `?all=1`, for officers, every post.
    func list(req: Request) async throws -> Page {
        let now = req.application.clock.now()
        let page = try req.pageNumber("page")
        let (rows, window): ([InfoPost], PageWindow)
        if try req.queryFlag("all") == true {
            (rows, window) = try await Posts.all(try await ServiceEditor.scope(req), page: page)
        } else {
            let kind = try QueryValue.choice(req.query[String.self, at: "kind"], field: "kind", as: InfoPost.Kind.self)
            (rows, window) = try await Posts.live(try await DocumentPages.scope(req), kind: kind, page: page, now: now)
        }
        let slug = try req.tenant.routeSlug
        return Page(
            posts: rows.map { Item($0, slug, now: now) }, page: window.page, pages: window.pages, total: window.total)
    }

    private func id(_ req: Request) throws -> UUID { try req.parameter(PostID.self).rawValue }

    /// A post shown now, to anyone; any post, with its sends and figures, to its officers.
    func show(req: Request) async throws -> Item {
        let scope = try await DocumentPages.scope(req)
        let now = req.application.clock.now()
        guard let row = try await scope.find(InfoPost.self, try id(req)) else { throw Abort(.notFound) }
        let officer = (try? await ServiceEditor.scope(req)) != nil
        guard officer || row.publishAt <= now else { throw Abort(.notFound) }
        var item = Item(row, try req.tenant.routeSlug, now: now)
        if officer { try await detail(&item, row, scope) }
        return item
    }

    private func detail(_ item: inout Item, _ row: InfoPost, _ scope: TenantScope) async throws {
        let id = try row.requireID()
        item.deliveries = try await Outbox.deliveries(of: id, in: scope).map {
            Delivery(
                channel: $0.channel.rawValue, state: $0.state.rawValue, last_error: $0.lastError,
                platform_id: $0.externalID, total: $0.total, sent: $0.sent, failed: $0.failed)
        }
        item.figures = try await scope.query(InfoPostFigures.self).filter(\.$postID == id).all().map {
            Figures(
                channel: $0.channel.rawValue, imported_at: LocalDates.iso($0.importedAt), reach: $0.reach,
                views: $0.views, likes: $0.likes, comments: $0.comments, shares: $0.shares)
        }
    }

    func create(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let now = req.application.clock.now()
        let row = try await Posts.add(
            try req.content.decode(Input.self).draft, image: nil, in: scope, files: req.application.files, now: now)
        try await req.audit("info.post.add", subject: row.title, tenantID: scope.tenantID)
        let slug = try req.tenant.routeSlug
        var item = Item(row, slug, now: now)
        try await detail(&item, row, scope)
        let response = try await item.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: InfoAPIRoute.post(slug, .value(.init(row.id ?? UUID()))).path)
        return response
    }

    func update(req: Request) async throws -> Item {
        let scope = try await ServiceEditor.scope(req)
        let now = req.application.clock.now()
        let row = try await Posts.update(
            try id(req), try req.content.decode(Input.self).draft, image: nil, in: scope, files: req.application.files,
            now: now)
        try await req.audit("info.post.update", subject: row.title, tenantID: scope.tenantID)
        var item = Item(row, try req.tenant.routeSlug, now: now)
        try await detail(&item, row, scope)
        return item
    }

    func delete(req: Request) async throws -> HTTPStatus {
        let scope = try await ServiceEditor.scope(req)
        let row = try await Posts.remove(try id(req), in: scope, files: req.application.files)
        try await req.audit("info.post.remove", subject: row.title, tenantID: scope.tenantID)
        return .noContent
    }

    struct Imported: Content { var imported: Int }

    /// The platforms' figures as CSV (the body, `text/csv`).
    func figures(req: Request) async throws -> Imported {
        let scope = try await ServiceEditor.scope(req)
        let text = try PostFigureImport.text(req.body.data.map { Data(buffer: $0) } ?? Data())
        let count = try await PostFigureImport.run(text, in: scope, now: req.application.clock.now())
        try await req.audit("info.post.figures", subject: "\(count)", tenantID: scope.tenantID)
        return Imported(imported: count)
    }
}
