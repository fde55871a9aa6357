import Fluent
import Foundation
import GotongPlatform

/// A standard page of a storefront, such as "Tentang" (about) or "Bantuan" (help).
public final class TenantPage: TenantOwned, @unchecked Sendable {
    public static let schema = "tenant_pages"
    public static var tenantKey: KeyPath<TenantPage, FieldProperty<TenantPage, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    /// Stable address part: `/t/{slug}/halaman/{key}`.
    @Field(key: "key") public var key: String
    @Field(key: "title") public var title: String
    @Field(key: "body") public var body: String
    @Field(key: "position") public var position: Int

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] { [$id, $tenantID, $key, $title, $body, $position] }

    public init(tenantID: UUID, key: String, title: String, body: String, position: Int) {
        self.tenantID = tenantID
        self.key = key
        self.title = title
        self.body = body
        self.position = position
    }

    /// The body split into paragraphs at blank lines, for plain, safe rendering.
    public var paragraphs: [String] {
        body.replacingOccurrences(of: "\r\n", with: "\n")
            .components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
    }
}

/// A category a tenant sorts its courses into.
public final class TenantCategory: TenantOwned, @unchecked Sendable {
    public static let schema = "tenant_categories"
    public static var tenantKey: KeyPath<TenantCategory, FieldProperty<TenantCategory, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "slug") public var slug: String
    @Field(key: "name") public var name: String
    @Field(key: "position") public var position: Int

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] { [$id, $tenantID, $slug, $name, $position] }

    public init(tenantID: UUID, slug: String, name: String, position: Int) {
        self.tenantID = tenantID
        self.slug = slug
        self.name = name
        self.position = position
    }
}

/// A tenant setting, as a key and a text value (welcome text, default enrolment mode…).
public final class TenantSetting: TenantOwned, @unchecked Sendable {
    public static let schema = "tenant_settings"
    public static var tenantKey: KeyPath<TenantSetting, FieldProperty<TenantSetting, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "key") public var key: String
    @Field(key: "value") public var value: String

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] { [$id, $tenantID, $key, $value] }

    public init(tenantID: UUID, key: String, value: String) {
        self.tenantID = tenantID
        self.key = key
        self.value = value
    }

    /// The settings a tenant can change, with what they mean.
    public enum Key: String, CaseIterable, Sendable {
        /// A welcome paragraph on the storefront.
        case welcome = "storefront.welcome"
        /// Whether people may join the tenant as learners by themselves ("true"/"false").
        case openMembership = "membership.open"
    }
}

extension TenantContent {
    /// Registers the storefront's standard content with the master-template cloning.
    package static func registerCloners(_ registry: TenantCloneRegistry) {
        registry.register(
            ModelCloner<TenantSetting>("settings") { .init(tenantID: $0.tenantID, key: $0.key, value: $0.value) })
        registry.register(
            ModelCloner<TenantPage>("pages") {
                .init(tenantID: $0.tenantID, key: $0.key, title: $0.title, body: $0.body, position: $0.position)
            })
        registry.register(
            ModelCloner<TenantCategory>("categories") {
                .init(tenantID: $0.tenantID, slug: $0.slug, name: $0.name, position: $0.position)
            })
    }
}

/// Namespace for the storefront content kinds.
public enum TenantContent {}
