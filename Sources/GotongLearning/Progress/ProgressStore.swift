import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// The writes of progress other than heartbeats: a view of an activity and a forum post. Each
/// is one upsert, so a retried request or two at once never lose or double a row.
struct ProgressStore: Sendable {
    let db: any Database
    let completion: CourseCompletion

    /// A visit to an activity's page: counted as a view unless the same person was on it within
    /// the last five minutes (a reload, the back button), so browsing costs no write. `known` is
    /// the row the page already read.
    func recordVisit(
        _ activity: Activity, personID: UUID, known: ActivityProgress?, at now: Date = Date()
    ) async throws -> ActivityProgress? {
        if let known, known.views > 0, let seen = known.lastSeenAt, now.timeIntervalSince(seen) < Self.revisitWindow {
            return known
        }
        return try await recordView(activity, personID: personID, at: now)
    }

    static let revisitWindow: TimeInterval = 300

    /// Counts a view; completes a "viewed" activity. Returns the row after the write.
    @discardableResult
    func recordView(_ activity: Activity, personID: UUID, at now: Date = Date()) async throws -> ActivityProgress {
        try await bump(
            activity, personID: personID, column: "views", completes: activity.completion == .viewed, at: now)
    }

    /// Counts a post in a forum; completes a "posted" activity.
    @discardableResult
    func recordPost(_ activity: Activity, personID: UUID, at now: Date = Date()) async throws -> ActivityProgress {
        try await bump(
            activity, personID: personID, column: "posts", completes: activity.completion == .posted, at: now)
    }

    private func bump(
        _ activity: Activity, personID: UUID, column: String, completes: Bool, at now: Date
    ) async throws -> ActivityProgress {
        let activityID = try activity.requireID()
        let table = ActivityProgress.schema
        let tenantID = activity.tenantID, courseID = activity.courseID
        let fresh = ProgressRow(
            id: UUID(), tenant_id: tenantID, course_id: courseID, activity_id: activityID, person_id: personID,
            views: column == "views" ? 1 : 0, posts: column == "posts" ? 1 : 0,
            first_viewed_at: column == "views" ? now : nil, last_seen_at: now, completed_at: completes ? now : nil)
        let row = try await db.sql.insert(into: table)
            .columns(ProgressRow.columns)
            .values(fresh.binds)
            .onConflict(with: ["tenant_id", "activity_id", "person_id"]) { update in
                update.set(
                    column, to: SQLBinaryExpression(SQLColumn(column, table: table), .add, SQLLiteral.numeric("1"))
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
