import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

/// Live Learning's tables. Each leads with the tenant in its keys (DESIGN: partitionable by tenant).
struct CreateLiveLearning: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(LiveProgramme.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("instagram", .string, .required)
            .field("tiktok", .string, .required)
            .field("youtube", .string, .required)
            .field("cadence_days", .int, .required)
            .field("cadence_anchor", .datetime)
            .field("default_minutes", .int, .required)
            .field("default_jp", .int, .required)
            .field("claim_hours", .int, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "tenant_id", "slug")
            .create()
        try await db.schema(LiveEpisode.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(LiveProgramme.schema, "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("topic", .string, .required)
            .field("speakers_json", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("minutes", .int, .required)
            .field("links_json", .string, .required)
            .field("competency_type", .string, .required)
            .field("jp", .int, .required)
            .field("status", .string, .required)
            .field("recording_url", .string, .required)
            .field("code", .string, .required)
            .field("course_id", .uuid, .references(Course.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "tenant_id", "programme_id", "number")
            .create()
        try await db.sql.create(index: "live_episodes_tenant_starts_idx").on(LiveEpisode.schema)
            .column("tenant_id").column("starts_at").run()
        try await db.schema(EpisodeFigures.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("episode_id", .uuid, .required, .references(LiveEpisode.schema, "id", onDelete: .cascade))
            .field("platform", .string, .required)
            .field("accounts_reached", .int64)
            .field("peak_viewers", .int64)
            .field("comments", .int64)
            .field("accounts_engaged", .int64)
            .field("followers_gained", .int64)
            .field("views", .int64)
            .field("likes", .int64)
            .field("shares", .int64)
            .field("avg_watch_seconds", .int64)
            .field("updated_at", .datetime, .required)
            .unique(on: "tenant_id", "episode_id", "platform")
            .create()
        try await db.schema(LiveClaim.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("episode_id", .uuid, .required, .references(LiveEpisode.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("claimed_at", .datetime, .required)
            .unique(on: "tenant_id", "episode_id", "person_id")
            .create()
        try await db.schema(ClaimFailure.schema)
            .id()
            .field("episode_id", .uuid, .required, .references(LiveEpisode.schema, "id", onDelete: .cascade))
            .field("key", .string, .required)
            .field("failures", .int, .required)
            .field("last_failure_at", .datetime, .required)
            .unique(on: "episode_id", "key")
            .create()
    }

    func revert(on db: any Database) async throws {
        for schema in [
            ClaimFailure.schema, LiveClaim.schema, EpisodeFigures.schema, LiveEpisode.schema, LiveProgramme.schema,
        ] {
            try await db.schema(schema).delete()
        }
    }
}

/// Registrations for a reminder, added after the first tables went out.
struct CreateLiveRegistrations: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(LiveRegistration.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("episode_id", .uuid, .required, .references(LiveEpisode.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("registered_at", .datetime, .required)
            .field("reminded_at", .datetime)
            .unique(on: "tenant_id", "episode_id", "person_id")
            .create()
        // Episodes planned before registration existed get their reminders too.
        let now = Date()
        for episode in try await LiveEpisode.query(on: db).filter(\.$startsAt > now).all() {
            try await Reminders.schedule(for: episode, on: db, now: now)
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema(LiveRegistration.schema).delete()
    }
}
