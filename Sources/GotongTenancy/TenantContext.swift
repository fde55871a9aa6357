import Fluent
import GotongPlatform
import Vapor

extension Request {
    private struct TenantKey: StorageKey { typealias Value = Tenant }

    /// The tenant named by the `{slug}` of the route, resolved by ``TenantResolver``.
    public var tenant: Tenant {
        get throws {
            guard let tenant = storage[TenantKey.self] else { throw Abort(.notFound) }
            return tenant
        }
    }

    func setTenant(_ tenant: Tenant) { storage[TenantKey.self] = tenant }

    /// The only way handlers reach tenant-owned rows: queries filtered to the route's tenant.
    public var tenantScope: TenantScope {
        get throws { TenantScope(tenantID: try tenant.requireID(), db: db) }
    }

    /// The signed-in person's roles in the route's tenant, read from the memberships the layout
    /// loads anyway, so a page asks the database once.
    public func tenantRoles() async throws -> TenantRoles {
        let tenant = try self.tenant
        return try await TenantRoles.of(viewer) { _ in
            try await myTenants().first { $0.slug == tenant.slug }?.roles ?? []
        }
    }

    /// Allows the request only for a person with one of `roles` in the route's tenant (platform
    /// administrators always pass); 401 when signed out, 403 otherwise.
    @discardableResult
    public func requireTenantRole(_ roles: Set<Role>) async throws -> Viewer {
        let viewer = try requireViewer()
        guard try await tenantRoles().hasAny(roles) else { throw Abort(.forbidden) }
        return viewer
    }
}

/// Resolves `{tenantSlug}` to a tenant for every route under ``TenancyRoute`` (`/t/{tenantSlug}`
/// and `/api/v1/tenants/{tenantSlug}`).
/// Unknown slugs and the master template answer 404. A suspended tenant's pages are closed to
/// everyone but platform administrators, with a page that says why.
package struct TenantResolver: AsyncMiddleware {
    /// The page a suspended tenant's visitors see instead.
    struct SuspendedModel: Sendable { let name: String }

    package init() {}

    package func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let slug = try? req.parameter(TenantSlug.self).rawValue, Tenant.isValidSlug(slug),
            let tenant = try await req.application.tenantLookup(slug, req)
        else {
            throw Abort(.notFound)
        }
        req.setTenant(tenant)
        if tenant.status == .suspended, req.viewer?.isPlatformAdmin != true {
            if Surface.of(req) == .api {
                throw LocalizedAbort(.forbidden, req.t("tenant.suspended.detail", ["name": tenant.name]))
            }
            return try await req.render(
                SuspendedModel(name: tenant.name), title: "tenant.suspended.title", tenant: tenant,
                status: .forbidden)
        }
        return try await next.respond(to: req)
    }
}

/// Lets only people with one of `roles` in the route's tenant through (platform administrators
/// always); 401 when signed out, 403 otherwise.
public struct TenantRoleMiddleware: AsyncMiddleware {
    let roles: Set<Role>

    public init(roles: Set<Role>) { self.roles = roles }

    public func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await req.requireTenantRole(roles)
        return try await next.respond(to: req)
    }
}

extension Request {
    /// A page (``PageBody``) in the frame, branded with `tenant` when one is given: its name,
    /// colour and logo, and the administration links the signed-in person's roles there open.
    public func render(
        _ body: some PageBody, title: String, titleArgs: [String: String] = [:], tenant: Tenant?,
        status: HTTPStatus = .ok, needsToken: Bool = true
    ) async throws -> Response {
        try await render(
            body, title: title, titleArgs: titleArgs, brand: brand(tenant), status: status, needsToken: needsToken)
    }

    /// The tenant's branding of the frame, with the administration links the viewer's roles open.
    private func brand(_ tenant: Tenant?) async throws -> LayoutContext.TenantBrand? {
        guard let tenant else { return nil }
        let roles = try await myTenants().first { $0.slug == tenant.slug }?.roles ?? []
        let canManage = viewer?.isPlatformAdmin == true || roles.contains(.admin)
        return .init(
            slug: tenant.slug, name: tenant.name, tagline: tenant.tagline, color: tenant.primaryColor,
            logoURL: tenant.logoPath == nil ? nil : TenancyRoute.logo(tenant.routeSlug).path, canManage: canManage,
            canManageCourses: canManage || roles.contains(.pengelola)
        )
    }
}

/// Sets up what Tenancy offers the modules above it and the page frame.
public enum Tenancy {
    public static func setUp(_ app: Application) {
        let kept = KeptMemberships()
        app.keptMemberships = kept
        // A role given or taken, or a tenant renamed, makes the kept lists old. A new tenant has
        // no members yet (and the master template is written before the versions' table).
        app.databases.middleware.use(ModelChangeMiddleware<Membership>.raising(kept.version))
        app.databases.middleware.use(ModelChangeMiddleware<Tenant>.raising(kept.version, onCreate: false))
        app.tenantMenu = { req in
            try await req.myTenants().map { .init(slug: $0.slug, name: $0.name, color: $0.color) }
        }
    }
}

/// Finds the tenant a route's `{slug}` names. Catalog sets one that keeps tenants per process
/// while its catalogue version is unchanged; without it every request reads the table.
public typealias TenantLookup = @Sendable (String, Request) async throws -> Tenant?

extension Application {
    private struct TenantLookupKey: StorageKey { typealias Value = TenantLookup }

    public var tenantLookup: TenantLookup {
        get { storage[TenantLookupKey.self] ?? { slug, req in try await Tenant.find(slug: slug, on: req.database) } }
        set { storage[TenantLookupKey.self] = newValue }
    }
}
