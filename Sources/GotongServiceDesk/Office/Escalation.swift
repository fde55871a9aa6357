import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// What happens when a stage's deadline passes: at the deadline the head of the case's unit is
/// told (level 1); a working day later, still not moved on, the case escalates to the tenant's
/// administrators and coordinators (level 2) and is marked so in the queue. One job per
/// deadline, queued in the transaction that set it; a job whose deadline is no longer the
/// case's (a new stage, a pause, a close) does nothing.
enum Escalation {
    static let job = "desk.overdue"

    struct Due: Codable, Sendable {
        var tenant: UUID
        var item: UUID
        var due: Date
        /// 1: the unit's head; 2: the coordinators.
        var level: Int
    }

    static func register(_ jobs: JobHandlers) {
        jobs.register(job, as: Due.self) { due, app in try await run(due, app: app) }
    }

    /// Queues the next level for the case's deadline, when it has one (in the caller's
    /// transaction): the first for a new stage; the second for a case already late when it
    /// was paused (its head was told then), due at once when it resumes.
    static func schedule(_ item: DeskCase, on db: any Database) async throws {
        guard let due = item.dueAt, item.escalation < 2 else { return }
        try await JobQueue.enqueue(
            job, Due(tenant: item.tenantID, item: try item.requireID(), due: due, level: item.escalation + 1), on: db,
            at: due)
    }

    /// Whether the job's deadline is still the case's. Compared to the second: PostgreSQL keeps
    /// microseconds, the job the clock's full precision.
    static func stillDue(_ item: DeskCase, _ due: Date) -> Bool {
        guard let current = item.dueAt else { return false }
        return abs(current.timeIntervalSince(due)) < 1
    }

    static func run(_ due: Due, app: Application) async throws {
        let now = app.clock.now()
        try await app.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: due.tenant, db: tx)
            guard let item = try await scope.locked(DeskCase.self, due.item), stillDue(item, due.due),
                !item.status.isClosed, item.escalation < due.level
            else { return }
            item.escalation = due.level
            try await item.save(on: tx)
            if due.level == 1 {
                try await DeskNotices.overdue(item, to: try await heads(of: item, in: scope), on: tx, now: now)
                guard let settings = try await DeskSetup.settings(scope) else { return }
                let calendar = try await DeskSetup.calendar(settings, scope)
                let next = calendar.adding(workingDays: 1, to: due.due) ?? due.due.addingTimeInterval(86_400)
                try await JobQueue.enqueue(
                    job, Due(tenant: due.tenant, item: due.item, due: due.due, level: 2), on: tx, at: next)
            } else {
                try await DeskNotices.overdue(item, to: try await coordinators(in: scope), on: tx, now: now)
            }
        }
    }

    /// The heads of the case's unit; its coordinators when it has no unit or the unit no head.
    static func heads(of item: DeskCase, in scope: TenantScope) async throws -> [UUID] {
        guard let unit = item.unitID else { return try await coordinators(in: scope) }
        let heads = try await scope.query(DeskStaff.self).filter(\.$unitID == unit).filter(\.$role == .kepala).all()
            .map(\.personID)
        return heads.isEmpty ? try await coordinators(in: scope) : heads
    }

    /// The tenant's administrators and coordinators.
    static func coordinators(in scope: TenantScope) async throws -> [UUID] {
        Array(
            Set(try await scope.query(Membership.self).filter(\.$role ~~ [.admin, .pengelola]).all().map(\.personID)))
    }
}
