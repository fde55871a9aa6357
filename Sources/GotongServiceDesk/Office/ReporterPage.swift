import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The data protection officer's page: who reported a case, by its number — the one place an
/// anonymous reporter's identity is shown. Only a person the tenant's administrator made its
/// data protection officer may open it (not the administrators themselves, not the platform's
/// operators); every look is in the audit log with the case's number.
package struct ReporterPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.resolvingTenant().get(DeskRoute.reporter(.key), use: show)
    }

    func show(req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let scope = try req.tenantScope
        guard try await DeskSetup.settings(scope) != nil else { throw Abort(.notFound) }
        guard try await scope.query(DeskStaff.self).filter(\.$personID == viewer.id).filter(\.$role == .dpo).count() > 0
        else { throw Abort(.forbidden) }
        let typed = req.query[String.self, at: "nomor"]?.trimmingCharacters(in: .whitespaces) ?? ""
        var found: (DeskCase, DeskReporter)?
        var error: String?
        if !typed.isEmpty {
            if let number = CaseNumber(typed),
                let item = try await scope.query(DeskCase.self).filter(\.$number == number.description).first(),
                let reporter = try await scope.query(DeskReporter.self).filter(\.$caseID == item.requireID()).first()
            {
                found = (item, reporter)
                try await req.audit("desk.reporter.view", subject: item.number, tenantID: scope.tenantID)
            } else {
                error = req.t("desk.reporter.not_found")
            }
        }
        let response = try await req.render(
            ReporterModel(slug: try req.tenant.routeSlug, typed: typed, found: found, error: error),
            title: "desk.reporter.title", tenant: try req.tenant)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

struct ReporterModel: PageBody {
    let slug: Param<TenantSlug>
    let typed: String
    let found: (DeskCase, DeskReporter)?
    let error: String?

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("desk.reporter.heading")).raw("</h1>\n<p>").text(t("desk.reporter.lead")).raw("</p>\n")
        h.raw("<form method=\"get\" action=\"").attr(DeskRoute.reporter(slug).path).raw("\" class=\"form\">\n")
            .textField(
                TextField(
                    "nomor", label: t("desk.field.number"), value: typed, error: error, max: 20,
                    attributes: " autocapitalize=\"characters\"")
            )
            .raw("<button type=\"submit\">").text(t("desk.reporter.look_up")).raw("</button>\n</form>\n")
        guard let (item, reporter) = found else { return }
        h.raw("<h2>").text(item.number).raw("</h2>\n<dl class=\"facts\">\n")
        for (label, value) in [
            (t("desk.field.privacy"), t("desk.privacy.\(item.privacy.rawValue)")),
            (t("desk.reporter.name"), reporter.name),
            (t("desk.reporter.phone"), reporter.phone), (t("desk.reporter.email"), reporter.email),
            (t("desk.reporter.nik"), reporter.nik),
        ] {
            h.raw("<dt>").text(label).raw("</dt><dd>").text(value.isEmpty ? "–" : value).raw("</dd>\n")
        }
        h.raw("</dl>\n<p class=\"hint\">").text(t("desk.reporter.recorded")).raw("</p>\n")
    }
}
