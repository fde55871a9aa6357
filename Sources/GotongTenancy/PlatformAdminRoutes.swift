import Fluent
import GotongPlatform
import Vapor

/// Makes the master template the request's tenant, so the tenant editor can edit it.
package struct MasterTemplateResolver: AsyncMiddleware {
    package init() {}

    package func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        req.setTenant(try await Tenant.master(on: req.database))
        return try await next.respond(to: req)
    }
}

/// The platform administrator's pages: institutions (create, suspend, reactivate), the master
/// template, and the platform-wide audit log.
package struct PlatformAdminRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped(PlatformAdminMiddleware())
        admin.get(TenancyRoute.admin) { req in req.seeOther(TenancyRoute.adminTenants.path) }
        admin.get(TenancyRoute.adminTenants, use: tenants)
        admin.post(TenancyRoute.adminTenants, use: createTenant)
        admin.get(TenancyRoute.tenantCreated(.key), use: tenantCreated)
        admin.post(TenancyRoute.tenantStatus(.key), use: setStatus)
        admin.get(TenancyRoute.platformAudit, use: audit)
        admin.get(PlatformRoute.jobs) { try await JobsPage.render($0) }
        admin.post(PlatformRoute.retryJob(.key)) { try await JobsPage.retry($0) }
        TenantEditor.register(on: admin.grouped(MasterTemplateResolver()), desk: .master)
    }

    struct TenantsModel: Sendable {
        struct Row: Sendable {
            let slug: Param<TenantSlug>; let name: String; let kind: String; let active: Bool; let created: String
        }
        let rows: [Row]
        let total: Int
        let kinds: [SelectOption]
        let values: [String: String]
        let errors: [String: String]
        let query: String
    }

    func tenants(req: Request) async throws -> Response {
        try await renderTenants(req, values: [:], errors: [:])
    }

    private func renderTenants(
        _ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        let search = (req.query[String.self, at: "q"] ?? "").trimmed(max: 100)
        var query = Tenant.listed(on: req.database)
        if !search.isEmpty {
            query = query.group(.or) {
                $0.filter(\.$name, .custom("LIKE"), "%\(search)%").filter(
                    \.$slug, .custom("LIKE"), "%\(search.lowercased())%")
            }
        }
        let total = try await query.count()
        let rows = try await query.sort(\.$createdAt, .descending).limit(100).all()
        let model = TenantsModel(
            rows: rows.map {
                .init(
                    slug: $0.routeSlug, name: $0.name, kind: req.t("tenant.kind.\($0.kind.rawValue)"),
                    active: $0.status == .active, created: shortDate($0.createdAt))
            },
            total: total,
            kinds: Tenant.Kind.allCases.map {
                .init(
                    value: $0.rawValue, label: req.t("tenant.kind.\($0.rawValue)"),
                    selected: values["kind"] == $0.rawValue)
            },
            values: values, errors: errors, query: search
        )
        return try await req.render(model, title: "admin.tenants.title", tenant: nil, status: status)
    }

    struct CreateForm: Content {
        var slug: String
        var name: String
        var kind: String
        var first_admin: String?
    }

    func createTenant(req: Request) async throws -> Response {
        let form = try req.content.decode(CreateForm.self)
        do {
            let result = try await req.provisionTenant(
                .init(
                    slug: form.slug, name: form.name, kind: Tenant.Kind(rawValue: form.kind),
                    firstAdministrator: form.first_admin ?? ""))
            req.flash(.success, "admin.tenants.created", ["name": result.tenant.name])
            if let email = form.first_admin.map(EmailAddress.normalise), !email.isEmpty {
                req.flash(.success, "admin.tenants.invited", ["email": email])
            }
            return req.seeOther(TenancyRoute.tenantCreated(result.tenant.routeSlug).path)
        } catch let error as InputError {
            return try await renderTenants(
                req,
                values: [
                    "slug": form.slug, "name": form.name, "kind": form.kind, "first_admin": form.first_admin ?? "",
                ],
                errors: error.messages(req), status: .unprocessableEntity)
        }
    }

    struct StatusForm: Content { var status: String }

    func setStatus(req: Request) async throws -> Response {
        guard let tenant = try await Tenant.find(slug: req.parameter(TenantSlug.self).rawValue, on: req.database) else {
            throw Abort(.notFound)
        }
        guard let status = Tenant.Status(rawValue: try req.content.decode(StatusForm.self).status) else {
            throw Abort(.badRequest)
        }
        tenant.status = status
        try await tenant.save(on: req.database)
        try await req.audit(
            status == .active ? "tenant.activate" : "tenant.suspend", subject: tenant.slug, tenantID: tenant.id)
        req.flash(
            .success, status == .active ? "admin.tenants.activated" : "admin.tenants.suspended", ["name": tenant.name])
        return req.seeOther(TenancyRoute.adminTenants.path)
    }

    func audit(req: Request) async throws -> Response {
        try await AuditPage.render(req, tenantID: nil, tenant: nil)
    }
}
