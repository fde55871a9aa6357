import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Tagged

/// A tenant's series of live learning episodes on social media (e.g. "Live Learning LAN" every
/// two weeks on Instagram, TikTok and YouTube): its accounts there, and the cadence from which
/// the next episodes are proposed.
public final class LiveProgramme: TenantOwned, @unchecked Sendable {
    public static let schema = "live_programmes"
    public static var tenantKey: KeyPath<LiveProgramme, FieldProperty<LiveProgramme, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    /// In addresses and in the CLI (`--programme SLUG`); unique within the tenant.
    @Field(key: "slug") public var slug: String
    @Field(key: "name") public var name: String
    @Field(key: "description") public var description: String
    /// The programme's account on each platform (a handle or an address; empty when none).
    @Field(key: "instagram") public var instagram: String
    @Field(key: "tiktok") public var tiktok: String
    @Field(key: "youtube") public var youtube: String
    /// Days between episodes (14: every two weeks); 0 when episodes are planned one by one.
    @Field(key: "cadence_days") public var cadenceDays: Int
    /// The start of one episode of the cadence (its weekday and time): the next ones are
    /// proposed at this moment plus whole cadences.
    @OptionalField(key: "cadence_anchor") public var cadenceAnchor: Date?
    /// What a new episode gets unless told otherwise.
    @Field(key: "default_minutes") public var defaultMinutes: Int
    @Field(key: "default_jp") public var defaultJP: Int
    /// How long after an episode ends its attendance may still be claimed.
    @Field(key: "claim_hours") public var claimHours: Int
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(tenantID: UUID, slug: String, name: String, now: Date) {
        self.tenantID = tenantID
        self.slug = slug
        self.name = name
        description = ""
        instagram = ""
        tiktok = ""
        youtube = ""
        cadenceDays = 14
        defaultMinutes = 60
        defaultJP = 1
        claimHours = 48
        createdAt = now
    }

    public func account(on platform: LivePlatform) -> String {
        switch platform {
        case .instagram: instagram
        case .tiktok: tiktok
        case .youtube: youtube
        }
    }

    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $slug, $name, $description, $instagram, $tiktok, $youtube, $cadenceDays, $cadenceAnchor,
            $defaultMinutes, $defaultJP, $claimHours, $createdAt,
        ]
    }
}

extension LiveProgramme {
    /// The tag of a programme's slug: a programme travels in an address by its slug.
    public enum Slug: PathTag { public static let parameterName = "programmeSlug" }
}
/// A programme in an address: `/t/lan/live/live-learning`.
public typealias ProgrammeSlug = Tagged<LiveProgramme.Slug, String>

/// The social media platforms live episodes are broadcast on.
public enum LivePlatform: String, Codable, CaseIterable, Sendable, Comparable {
    case instagram, tiktok, youtube

    public var label: String {
        switch self {
        case .instagram: "Instagram"
        case .tiktok: "TikTok"
        case .youtube: "YouTube"
        }
    }

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
