import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Tagged

/// A certificate of a finished course (sertifikat): what it says is copied in when it is
/// issued, so a later edit of the course, the person or the signer does not change a document
/// already printed, and the public verification page shows exactly what the paper shows.
public final class Certificate: TenantOwned, @unchecked Sendable {
    public static let schema = "certificates"
    public static var tenantKey: KeyPath<Certificate, FieldProperty<Certificate, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    /// The public verification code (``VerificationCode``), printed and in the QR code.
    @Field(key: "code") public var code: String
    /// The number in the tenant's format, e.g. `BPS/2026/00042`.
    @Field(key: "number") public var number: String
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "person_id") public var personID: UUID
    /// The course finished. One certificate per person and course (a unique index).
    @Field(key: "course_id") public var courseID: UUID
    /// The year and place in the tenant's sequence: numbers run 1, 2, 3… per tenant and year.
    @Field(key: "year") public var year: Int
    @Field(key: "sequence") public var sequence: Int
    @Field(key: "person_name") public var personName: String
    @OptionalField(key: "person_nip") public var personNIP: String?
    @Field(key: "course_title") public var courseTitle: String
    @Field(key: "jp") public var jp: Int
    @Field(key: "tenant_name") public var tenantName: String
    @Field(key: "brand_color") public var brandColor: String
    @Field(key: "signer_name") public var signerName: String
    @Field(key: "signer_position") public var signerPosition: String
    /// When the person was admitted to the course (nil when recorded by hand without one).
    @OptionalField(key: "started_at") public var startedAt: Date?
    @Field(key: "completed_at") public var completedAt: Date
    @Field(key: "issued_at") public var issuedAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @Field(key: "revoked_reason") public var revokedReason: String
    /// Who revoked it, in words (as the audit log keeps actors).
    @Field(key: "revoked_by") public var revokedBy: String

    public init() {}

    public var isRevoked: Bool { revokedAt != nil }

    /// The NIP as the public check shows it: its last four digits only. The first eight are
    /// the birth date; whoever holds the paper sees it all, whoever has only the code does not.
    public var maskedNIP: String? {
        guard let nip = personNIP, !nip.isEmpty else { return nil }
        return String(repeating: "•", count: max(0, nip.count - 4)) + nip.suffix(4)
    }

    /// The public code, typed for addresses.
    public var verificationCode: CertificateCode { CertificateCode(rawValue: VerificationCode(stored: code)) }

    /// Fluent's property list, written out (see docs/performance.md).
    public var properties: [any AnyProperty] {
        [
            $id, $code, $number, $tenantID, $personID, $courseID, $year, $sequence, $personName, $personNIP,
            $courseTitle, $jp, $tenantName, $brandColor, $signerName, $signerPosition, $startedAt, $completedAt,
            $issuedAt, $revokedAt, $revokedReason, $revokedBy,
        ]
    }
}

extension Certificate: PathTag { public static let parameterName = "certificateCode" }
/// A certificate's verification code in an address: `/verifikasi/7KQ2-M9XD-4HRT`.
public typealias CertificateCode = Tagged<Certificate, VerificationCode>

/// The last number a tenant gave in a year: numbers are taken from it inside the issuing
/// transaction, so a number is used exactly when its certificate is saved and never skipped.
final class CertificateCounter: Model, @unchecked Sendable {
    static let schema = "certificate_counters"

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "last_sequence") var lastSequence: Int

    init() {}

    var properties: [any AnyProperty] { [$id, $tenantID, $year, $lastSequence] }
}

struct CreateCertificates: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(Certificate.schema)
            .id()
            .field("code", .string, .required)
            .field("number", .string, .required)
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            // No reference: a certificate outlives its course, and says everything itself.
            .field("course_id", .uuid, .required)
            .field("year", .int, .required)
            .field("sequence", .int, .required)
            .field("person_name", .string, .required)
            .field("person_nip", .string)
            .field("course_title", .string, .required)
            .field("jp", .int, .required)
            .field("tenant_name", .string, .required)
            .field("brand_color", .string, .required)
            .field("signer_name", .string, .required)
            .field("signer_position", .string, .required)
            .field("started_at", .datetime)
            .field("completed_at", .datetime, .required)
            .field("issued_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("revoked_reason", .string, .required)
            .field("revoked_by", .string, .required)
            .unique(on: "code")
            .create()
        // Exactly once per person and course, however often the completion is told.
        try await db.sql.create(index: "certificates_person_course_key").unique().on(Certificate.schema)
            .column("person_id").column("course_id").run()
        // No two certificates share a place in a tenant's year; it also lists them in order.
        try await db.sql.create(index: "certificates_tenant_year_sequence_key").unique().on(Certificate.schema)
            .column("tenant_id").column("year").column("sequence").run()
        // The learner's page lists their certificates across tenants.
        try await db.sql.create(index: "certificates_person_idx").on(Certificate.schema).column("person_id").run()
        try await db.schema(CertificateCounter.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("last_sequence", .int, .required)
            .unique(on: "tenant_id", "year")
            .create()
        try await db.schema(CertificateSettings.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("number_format", .string, .required)
            .field("signer_name", .string, .required)
            .field("signer_position", .string, .required)
            .unique(on: "tenant_id")
            .create()
        try await db.schema(CourseSigner.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("signer_name", .string, .required)
            .field("signer_position", .string, .required)
            .unique(on: "course_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(CourseSigner.schema).delete()
        try await db.schema(CertificateSettings.schema).delete()
        try await db.schema(CertificateCounter.schema).delete()
        try await db.schema(Certificate.schema).delete()
    }
}
