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
        var unitID: UUID?
        if action == .route {
            unitID = try await scope.find(DeskUnit.self, unit)?.id
            if unitID == nil { p.add("unit", "desk.error.unit") }
        }
        try p.throwIfAny()
        let routedTo = unitID
        guard let settings = try await DeskSetup.settings(scope) else { throw Abort(.notFound) }
        let calendar = try await DeskSetup.calendar(settings, scope)
        return try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            guard let item = try await scope.locked(DeskCase.self, try item.requireID()), access.sees(item) else {
                throw Abort(.notFound)
            }
            guard let to = Lifecycle.next(action, from: item.status, pausedFrom: item.pausedFrom) else {
                throw InputError(
                    field: "action", key: "desk.error.action", status: .conflict)
            }
            let from = item.status
            Self.move(item, to: to, by: action, calendar: calendar, settings: settings, now: now)
            if let routedTo {
                (item.unitID, item.assigneeID) = (routedTo, nil)
            }
            try await item.save(on: tx)
            try await Self.record(item, from: from, by: access.personID, note: note, now: now, on: tx)
            if routedTo != nil { try await DeskNotices.routed(item, except: access.personID, on: tx, now: now) }
            try await Escalation.schedule(item, on: tx)
            return item
        }
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
        item.status = status
        item.closedAt = status.isClosed ? now : nil
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
    /// their page) or a note for officers only.
    func write(_ raw: String?, asNote: Bool, on item: DeskCase) async throws {
        var p = ProblemList()
        let body = p.text(raw, "body", max: 4000, required: "desk.error.reply")
        if !asNote, item.status.isClosed { p.add("body", "desk.error.closed") }
        try p.throwIfAny()
        try await scope.db.lockingTransaction { tx in
            let message = DeskMessage()
            (message.tenantID, message.caseID, message.direction, message.channel) =
                (scope.tenantID, try item.requireID(), asNote ? .note : .outgoing, item.channel)
            (message.body, message.authorID, message.createdAt) = (body, access.personID, now)
            try await message.create(on: tx)
            try await TenantScope(tenantID: scope.tenantID, db: tx).query(DeskCase.self)
                .filter(\.$id == item.requireID()).set(\.$updatedAt, to: now).update()
        }
    }

    /// The people a case may be assigned to: the officers of its unit (of every unit while it
    /// has none), and whoever assigns it to themselves.
    func assignees(of item: DeskCase) async throws -> [UUID] {
        var staff = scope.query(DeskStaff.self).filter(\.$role ~~ [.petugas, .kepala])
        if let unit = item.unitID { staff = staff.filter(\.$unitID == unit) }
        var people = try await staff.all().map(\.personID)
        if !people.contains(access.personID) { people.append(access.personID) }
        return people
    }

    /// Assigns the case to `person` (nil: to nobody).
    func assign(_ item: DeskCase, to person: UUID?) async throws {
        if let person, try await !assignees(of: item).contains(person) {
            throw InputError(field: "assignee", key: "desk.error.assignee")
        }
        try await scope.db.lockingTransaction { tx in
            try await TenantScope(tenantID: scope.tenantID, db: tx).query(DeskCase.self)
                .filter(\.$id == item.requireID()).set(\.$assigneeID, to: person).set(\.$updatedAt, to: now).update()
            if let person { try await DeskNotices.assigned(item, to: person, by: access.personID, on: tx, now: now) }
        }
        item.assigneeID = person
    }
}
