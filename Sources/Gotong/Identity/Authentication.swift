import Fluent
import Vapor

extension Person: ModelSessionAuthenticatable {}

/// Signs in API callers that present `Authorization: Bearer gt_…`.
struct BearerTokenAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        guard let person = try await APIToken.owner(of: bearer.token, on: request.db) else { return }
        request.auth.login(person)
    }
}

extension Request {
    /// The signed-in person, if any (by session cookie or bearer token).
    public var person: Person? { auth.get(Person.self) }

    /// The signed-in person, or 401: web pages turn that into a redirect to the sign-in page.
    public func requirePerson() throws -> Person {
        guard let person else { throw Abort(.unauthorized) }
        return person
    }

    /// The signed-in platform administrator, or 403.
    public func requirePlatformAdmin() throws -> Person {
        let person = try requirePerson()
        guard person.isPlatformAdmin else { throw Abort(.forbidden) }
        return person
    }
}

extension Request {
    private struct TenantLinksKey: StorageKey { typealias Value = [TenantLink] }

    /// The tenants the signed-in person belongs to, with their roles; read once per request.
    public func myTenants() async throws -> [TenantLink] {
        if let cached = storage[TenantLinksKey.self] { return cached }
        guard let id = person?.id else { return [] }
        let links = try await TenantLink.memberships(of: id, on: db)
        storage[TenantLinksKey.self] = links
        return links
    }
}

/// The roles a person holds in one tenant; a platform administrator holds every role everywhere.
public struct TenantRoles: Sendable {
    public let roles: Set<Role>

    public static func of(_ person: Person?, in tenantID: UUID, on db: any Database) async throws -> TenantRoles {
        guard let person, let personID = person.id else { return TenantRoles(roles: []) }
        if person.isPlatformAdmin { return TenantRoles(roles: Set(Role.allCases)) }
        let roles = try await TenantScope(tenantID: tenantID, db: db).query(Membership.self)
            .filter(\.$personID == personID).all().map(\.role)
        return TenantRoles(roles: Set(roles))
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
    public func hasAny(_ wanted: Set<Role>) -> Bool { !roles.isDisjoint(with: wanted) }
}

/// A tenant the signed-in person belongs to, for the tenant switcher.
public struct TenantLink: Codable, Sendable {
    public let id: UUID
    public let slug: String
    public let name: String
    public let color: String
    public let roles: [Role]

    /// Every tenant the person holds a role in, ordered by name. One query.
    public static func memberships(of personID: UUID, on db: any Database) async throws -> [TenantLink] {
        // Reading another tenant's memberships is this person's own record, the one cross-tenant
        // read Identity means to make.
        let rows = try await Membership.query(on: db)
            .filter(\.$personID == personID)
            .join(Tenant.self, on: \Membership.$tenantID == \Tenant.$id)
            .all()
        var byTenant: [String: (Tenant, [Role])] = [:]
        for row in rows {
            let tenant = try row.joined(Tenant.self)
            byTenant[tenant.slug, default: (tenant, [])].1.append(row.role)
        }
        return byTenant.values
            .map { TenantLink(id: $0.0.id!, slug: $0.0.slug, name: $0.0.name, color: $0.0.primaryColor, roles: $0.1.sorted()) }
            .sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
    }
}
