import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Writes heartbeats in batches (group commit): the beats that arrive while one batch is being
/// written go together into the next transaction, and each request is answered only after its
/// batch has committed, so an answer means the time is stored. Under load this turns thousands
/// of small transactions a second into a few hundred larger ones; when idle a beat is written
/// at once. The state that matters (each person's clock) lives in the database, and batches
/// take turns (see ``write(_:on:)``), so several server processes stay correct. Batches are
/// written on a database connection, event loop and thread of their own
/// (``DedicatedDatabase``) when the server has one to give.
public actor HeartbeatRecorder {
    private let db: any Database
    private let types: ActivityTypeRegistry
    private let executor: (any TaskExecutor)?
    /// Wakes the job worker after a batch queued course checks.
    private let kickJobs: @Sendable () -> Void
    private var waiting: [(Heartbeat, CheckedContinuation<HeartbeatOutcome, any Error>)] = []
    /// One batch is written at a time: batches take turns in the database anyway, and the
    /// beats that wait meanwhile make the next batch larger, which is what makes a beat cheap.
    private var writing = false
    /// Larger batches than this wait for the next round (bind limits of the databases).
    static let maxBatch = 400

    init(
        db: any Database, types: ActivityTypeRegistry, executor: (any TaskExecutor)?,
        kickJobs: @escaping @Sendable () -> Void
    ) {
        self.db = db
        self.types = types
        self.executor = executor
        self.kickJobs = kickJobs
    }

    public func record(_ beat: Heartbeat) async throws -> HeartbeatOutcome {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((beat, continuation))
            startWriter()
        }
    }

    /// Starts writing the waiting beats unless a batch is being written.
    private func startWriter() {
        guard !writing, !waiting.isEmpty else { return }
        let batch = Array(waiting.prefix(Self.maxBatch))
        waiting.removeFirst(batch.count)
        writing = true
        Task(executorPreference: executor) { await self.write(batch) }
    }

    private func write(_ batch: [(Heartbeat, CheckedContinuation<HeartbeatOutcome, any Error>)]) async {
        do {
            let (outcomes, finished) = try await Self.write(batch.map(\.0), types: types, on: db)
            for (i, item) in batch.enumerated() { item.1.resume(returning: outcomes[i]) }
            // The batch's transaction queued a course check for each of them (durable: a
            // process that stops now leaves the jobs for the next worker).
            if !finished.isEmpty { kickJobs() }
        } catch {
            for item in batch { item.1.resume(throwing: error) }
        }
        writing = false
        startWriter()
    }

    /// Applies beats in arrival order in one transaction; returns each beat's outcome and the
    /// (person, course) pairs with a newly completed activity.
    ///
    /// Batches take turns: on PostgreSQL each holds one transaction-scoped advisory lock, so
    /// batches from every server process run one after another (a batch is a few
    /// milliseconds); on SQLite the write gate already does this. A batch can therefore read
    /// the clocks and progress rows plainly, credit the beats in Swift (``HeartbeatRules``)
    /// and write the results back: two reads and two upserts whatever its size, sent two at a
    /// time (``Database/pipelinedTransaction(reading:then:)``). The statements are written out
    /// as text, because building them with SQLKit's expression types costs more than the
    /// database's work for a small batch.
    static func write(
        _ beats: [Heartbeat], types: ActivityTypeRegistry, on db: any Database
    ) async throws -> ([HeartbeatOutcome], [CourseCompletion.Key]) {
        let tickets = Dictionary(
            beats.map { (ProgressKey($0.ticket), $0.ticket) }, uniquingKeysWith: { _, last in last })
        let reads = [clocksQuery(Set(beats.map(\.ticket.personID))), progressQuery(Set(tickets.keys))]
        return try await db.pipelinedTransaction(turn: advisoryLock, reading: reads) { rows in
            let credited = credit(
                beats, clocks: try decodeClocks(rows[0]), progress: try decodeProgress(rows[1], tickets: tickets),
                types: types)
            let now = beats.last?.at ?? Date()
            let finished = Array(Set(credited.finished))
            let checks = try JobQueue.insert(
                CourseCompletion.checkJob, finished.isEmpty ? [] : [CourseCompletion.CheckJob(keys: finished, at: now)],
                at: now)
            let writes = [saveProgress(credited.progress), saveClocks(credited.clocks), checks]
            return (writes: writes.compactMap { $0 }, result: (credited.outcomes, credited.finished))
        }
    }

    /// What a batch's beats did: each one's outcome, the rows and clocks that changed (to write
    /// back), and who completed an activity.
    struct Credited {
        var outcomes: [HeartbeatOutcome] = []
        var progress: [ProgressRow] = []
        var clocks: [UUID: HeartbeatRules.Clock] = [:]
        var finished: [CourseCompletion.Key] = []
    }

    /// Credits the beats in arrival order against the stored clocks and progress; each
    /// activity's type hears its beats and judges its rule.
    static func credit(
        _ beats: [Heartbeat], clocks stored: [UUID: HeartbeatRules.Clock],
        progress storedProgress: [ProgressKey: ProgressRow], types: ActivityTypeRegistry
    ) -> Credited {
        var result = Credited()
        var clocks = stored
        var progress = storedProgress
        var touched: Set<ProgressKey> = []
        result.outcomes.reserveCapacity(beats.count)
        for beat in beats {
            let t = beat.ticket
            let key = ProgressKey(t)
            let (credited, clock, duplicate) = HeartbeatRules.credit(beat, clock: clocks[t.personID])
            clocks[t.personID] = clock
            var row = progress[key] ?? ProgressRow(for: t)
            if !duplicate {
                row.seconds += credited
                row.last_seen_at = beat.at
                let type = types[t.activityType]
                type?.heartbeat(beat, credited: credited, state: &row.state)
                if row.completed_at == nil, type?.isMet(t.completion, by: row.facts) == true {
                    row.completed_at = beat.at
                    result.finished.append(.init(tenantID: t.tenantID, courseID: t.courseID, personID: t.personID))
                }
                progress[key] = row
                touched.insert(key)
            }
            result.outcomes.append(
                HeartbeatOutcome(
                    credited: credited, seconds: row.seconds, videoPercent: row.state.videoPercent,
                    completed: row.completed_at != nil, duplicate: duplicate))
        }
        result.progress = touched.compactMap { progress[$0] }
        result.clocks = clocks.filter { stored[$0.key] != $0.value }
        return result
    }

    /// The key of the PostgreSQL advisory lock heartbeat batches take turns on ("GotongHB").
    static let advisoryLock: Int64 = 0x476F_746F_6E67_4842

    struct ProgressKey: Hashable, Sendable {
        let tenantID: UUID
        let activityID: UUID
        let personID: UUID
    }

    /// The people's clocks; a person without a row has had no beat credited yet.
    private static func clocksQuery(_ people: Set<UUID>) -> SQLQueryString {
        "SELECT person_id, tab, seq, credited_at FROM learning_clocks WHERE person_id IN (\(binds: Array(people)))"
    }

    private static func decodeClocks(_ rows: [any SQLRow]) throws -> [UUID: HeartbeatRules.Clock] {
        var clocks: [UUID: HeartbeatRules.Clock] = [:]
        for row in rows {
            clocks[try row.decode(column: "person_id", as: UUID.self)] = .init(
                tab: try row.decode(column: "tab", as: String.self), seq: try row.decode(column: "seq", as: Int.self),
                creditedAt: try row.decode(column: "credited_at", as: Date.self))
        }
        return clocks
    }

    /// The progress rows the beats name. Every key comes from a signed ticket that binds the
    /// tenant, activity and person together, so the rows read here are exactly the ones each
    /// ticket allows (the tenant filter is part of every key). Only the columns a beat reads
    /// are read: the write back sets only the columns a beat changes (see
    /// ``saveProgress(_:)``), so a known row's other fields are never written from here.
    private static func progressQuery(_ keys: Set<ProgressKey>) -> SQLQueryString {
        """
        SELECT tenant_id, activity_id, person_id, views, seconds, state, completed_at \
        FROM activity_progress \
        WHERE tenant_id IN (\(binds: Array(Set(keys.map(\.tenantID))))) \
        AND activity_id IN (\(binds: Array(Set(keys.map(\.activityID))))) \
        AND person_id IN (\(binds: Array(Set(keys.map(\.personID)))))
        """
    }

    /// The stored rows of ``progressQuery(_:)`` that a ticket names (the query may find a few
    /// more: it filters each column on its own).
    private static func decodeProgress(
        _ rows: [any SQLRow], tickets: [ProgressKey: ProgressTicket]
    ) throws -> [ProgressKey: ProgressRow] {
        var found: [ProgressKey: ProgressRow] = [:]
        for stored in rows {
            let key = ProgressKey(
                tenantID: try stored.decode(column: "tenant_id", as: UUID.self),
                activityID: try stored.decode(column: "activity_id", as: UUID.self),
                personID: try stored.decode(column: "person_id", as: UUID.self))
            guard let t = tickets[key] else { continue }
            var row = ProgressRow(for: t)
            row.views = try stored.decode(column: "views", as: Int.self)
            row.completed_at = try stored.decode(column: "completed_at", as: Date?.self)
            row.seconds = try stored.decode(column: "seconds", as: Int.self)
            row.state = ProgressState(json: try stored.decode(column: "state", as: String.self))
            found[key] = row
        }
        return found
    }

    /// New rows are inserted and known rows updated in one statement (an upsert on the row's
    /// unique key), whatever the batch size. A known row gets only the columns beats change.
    private static func saveProgress(_ rows: [ProgressRow]) -> SQLQueryString? {
        guard !rows.isEmpty else { return nil }
        var query: SQLQueryString = "INSERT INTO activity_progress (\(unsafeRaw: ProgressRow.columnList)) VALUES "
        query += rows.map { "(\($0.bindList))" as SQLQueryString }.joined(separator: ", ")
        // A view may have completed the activity meanwhile; a completion is never undone.
        query += """
             ON CONFLICT (tenant_id, activity_id, person_id) DO UPDATE SET seconds = excluded.seconds, \
            last_seen_at = excluded.last_seen_at, state = excluded.state, \
            completed_at = COALESCE(activity_progress.completed_at, excluded.completed_at)
            """
        return query
    }

    private static func saveClocks(_ rows: [UUID: HeartbeatRules.Clock]) -> SQLQueryString? {
        guard !rows.isEmpty else { return nil }
        var query: SQLQueryString = "INSERT INTO learning_clocks (person_id, tab, seq, credited_at) VALUES "
        query += rows.map { person, clock in
            "(\(bind: person), \(bind: clock.tab), \(bind: clock.seq), \(bind: clock.creditedAt))" as SQLQueryString
        }.joined(separator: ", ")
        query +=
            """
             ON CONFLICT (person_id) DO UPDATE SET tab = excluded.tab, seq = excluded.seq, credited_at = \
            excluded.credited_at
            """
        return query
    }
}

extension HeartbeatRecorder.ProgressKey {
    /// The row a ticket allows writing.
    init(_ ticket: ProgressTicket) {
        self.init(tenantID: ticket.tenantID, activityID: ticket.activityID, personID: ticket.personID)
    }
}

extension ProgressRow {
    /// A row not stored yet for the person, activity and course a ticket names.
    init(for ticket: ProgressTicket) {
        self.init(
            id: UUID(), tenant_id: ticket.tenantID, course_id: ticket.courseID, activity_id: ticket.activityID,
            person_id: ticket.personID)
    }
}
