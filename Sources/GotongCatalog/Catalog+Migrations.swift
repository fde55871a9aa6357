import Fluent
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

/// Creates courses, their staff and prerequisites, enrolments, and the catalogue's change
/// counter. Keys and indexes lead with `tenant_id`, except the person's own enrolments, which
/// `/saya` reads across tenants.
package struct CreateCatalog: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(Course.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("slug", .string, .required)
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("description", .string, .required)
            .field("cover_path", .string)
            .field("category_id", .uuid, .references(TenantCategory.schema, "id", onDelete: .setNull))
            .field("tags", .string, .required)
            .field("competency_type", .string, .required)
            .field("jp", .int, .required)
            .field("delivery_method", .string, .required)
            .field("micro_minutes", .int)
            .field("level", .string, .required)
            .field("language", .string, .required)
            .field("audience", .string, .required)
            .field("audience_tenants", .string, .required)
            .field("enrolment_mode", .string, .required)
            .field("quota", .int)
            .field("enrol_opens_at", .datetime)
            .field("enrol_closes_at", .datetime)
            .field("starts_at", .datetime)
            .field("ends_at", .datetime)
            .field("status", .string, .required)
            .field("curation", .string, .required)
            .field("curation_reason", .string, .required)
            .field("curated_at", .datetime)
            .field("featured", .bool, .required)
            .field("enrolled_count", .int, .required)
            .field("published_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "tenant_id", "slug")
            .create()
        // The search index loads the marketplace's courses; curators list pending ones.
        try await db.sql.create(index: "courses_curation_idx").on(Course.schema).column("curation").column("status")
            .run()

        try await db.schema(CourseStaff.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .unique(on: "tenant_id", "course_id", "person_id", "role")
            .create()
        try await db.schema(CoursePrerequisite.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("required_course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .unique(on: "tenant_id", "course_id", "required_course_id")
            .create()

        try await db.schema(Enrolment.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("assigned", .bool, .required)
            .field("due_at", .datetime)
            .field("assigned_by", .uuid)
            .field("reason", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("enrolled_at", .datetime)
            .field("completed_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "tenant_id", "course_id", "person_id")
            .create()
        // The coordinator's lists and the waiting list, in order.
        try await db.sql.create(index: "enrolments_course_status_idx").on(Enrolment.schema)
            .column("tenant_id").column("course_id").column("status").column("requested_at").run()
        // A person's own courses across tenants (/saya).
        try await db.sql.create(index: "enrolments_person_idx").on(Enrolment.schema).column("person_id").run()

        try await db.schema(CatalogState.schema)
            .field("id", .int, .identifier(auto: false))
            .field("version", .int, .required)
            .create()
        try await db.sql.insert(into: CatalogState.schema).columns("id", "version").values(
            SQLLiteral.numeric("1"), SQLLiteral.numeric("1")
        ).run()
    }

    package func revert(on db: any Database) async throws {
        for schema in [
            CatalogState.schema, Enrolment.schema, CoursePrerequisite.schema, CourseStaff.schema, Course.schema,
        ] {
            try await db.schema(schema).delete()
        }
    }
}

/// The catalogue's change counter: one row whose `version` rises with every change that the
/// marketplace search must see, so every server process knows when to rebuild its index.
enum CatalogState {
    static let schema = "catalog_state"

    static func bump(on db: any Database) async throws {
        try await db.sql.raw("UPDATE catalog_state SET version = version + 1 WHERE id = 1").run()
    }

    static func version(on db: any Database) async throws -> Int {
        try await db.sql.raw("SELECT version FROM catalog_state WHERE id = 1").first(
            decodingColumn: "version", as: Int.self) ?? 0
    }
}

/// Adds the course's step-by-step release setting (`sequential`). Listed before the template
/// courses' migration, which writes courses with the current model.
package struct AddCourseSequential: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(Course.schema).field("sequential", .bool, .required, .sql(.default(false))).update()
    }

    package func revert(on db: any Database) async throws {
        try await db.schema(Course.schema).deleteField("sequential").update()
    }
}
