import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// What the registered of an episode are sent: the reminder an hour before the start, and a
/// notice when the start moves, the episode is cancelled, or it is back on.
///
/// The reminder is one job per episode and start, queued when the episode is made and again
/// whenever its start moves or it is back on; a job whose start is no longer the episode's does
/// nothing. Each job re-reads the episode in its own transaction, holding its row, so a move
/// being saved meanwhile is waited for, never reminded of at the old time. People are told in
/// chunks, each in its own transaction that queues the next, so no job holds the database for
/// long; a reminded registration is marked in the chunk that writes its notification, so a job
/// run twice reminds nobody twice.
enum Reminders {
    static let job = "live.reminder"
    static let noticeJob = "live.notice"
    /// People told per transaction.
    static let chunk = 500

    struct Reminder: Codable, Sendable {
        var tenant: UUID
        var episode: UUID
        var startsAt: Date
    }

    enum Notice: String, Codable, Sendable {
        case moved, cancelled, restored
    }

    struct NoticeChunk: Codable, Sendable {
        var tenant: UUID
        var episode: UUID
        var notice: Notice
        /// The start the notice tells of: a notice about a start since moved again is dropped.
        var startsAt: Date
        /// The last person told by the chunk before (people are told in their ids' order).
        var after: UUID?
    }

    static func register(_ jobs: JobHandlers) {
        jobs.register(job, as: Reminder.self) { reminder, app in try await remind(reminder, app: app) }
        jobs.register(noticeJob, as: NoticeChunk.self) { chunk, app in try await tell(chunk, app: app) }
    }

    /// Queues the reminder for the episode's start, unless it has started or is cancelled.
    static func schedule(for episode: LiveEpisode, on db: any Database, now: Date) async throws {
        guard episode.status != .cancelled, episode.status != .done, episode.startsAt > now else { return }
        try await JobQueue.enqueue(
            job, Reminder(tenant: episode.tenantID, episode: try episode.requireID(), startsAt: episode.startsAt),
            on: db, at: max(now, episode.startsAt.addingTimeInterval(-Registrations.remindBefore)))
    }

    /// After an episode was saved (in the saving transaction): a moved start, or an episode
    /// back on, is reminded of again; the registered are told of a new start, a cancellation or
    /// its undoing — unless the episode is over.
    static func episodeChanged(
        _ episode: LiveEpisode, from before: (startsAt: Date, status: LiveEpisode.Status), on db: any Database,
        now: Date
    ) async throws {
        let moved = abs(episode.startsAt.timeIntervalSince(before.startsAt)) >= 1
        let cancelled = episode.status == .cancelled && before.status != .cancelled
        let restored = episode.status != .cancelled && before.status == .cancelled
        let id = try episode.requireID()
        if moved {
            try await db.sql.raw(
                """
                UPDATE \(ident: LiveRegistration.schema) SET reminded_at = NULL \
                WHERE tenant_id = \(bind: episode.tenantID) AND episode_id = \(bind: id)
                """
            ).run()
        }
        if (moved || restored) && episode.status != .cancelled {
            try await schedule(for: episode, on: db, now: now)
        }
        let notice: Notice? =
            cancelled ? .cancelled : restored ? .restored : (moved && episode.status != .cancelled ? .moved : nil)
        guard let notice, episode.endsAt > now, episode.status != .done else { return }
        try await JobQueue.enqueue(
            noticeJob,
            NoticeChunk(tenant: episode.tenantID, episode: id, notice: notice, startsAt: episode.startsAt, after: nil),
            on: db, at: now)
    }

    /// The reminder job: for the start it was queued for, to the registered not yet reminded,
    /// while the episode is neither cancelled, done nor over.
    static func remind(_ reminder: Reminder, app: Application) async throws {
        let now = app.clock.now()
        try await app.db.lockingTransaction { tx in
            guard let (episode, programme) = try await held(reminder.episode, of: reminder.tenant, on: tx),
                abs(episode.startsAt.timeIntervalSince(reminder.startsAt)) < 1, episode.status != .cancelled,
                episode.status != .done, now < episode.endsAt
            else { return }
            let people = try await tx.sql.raw(
                """
                UPDATE \(ident: LiveRegistration.schema) SET reminded_at = \(bind: now) WHERE id IN (SELECT id FROM \
                \(ident: LiveRegistration.schema) WHERE tenant_id = \(bind: reminder.tenant) AND episode_id = \
                \(bind: reminder.episode) AND reminded_at IS NULL ORDER BY person_id LIMIT \(literal: chunk)) \
                RETURNING person_id
                """
            ).all(decodingColumn: "person_id", as: UUID.self)
            try await notify(people, "notify.live.reminder", about: episode, in: programme, on: tx, now: now)
            if people.count == chunk { try await JobQueue.enqueue(job, reminder, on: tx, at: now) }
        }
        app.jobs.kick()
    }

    /// A notice job: one chunk of the registered told, the next chunk queued; dropped when the
    /// episode changed since (a newer notice tells what is true now).
    static func tell(_ notice: NoticeChunk, app: Application) async throws {
        let now = app.clock.now()
        try await app.db.lockingTransaction { tx in
            guard let (episode, programme) = try await held(notice.episode, of: notice.tenant, on: tx),
                abs(episode.startsAt.timeIntervalSince(notice.startsAt)) < 1,
                (episode.status == .cancelled) == (notice.notice == .cancelled)
            else { return }
            var query = TenantScope(tenantID: notice.tenant, db: tx).query(LiveRegistration.self)
                .filter(\.$episodeID == notice.episode)
            if let after = notice.after { query = query.filter(\.$personID > after) }
            let people = try await query.sort(\.$personID).limit(chunk).all(\.$personID)
            try await notify(
                people, "notify.live.\(notice.notice.rawValue)", about: episode, in: programme, on: tx, now: now)
            if people.count == chunk, let last = people.last {
                var next = notice
                next.after = last
                try await JobQueue.enqueue(noticeJob, next, on: tx, at: now)
            }
        }
        app.jobs.kick()
    }

    /// The episode and its programme, read in the transaction `db` with the episode's row held
    /// (PostgreSQL; SQLite's writers take turns anyway), so a change being saved is waited for.
    private static func held(
        _ id: UUID, of tenant: UUID, on db: any Database
    ) async throws -> (LiveEpisode, LiveProgramme)? {
        if !db.isSQLite {
            try await db.sql.raw(
                """
                SELECT id FROM \(ident: LiveEpisode.schema) WHERE id = \(bind: id) AND tenant_id = \(bind: tenant) \
                FOR UPDATE
                """
            ).run()
        }
        let scope = TenantScope(tenantID: tenant, db: db)
        guard let episode = try await scope.find(LiveEpisode.self, id),
            let programme = try await scope.find(LiveProgramme.self, episode.programmeID)
        else { return nil }
        return (episode, programme)
    }

    /// One notification to each of `people`, leading to the episode's page.
    private static func notify(
        _ people: [UUID], _ key: String, about episode: LiveEpisode, in programme: LiveProgramme,
        on db: any Database, now: Date
    ) async throws {
        guard !people.isEmpty, let tenant = try await Tenant.find(episode.tenantID, on: db) else { return }
        let route = LiveRoute.episode(
            tenant.routeSlug, .value(ProgrammeSlug(programme.slug)), .value(EpisodeNumber(episode.number)))
        let args = [
            "programme": programme.name, "number": "\(episode.number)", "topic": episode.topic,
            "when": LocalDates.moment(episode.startsAt, .id), "when_en": LocalDates.moment(episode.startsAt, .en),
        ]
        try await Notifier.record(
            people.map { .init(personID: $0, tenantID: episode.tenantID, key: key, args: args, route: route) },
            on: db, at: now)
    }
}
