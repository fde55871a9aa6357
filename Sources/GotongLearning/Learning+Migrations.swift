import Foundation
import Fluent
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

/// Creates course sections, activities, progress and the per-person learning clock. Keys and indexes lead
/// with `tenant_id`.
package struct CreateLearning: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(CourseSection.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("title", .string, .required)
            .field("hidden", .bool, .required)
            .field("created_at", .datetime)
            .create()
        try await db.sql.create(index: "course_sections_course_idx").on(CourseSection.schema)
            .column("tenant_id").column("course_id").column("position").run()

        try await db.schema(Activity.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("section_id", .uuid, .required, .references(CourseSection.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("type", .string, .required)
            .field("title", .string, .required)
            .field("settings", .string, .required)
            .field("completion_kind", .string, .required)
            .field("completion_value", .int)
            .field("hidden", .bool, .required)
            .field("opens_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await db.sql.create(index: "activities_course_idx").on(Activity.schema)
            .column("tenant_id").column("course_id").column("section_id").column("position").run()

        try await db.schema(ActivityProgress.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("activity_id", .uuid, .required, .references(Activity.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("views", .int, .required)
            .field("first_viewed_at", .datetime)
            .field("last_seen_at", .datetime)
            .field("seconds", .int, .required)
            .field("video_furthest", .double, .required)
            .field("video_percent", .int, .required)
            .field("posts", .int, .required)
            .field("completed_at", .datetime)
            .unique(on: "tenant_id", "activity_id", "person_id")
            .create()
        // A person's progress in one course (/saya, the course outline, completion).
        try await db.sql.create(index: "activity_progress_person_idx").on(ActivityProgress.schema)
            .column("tenant_id").column("course_id").column("person_id").run()

        try await db.schema(LearningClock.schema)
            .field("person_id", .uuid, .identifier(auto: false), .references(Person.schema, "id", onDelete: .cascade))
            .field("tab", .string, .required)
            .field("seq", .int, .required)
            .field("credited_at", .datetime, .required)
            .create()
    }

    package func revert(on db: any Database) async throws {
        for schema in [LearningClock.schema, ActivityProgress.schema, Activity.schema, CourseSection.schema] {
            try await db.schema(schema).delete()
        }
    }
}

/// Gives stored files their uses (issue 12): copies of a course name the original's files, so a
/// file may be deleted only when no activity in any tenant names it any more. Activities that
/// already name files get their uses here.
package struct CreateFileReferences: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(FileReference.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            // Activities are the only owners so far; a use goes with its activity.
            .field("owner_id", .uuid, .required, .references(Activity.schema, "id", onDelete: .cascade))
            .field("key", .string, .required)
            .unique(on: "tenant_id", "owner_id", "key")
            .create()
        // "Does anything still use this file?" asks across tenants: a shared file has uses in
        // many, so this index alone does not lead with tenant_id.
        try await db.sql.create(index: "file_references_key_idx").on(FileReference.schema).column("key").run()
        try await Self.backfill(on: db)
    }

    /// One use per file key an activity's settings name, read a thousand activities at a time
    /// (only those whose settings mention a stored file).
    static func backfill(on db: any Database) async throws {
        var after: UUID?
        while true {
            var page = Activity.query(on: db).field(\.$id).field(\.$tenantID).field(\.$settingsJSON)
                .filter(\.$settingsJSON ~~ "activities").sort(\.$id).limit(1000)
            if let after { page = page.filter(\.$id > after) }
            let activities = try await page.all()
            guard let last = activities.last else { return }
            try await FileReferences(db: db).add(try CourseContentCloning.fileReferences(of: activities))
            after = try last.requireID()
        }
    }

    package func revert(on db: any Database) async throws {
        try await db.schema(FileReference.schema).delete()
    }
}

/// Moves what only one type records (a video's furthest point and percent, a forum's posts) out
/// of core columns into the type's ``ProgressState`` (issue 13's open activity contract).
package struct MoveTypeProgressToState: AsyncMigration {
    package init() {}

    static let moved = ["video_furthest", "video_percent", "posts"]

    package func prepare(on db: any Database) async throws {
        try await db.schema(ActivityProgress.schema)
            .field("state", .string, .required, .sql(.default("{}"))).update()
        // Text made by concatenation is the same JSON on both databases; a row has at most one
        // type's facts, but one with both keeps both.
        try await db.sql.raw(
            """
            UPDATE activity_progress SET state = '{' || \
            CASE WHEN video_furthest > 0 OR video_percent > 0 THEN '"video_furthest":' || video_furthest \
            || ',"video_percent":' || video_percent ELSE '' END || \
            CASE WHEN posts > 0 AND (video_furthest > 0 OR video_percent > 0) THEN ',' ELSE '' END || \
            CASE WHEN posts > 0 THEN '"posts":' || posts ELSE '' END || '}' \
            WHERE video_furthest > 0 OR video_percent > 0 OR posts > 0
            """
        ).run()
        for column in Self.moved {
            try await db.sql.raw("ALTER TABLE activity_progress DROP COLUMN \(ident: column)").run()
        }
    }

    package func revert(on db: any Database) async throws {
        // One column per statement: SQLite adds one at a time. (Type facts are not moved back.)
        for (column, type) in [
            ("video_furthest", DatabaseSchema.DataType.double), ("video_percent", .int), ("posts", .int),
        ] {
            try await db.schema(ActivityProgress.schema).field(
                FieldKey(stringLiteral: column), type, .required, .sql(.default(0))
            ).update()
        }
        try await db.sql.raw("ALTER TABLE activity_progress DROP COLUMN state").run()
    }
}
