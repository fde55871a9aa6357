import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// Who is at the officers' desk and which cases they may work on: the tenant's administrators
/// and coordinators (pengelola) see every case; a unit's officers and head see the cases in
/// their unit's queue. Anyone else signed in is refused (403), a visitor asked to sign in.
struct DeskAccess: Sendable {
    let personID: UUID
    /// An administrator or coordinator of the tenant (or a platform administrator).
    let coordinator: Bool
    /// The units the person is an officer or the head of.
    let units: Set<UUID>

    func sees(_ item: DeskCase) -> Bool {
        coordinator || item.unitID.map(units.contains) == true
    }

    /// The desk of the request's tenant, when it is on, and the person's place at it.
    static func of(_ req: Request) async throws -> (DeskAccess, DeskSettings) {
        let viewer = try req.requireViewer()
        let scope = try req.tenantScope
        guard let settings = try await DeskSetup.settings(scope) else { throw Abort(.notFound) }
        let coordinator = try await req.tenantRoles().hasAny([.admin, .pengelola])
        let units = try await scope.query(DeskStaff.self).filter(\.$personID == viewer.id)
            .filter(\.$role ~~ [.petugas, .kepala]).all().compactMap(\.unitID)
        guard coordinator || !units.isEmpty else { throw Abort(.forbidden) }
        return (DeskAccess(personID: viewer.id, coordinator: coordinator, units: Set(units)), settings)
    }

    /// The case of the address's number that the person may work on; 404 otherwise (a case
    /// of another unit is not said to exist).
    func requireCase(_ number: CaseNumber, in scope: TenantScope) async throws -> DeskCase {
        guard let item = try await scope.query(DeskCase.self).filter(\.$number == number.description).first(),
            sees(item)
        else { throw Abort(.notFound) }
        return item
    }
}
