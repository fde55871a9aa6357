import Fluent
import Foundation
import SQLKit
import Vapor

/// Writes heartbeats in batches (group commit): the beats that arrive while one batch is being
/// written go together into the next transaction, and each request is answered only after its
/// batch has committed, so an answer means the time is stored. Under load this turns thousands
/// of small transactions a second into a few dozen larger ones; when idle a beat is written at
/// once. The state that matters (each person's clock) lives in the database and is locked
/// while a batch uses it, so several server processes stay correct. Batches are written on a
/// database connection, event loop and thread of their own (``DedicatedDatabase``) when the
/// server has one to give.
public actor HeartbeatRecorder {
    private let db: any Database
    private let executor: (any TaskExecutor)?
    private let completion: CourseCompletion
    private var waiting: [(Heartbeat, CheckedContinuation<HeartbeatOutcome, any Error>)] = []
    private var writers = 0
    /// Batches written at once. SQLite has one writer at a time, so one. PostgreSQL overlaps
    /// a few: while one batch waits on a round trip another can use the server; the clocks'
    /// row locks (taken in one order) keep two batches of one person in sequence.
    private let maxWriters: Int
    /// Larger batches than this wait for the next round (bind limits of the databases).
    static let maxBatch = 400

    init(db: any Database, executor: (any TaskExecutor)?, completion: CourseCompletion) {
        self.db = db
        self.executor = executor
        self.completion = completion
        maxWriters = db.isSQLite ? 1 : 3
    }

    public func record(_ beat: Heartbeat) async throws -> HeartbeatOutcome {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((beat, continuation))
            startWriters()
        }
    }

    /// Starts a writer for the waiting beats while fewer than ``maxWriters`` are busy.
    private func startWriters() {
        while writers < maxWriters, !waiting.isEmpty {
            let batch = Array(waiting.prefix(Self.maxBatch))
            waiting.removeFirst(batch.count)
            writers += 1
            Task(executorPreference: executor) { await self.write(batch) }
        }
    }

    private func write(_ batch: [(Heartbeat, CheckedContinuation<HeartbeatOutcome, any Error>)]) async {
        do {
            let (outcomes, finished) = try await Self.write(batch.map(\.0), on: db)
            for (i, item) in batch.enumerated() { item.1.resume(returning: outcomes[i]) }
            if !finished.isEmpty {
                let completion = completion
                Task { await completion.activitiesCompleted(finished) }
            }
        } catch {
            for item in batch { item.1.resume(throwing: error) }
        }
        writers -= 1
        startWriters()
    }

    /// Applies beats in arrival order in one transaction; returns each beat's outcome and the
    /// (person, course) pairs with a newly completed activity. Three statements a batch once
    /// the people have clocks (read and lock, two upserts), rows read as plain values: the cost
    /// of a beat is mostly its share of one round of writes.
    static func write(_ beats: [Heartbeat], on db: any Database) async throws -> ([HeartbeatOutcome], [CourseCompletion.Key]) {
        try await db.lockingTransaction { tx in
            let sql = tx.sql
            let people = Array(Set(beats.map(\.ticket.personID)))
            let (clocks, loaded) = try await lockedState(people: people, beats: beats, on: sql)
            var progress = loaded
            var state = clocks
            var outcomes: [HeartbeatOutcome] = []
            var touched: Set<ProgressKey> = []
            var finished: [CourseCompletion.Key] = []
            outcomes.reserveCapacity(beats.count)
            for beat in beats {
                let t = beat.ticket
                let key = ProgressKey(tenantID: t.tenantID, activityID: t.activityID, personID: t.personID)
                let (credited, clock, duplicate) = HeartbeatRules.credit(beat, clock: state[t.personID])
                state[t.personID] = clock
                var row = progress[key] ?? ProgressRow(id: UUID(), tenant_id: t.tenantID, course_id: t.courseID, activity_id: t.activityID,
                                                       person_id: t.personID)
                if !duplicate {
                    row.seconds += credited
                    row.last_seen_at = beat.at
                    if let video = beat.video {
                        row.video_furthest = HeartbeatRules.furthest(row.video_furthest, report: video, seconds: beat.seconds)
                        row.video_percent = max(row.video_percent, HeartbeatRules.percent(furthest: row.video_furthest, duration: video.duration))
                    }
                    if row.completed_at == nil, t.completion.isMet(by: row.facts) {
                        row.completed_at = beat.at
                        finished.append(.init(tenantID: t.tenantID, courseID: t.courseID, personID: t.personID))
                    }
                    progress[key] = row
                    touched.insert(key)
                }
                outcomes.append(HeartbeatOutcome(credited: credited, seconds: row.seconds, videoPercent: row.video_percent,
                                                 completed: row.completed_at != nil, duplicate: duplicate))
            }
            try await saveProgress(touched.compactMap { progress[$0] }, on: sql)
            try await saveClocks(state.filter { clocks[$0.key] != $0.value }, on: sql)
            return (outcomes, finished)
        }
    }

    struct ProgressKey: Hashable {
        let tenantID: UUID
        let activityID: UUID
        let personID: UUID
    }

    /// The columns of a progress row a beat reads or writes, as a plain value.
    struct ProgressRow: Codable, Sendable {
        var id: UUID
        var tenant_id: UUID
        var course_id: UUID
        var activity_id: UUID
        var person_id: UUID
        var views = 0
        var posts = 0
        var seconds = 0
        var video_furthest = 0.0
        var video_percent = 0
        var first_viewed_at: Date?
        var last_seen_at: Date?
        var completed_at: Date?

        var facts: ProgressFacts { ProgressFacts(views: views, seconds: seconds, videoPercent: video_percent, posts: posts) }
    }

    /// One row of the joined read: a person's clock and one of their progress rows the batch
    /// names (the progress columns are null when there is none yet).
    struct StateRow: Decodable, Sendable {
        let person_id: UUID
        let tab: String
        let seq: Int
        let credited_at: Date
        let p_id: UUID?
        let p_tenant_id: UUID?
        let p_course_id: UUID?
        let p_activity_id: UUID?
        let p_views: Int?
        let p_posts: Int?
        let p_seconds: Int?
        let p_video_furthest: Double?
        let p_video_percent: Int?
        let p_first_viewed_at: Date?
        let p_last_seen_at: Date?
        let p_completed_at: Date?

        var progress: ProgressRow? {
            guard let p_id, let p_tenant_id, let p_course_id, let p_activity_id else { return nil }
            return ProgressRow(id: p_id, tenant_id: p_tenant_id, course_id: p_course_id, activity_id: p_activity_id, person_id: person_id,
                               views: p_views ?? 0, posts: p_posts ?? 0, seconds: p_seconds ?? 0, video_furthest: p_video_furthest ?? 0,
                               video_percent: p_video_percent ?? 0, first_viewed_at: p_first_viewed_at, last_seen_at: p_last_seen_at,
                               completed_at: p_completed_at)
        }
    }

    /// The people's clocks, locked until the transaction ends, and the progress rows the beats
    /// name, in one read (one round trip fewer per batch; a batch's cost is mostly round
    /// trips). The lock is `FOR UPDATE OF` the clocks on PostgreSQL, in person order so two
    /// batches never wait on each other crosswise; SQLite's write gate already serialises
    /// writers. A person without a clock (their first beat ever) gets one first, then it is
    /// read again, so every credited person is locked.
    private static func lockedState(people: [UUID], beats: [Heartbeat], on sql: any SQLDatabase) async throws
        -> (clocks: [UUID: HeartbeatRules.Clock], progress: [ProgressKey: ProgressRow]) {
        let keys = Set(beats.map { ProgressKey(tenantID: $0.ticket.tenantID, activityID: $0.ticket.activityID, personID: $0.ticket.personID) })
        let tenants = Array(Set(keys.map(\.tenantID))), activities = Array(Set(keys.map(\.activityID)))
        let people = people.sorted { $0.uuidString < $1.uuidString }
        var rows = try await readState(people, tenants: tenants, activities: activities, on: sql)
        let missing = Set(people).subtracting(rows.map(\.person_id))
        if !missing.isEmpty {
            let never = Date(timeIntervalSince1970: 0)
            let newcomers = missing.sorted { $0.uuidString < $1.uuidString }
            var insert = sql.insert(into: LearningClock.schema).columns("person_id", "tab", "seq", "credited_at")
            for person in newcomers { insert = insert.values(SQLBind(person), SQLBind(""), SQLBind(-1), SQLBind(never)) }
            try await insert.ignoringConflicts(with: ["person_id"]).run()
            rows += try await readState(newcomers, tenants: tenants, activities: activities, on: sql)
        }
        var clocks: [UUID: HeartbeatRules.Clock] = [:]
        var progress: [ProgressKey: ProgressRow] = [:]
        for row in rows {
            if row.seq >= 0 { clocks[row.person_id] = .init(tab: row.tab, seq: row.seq, creditedAt: row.credited_at) }
            if let p = row.progress {
                let key = ProgressKey(tenantID: p.tenant_id, activityID: p.activity_id, personID: p.person_id)
                if keys.contains(key) { progress[key] = p }
            }
        }
        return (clocks, progress)
    }

    private static func readState(_ people: [UUID], tenants: [UUID], activities: [UUID], on sql: any SQLDatabase) async throws -> [StateRow] {
        let c = "c", p = "p"
        var query = sql.select()
            .column(SQLColumn("person_id", table: c)).column(SQLColumn("tab", table: c))
            .column(SQLColumn("seq", table: c)).column(SQLColumn("credited_at", table: c))
        for name in ["id", "tenant_id", "course_id", "activity_id", "views", "posts", "seconds", "video_furthest", "video_percent",
                     "first_viewed_at", "last_seen_at", "completed_at"] {
            query = query.column(SQLAlias(SQLColumn(name, table: p), as: SQLIdentifier("p_" + name)))
        }
        query = query
            .from(SQLAlias(SQLIdentifier(LearningClock.schema), as: SQLIdentifier(c)))
            .join(SQLAlias(SQLIdentifier(ActivityProgress.schema), as: SQLIdentifier(p)), method: SQLJoinMethod.left,
                  on: SQLBinaryExpression(
                      SQLBinaryExpression(SQLColumn("person_id", table: p), .equal, SQLColumn("person_id", table: c)), .and,
                      SQLBinaryExpression(
                          SQLBinaryExpression(SQLColumn("tenant_id", table: p), .in, SQLBind.group(tenants)), .and,
                          SQLBinaryExpression(SQLColumn("activity_id", table: p), .in, SQLBind.group(activities)))))
            .where(SQLColumn("person_id", table: c), .in, SQLBind.group(people))
            .orderBy(SQLColumn("person_id", table: c))
        if sql.dialect.name != "sqlite" { query = query.lockingClause(SQLRaw("FOR UPDATE OF \(c)")) }
        return try await query.all(decoding: StateRow.self)
    }

    /// New rows are inserted and known rows updated in one statement (an upsert on the row's
    /// unique key), whatever the batch size.
    private static func saveProgress(_ rows: [ProgressRow], on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        var insert = sql.insert(into: ActivityProgress.schema)
            .columns("id", "tenant_id", "course_id", "activity_id", "person_id", "views", "first_viewed_at", "last_seen_at",
                     "seconds", "video_furthest", "video_percent", "posts", "completed_at")
        for row in rows {
            insert = insert.values(
                SQLBind(row.id), SQLBind(row.tenant_id), SQLBind(row.course_id), SQLBind(row.activity_id), SQLBind(row.person_id),
                SQLBind(row.views), SQLBind(row.first_viewed_at), SQLBind(row.last_seen_at), SQLBind(row.seconds),
                SQLBind(row.video_furthest), SQLBind(row.video_percent), SQLBind(row.posts), SQLBind(row.completed_at)
            )
        }
        try await insert.onConflict(with: ["tenant_id", "activity_id", "person_id"]) { update in
            update.set(excludedValueOf: "seconds").set(excludedValueOf: "last_seen_at")
                .set(excludedValueOf: "video_furthest").set(excludedValueOf: "video_percent")
                // A view may have completed the activity meanwhile; a completion is never undone.
                .set("completed_at", to: SQLFunction("COALESCE", args: SQLColumn("completed_at", table: ActivityProgress.schema), SQLExcludedColumn("completed_at")))
        }.run()
    }

    private static func saveClocks(_ rows: [UUID: HeartbeatRules.Clock], on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        var insert = sql.insert(into: LearningClock.schema).columns("person_id", "tab", "seq", "credited_at")
        for (person, clock) in rows {
            insert = insert.values(SQLBind(person), SQLBind(clock.tab), SQLBind(clock.seq), SQLBind(clock.creditedAt))
        }
        try await insert.onConflict(with: ["person_id"]) { update in
            update.set(excludedValueOf: "tab").set(excludedValueOf: "seq").set(excludedValueOf: "credited_at")
        }.run()
    }
}
