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
        _ activity: Activity, person: PersonID, known: ActivityProgress?, at now: Date
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
        _ activity: Activity, person: PersonID, at now: Date
    ) async throws -> ActivityProgress {
        try await bump(activity, personID: person.rawValue, completes: activity.completion == .viewed, at: now)
    }

    /// Changes what the activity's type records about the person (a forum post counted, a poll
    /// answered) and completes the activity when its rule is met. The row is read and written
    /// in one transaction that takes its turn with the heartbeat batches, which write the same
    /// rows, so neither loses the other's change. The turn is the process's and every other
    /// process's, so it is held for three round trips (``Database/pipelinedTransaction``): the
    /// row made if missing and read, the change worked out in Swift, the row written back.
    /// Held for six, with a model read and saved, it was what 100 hand-ins a second queued on.
    /// Returns what the row holds after the change.
    @discardableResult
    public func update(
        _ activity: Activity, person: PersonID, at now: Date,
        change: @escaping @Sendable (inout ProgressState) -> Void
    ) async throws -> ProgressFacts {
        let type = types[activity.type]
        let rule = activity.completion
        let fresh = ProgressRow(
            id: UUID(), tenant_id: activity.tenantID, course_id: activity.courseID,
            activity_id: try activity.requireID(), person_id: person.rawValue, last_seen_at: now)
        let row: SQLQueryString = """
            tenant_id = \(bind: fresh.tenant_id) AND activity_id = \(bind: fresh.activity_id) \
            AND person_id = \(bind: fresh.person_id)
            """
        let reads: [SQLQueryString] = [
            """
            INSERT INTO \(ident: ActivityProgress.schema) (\(unsafeRaw: ProgressRow.columnList)) \
            VALUES (\(fresh.bindList)) ON CONFLICT (tenant_id, activity_id, person_id) DO NOTHING
            """,
            "SELECT views, seconds, state, completed_at FROM \(ident: ActivityProgress.schema) WHERE \(row)",
        ]
        let key = CourseCompletion.Key(
            tenantID: activity.tenantID, courseID: activity.courseID, personID: person.rawValue)
        let (facts, completes) = try await db.pipelinedTransaction(
            turn: HeartbeatRecorder.advisoryLock, reading: reads
        ) { rows -> (writes: [SQLQueryString], result: (ProgressFacts, Bool)) in
            guard let stored = rows[1].first else { throw Abort(.internalServerError) }
            var facts = ProgressFacts(
                views: try stored.decode(column: "views", as: Int.self),
                seconds: try stored.decode(column: "seconds", as: Int.self),
                state: ProgressState(json: try stored.decode(column: "state", as: String.self)))
            change(&facts.state)
            let completes =
                try stored.decode(column: "completed_at", as: Date?.self) == nil && type?.isMet(rule, by: facts) == true
            let completion: SQLQueryString = completes ? ", completed_at = \(bind: now)" : ""
            let write: SQLQueryString = """
                UPDATE \(ident: ActivityProgress.schema) SET state = \(bind: facts.state.json), \
                last_seen_at = \(bind: now)\(completion) WHERE \(row)
                """
            // The course check is queued with the completion, as heartbeat batches queue theirs:
            // the check below may fail or the process stop before it, and no later write
            // completes the activity again to try once more.
            let check = try JobQueue.insert(
                CourseCompletion.checkJob, completes ? [CourseCompletion.CheckJob(keys: [key], at: now)] : [], at: now)
            return ([write] + [check].compactMap { $0 }, (facts, completes))
        }
        if completes { try await completion.check(key, now: now) }
        return facts
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
