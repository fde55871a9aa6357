import Fluent
import SQLKit
import Foundation
import GotongPlatform
import Vapor

/// A person's role in one tenant.
public enum Role: String, Codable, CaseIterable, Sendable, Comparable {
    /// Tenant administrator.
    case admin
    /// Training coordinator (PIC).
    case pengelola
    /// Trainer (widyaiswara).
    case pengajar
    /// Learner.
    case peserta

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Gives a person one role in one tenant. A person may hold several roles in a tenant.
public final class Membership: TenantOwned, @unchecked Sendable {
    public static let schema = "memberships"
    public static var tenantKey: KeyPath<Membership, FieldProperty<Membership, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Enum(key: "role") public var role: Role
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] { [$id, $tenantID, $personID, $role, $createdAt] }

    public init(id: UUID? = nil, tenantID: UUID, personID: UUID, role: Role) {
        self.id = id
        self.tenantID = tenantID
        self.personID = personID
        self.role = role
    }
}

extension Request {
    private struct TenantLinksKey: StorageKey { typealias Value = [TenantLink] }

    /// The tenants the signed-in person belongs to, with their roles: kept per process against
    /// the memberships' version (``KeptMemberships``), and once per request.
    public func myTenants() async throws -> [TenantLink] {
        if let cached = storage[TenantLinksKey.self] { return cached }
        guard let id = viewer?.id else { return [] }
        let links = try await application.keptMemberships.links(of: id, on: database)
        storage[TenantLinksKey.self] = links
        return links
    }
}

/// The roles a person holds in one tenant; a platform administrator holds every role everywhere.
public struct TenantRoles: Sendable {
    public let roles: Set<Role>

    public static func of(_ viewer: Viewer?, in tenantID: UUID, on db: any Database) async throws -> TenantRoles {
        try await of(viewer) { personID in
            try await TenantScope(tenantID: tenantID, db: db).query(Membership.self).filter(\.$personID == personID)
                .all().map(\.role)
        }
    }

    /// The one rule: nobody signed in holds none, a platform administrator holds all, anyone
    /// else what `held` reads for them.
    static func of(_ viewer: Viewer?, held: (UUID) async throws -> [Role]) async throws -> TenantRoles {
        guard let viewer else { return TenantRoles(roles: []) }
        if viewer.isPlatformAdmin { return TenantRoles(roles: Set(Role.allCases)) }
        return TenantRoles(roles: Set(try await held(viewer.id)))
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
    private struct MembershipRow: Decodable {
        let role: String
        let id: UUID
        let slug: String
        let name: String
        let primary_color: String
    }

    public static func memberships(of personID: UUID, on db: any Database) async throws -> [TenantLink] {
        // Reading another tenant's memberships is this person's own record, the one cross-tenant
        // read Tenancy means to make.
        // Plain SQL: the page frame reads this on every signed-in page.
        let rows = try await db.sql.raw(
            """
            SELECT m.role, t.id, t.slug, t.name, t.primary_color FROM memberships m \
            JOIN tenants t ON t.id = m.tenant_id WHERE m.person_id = \(bind: personID)
            """
        ).all(decoding: MembershipRow.self)
        var byTenant: [String: (MembershipRow, [Role])] = [:]
        for row in rows {
            guard let role = Role(rawValue: row.role) else { continue }
            byTenant[row.slug, default: (row, [])].1.append(role)
        }
        return byTenant.values
            .map {
                TenantLink(
                    id: $0.0.id, slug: $0.0.slug, name: $0.0.name, color: $0.0.primary_color, roles: $0.1.sorted())
            }
            .sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
    }
}
