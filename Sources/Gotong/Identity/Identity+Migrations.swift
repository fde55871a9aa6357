import Fluent

/// Creates people, memberships and the tokens that belong to a person.
struct CreateIdentity: AsyncMigration {
    func prepare(on db: any Database) async throws {
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

    func revert(on db: any Database) async throws {
        for schema in [LoginAttempt.schema, APIToken.schema, PersonToken.schema, Membership.schema, Person.schema] {
            try await db.schema(schema).delete()
        }
    }
}
