import Fluent
import SQLKit
import Vapor

/// The platform administrator's view of the jobs table (`/admin/tugas`): how many wait, run,
/// failed; the jobs not done, newest first, with their last error; and a retry for a failed one.
package enum JobsPage {
    struct Model: Sendable {
        struct Row: Sendable {
            let id: JobID; let kind: String; let status: String; let attempts: Int; let runAt: String;
            let error: String; let failed: Bool
        }
        struct Count: Sendable { let status: String; let count: Int }
        let counts: [Count]
        let rows: [Row]
    }

    package static func render(_ req: Request) async throws -> Response {
        // One grouped count for all four states.
        var byStatus: [String: Int] = [:]
        for row in try await req.database.sql.raw("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status").all() {
            byStatus[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        let counts = QueuedJob.Status.allCases.map {
            Model.Count(status: req.t("jobs.status.\($0.rawValue)"), count: byStatus[$0.rawValue] ?? 0)
        }
        let open = try await QueuedJob.query(on: req.database).filter(\.$status != .done)
            .sort(\.$updatedAt, .descending).limit(200).all()
        let rows = open.map {
            Model.Row(
                id: JobID($0.id!), kind: $0.kind, status: req.t("jobs.status.\($0.status.rawValue)"),
                attempts: $0.attempts,
                runAt: req.dayTime($0.runAt), error: $0.lastError, failed: $0.status == .failed)
        }
        return try await req.render(Model(counts: counts, rows: rows), title: "jobs.title", brand: nil)
    }

    /// A failed job is tried again from the start (its attempts counted anew).
    package static func retry(_ req: Request) async throws -> Response {
        guard let job = try await QueuedJob.find(req.parameter(JobID.self).rawValue, on: req.database) else {
            throw Abort(.notFound)
        }
        guard job.status == .failed else {
            throw InputError(field: "id", key: "jobs.error.not_failed", status: .conflict)
        }
        job.status = .pending
        job.attempts = 0
        job.runAt = req.application.clock.now()
        job.updatedAt = job.runAt
        try await job.save(on: req.database)
        req.application.jobs.kick()
        try await req.audit("job.retry", subject: job.kind, tenantID: nil)
        req.flash(.success, "jobs.retried")
        return req.seeOther(PlatformRoute.jobs.path)
    }
}
