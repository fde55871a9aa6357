import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// A public service the tenant offers (KTP-el, izin usaha, …) as its public site describes it:
/// what to bring, the steps, where and when, how long, what it costs and on what law. Lists are
/// kept as JSON text, read whole with the service.
public final class InfoService: TenantOwned, @unchecked Sendable {
    public static let schema = "info_services"
    public static var tenantKey: KeyPath<InfoService, FieldProperty<InfoService, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    /// The service's address word on the public site, unique in the tenant.
    @Field(key: "slug") public var slug: String
    @Field(key: "name") public var name: String
    @Field(key: "category") public var category: String
    @Field(key: "summary") public var summary: String
    @Field(key: "keywords") var keywordsJSON: String
    @Field(key: "requirements") var requirementsJSON: String
    @Field(key: "steps") var stepsJSON: String
    @Field(key: "places") var placesJSON: String
    @Field(key: "duration") public var duration: String
    /// Rupiah; 0 is free; nil when the fee depends on the case (the FAQ says how).
    @OptionalField(key: "fee_rupiah") public var feeRupiah: Int?
    @Field(key: "legal_basis") public var legalBasis: String
    @Field(key: "contact") public var contact: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $slug, $name, $category, $summary, $keywordsJSON, $requirementsJSON, $stepsJSON,
            $placesJSON, $duration, $feeRupiah, $legalBasis, $contact, $createdAt, $updatedAt,
        ]
    }
}

/// Where a service is given: an office, its address and its opening hours as people say them.
public struct ServicePlace: Codable, Sendable, Equatable {
    public var name: String
    public var address: String
    public var hours: String

    public init(name: String, address: String, hours: String) {
        (self.name, self.address, self.hours) = (name, address, hours)
    }
}

/// A question people ask about a service, with its answer.
public final class InfoFAQ: TenantOwned, @unchecked Sendable {
    public static let schema = "info_faqs"
    public static var tenantKey: KeyPath<InfoFAQ, FieldProperty<InfoFAQ, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "service_id") public var serviceID: UUID
    @Field(key: "question") public var question: String
    @Field(key: "answer") public var answer: String
    @Field(key: "position") public var position: Int
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $serviceID, $question, $answer, $position, $createdAt]
    }
}

/// The tenant's answerer: its list of everyday words (nil: the defaults) and the catalogue's
/// version, raised in the transaction of every change to a service, an FAQ entry or the list,
/// so that every process knows its kept catalogue is stale at its next read.
public final class InfoSettings: TenantOwned, @unchecked Sendable {
    public static let schema = "info_settings"
    public static var tenantKey: KeyPath<InfoSettings, FieldProperty<InfoSettings, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "version") public var version: Int
    @OptionalField(key: "synonyms") public var synonyms: String?
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var properties: [any AnyProperty] { [$id, $tenantID, $version, $synonyms, $updatedAt] }
}

/// A question the answerer could not answer with confidence, counted, for officers to turn
/// into an FAQ entry (or set aside). Kept once per question as its words read.
public final class InfoUnanswered: TenantOwned, @unchecked Sendable {
    public static let schema = "info_unanswered"
    public static var tenantKey: KeyPath<InfoUnanswered, FieldProperty<InfoUnanswered, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    /// The question's words, lower-case, one space apart: the same question asked twice.
    @Field(key: "question_key") public var key: String
    /// The question as it was last asked.
    @Field(key: "question") public var question: String
    @Field(key: "asked") public var asked: Int
    @Field(key: "first_at") public var firstAt: Date
    @Field(key: "last_at") public var lastAt: Date

    public init() {}

    public var properties: [any AnyProperty] { [$id, $tenantID, $key, $question, $asked, $firstAt, $lastAt] }
}

struct CreatePublicInfo: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(InfoService.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("category", .string, .required)
            .field("summary", .string, .required)
            .field("keywords", .string, .required)
            .field("requirements", .string, .required)
            .field("steps", .string, .required)
            .field("places", .string, .required)
            .field("duration", .string, .required)
            .field("fee_rupiah", .int64)
            .field("legal_basis", .string, .required)
            .field("contact", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "tenant_id", "slug")
            .unique(on: "tenant_id", "name")
            .create()
        try await db.schema(InfoFAQ.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("service_id", .uuid, .required, .references(InfoService.schema, "id", onDelete: .cascade))
            .field("question", .string, .required)
            .field("answer", .string, .required)
            .field("position", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema(InfoSettings.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("version", .int64, .required)
            .field("synonyms", .string)
            .field("updated_at", .datetime, .required)
            .unique(on: "tenant_id")
            .create()
        try await db.schema(InfoUnanswered.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("question_key", .string, .required)
            .field("question", .string, .required)
            .field("asked", .int64, .required)
            .field("first_at", .datetime, .required)
            .field("last_at", .datetime, .required)
            .unique(on: "tenant_id", "question_key")
            .create()
        try await db.sql.raw("CREATE INDEX info_faqs_service ON info_faqs (tenant_id, service_id, position)").run()
    }

    func revert(on db: any Database) async throws {
        for schema in [InfoUnanswered.schema, InfoSettings.schema, InfoFAQ.schema, InfoService.schema] {
            try await db.schema(schema).delete()
        }
    }
}
