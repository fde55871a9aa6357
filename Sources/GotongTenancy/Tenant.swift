import Fluent
import Foundation
import GotongPlatform
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

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] {
        [
            $id, $slug, $name, $kind, $description, $tagline, $primaryColor, $logoPath, $contactEmail, $contactPhone,
            $address, $website, $status, $isMaster, $createdAt, $updatedAt,
        ]
    }

    public init(
        id: UUID? = nil, slug: String, name: String, kind: Kind, branding: Branding = .init(), isMaster: Bool = false
    ) {
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
        let bytes = Array(slug.utf8)
        guard (2...40).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else {
            return false
        }
        return bytes.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "-")
        }
    }

    /// A primary colour is stored as `#rrggbb` so it can go into CSS without escaping.
    public static func isValidColor(_ color: String) -> Bool {
        let bytes = Array(color.utf8)
        guard bytes.count == 7, bytes[0] == UInt8(ascii: "#") else { return false }
        return bytes.dropFirst().allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70)
        }
    }

    /// The page background the brand colour is drawn on; see gotong.css.
    static let pageBackground = (r: 0xf6, g: 0xf7, b: 0xf9)

    /// Whether text in `color` on the page background, and white text on `color`, are both
    /// readable (WCAG AA: a contrast ratio of at least 4.5:1). The brand colour is used for
    /// links and buttons, so a pale colour would make the storefront hard to read.
    public static func isReadableColor(_ color: String) -> Bool {
        guard isValidColor(color), let value = Int(color.dropFirst(), radix: 16) else { return false }
        let rgb = (r: (value >> 16) & 0xff, g: (value >> 8) & 0xff, b: value & 0xff)
        return contrast(rgb, pageBackground) >= 4.5 && contrast(rgb, (0xff, 0xff, 0xff)) >= 4.5
    }

    static func contrast(_ a: (r: Int, g: Int, b: Int), _ b: (r: Int, g: Int, b: Int)) -> Double {
        func luminance(_ c: (r: Int, g: Int, b: Int)) -> Double {
            func channel(_ v: Int) -> Double {
                let s = Double(v) / 255
                return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
        }
        let (l1, l2) = (luminance(a), luminance(b))
        return (max(l1, l2) + 0.05) / (min(l1, l2) + 0.05)
    }

    /// Active tenants that learners can see, master excluded.
    public static func listed(on db: any Database) -> QueryBuilder<Tenant> {
        Tenant.query(on: db).filter(\.$isMaster == false)
    }

    public static func find(slug: String, on db: any Database) async throws -> Tenant? {
        // A malformed slug names no tenant; checking first keeps odd bytes away from the database.
        guard isValidSlug(slug) else { return nil }
        return try await Tenant.query(on: db).filter(\.$slug == slug).filter(\.$isMaster == false).first()
    }

    public static func master(on db: any Database) async throws -> Tenant {
        guard let master = try await Tenant.query(on: db).filter(\.$isMaster == true).first() else {
            throw Abort(.internalServerError, reason: "the master template is missing; run `gotong migrate`")
        }
        return master
    }
}
