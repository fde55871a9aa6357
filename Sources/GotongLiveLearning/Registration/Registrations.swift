import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Registering for an episode, so one is reminded before it starts (in Gotong, and by email
/// when mail is on), and told when it moves or is cancelled.
///
/// The reminder is one job per episode and start, queued when the episode is made and again
/// whenever its start moves; a job whose start is no longer the episode's does nothing. The
/// job marks each registration reminded in the transaction that writes the notification, so a
/// job run twice (retried, or two starts that came back to one) reminds nobody twice.
public enum Registrations {
    static let reminderJob = "live.reminder"
    /// How long before the start the reminder goes.
    public static let remindBefore: TimeInterval = 3600

    struct Reminder: Codable, Sendable {
        var episode: UUID
        var startsAt: Date
    }

    /// Why registering is not possible now, or nil: an episode is registered for until it ends.
    public static func refusal(_ episode: LiveEpisode, at now: Date) -> String? {
        if episode.status == .cancelled { return "live.register.error.cancelled" }
        if now >= episode.endsAt || episode.status == .done { return "live.register.error.over" }
        return nil
    }

    /// The person's registration for the episode, if any.
    public static func find(
        _ episode: LiveEpisode, person: PersonID, on db: any Database
    ) async throws -> LiveRegistration? {
        try await TenantScope(tenantID: episode.tenantID, db: db).query(LiveRegistration.self)
            .filter(\.$episodeID == episode.requireID()).filter(\.$personID == person.rawValue).first()
    }

    /// How many are registered for the episode.
    public static func count(_ episode: LiveEpisode, on db: any Database) async throws -> Int {
        try await TenantScope(tenantID: episode.tenantID, db: db).query(LiveRegistration.self)
            .filter(\.$episodeID == episode.requireID()).count()
    }

    /// Registers the person (refused once the episode is over or cancelled); registering again
    /// changes nothing. Returns the registration and whether it is new.
    @discardableResult
    public static func register(
        _ episode: LiveEpisode, person: PersonID, on db: any Database, now: Date
    ) async throws -> (registration: LiveRegistration, isNew: Bool) {
        if let refusal = refusal(episode, at: now) { throw InputError(field: "episode", key: refusal) }
        let inserted = try await db.sql.raw(
            """
            INSERT INTO \(ident: LiveRegistration.schema) (id, tenant_id, episode_id, person_id, registered_at) \
            VALUES (\(bind: UUID()), \(bind: episode.tenantID), \(bind: try episode.requireID()), \
            \(bind: person.rawValue), \(bind: now)) \
            ON CONFLICT (tenant_id, episode_id, person_id) DO NOTHING RETURNING id
            """
        ).first()
        guard let registration = try await find(episode, person: person, on: db) else {
            throw Abort(.internalServerError, reason: "a registration just written is not there")
        }
        return (registration, inserted != nil)
    }

    /// Takes the person's registration back; returns whether there was one.
    @discardableResult
    public static func cancel(_ episode: LiveEpisode, person: PersonID, on db: any Database) async throws -> Bool {
        try await db.sql.raw(
            """
            DELETE FROM \(ident: LiveRegistration.schema) WHERE tenant_id = \(bind: episode.tenantID) \
            AND episode_id = \(bind: try episode.requireID()) AND person_id = \(bind: person.rawValue) RETURNING id
            """
        ).first() != nil
    }

    // MARK: Reminders and changes

    /// Queues the reminder for the episode's start, unless it has started or is cancelled.
    static func scheduleReminder(for episode: LiveEpisode, on db: any Database, now: Date) async throws {
        guard episode.status != .cancelled, episode.startsAt > now else { return }
        try await JobQueue.enqueue(
            reminderJob, Reminder(episode: try episode.requireID(), startsAt: episode.startsAt), on: db,
            at: max(now, episode.startsAt.addingTimeInterval(-remindBefore)))
    }

    /// After an episode was saved (in the saving transaction): a moved start is reminded of
    /// again, and the registered are told of the new start or of the cancellation.
    static func episodeChanged(
        _ episode: LiveEpisode, from before: (startsAt: Date, status: LiveEpisode.Status), in programme: LiveProgramme,
        on db: any Database, now: Date
    ) async throws {
        let cancelled = episode.status == .cancelled && before.status != .cancelled
        let moved = abs(episode.startsAt.timeIntervalSince(before.startsAt)) >= 1
        guard cancelled || (moved && episode.status != .cancelled) else { return }
        let id = try episode.requireID()
        if moved {
            try await db.sql.raw(
                """
                UPDATE \(ident: LiveRegistration.schema) SET reminded_at = NULL \
                WHERE tenant_id = \(bind: episode.tenantID) AND episode_id = \(bind: id)
                """
            ).run()
            try await scheduleReminder(for: episode, on: db, now: now)
        }
        // Nobody is told of a change to an episode that is over.
        guard episode.endsAt > now || cancelled else { return }
        let people = try await TenantScope(tenantID: episode.tenantID, db: db).query(LiveRegistration.self)
            .filter(\.$episodeID == id).all(\.$personID)
        try await tell(
            people, cancelled ? "notify.live.cancelled" : "notify.live.moved", about: episode, in: programme, on: db,
            now: now)
    }

    /// The reminder job: for the start it was queued for, to everyone registered and not yet
    /// reminded, while the episode has not ended.
    static func remind(_ reminder: Reminder, app: Application) async throws {
        guard let episode = try await LiveEpisode.find(reminder.episode, on: app.db),
            abs(episode.startsAt.timeIntervalSince(reminder.startsAt)) < 1, episode.status != .cancelled,
            let programme = try await LiveProgramme.find(episode.programmeID, on: app.db)
        else { return }
        let now = app.clock.now()
        guard now < episode.endsAt else { return }
        try await app.db.lockingTransaction { tx in
            let people = try await tx.sql.raw(
                """
                UPDATE \(ident: LiveRegistration.schema) SET reminded_at = \(bind: now) \
                WHERE tenant_id = \(bind: episode.tenantID) AND episode_id = \(bind: reminder.episode) \
                AND reminded_at IS NULL RETURNING person_id
                """
            ).all(decodingColumn: "person_id", as: UUID.self)
            try await tell(people, "notify.live.reminder", about: episode, in: programme, on: tx, now: now)
        }
        app.jobs.kick()
    }

    /// One notification to each of `people`, leading to the episode's page.
    private static func tell(
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
