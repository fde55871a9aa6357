import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

/// One line of a person's record of competency development (catatan pengembangan kompetensi):
/// lesson hours (JP) earned in a year, from a course finished on the platform or from learning
/// elsewhere that the person recorded. The ledger is the person's own across institutions:
/// `tenant_id` names the institution that gave a course, not a scope that hides the line.
public final class LedgerEntry: Model, @unchecked Sendable {
    public static let schema = "ledger_entries"

    public enum Source: String, Codable, Sendable, CaseIterable {
        /// A course finished on the platform: credited by the completion, exactly once.
        case course
        /// Learning outside the platform, recorded by the person and checked by their institution.
        case external
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Counts toward the year's JP.
        case verified
        /// Recorded by the person, not checked yet: does not count.
        case pending
        /// Checked and refused, with a reason: does not count.
        case rejected
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "person_id") public var personID: UUID
    @Enum(key: "source") public var source: Source
    /// The institution that gave the course; nil for learning outside the platform.
    @OptionalField(key: "tenant_id") public var tenantID: UUID?
    /// The course finished; nil for learning outside the platform. One credit per person and
    /// course (a unique index): the completion may be told again, the JP counts once.
    @OptionalField(key: "course_id") public var courseID: UUID?
    @Field(key: "title") public var title: String
    @Field(key: "provider") public var provider: String
    /// The competency type (manajerial, teknis, sosial kultural…), as the course has it.
    @Field(key: "competency_type") public var competencyType: String
    @Field(key: "jp") public var jp: Int
    /// The year the JP count for: the year of completion in Jakarta time (``LocalDates/year(of:)``).
    @Field(key: "year") public var year: Int
    @Field(key: "completed_at") public var completedAt: Date
    @Enum(key: "status") public var status: Status
    @Field(key: "created_at") public var createdAt: Date
    /// When the learning began (the admission, for a course); nil when not known.
    @OptionalField(key: "started_at") public var startedAt: Date?
    /// The kind of learning (``Kind``), as the civil-service records name it.
    @Field(key: "kind") public var kind: String
    /// The number on the certificate of learning elsewhere (a course's is its certificate's).
    @Field(key: "certificate_number") public var certificateNumber: String
    /// The stored copy of that certificate (a file key), when the person attached one.
    @OptionalField(key: "file_key") public var fileKey: String?
    @OptionalField(key: "file_name") public var fileName: String?
    /// Who verified or rejected it, in words, when, and why it was rejected.
    @Field(key: "decided_by") public var decidedBy: String
    @OptionalField(key: "decided_at") public var decidedAt: Date?
    @Field(key: "reason") public var reason: String

    public init() {}

    /// Fluent's property list, written out (see docs/performance.md).
    public var properties: [any AnyProperty] {
        [
            $id, $personID, $source, $tenantID, $courseID, $title, $provider, $competencyType, $jp, $year,
            $completedAt, $status, $createdAt, $startedAt, $kind, $certificateNumber, $fileKey, $fileName, $decidedBy,
            $decidedAt, $reason,
        ]
    }

    /// Kinds of competency development, as the civil service's training records list them.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case pelatihan, kursus, seminar, lokakarya, bimtek, webinar, lainnya
    }
}

struct CreateLedger: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(LedgerEntry.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("source", .string, .required)
            .field("tenant_id", .uuid, .references(Tenant.schema, "id", onDelete: .setNull))
            .field("course_id", .uuid, .references(Course.schema, "id", onDelete: .setNull))
            .field("title", .string, .required)
            .field("provider", .string, .required)
            .field("competency_type", .string, .required)
            .field("jp", .int, .required)
            .field("year", .int, .required)
            .field("completed_at", .datetime, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        // The person's year, read by their page and summed by compliance.
        try await db.sql.create(index: "ledger_person_year_idx").on(LedgerEntry.schema)
            .column("person_id").column("year").run()
        // One credit per person and course, however often a completion is told.
        try await db.sql.create(index: "ledger_person_course_key").unique().on(LedgerEntry.schema)
            .column("person_id").column("course_id").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(LedgerEntry.schema).delete()
    }
}

/// What learning from elsewhere needs: its dates, kind, certificate number and file, and who
/// decided on it. Course entries get their kind and start from the course; existing rows are
/// courses (`pelatihan`). People are found by their home institution for its compliance.
struct AddLedgerDetails: AsyncMigration {
    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        let schema = { db.schema(LedgerEntry.schema) }
        try await schema().field("started_at", .datetime).update()
        try await schema().field("kind", .string, .required, .sql(.default(LedgerEntry.Kind.pelatihan.rawValue)))
            .update()
        for text in ["certificate_number", "decided_by", "reason"] {
            try await schema().field(.string(text), .string, .required, .sql(.default(""))).update()
        }
        try await schema().field("file_key", .string).update()
        try await schema().field("file_name", .string).update()
        try await schema().field("decided_at", .datetime).update()
        try await db.sql.create(index: "people_home_tenant_idx").on(Person.schema).column("home_tenant_id").run()
    }

    func revert(on db: any Database) async throws {
        try await db.sql.drop(index: "people_home_tenant_idx").run()
        for field in ["reason", "decided_at", "decided_by", "file_name", "file_key", "certificate_number", "kind"] {
            try await db.schema(LedgerEntry.schema).deleteField(.string(field)).update()
        }
        try await db.schema(LedgerEntry.schema).deleteField("started_at").update()
    }
}

/// Compliance sums each person's verified JP of a year for 100,000 people at once: an index
/// that holds the status and JP too answers from the index alone (SQLite went from a table
/// read per person to none). It replaces the (person, year) index, which it begins with.
struct AddLedgerSumIndex: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.create(index: "ledger_person_year_status_jp_idx").on(LedgerEntry.schema)
            .column("person_id").column("year").column("status").column("jp").run()
        try await db.sql.drop(index: "ledger_person_year_idx").run()
        // The records awaiting an institution's decision are few among millions of lines: found
        // by their status first (SQLite otherwise looked at every person of the institution).
        try await db.sql.create(index: "ledger_status_source_idx").on(LedgerEntry.schema)
            .column("status").column("source").run()
    }

    func revert(on db: any Database) async throws {
        try await db.sql.drop(index: "ledger_status_source_idx").run()
        try await db.sql.create(index: "ledger_person_year_idx").on(LedgerEntry.schema)
            .column("person_id").column("year").run()
        try await db.sql.drop(index: "ledger_person_year_status_jp_idx").run()
    }
}
