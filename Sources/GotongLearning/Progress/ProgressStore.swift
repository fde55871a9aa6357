import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// The writes of progress other than heartbeats: a view of an activity, and the changes types
/// make to their own state. Neither loses or doubles a row when retried or run twice at once.
public struct ProgressStore: Sendable {
    let db: any Database
    let types: ActivityTypeRegistry
    let completion: CourseCompletion

    /// A visit to an activity's page: counted as a view unless the same person was on it within
    /// the last five minutes (a reload, the back button), so browsing costs no write. `known` is
    /// the row the page already read.
    func recordVisit(
        _ activity: Activity, person: PersonID, known: ActivityProgress?, at now: Date = Date()
    ) async throws -> ActivityProgress? {
        if let known, known.views > 0, let seen = known.lastSeenAt, now.timeIntervalSince(seen) < Self.revisitWindow {
            return known
        }
        return try await recordView(activity, person: person, at: now)
    }

    static let revisitWindow: TimeInterval = 300

    /// Counts a view; completes a "viewed" activity. Returns the row after the write.
    @discardableResult
    public func recordView(
        _ activity: Activity, person: PersonID, at now: Date = Date()
    ) async throws -> ActivityProgress {
        try await bump(activity, personID: person.rawValue, completes: activity.completion == .viewed, at: now)
    }

    /// Changes what the activity's type records about the person (a forum post counted, a poll
    /// answered) and completes the activity when its rule is met. The row is read and written
    /// in one transaction that takes its turn with the heartbeat batches, which write the same
    /// rows, so neither loses the other's change.
    @discardableResult
    public func update(
        _ activity: Activity, person: PersonID, at now: Date = Date(),
        change: @escaping @Sendable (inout ProgressState) -> Void
    ) async throws -> ActivityProgress {
        let personID = person.rawValue
        let type = types[activity.type]
        let rule = activity.completion
        let (row, completes) = try await db.lockingTransaction { tx in
            try await tx.takeTurn(HeartbeatRecorder.advisoryLock)
            let fresh = ProgressRow(
                id: UUID(), tenant_id: activity.tenantID, course_id: activity.courseID,
                activity_id: try activity.requireID(), person_id: personID, last_seen_at: now)
            try await tx.sql.insert(into: ActivityProgress.schema).columns(ProgressRow.columns).values(fresh.binds)
                .ignoringConflicts(with: ["tenant_id", "activity_id", "person_id"]).run()
            guard
                let row = try await TenantScope(tenantID: activity.tenantID, db: tx).query(ActivityProgress.self)
                    .filter(\.$activityID == fresh.activity_id).filter(\.$personID == personID).first()
            else { throw Abort(.internalServerError) }
            var state = row.state
            change(&state)
            row.stateJSON = state.json
            row.lastSeenAt = now
            let completes = row.completedAt == nil && type?.isMet(rule, by: row.facts) == true
            if completes { row.completedAt = now }
            try await row.save(on: tx)
            return (row, completes)
        }
        if completes {
            try await completion.check(
                .init(tenantID: activity.tenantID, courseID: activity.courseID, personID: personID), now: now)
        }
        return row
    }

    /// One upsert that counts the view and reads the row back.
    private func bump(
        _ activity: Activity, personID: UUID, completes: Bool, at now: Date
    ) async throws -> ActivityProgress {
        let activityID = try activity.requireID()
        let table = ActivityProgress.schema
        let tenantID = activity.tenantID, courseID = activity.courseID
        let fresh = ProgressRow(
            id: UUID(), tenant_id: tenantID, course_id: courseID, activity_id: activityID, person_id: personID,
            views: 1, first_viewed_at: now, last_seen_at: now, completed_at: completes ? now : nil)
        let row = try await db.sql.insert(into: table)
            .columns(ProgressRow.columns)
            .values(fresh.binds)
            .onConflict(with: ["tenant_id", "activity_id", "person_id"]) { update in
                update.set(
                    "views", to: SQLBinaryExpression(SQLColumn("views", table: table), .add, SQLLiteral.numeric("1"))
                )
                .set(excludedValueOf: "last_seen_at")
                .set(
                    "first_viewed_at",
                    to: SQLFunction(
                        "COALESCE", args: SQLColumn("first_viewed_at", table: table),
                        SQLExcludedColumn("first_viewed_at"))
                )
                .set(
                    "completed_at",
                    to: SQLFunction(
                        "COALESCE", args: SQLColumn("completed_at", table: table), SQLExcludedColumn("completed_at")))
            }
            // The row as the write left it, read in the same statement.
            .returning(SQLLiteral.all)
            .first()
            .map { try $0.decode(fluentModel: ActivityProgress.self) }
        guard let row else { throw Abort(.internalServerError) }
        if completes {
            try await completion.check(
                .init(tenantID: activity.tenantID, courseID: activity.courseID, personID: personID), now: now)
        }
        return row
    }
}
