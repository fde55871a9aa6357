import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// Creates people, memberships and the tokens that belong to a person.
package struct CreateIdentity: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(Person.schema)
            .id()
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("nip", .string)
            .field("phone", .string, .required)
            .field("home_tenant_id", .uuid, .references(Tenant.schema, "id", onDelete: .setNull))
            .field("unit_kerja", .string, .required)
            .field("jabatan", .string, .required)
            .field("password_hash", .string)
            .field("email_verified_at", .datetime)
            .field("is_platform_admin", .bool, .required)
            .field("locale", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")
            .unique(on: "nip")
            .create()
        try await db.schema(Membership.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "tenant_id", "person_id", "role")
            .create()
        // A person's own memberships are read on every signed-in page (the tenant switcher).
        try await db.sql.create(index: "memberships_person_idx").on(Membership.schema).column("person_id").run()
        try await db.schema(PersonToken.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await db.schema(APIToken.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("last_used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await db.schema(LoginAttempt.schema)
            .id()
            .field("key", .string, .required)
            .field("failures", .int, .required)
            .field("last_failure_at", .datetime, .required)
            .field("locked_until", .datetime)
            .unique(on: "key")
            .create()
    }

    package func revert(on db: any Database) async throws {
        for schema in [LoginAttempt.schema, APIToken.schema, PersonToken.schema, Membership.schema, Person.schema] {
            try await db.schema(schema).delete()
        }
    }
}

/// Sessions say whose they are (`person_id`), so a password reset or "sign out everywhere" can
/// end all of a person's sessions with one delete. Sessions signed in before this migration get
/// their person from the session data they hold.
package struct AddSessionPerson: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(PersonSession.schema).field("person_id", .uuid).update()
        try await db.sql.create(index: "fluent_sessions_person_idx").on(PersonSession.schema).column("person_id").run()
        var after: UUID?
        while true {
            var page = PersonSession.query(on: db).sort(\.$id).limit(500)
            if let after { page = page.filter(\.$id > after) }
            let rows = try await page.all()
            guard let last = rows.last?.id else { break }
            for row in rows {
                guard let personID = PersonSession.personID(in: row.data) else { continue }
                row.personID = personID
                try await row.save(on: db)
            }
            after = last
        }
    }

    package func revert(on db: any Database) async throws {
        try await db.sql.drop(index: "fluent_sessions_person_idx").run()
        try await db.schema(PersonSession.schema).deleteField("person_id").update()
    }
}

/// API tokens expire (`expires_at`). Tokens made before this get the default lifetime from now,
/// so no running integration stops without warning on the day of the upgrade.
package struct AddAPITokenExpiry: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(APIToken.schema).field("expires_at", .datetime).update()
        try await APIToken.query(on: db).set(\.$expiresAt, to: Date().addingTimeInterval(APIToken.defaultLifetime))
            .update()
        // A person's tokens are listed on the profile and all deleted at a password reset.
        try await db.sql.create(index: "api_tokens_person_idx").on(APIToken.schema).column("person_id").run()
    }

    package func revert(on db: any Database) async throws {
        try await db.sql.drop(index: "api_tokens_person_idx").run()
        try await db.schema(APIToken.schema).deleteField("expires_at").update()
    }
}

/// Sign-in failures are counted per (account, address) pair instead of per account, so that a
/// stranger's failures no longer lock the owner out. Pair rows name their account, for clearing
/// after a password reset; the old per-account rows mean nothing now and are dropped.
package struct RekeyLoginAttempts: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(LoginAttempt.schema).field("account", .string).update()
        try await db.sql.create(index: "login_attempts_account_idx").on(LoginAttempt.schema).column("account").run()
        // Old counts are swept by age.
        try await db.sql.create(index: "login_attempts_last_failure_idx").on(LoginAttempt.schema).column(
            "last_failure_at"
        ).run()
        try await db.sql.delete(from: LoginAttempt.schema).where("key", .like, "email:%").run()
    }

    package func revert(on db: any Database) async throws {
        try await db.sql.delete(from: LoginAttempt.schema).where("key", .like, "pair:%").run()
        try await db.sql.drop(index: "login_attempts_last_failure_idx").run()
        try await db.sql.drop(index: "login_attempts_account_idx").run()
        try await db.schema(LoginAttempt.schema).deleteField("account").update()
    }
}
