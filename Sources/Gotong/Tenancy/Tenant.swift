import Fluent
import Foundation
import Vapor

/// A government institution (instansi) running its own storefront on the platform.
///
/// One row, flagged `is_master`, is the master template every new tenant is cloned from; it has no
/// storefront and never appears in lists.
public final class Tenant: Model, @unchecked Sendable {
    public static let schema = "tenants"

    @ID(key: .id) public var id: UUID?
    @Field(key: "slug") public var slug: String
    @Field(key: "name") public var name: String
    @Enum(key: "kind") public var kind: Kind
    @Field(key: "description") public var description: String
    @Field(key: "tagline") public var tagline: String
    @Field(key: "primary_color") public var primaryColor: String
    @OptionalField(key: "logo_path") public var logoPath: String?
    @Field(key: "contact_email") public var contactEmail: String
    @Field(key: "contact_phone") public var contactPhone: String
    @Field(key: "address") public var address: String
    @Field(key: "website") public var website: String
    @Enum(key: "status") public var status: Status
    @Field(key: "is_master") public var isMaster: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public enum Kind: String, Codable, CaseIterable, Sendable {
        case kementerian, lembaga, pemda, lainnya
    }

    public enum Status: String, Codable, CaseIterable, Sendable {
        case active, suspended
    }

    public init() {}

    public init(id: UUID? = nil, slug: String, name: String, kind: Kind, branding: Branding = .init(), isMaster: Bool = false) {
        self.id = id
        self.slug = slug
        self.name = name
        self.kind = kind
        self.description = branding.description
        self.tagline = branding.tagline
        self.primaryColor = branding.primaryColor
        self.logoPath = nil
        self.contactEmail = ""
        self.contactPhone = ""
        self.address = ""
        self.website = ""
        self.status = .active
        self.isMaster = isMaster
    }

    /// The slug of the master template row. Underscores are not allowed in tenant slugs, so no
    /// real tenant can take it.
    public static let masterSlug = "_master"

    /// The branding and description a tenant starts with; the master template holds the defaults.
    public struct Branding: Sendable {
        public var description = ""
        public var tagline = ""
        public var primaryColor = "#0b5cad"
        public init(description: String = "", tagline: String = "", primaryColor: String = "#0b5cad") {
            self.description = description
            self.tagline = tagline
            self.primaryColor = primaryColor
        }
    }

    public var branding: Branding { .init(description: description, tagline: tagline, primaryColor: primaryColor) }
}

extension Tenant {
    /// Rules for a tenant slug: the last part of the storefront address `/t/{slug}`.
    public static func isValidSlug(_ slug: String) -> Bool {
        guard (2...40).contains(slug.count), slug.first != "-", slug.last != "-" else { return false }
        return slug.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// A primary colour is stored as `#rrggbb` so it can go into CSS without escaping.
    public static func isValidColor(_ color: String) -> Bool {
        guard color.count == 7, color.first == "#" else { return false }
        return color.dropFirst().allSatisfy(\.isHexDigit)
    }

    /// Active tenants that learners can see, master excluded.
    public static func listed(on db: any Database) -> QueryBuilder<Tenant> {
        Tenant.query(on: db).filter(\.$isMaster == false)
    }

    public static func find(slug: String, on db: any Database) async throws -> Tenant? {
        try await Tenant.query(on: db).filter(\.$slug == slug).filter(\.$isMaster == false).first()
    }

    public static func master(on db: any Database) async throws -> Tenant {
        guard let master = try await Tenant.query(on: db).filter(\.$isMaster == true).first() else {
            throw Abort(.internalServerError, reason: "the master template is missing; run `gotong migrate`")
        }
        return master
    }
}
