import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

/// The service desk's tables. Each leads with the tenant in its keys (DESIGN: partitionable by tenant).
struct CreateServiceDesk: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let tenant = { (b: SchemaBuilder) in
            b.id().field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
        }
        try await tenant(db.schema(DeskSettings.schema))
            .field("enabled", .bool, .required)
            .field("zone", .string, .required)
            .field("weekdays", .string, .required)
            .field("opens", .int, .required)
            .field("closes", .int, .required)
            .field("verify_days", .int, .required)
            .field("plan_days", .int, .required)
            .field("retention_days", .int, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "tenant_id")
            .create()
        try await tenant(db.schema(DeskHoliday.schema))
            .field("day", .string, .required)
            .field("name", .string, .required)
            .unique(on: "tenant_id", "day")
            .create()
        try await tenant(db.schema(DeskCategory.schema))
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("position", .int, .required)
            .unique(on: "tenant_id", "slug")
            .create()
        try await tenant(db.schema(CaseNumbers.table))
            .field("year", .int, .required)
            .field("last", .int, .required)
            .unique(on: "tenant_id", "year")
            .create()
        try await tenant(db.schema(DeskCase.schema))
            .field("number", .string, .required)
            .field("kind", .string, .required)
            .field("channel", .string, .required)
            .field("category_id", .uuid, .required, .references(DeskCategory.schema, "id"))
            .field("text", .string, .required)
            .field("location", .string, .required)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("privacy", .string, .required)
            .field("status", .string, .required)
            .field("contact_masked", .string, .required)
            .field("secret_hash", .string, .required)
            .field("stage_started_at", .datetime, .required)
            .field("due_at", .datetime)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("closed_at", .datetime)
            .field("rating", .int)
            .field("source_hash", .string, .required)
            .unique(on: "tenant_id", "number")
            .create()
        try await db.sql.create(index: "desk_cases_tenant_source_idx").on(DeskCase.schema)
            .column("tenant_id").column("source_hash").column("created_at").run()
        try await tenant(db.schema(DeskReporter.schema))
            .field("case_id", .uuid, .required, .references(DeskCase.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("phone", .string, .required)
            .field("nik", .string, .required)
            .unique(on: "tenant_id", "case_id")
            .create()
        try await tenant(db.schema(DeskMessage.schema))
            .field("case_id", .uuid, .required, .references(DeskCase.schema, "id", onDelete: .cascade))
            .field("direction", .string, .required)
            .field("channel", .string, .required)
            .field("body", .string, .required)
            .field("author_id", .uuid, .references(Person.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .create()
        try await db.sql.create(index: "desk_messages_tenant_case_idx").on(DeskMessage.schema)
            .column("tenant_id").column("case_id").column("created_at").run()
        try await tenant(db.schema(DeskEvent.schema))
            .field("case_id", .uuid, .required, .references(DeskCase.schema, "id", onDelete: .cascade))
            .field("status_from", .string)
            .field("status_to", .string, .required)
            .field("actor_id", .uuid, .references(Person.schema, "id", onDelete: .setNull))
            .field("note", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await db.sql.create(index: "desk_events_tenant_case_idx").on(DeskEvent.schema)
            .column("tenant_id").column("case_id").column("at").run()
    }

    func revert(on db: any Database) async throws {
        for schema in [
            DeskEvent.schema, DeskMessage.schema, DeskReporter.schema, DeskCase.schema, CaseNumbers.table,
            DeskCategory.schema, DeskHoliday.schema, DeskSettings.schema,
        ] {
            try await db.schema(schema).delete()
        }
    }
}

/// The officers' desk: work units, the people at them, routing rules; and on each case its
/// unit, its officer, what a pause keeps, and how far its lateness has gone.
struct AddDeskOffice: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let tenant = { (b: SchemaBuilder) in
            b.id().field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
        }
        try await tenant(db.schema(DeskUnit.schema))
            .field("name", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "tenant_id", "name")
            .create()
        try await tenant(db.schema(DeskStaff.schema))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("unit_id", .uuid, .references(DeskUnit.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .create()
        try await db.sql.create(index: "desk_staff_tenant_person_idx").on(DeskStaff.schema)
            .column("tenant_id").column("person_id").run()
        try await tenant(db.schema(DeskRule.schema))
            .field("unit_id", .uuid, .required, .references(DeskUnit.schema, "id", onDelete: .cascade))
            .field("category_id", .uuid, .references(DeskCategory.schema, "id", onDelete: .cascade))
            .field("keyword", .string, .required)
            .field("position", .int, .required)
            .create()
        // Added to a table that exists: plain columns (SQLite adds no references to one); a
        // unit's removal clears its cases' unit itself (``Units/remove(_:id:)``).
        for (name, type) in [
            ("unit_id", DatabaseSchema.DataType.uuid), ("assignee_id", .uuid), ("paused_from", .string),
            ("paused_left", .double),
        ] {
            try await db.schema(DeskCase.schema).field(.string(name), type).update()
        }
        try await db.schema(DeskCase.schema).field("escalation", .int, .required, .sql(.default(0))).update()
        // The queue, read in index order: a tenant's (or a unit's) cases by deadline and
        // arrival, and those without a deadline by arrival (``Queue/page(_:_:)``).
        try await db.sql.create(index: "desk_cases_tenant_due_idx").on(DeskCase.schema)
            .column("tenant_id").column("due_at").column("created_at").run()
        try await db.sql.create(index: "desk_cases_tenant_unit_due_idx").on(DeskCase.schema)
            .column("tenant_id").column("unit_id").column("due_at").column("created_at").run()
        try await db.sql.create(index: "desk_cases_tenant_created_idx").on(DeskCase.schema)
            .column("tenant_id").column("created_at").run()
    }

    func revert(on db: any Database) async throws {
        for index in ["desk_cases_tenant_due_idx", "desk_cases_tenant_unit_due_idx", "desk_cases_tenant_created_idx"] {
            try await db.sql.drop(index: index).run()
        }
        for name in ["unit_id", "assignee_id", "paused_from", "paused_left", "escalation"] {
            try await db.schema(DeskCase.schema).deleteField(.string(name)).update()
        }
        for schema in [DeskRule.schema, DeskStaff.schema, DeskUnit.schema] { try await db.schema(schema).delete() }
    }
}
