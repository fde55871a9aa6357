import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// What officers are told, in the app and by email: a case has come to their unit's queue (by
/// a routing rule or an officer) or come back to it (its citizen reopened it), or it was
/// assigned to them. The message names the case's
/// number and category, never its reporter; it leads to the case's page.
enum DeskNotices {
    /// Tells the officers and the head of the case's unit, but `actor` (who routed it).
    static func routed(
        _ item: DeskCase, except actor: UUID?, on db: any Database, now: Date, key: String = "desk.notify.routed"
    ) async throws {
        guard let unit = item.unitID else { return }
        let scope = TenantScope(tenantID: item.tenantID, db: db)
        let people = try await scope.query(DeskStaff.self).filter(\.$unitID == unit)
            .filter(\.$role ~~ [.petugas, .kepala]).all().map(\.personID).filter { $0 != actor }
        try await notify(Array(Set(people)), key, about: item, on: db, now: now)
    }

    /// Tells the person a case was assigned to, unless they took it themselves.
    static func assigned(
        _ item: DeskCase, to person: UUID, by actor: UUID, on db: any Database, now: Date
    )
        async throws
    {
        guard person != actor else { return }
        try await notify([person], "desk.notify.assigned", about: item, on: db, now: now)
    }

    /// Tells the case's unit's officers and its assignee that the citizen wrote again.
    static func citizenWrote(_ item: DeskCase, on db: any Database, now: Date) async throws {
        var people = Set(item.assigneeID.map { [$0] } ?? [])
        if let unit = item.unitID {
            people.formUnion(
                try await TenantScope(tenantID: item.tenantID, db: db).query(DeskStaff.self)
                    .filter(\.$unitID == unit).filter(\.$role ~~ [.petugas, .kepala]).all().map(\.personID))
        }
        try await notify(Array(people), "desk.notify.citizen_wrote", about: item, on: db, now: now)
    }

    /// Tells `people` the case is past its deadline (its unit's head), or escalated to them
    /// (the coordinators, a working day later).
    static func overdue(_ item: DeskCase, to people: [UUID], on db: any Database, now: Date) async throws {
        let key = item.escalation >= 2 ? "desk.notify.escalated" : "desk.notify.overdue"
        try await notify(people, key, about: item, on: db, now: now)
    }

    private static func notify(
        _ people: [UUID], _ key: String, about item: DeskCase, on db: any Database, now: Date
    ) async throws {
        guard !people.isEmpty, let tenant = try await Tenant.find(item.tenantID, on: db),
            let number = CaseNumber(item.number)
        else { return }
        let category = try await TenantScope(tenantID: item.tenantID, db: db).find(DeskCategory.self, item.categoryID)
        let args = ["number": item.number, "category": category?.name ?? ""]
        let route = DeskRoute.officeCase(tenant.routeSlug, .value(number))
        try await Notifier.record(
            people.map { .init(personID: $0, tenantID: item.tenantID, key: key, args: args, route: route) }, on: db,
            at: now)
    }
}
