import Fluent
import Foundation
import GotongPlatform
import Vapor

/// Tenancy's part of the JSON API under `/api/v1`: the institutions.
package struct TenancyAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(TenancyRoute.apiTenants, use: listTenants)
        routes.post(TenancyRoute.apiTenants, use: createTenant)
        let tenant = routes.resolvingTenant()
        tenant.get(TenancyRoute.api(.key), use: showTenant)
        tenant.patch(TenancyRoute.api(.key), use: updateTenant)
    }

    // MARK: Tenants

    struct TenantResponse: Content {
        var id: UUID
        var slug: String
        var name: String
        var kind: Tenant.Kind
        var status: Tenant.Status
        var description: String
        var tagline: String
        var primary_color: String
        var contact_email: String
        var contact_phone: String
        var address: String
        var website: String
        var url: String
        var provisioning_ms: Double?

        init(_ tenant: Tenant, baseURL: String, provisioningMS: Double? = nil) {
            id = tenant.id!
            slug = tenant.slug
            name = tenant.name
            kind = tenant.kind
            status = tenant.status
            description = tenant.description
            tagline = tenant.tagline
            primary_color = tenant.primaryColor
            contact_email = tenant.contactEmail
            contact_phone = tenant.contactPhone
            address = tenant.address
            website = tenant.website
            url = "\(baseURL)/t/\(tenant.slug)"
            provisioning_ms = provisioningMS
        }
    }

    struct TenantList: Content { var tenants: [TenantResponse] }

    func listTenants(req: Request) async throws -> TenantList {
        var query = Tenant.listed(on: req.database)
        if req.viewer?.isPlatformAdmin != true { query = query.filter(\.$status == .active) }
        let base = req.application.gotong.baseURL
        return TenantList(tenants: try await query.sort(\.$name).all().map { TenantResponse($0, baseURL: base) })
    }

    struct CreateTenantRequest: Content {
        var slug: String
        var name: String
        var kind: String
        var first_admin: String?
    }

    func createTenant(req: Request) async throws -> Response {
        try req.requirePlatformAdmin()
        let body = try req.content.decode(CreateTenantRequest.self)
        let result = try await req.provisionTenant(
            .init(
                slug: body.slug, name: body.name, kind: Tenant.Kind(rawValue: body.kind),
                firstAdministrator: body.first_admin ?? ""))
        return try await TenantResponse(
            result.tenant, baseURL: req.application.gotong.baseURL, provisioningMS: result.milliseconds
        )
        .encodeResponse(status: .created, for: req)
    }

    func showTenant(req: Request) async throws -> TenantResponse {
        TenantResponse(try req.tenant, baseURL: req.application.gotong.baseURL)
    }

    struct UpdateTenantRequest: Content {
        var name: String?
        var description: String?
        var tagline: String?
        var primary_color: String?
        var contact_email: String?
        var contact_phone: String?
        var address: String?
        var website: String?
        var status: String?
    }

    func updateTenant(req: Request) async throws -> TenantResponse {
        let viewer = try await req.requireTenantRole([.admin])
        let tenant = try req.tenant
        let body = try req.content.decode(UpdateTenantRequest.self)
        let change = TenantProfileChange(
            name: body.name, description: body.description, tagline: body.tagline, primaryColor: body.primary_color,
            contactEmail: body.contact_email, contactPhone: body.contact_phone, address: body.address,
            website: body.website
        )
        var problems = change.problems()
        var status = tenant.status
        if let raw = body.status {
            if let parsed = Tenant.Status(rawValue: raw) {
                // Suspending or reactivating is the platform administrator's act, not the tenant's.
                if parsed != tenant.status, !viewer.isPlatformAdmin { throw Abort(.forbidden) }
                status = parsed
            } else {
                problems.add("status", "tenant.error.status_invalid")
            }
        }
        try problems.throwIfAny()
        try change.apply(to: tenant)
        tenant.status = status
        try await tenant.save(on: req.database)
        try await req.audit("tenant.update", subject: tenant.slug, detail: "api", tenantID: tenant.id)
        return TenantResponse(tenant, baseURL: req.application.gotong.baseURL)
    }
}
