import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// How long a citizen's contact data is kept: the tenant's retention period (365 days by
/// default) after its case closed. One job per closing, queued in the transaction that closed
/// it; when it runs on a case still closed at that moment, the reporter's name, email, phone
/// and NIK their id on a platform, and the case's masked contact are emptied. The case itself, its text and history
/// stay (they are the tenant's record); a case reopened meanwhile keeps its reporter until it
/// closes again.
enum Retention {
    static let job = "desk.retention"

    struct Due: Codable, Sendable {
        var tenant: UUID
        var item: UUID
        var closedAt: Date
    }

    static func register(_ jobs: JobHandlers) {
        jobs.register(job, as: Due.self) { due, app in try await run(due, app: app) }
    }

    /// Queues the clearing of a case that was just closed (in the closing transaction).
    static func schedule(_ item: DeskCase, retentionDays: Int, on db: any Database) async throws {
        guard item.status.isClosed, let closedAt = item.closedAt else { return }
        try await JobQueue.enqueue(
            job, Due(tenant: item.tenantID, item: try item.requireID(), closedAt: closedAt), on: db,
            at: closedAt.addingTimeInterval(Double(max(0, retentionDays)) * 86_400))
    }

    static func run(_ due: Due, app: Application) async throws {
        try await app.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: due.tenant, db: tx)
            guard let item = try await scope.locked(DeskCase.self, due.item), item.status.isClosed,
                let closedAt = item.closedAt, abs(closedAt.timeIntervalSince(due.closedAt)) < 1
            else { return }
            try await scope.query(DeskReporter.self).filter(\.$caseID == due.item).set(\.$name, to: "")
                .set(\.$email, to: "").set(\.$phone, to: "").set(\.$nik, to: "")
                .set(\.$handle, to: "").set(\.$comment, to: nil).update()
            try await scope.query(DeskOutbox.self).filter(\.$caseID == due.item).set(\.$handle, to: "").update()
            item.contactMasked = ""
            try await item.save(on: tx)
        }
    }
}
