import Fluent
import Foundation
import GotongPlatform
import Vapor

/// Each person's tenants and roles (``TenantLink``), kept per process against the memberships'
/// content version, which every Fluent write of a membership or a tenant's update raises: the
/// page frame lists them on every signed-in page, and on PostgreSQL each statement is a round
/// trip and a plan. Role checks made from these lists see a change made by any process within
/// the version's 200 ms check, and at once in the process that made it.
final class KeptMemberships: Sendable {
    let version = ContentVersion(name: "memberships")
    /// A few hundred bytes a person.
    private let kept = KeptValues<UUID, [TenantLink]>(capacity: 200_000)

    func links(of personID: UUID, on db: any Database) async throws -> [TenantLink] {
        let version = try await version.current(on: db)
        if let links = kept.value(personID, at: version) { return links }
        let links = try await TenantLink.memberships(of: personID, on: db)
        kept.keep([personID: links], at: version)
        return links
    }
}

extension Application {
    private struct KeptMembershipsKey: StorageKey { typealias Value = KeptMemberships }

    var keptMemberships: KeptMemberships {
        get {
            guard let kept = storage[KeptMembershipsKey.self] else { fatalError("Tenancy is set up in configure") }
            return kept
        }
        set { storage[KeptMembershipsKey.self] = newValue }
    }
}
