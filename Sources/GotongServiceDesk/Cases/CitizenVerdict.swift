import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// What a citizen says of the answer once their case is closed: a rating of 1 to 5 (once),
/// and, within 14 days of "done", that it is not done — which reopens the case with a new
/// follow-up deadline in working days and tells its unit. Each in one transaction with the
/// case's row held, decided on the case as it is then.
struct CitizenVerdict {
    let scope: TenantScope
    let now: Date

    /// Rates the answer of a closed case; a case is rated once.
    func rate(_ item: DeskCase, _ raw: String?) async throws {
        var p = ProblemList()
        let rating = WholeNumber.read(raw, field: "rating", in: 1...5, problems: &p)
        if rating == nil, p.isEmpty { p.add("rating", "desk.error.rating") }
        try p.throwIfAny()
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            guard let item = try await scope.locked(DeskCase.self, try item.requireID()) else {
                throw Abort(.notFound)
            }
            guard item.status.isClosed else {
                throw InputError(field: "rating", key: "desk.error.not_closed", status: .conflict)
            }
            guard item.rating == nil else {
                throw InputError(field: "rating", key: "desk.error.rated", status: .conflict)
            }
            (item.rating, item.updatedAt) = (rating, now)
            try await item.save(on: tx)
        }
    }

    /// The citizen disputes "done" within ``Lifecycle/disputeDays``: the case is reopened, its
    /// reason in the conversation and the history, the unit's officers told.
    func reopen(_ item: DeskCase, reason raw: String?) async throws {
        var p = ProblemList()
        let reason = p.text(raw, "reason", max: 4000, required: "desk.error.reopen_reason")
        try p.throwIfAny()
        guard let settings = try await DeskSetup.settings(scope) else { throw Abort(.notFound) }
        let calendar = try await DeskSetup.calendar(settings, scope)
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            guard let item = try await scope.locked(DeskCase.self, try item.requireID()) else {
                throw Abort(.notFound)
            }
            guard Lifecycle.mayDispute(item, now: now) else {
                throw InputError(field: "reason", key: "desk.error.dispute_closed", status: .conflict)
            }
            CaseWork.move(item, to: .dibukaKembali, by: nil, calendar: calendar, settings: settings, now: now)
            item.rating = nil
            try await item.save(on: tx)
            try await CaseWork.record(item, from: .selesai, by: nil, note: reason, now: now, on: tx)
            try await DeskMessage(on: item, .incoming, .web, body: reason, at: now).create(on: tx)
            try await DeskNotices.routed(item, except: nil, on: tx, now: now, key: "desk.notify.reopened")
            try await Escalation.schedule(item, on: tx)
        }
    }
}
