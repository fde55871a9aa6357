import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// An officer's work on a case: a step of its lifecycle, a reply to the citizen, an internal
/// note, an assignment. Each is checked first (every problem at once) and written in one
/// transaction with the case's row held, so two officers at once take turns and the second
/// decides on what the first left.
struct CaseWork {
    let scope: TenantScope
    let now: Date
    let access: DeskAccess

    /// Takes `action` on the case: its new status and stage, the deadline of that stage in
    /// working time (a pause keeps what was left of it), and the step in its history with
    /// `note`, which the citizen reads (a refusal's reason is required).
    @discardableResult
    func take(_ action: CaseAction, on item: DeskCase, unit: UUID?, note raw: String?) async throws -> DeskCase {
        var p = ProblemList()
        let note = p.text(raw, "note", max: 1000, required: action == .refuse ? "desk.error.reason" : nil)
        var routedTo: DeskUnit?
        if action == .route {
            routedTo = try await scope.find(DeskUnit.self, unit)
            if routedTo == nil { p.add("unit", "desk.error.unit") }
        }
        try p.throwIfAny()
        guard let settings = try await DeskSetup.settings(scope) else { throw Abort(.notFound) }
        let calendar = try await DeskSetup.calendar(settings, scope)
        let target = routedTo
        return try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            let item = try await held(item, in: scope)
            guard let to = Lifecycle.next(action, from: item.status, pausedFrom: item.pausedFrom) else {
                throw InputError(field: "action", key: "desk.error.action", status: .conflict)
            }
            // Routed on (already forwarded) to the unit it is in: nothing would change. A verified
            // case a rule put in a unit's queue is forwarded to it formally, though.
            if let target, item.status == .diteruskan, target.id == item.unitID {
                throw InputError(field: "unit", key: "desk.error.same_unit", status: .conflict)
            }
            let (from, dueBefore) = (item.status, item.dueAt)
            if action == .route, from == .diteruskan {
                // Routed on to another unit: the stage and its deadline go on (a routing is no
                // way to win time), only the unit changes.
                item.updatedAt = now
            } else {
                Self.move(item, to: to, by: action, calendar: calendar, settings: settings, now: now)
            }
            if let target { (item.unitID, item.assigneeID) = (target.id, nil) }
            try await item.save(on: tx)
            // The unit routed to is part of the step the citizen reads.
            let told = [target?.name, note.isEmpty ? nil : note].compactMap { $0 }.joined(separator: " — ")
            try await Self.record(item, from: from, by: access.personID, note: told, now: now, on: tx)
            if target != nil { try await DeskNotices.routed(item, except: access.personID, on: tx, now: now) }
            if item.dueAt != dueBefore { try await Escalation.schedule(item, on: tx) }
            try await Retention.schedule(item, retentionDays: settings.retentionDays, on: tx)
            return item
        }
    }

    /// The case read again in the transaction, its row held; 404 when the person may no longer
    /// work on it (routed elsewhere meanwhile).
    private func held(_ item: DeskCase, in scope: TenantScope) async throws -> DeskCase {
        guard let fresh = try await scope.locked(DeskCase.self, try item.requireID()), access.sees(fresh) else {
            throw Abort(.notFound)
        }
        return fresh
    }

    /// The case's new status and its clock: a pause keeps the working time left of the stage;
    /// resuming gives it back from now; a new stage starts its own target (`action` nil: the
    /// citizen's reopening); closing stops all.
    static func move(
        _ item: DeskCase, to status: DeskCase.Status, by action: CaseAction?, calendar: WorkingCalendar,
        settings: DeskSettings, now: Date
    ) {
        switch action {
        case .waitForCitizen:
            item.pausedFrom = item.status
            item.pausedLeft = item.dueAt.map { calendar.workingSeconds(from: now, to: $0) }
            item.dueAt = nil
        case .resume:
            // Overdue when it was paused: overdue again now.
            item.dueAt = item.pausedLeft.map { $0 > 0 ? calendar.adding($0, to: now) ?? now : now }
            (item.pausedFrom, item.pausedLeft) = (nil, nil)
        default:
            (item.stageStartedAt, item.escalation) = (now, 0)
            item.dueAt = Lifecycle.target(of: status, verifyDays: settings.verifyDays, planDays: settings.planDays)
                .flatMap { calendar.adding(workingDays: $0, to: now) }
        }
        if item.verifySeconds == nil, item.status == .baru, status == .diverifikasi || status == .ditolak {
            item.verifySeconds = calendar.workingSeconds(from: item.createdAt, to: now)
        }
        item.status = status
        item.closedAt = status.isClosed ? now : nil
        item.closeSeconds = status.isClosed ? calendar.workingSeconds(from: item.createdAt, to: now) : nil
        item.updatedAt = now
    }

    static func record(
        _ item: DeskCase, from: DeskCase.Status?, by actor: UUID?, note: String, now: Date, on tx: any Database
    ) async throws {
        let event = DeskEvent()
        (event.tenantID, event.caseID, event.from, event.to) = (item.tenantID, try item.requireID(), from, item.status)
        (event.actorID, event.note, event.at) = (actor, note, now)
        try await event.create(on: tx)
    }

    /// An officer writes to the citizen (`asNote` false: on the case's channel, shown on
    /// their page) or a note for officers only. Decided on the case as it is in the
    /// transaction: a reply to a case closed a moment ago is refused.
    func write(_ raw: String?, asNote: Bool, on item: DeskCase) async throws {
        var p = ProblemList()
        let body = p.text(raw, "body", max: 4000, required: "desk.error.reply")
        try p.throwIfAny()
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            let item = try await held(item, in: scope)
            if !asNote, item.status.isClosed { throw InputError(field: "body", key: "desk.error.closed") }
            let message = try DeskMessage(
                on: item, asNote ? .note : .outgoing, item.channel, body: body, author: access.personID, at: now)
            try await message.create(on: tx)
            // On a platform's channel the reply is sent there too, from the outbox.
            if !asNote { try await Outbox.reply(message, on: item, db: tx, now: now) }
            item.updatedAt = now
            try await item.save(on: tx)
        }
    }

    /// The people a case may be assigned to: the officers and head of its unit; while it has
    /// none, the tenant's coordinators (the only ones who can open it); and whoever assigns it
    /// to themselves.
    func assignees(of item: DeskCase, in scope: TenantScope? = nil) async throws -> [UUID] {
        let scope = scope ?? self.scope
        var people: [UUID]
        if let unit = item.unitID {
            people = try await scope.query(DeskStaff.self).filter(\.$unitID == unit)
                .filter(\.$role ~~ [.petugas, .kepala]).all().map(\.personID)
        } else {
            people = try await Escalation.coordinators(in: scope)
        }
        if !people.contains(access.personID) { people.append(access.personID) }
        var seen = Set<UUID>()
        return people.filter { seen.insert($0).inserted }
    }

    /// Assigns the case to `person` (nil: to nobody), checked against the case as it is in the
    /// transaction (routed elsewhere a moment ago, its old unit's officers no longer fit).
    func assign(_ item: DeskCase, to person: UUID?) async throws {
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            let fresh = try await held(item, in: scope)
            if let person, try await !assignees(of: fresh, in: scope).contains(person) {
                throw InputError(field: "assignee", key: "desk.error.assignee")
            }
            (fresh.assigneeID, fresh.updatedAt) = (person, now)
            try await fresh.save(on: tx)
            if let person { try await DeskNotices.assigned(fresh, to: person, by: access.personID, on: tx, now: now) }
        }
        item.assigneeID = person
    }
}
