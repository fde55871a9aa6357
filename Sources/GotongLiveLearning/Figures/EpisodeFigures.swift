import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// What one platform reported for one episode: the figures the programme is judged by.
/// A figure the platform did not report is nil (and every rate built on it is undefined).
public final class EpisodeFigures: TenantOwned, @unchecked Sendable {
    public static let schema = "live_figures"
    public static var tenantKey: KeyPath<EpisodeFigures, FieldProperty<EpisodeFigures, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "episode_id") public var episodeID: UUID
    @Enum(key: "platform") public var platform: LivePlatform
    @OptionalField(key: "accounts_reached") public var accountsReached: Int?
    @OptionalField(key: "peak_viewers") public var peakViewers: Int?
    @OptionalField(key: "comments") public var comments: Int?
    @OptionalField(key: "accounts_engaged") public var accountsEngaged: Int?
    @OptionalField(key: "followers_gained") public var followersGained: Int?
    /// YouTube and TikTok report these too.
    @OptionalField(key: "views") public var views: Int?
    @OptionalField(key: "likes") public var likes: Int?
    @OptionalField(key: "shares") public var shares: Int?
    @OptionalField(key: "avg_watch_seconds") public var averageWatchSeconds: Int?
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    /// The figures as one value, in the order of ``PlatformCounts/keys``.
    public var counts: PlatformCounts {
        get {
            PlatformCounts(
                accountsReached: accountsReached, peakViewers: peakViewers, comments: comments,
                accountsEngaged: accountsEngaged, followersGained: followersGained, views: views, likes: likes,
                shares: shares, averageWatchSeconds: averageWatchSeconds)
        }
        set {
            accountsReached = newValue.accountsReached
            peakViewers = newValue.peakViewers
            comments = newValue.comments
            accountsEngaged = newValue.accountsEngaged
            followersGained = newValue.followersGained
            views = newValue.views
            likes = newValue.likes
            shares = newValue.shares
            averageWatchSeconds = newValue.averageWatchSeconds
        }
    }

    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $episodeID, $platform, $accountsReached, $peakViewers, $comments, $accountsEngaged,
            $followersGained, $views, $likes, $shares, $averageWatchSeconds, $updatedAt,
        ]
    }
}

/// The figures of one episode on one platform, each nil when not reported.
public struct PlatformCounts: Codable, Sendable, Equatable {
    public var accountsReached: Int?
    public var peakViewers: Int?
    public var comments: Int?
    public var accountsEngaged: Int?
    public var followersGained: Int?
    public var views: Int?
    public var likes: Int?
    public var shares: Int?
    public var averageWatchSeconds: Int?

    public init(
        accountsReached: Int? = nil, peakViewers: Int? = nil, comments: Int? = nil, accountsEngaged: Int? = nil,
        followersGained: Int? = nil, views: Int? = nil, likes: Int? = nil, shares: Int? = nil,
        averageWatchSeconds: Int? = nil
    ) {
        self.accountsReached = accountsReached
        self.peakViewers = peakViewers
        self.comments = comments
        self.accountsEngaged = accountsEngaged
        self.followersGained = followersGained
        self.views = views
        self.likes = likes
        self.shares = shares
        self.averageWatchSeconds = averageWatchSeconds
    }

    /// The names of the figures, as the CSV header and the API write them.
    public static let keys = [
        "accounts_reached", "peak_viewers", "comments", "accounts_engaged", "followers_gained", "views", "likes",
        "shares", "avg_watch_seconds",
    ]

    public subscript(key: String) -> Int? {
        get {
            switch key {
            case "accounts_reached": accountsReached
            case "peak_viewers": peakViewers
            case "comments": comments
            case "accounts_engaged": accountsEngaged
            case "followers_gained": followersGained
            case "views": views
            case "likes": likes
            case "shares": shares
            case "avg_watch_seconds": averageWatchSeconds
            default: nil
            }
        }
        set {
            switch key {
            case "accounts_reached": accountsReached = newValue
            case "peak_viewers": peakViewers = newValue
            case "comments": comments = newValue
            case "accounts_engaged": accountsEngaged = newValue
            case "followers_gained": followersGained = newValue
            case "views": views = newValue
            case "likes": likes = newValue
            case "shares": shares = newValue
            case "avg_watch_seconds": averageWatchSeconds = newValue
            default: break
            }
        }
    }

    /// These figures with `other`'s reported ones laid over them: an import of reach alone
    /// keeps the comments entered before.
    public func merged(with other: PlatformCounts) -> PlatformCounts {
        var result = self
        for key in Self.keys where other[key] != nil { result[key] = other[key] }
        return result
    }

    enum CodingKeys: String, CodingKey {
        case accountsReached = "accounts_reached", peakViewers = "peak_viewers", comments
        case accountsEngaged = "accounts_engaged", followersGained = "followers_gained", views, likes, shares
        case averageWatchSeconds = "avg_watch_seconds"
    }
}
