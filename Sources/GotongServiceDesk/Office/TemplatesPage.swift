import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The tenant's quick replies, kept by its administrators and coordinators.
package struct TemplatesPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(DeskRoute.templates(.key), use: show)
        tenant.post(DeskRoute.templates(.key), use: add)
        tenant.post(DeskRoute.templatesRemove(.key), use: remove)
    }

    private func scope(_ req: Request) async throws -> TenantScope {
        try await DeskSetup.administered(req, by: [.admin, .pengelola])
    }

    func show(req: Request) async throws -> Response {
        try await render(req, try await scope(req), errors: [:], values: [:])
    }

    private func render(
        _ req: Request, _ scope: TenantScope, errors: [String: String], values: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let model = TemplatesModel(
            slug: try req.tenant.routeSlug, templates: try await scope.query(DeskTemplate.self).sort(\.$title).all(),
            errors: errors, values: values)
        return try await req.render(model, title: "desk.templates.title", tenant: try req.tenant, status: status)
    }

    struct AddForm: Content { var title, body: String? }

    func add(req: Request) async throws -> Response {
        let scope = try await scope(req)
        let form = try req.content.decode(AddForm.self)
        do {
            try await QuickReplies.add(title: form.title, body: form.body, in: scope, now: req.application.clock.now())
            try await req.audit("desk.template.add", subject: form.title ?? "", tenantID: scope.tenantID)
            req.flash(.success, "desk.templates.added")
            return req.seeOther(DeskRoute.templates(try req.tenant.routeSlug).path)
        } catch let error as InputError {
            return try await render(
                req, scope, errors: error.messages(req), values: ["title": form.title ?? "", "body": form.body ?? ""],
                status: error.status)
        }
    }

    struct RemoveForm: Content { var id: String? }

    func remove(req: Request) async throws -> Response {
        let scope = try await scope(req)
        let id = try QueryValue.id(try req.content.decode(RemoveForm.self).id, field: "id")
        guard let template = try await scope.find(DeskTemplate.self, id) else { throw Abort(.notFound) }
        try await scope.db.lockingTransaction { tx in try await template.delete(on: tx) }
        try await req.audit("desk.template.remove", subject: template.title, tenantID: scope.tenantID)
        req.flash(.success, "desk.units.removed")
        return req.seeOther(DeskRoute.templates(try req.tenant.routeSlug).path)
    }
}

struct TemplatesModel: PageBody {
    let slug: Param<TenantSlug>
    let templates: [DeskTemplate]
    let errors: [String: String]
    let values: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.queue(slug).path).raw("\">").text(t("desk.queue.back"))
            .raw("</a></p>\n<h1>").text(t("desk.templates.heading")).raw("</h1>\n<p>").text(t("desk.templates.lead"))
            .raw("</p>\n<ul class=\"list\">\n")
        for template in templates {
            h.raw("<li><strong>").text(template.title).raw("</strong><br>").text(template.body).raw(" ")
            h.postForm(DeskRoute.templatesRemove(slug).path, csrf: csrf, class: "inline")
                .raw("<input type=\"hidden\" name=\"id\" value=\"").attr(template.id?.uuidString ?? "")
                .raw("\"><button type=\"submit\" class=\"small secondary\" aria-label=\"")
                .attr(t("desk.units.remove_named", ["name": template.title])).raw("\">").text(t("desk.units.remove"))
                .raw("</button></form></li>\n")
        }
        h.raw("</ul>\n")
        h.postForm(DeskRoute.templates(slug).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "title", label: t("desk.templates.name"), value: values["title"], error: errors["title"], max: 120,
                    required: true)
            )
            .textField(
                TextField(
                    "body", label: t("desk.office.message"), value: values["body"], error: errors["body"],
                    hint: t("desk.templates.hint"), kind: .area(rows: 4), max: 4000, required: true)
            )
            .raw("<button type=\"submit\">").text(t("desk.templates.add")).raw("</button>\n</form>\n")
    }
}
