import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Registering for an episode, so one is reminded before it starts (in Gotong, and by email
/// when mail is on), and told when it moves, is cancelled or is back on (``Reminders``).
public enum Registrations {
    /// How long before the start the reminder goes.
    public static let remindBefore: TimeInterval = 3600

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
        if let refusal = refusal(episode, at: now) {
            throw InputError(field: "episode", key: refusal, status: .conflict)
        }
        // In the write turn: many viewers press the button at once before a broadcast.
        let inserted = try await db.lockingTransaction { tx in
            try await tx.sql.raw(
                """
                INSERT INTO \(ident: LiveRegistration.schema) (id, tenant_id, episode_id, person_id, registered_at) \
                VALUES (\(bind: UUID()), \(bind: episode.tenantID), \(bind: try episode.requireID()), \
                \(bind: person.rawValue), \(bind: now)) \
                ON CONFLICT (tenant_id, episode_id, person_id) DO NOTHING RETURNING id
                """
            ).first() != nil
        }
        guard let registration = try await find(episode, person: person, on: db) else {
            throw Abort(.internalServerError, reason: "a registration just written is not there")
        }
        return (registration, inserted)
    }

    /// Takes the person's registration back; returns whether there was one.
    @discardableResult
    public static func cancel(_ episode: LiveEpisode, person: PersonID, on db: any Database) async throws -> Bool {
        try await db.lockingTransaction { tx in
            try await tx.sql.raw(
                """
                DELETE FROM \(ident: LiveRegistration.schema) WHERE tenant_id = \(bind: episode.tenantID) \
                AND episode_id = \(bind: try episode.requireID()) AND person_id = \(bind: person.rawValue) RETURNING id
                """
            ).first() != nil
        }
    }
}
