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
        /// Modules' switches for the tenant (``TenantSwitch``), each under its own name.
        var switches: [String: Bool] = [:]

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

        enum CodingKeys: String, CodingKey {
            case id, slug, name, kind, status, description, tagline, primary_color, contact_email, contact_phone
            case address, website, url, provisioning_ms
        }

        struct SwitchKey: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        /// The tenant's fields, then each switch as a field of its own (`"service_desk": true`).
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(slug, forKey: .slug)
            try c.encode(name, forKey: .name)
            try c.encode(kind, forKey: .kind)
            try c.encode(status, forKey: .status)
            try c.encode(description, forKey: .description)
            try c.encode(tagline, forKey: .tagline)
            try c.encode(primary_color, forKey: .primary_color)
            try c.encode(contact_email, forKey: .contact_email)
            try c.encode(contact_phone, forKey: .contact_phone)
            try c.encode(address, forKey: .address)
            try c.encode(website, forKey: .website)
            try c.encode(url, forKey: .url)
            try c.encodeIfPresent(provisioning_ms, forKey: .provisioning_ms)
            var more = encoder.container(keyedBy: SwitchKey.self)
            for (name, on) in switches.sorted(by: { $0.key < $1.key }) {
                try more.encode(on, forKey: SwitchKey(stringValue: name))
            }
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
        var response = TenantResponse(try req.tenant, baseURL: req.application.gotong.baseURL)
        response.switches = try await req.application.tenantSwitches.states(try req.tenantScope)
        return response
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
        let switched = req.application.tenantSwitches.requested(in: req.body.data, problems: &problems)
        try problems.throwIfAny()
        try change.apply(to: tenant)
        tenant.status = status
        try await tenant.save(on: req.database)
        for (item, on) in switched { try await item.set(on, req) }
        try await req.audit("tenant.update", subject: tenant.slug, detail: "api", tenantID: tenant.id)
        var response = TenantResponse(tenant, baseURL: req.application.gotong.baseURL)
        response.switches = try await req.application.tenantSwitches.states(try req.tenantScope)
        return response
    }
}
