import Fluent
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
        guard let person else { return TenantRoles(roles: []) }
        if person.isPlatformAdmin { return TenantRoles(roles: Set(Role.allCases)) }
        let roles = try await myTenants().first { $0.slug == tenant.slug }?.roles ?? []
        return TenantRoles(roles: Set(roles))
    }

    /// Allows the request only for a person with one of `roles` in the route's tenant (platform
    /// administrators always pass); 401 when signed out, 403 otherwise.
    @discardableResult
    public func requireTenantRole(_ roles: Set<Role>) async throws -> Person {
        let person = try requirePerson()
        guard try await tenantRoles().hasAny(roles) else { throw Abort(.forbidden) }
        return person
    }
}

/// Resolves `{slug}` to a tenant for every route under `/t/{slug}` and `/api/v1/tenants/{slug}`.
/// Unknown slugs and the master template answer 404. A suspended tenant's pages are closed to
/// everyone but platform administrators, with a page that says why.
struct TenantResolver: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let slug = req.parameters.get("slug"), let tenant = try await Tenant.cached(slug: slug, on: req) else {
            throw Abort(.notFound)
        }
        req.setTenant(tenant)
        if tenant.status == .suspended, req.person?.isPlatformAdmin != true {
            if Surface.of(req) == .api {
                throw LocalizedAbort(.forbidden, req.t("tenant.suspended.detail", ["name": tenant.name]))
            }
            struct Suspended: Encodable, Sendable { let name: String }
            return try await req.render("tenancy/suspended", title: "tenant.suspended.title",
                                        page: Suspended(name: tenant.name), tenant: tenant, status: .forbidden)
        }
        return try await next.respond(to: req)
    }
}
