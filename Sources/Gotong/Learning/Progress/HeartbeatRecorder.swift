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
    /// (person, course) pairs with a newly completed activity. Four statements a batch, rows
    /// read as plain values: the cost of a beat is mostly its share of one round of writes.
    static func write(_ beats: [Heartbeat], on db: any Database) async throws -> ([HeartbeatOutcome], [CourseCompletion.Key]) {
        try await db.lockingTransaction { tx in
            let sql = tx.sql
            let people = Array(Set(beats.map(\.ticket.personID)))
            let clocks = try await lockClocks(people, on: sql)
            var progress = try await progressRows(for: beats, on: sql)
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

    struct ClockRow: Decodable, Sendable {
        let person_id: UUID
        let tab: String
        let seq: Int
        let credited_at: Date
    }

    /// The people's clocks, locked until the transaction ends (`FOR UPDATE` on PostgreSQL;
    /// SQLite's write gate already serialises writers and the clause is left out there). Rows
    /// are made for newcomers first, so every person has a row to lock.
    private static func lockClocks(_ people: [UUID], on sql: any SQLDatabase) async throws -> [UUID: HeartbeatRules.Clock] {
        let never = Date(timeIntervalSince1970: 0)
        // In one order (by person) in every batch, so two batches never wait on each other crosswise.
        let people = people.sorted { $0.uuidString < $1.uuidString }
        var insert = sql.insert(into: LearningClock.schema).columns("person_id", "tab", "seq", "credited_at")
        for person in people { insert = insert.values(SQLBind(person), SQLBind(""), SQLBind(-1), SQLBind(never)) }
        try await insert.ignoringConflicts(with: ["person_id"]).run()
        let rows = try await sql.select().columns("person_id", "tab", "seq", "credited_at").from(LearningClock.schema)
            .where("person_id", .in, SQLBind.group(people))
            .orderBy("person_id")
            .for(.update)
            .all(decoding: ClockRow.self)
        var clocks: [UUID: HeartbeatRules.Clock] = [:]
        for row in rows where row.seq >= 0 {
            clocks[row.person_id] = .init(tab: row.tab, seq: row.seq, creditedAt: row.credited_at)
        }
        return clocks
    }

    /// The progress rows the beats name. Every key comes from a signed ticket that binds the
    /// tenant, activity and person together, so the rows read here are exactly the ones each
    /// ticket allows (the tenant filter is part of every key).
    private static func progressRows(for beats: [Heartbeat], on sql: any SQLDatabase) async throws -> [ProgressKey: ProgressRow] {
        let keys = Set(beats.map { ProgressKey(tenantID: $0.ticket.tenantID, activityID: $0.ticket.activityID, personID: $0.ticket.personID) })
        let rows = try await sql.select()
            .columns(ProgressRow.columns)
            .from(ActivityProgress.schema)
            .where("tenant_id", .in, SQLBind.group(Array(Set(keys.map(\.tenantID)))))
            .where("activity_id", .in, SQLBind.group(Array(Set(keys.map(\.activityID)))))
            .where("person_id", .in, SQLBind.group(Array(Set(keys.map(\.personID)))))
            .all(decoding: ProgressRow.self)
        var found: [ProgressKey: ProgressRow] = [:]
        for row in rows {
            let key = ProgressKey(tenantID: row.tenant_id, activityID: row.activity_id, personID: row.person_id)
            if keys.contains(key) { found[key] = row }
        }
        return found
    }

    /// New rows are inserted and known rows updated in one statement (an upsert on the row's
    /// unique key), whatever the batch size.
    private static func saveProgress(_ rows: [ProgressRow], on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        var insert = sql.insert(into: ActivityProgress.schema).columns(ProgressRow.columns)
        for row in rows { insert = insert.values(row.binds) }
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
