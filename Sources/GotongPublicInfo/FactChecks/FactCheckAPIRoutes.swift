import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged
import Vapor

/// Hoax notices in the JSON API: read by anyone; written, changed and removed by the tenant's
/// administrators and coordinators (bearer token, audited).
package struct FactCheckAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoAPIRoute.factChecks(.key), use: list)
        tenant.post(InfoAPIRoute.factChecks(.key), use: create)
        tenant.get(InfoAPIRoute.factCheck(.key, .key), use: show)
        tenant.on(.PUT, InfoAPIRoute.factCheck(.key, .key), use: update)
        tenant.on(.DELETE, InfoAPIRoute.factCheck(.key, .key), use: delete)
    }

    struct Input: Content {
        struct Source: Content { var title, url: String? }
        var claim, verdict, explanation, seen_on: String?
        var sources: [Source]?

        var draft: FactChecks.Draft {
            var d = FactChecks.Draft()
            (d.claim, d.verdict, d.explanation, d.seenOn) = (claim, verdict, explanation, seen_on)
            d.sources = (sources ?? []).map { ($0.title ?? "", $0.url ?? "") }
            return d
        }
    }

    struct Item: Content {
        var id, claim, verdict, explanation, seen_on, created_at, updated_at, url: String
        var sources: [FactCheck.Source]

        init(_ row: FactCheck, _ slug: Param<TenantSlug>) {
            (id, claim, verdict, explanation, seen_on) = (
                row.id?.uuidString ?? "", row.claim, row.verdict.rawValue, row.explanation, row.seenOn
            )
            (created_at, updated_at, sources) = (
                LocalDates.iso(row.createdAt), LocalDates.iso(row.updatedAt), row.sources
            )
            url = InfoRoute.factCheck(slug, .value(.init(row.id ?? UUID()))).path
        }
    }

    struct Page: Content {
        var fact_checks: [Item]
        var page, pages, total: Int
    }

    func list(req: Request) async throws -> Page {
        let scope = try await DocumentPages.scope(req)
        let verdict = try QueryValue.choice(
            req.query[String.self, at: "verdict"], field: "verdict", as: FactCheck.Verdict.self)
        let (rows, window) = try await FactChecks.list(scope, verdict: verdict, page: try req.pageNumber("page"))
        let slug = try req.tenant.routeSlug
        return Page(
            fact_checks: rows.map { Item($0, slug) }, page: window.page, pages: window.pages, total: window.total)
    }

    private func id(_ req: Request) throws -> UUID { try req.parameter(Tagged<FactCheck, UUID>.self).rawValue }

    func show(req: Request) async throws -> Item {
        let scope = try await DocumentPages.scope(req)
        guard let row = try await scope.find(FactCheck.self, try id(req)) else { throw Abort(.notFound) }
        return Item(row, try req.tenant.routeSlug)
    }

    func create(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await FactChecks.add(
            try req.content.decode(Input.self).draft, in: scope, now: req.application.clock.now())
        try await req.audit("info.fact.add", subject: row.claim, tenantID: scope.tenantID)
        let slug = try req.tenant.routeSlug
        let response = try await Item(row, slug).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: InfoAPIRoute.factCheck(slug, .value(.init(row.id ?? UUID()))).path)
        return response
    }

    func update(req: Request) async throws -> Item {
        let scope = try await ServiceEditor.scope(req)
        let row = try await FactChecks.update(
            try id(req), try req.content.decode(Input.self).draft, in: scope, now: req.application.clock.now())
        try await req.audit("info.fact.update", subject: row.claim, tenantID: scope.tenantID)
        return Item(row, try req.tenant.routeSlug)
    }

    func delete(req: Request) async throws -> HTTPStatus {
        let scope = try await ServiceEditor.scope(req)
        let row = try await FactChecks.remove(try id(req), in: scope)
        try await req.audit("info.fact.remove", subject: row.claim, tenantID: scope.tenantID)
        return .noContent
    }
}
