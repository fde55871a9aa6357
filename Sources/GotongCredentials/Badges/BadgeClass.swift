import Fluent
import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy
import SQLKit

/// A course's badge (lencana): what finishing it earns in Open Badges form, beside the
/// certificate. There is no award table: everyone who holds the course's certificate holds its
/// badge — also those who finished before the badge was made, as Moodle awards a badge to
/// everyone who already meets it — and a revoked certificate revokes the badge with it. One
/// achievement, three forms: the PDF, the Open Badges 2.0 assertion and the 3.0 credential.
public final class BadgeClass: TenantOwned, @unchecked Sendable {
    public static let schema = "badge_classes"
    public static var tenantKey: KeyPath<BadgeClass, FieldProperty<BadgeClass, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    /// One badge per course (a unique index).
    @Field(key: "course_id") public var courseID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "description") public var description: String
    /// What earns it, in words (Open Badges' criteria narrative).
    @Field(key: "criteria") public var criteria: String
    /// The uploaded PNG in the file store; nil: the image is drawn in the tenant's colour.
    @OptionalField(key: "image_key") public var imageKey: String?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    /// Fluent's property list, written out (see docs/performance.md).
    public var properties: [any AnyProperty] {
        [$id, $tenantID, $courseID, $name, $description, $criteria, $imageKey, $createdAt, $updatedAt]
    }
}

/// A tenant's signing keys as an Open Badges issuer: RSA for signed 2.0 assertions (the only
/// kind the 2.0 verifiers sign with), P-256 for 3.0 credentials. Made on first use and kept, so
/// every server process signs alike; the public halves are published at the issuer's addresses.
final class IssuerKey: Model, @unchecked Sendable {
    static let schema = "badge_issuer_keys"

    enum Algorithm: String, Codable, Sendable, CaseIterable { case rs256 = "RS256", es256 = "ES256" }

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "algorithm") var algorithm: String
    /// The key's id in the JWK set and in JWT headers.
    @Field(key: "kid") var kid: String
    /// PKCS #8 PEM. Kept in the database as the platform's other signing keys are (Secrets.swift).
    @Field(key: "private_pem") var privatePEM: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var properties: [any AnyProperty] { [$id, $tenantID, $algorithm, $kid, $privatePEM, $createdAt] }
}

struct CreateBadges: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(BadgeClass.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("criteria", .string, .required)
            .field("image_key", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "course_id")
            .create()
        try await db.sql.create(index: "badge_classes_tenant_idx").on(BadgeClass.schema).column("tenant_id").run()
        try await db.schema(IssuerKey.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("algorithm", .string, .required)
            .field("kid", .string, .required)
            .field("private_pem", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "tenant_id", "algorithm")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(IssuerKey.schema).delete()
        try await db.schema(BadgeClass.schema).delete()
    }
}
