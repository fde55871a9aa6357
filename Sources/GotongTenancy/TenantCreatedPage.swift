import Fluent
import Foundation
import GotongPlatform
import Vapor

/// What follows the creation of an institution: where its storefront is, and the next steps
/// (its profile and look, its people and courses, then a look at it as a learner), linked to
/// the desk pages the modules offer for it (``DeskTools``).
struct TenantCreatedModel: Sendable {
    struct Link: Sendable {
        let label: String
        let url: String
    }
    let name: String
    let storefrontURL: String
    let deskURL: String
    let tools: [Link]
}

extension PlatformAdminRoutes {
    func tenantCreated(req: Request) async throws -> Response {
        let slug = try req.parameter(TenantSlug.self)
        guard let tenant = try await Tenant.query(on: req.database).filter(\.$slug == slug.rawValue).first(),
            !tenant.isMaster
        else { throw Abort(.notFound) }
        let desk = TenantDesk.tenant(tenant.routeSlug)
        let model = TenantCreatedModel(
            name: tenant.name, storefrontURL: TenancyRoute.pages(tenant.routeSlug).path,
            deskURL: TenancyRoute.desk(desk).path,
            tools: req.application.deskTools.links(at: desk).map { .init(label: req.t($0.label), url: $0.path) })
        return try await req.render(
            model, title: "admin.tenants.next.title", titleArgs: ["name": tenant.name], brand: nil)
    }
}

extension TenantCreatedModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let base = t("admin.tenants.next.storefront", ["url": "{url}"]).components(separatedBy: "{url}")
        h.raw("<h1>").icon(.check).raw(" ").text(t("admin.tenants.next.title", ["name": name])).raw("</h1>\n<p>")
            .text(base.first ?? "").raw("<a href=\"").attr(storefrontURL).raw("\">").text(storefrontURL).raw("</a>")
            .text(base.dropFirst().joined()).raw("</p>\n<h2>").text(t("admin.tenants.next.heading"))
            .raw("</h2>\n<ol class=\"next-steps\">\n<li><a href=\"").attr(deskURL).raw("\">")
            .text(t("admin.tenants.next.profile")).raw("</a></li>\n")
        if !tools.isEmpty {
            h.raw("<li>").text(t("admin.tenants.next.tools")).raw(" ")
            for (i, tool) in tools.enumerated() {
                h.raw(i == 0 ? "" : " · ").raw("<a href=\"").attr(tool.url).raw("\">").text(tool.label).raw("</a>")
            }
            h.raw("</li>\n")
        }
        h.raw("<li><a href=\"").attr(storefrontURL).raw("\">").text(t("admin.tenants.next.view")).raw(
            "</a></li>\n</ol>\n"
        )
        .raw("<p><a href=\"").attr(TenancyRoute.adminTenants.path).raw("\">").text(t("admin.tenants.next.back"))
        .raw("</a></p>\n")
    }
}
