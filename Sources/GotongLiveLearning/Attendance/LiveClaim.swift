import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// A civil servant's claim of attendance at an episode, made with the host's code within the
/// claim window: one per person and episode (a unique index).
public final class LiveClaim: TenantOwned, @unchecked Sendable {
    public static let schema = "live_claims"
    public static var tenantKey: KeyPath<LiveClaim, FieldProperty<LiveClaim, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "episode_id") public var episodeID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "claimed_at") public var claimedAt: Date

    public init() {}

    public var properties: [any AnyProperty] { [$id, $tenantID, $episodeID, $personID, $claimedAt] }
}

/// Wrong attendance codes counted for one episode under one key: a person (`person:<id>`) or
/// an address (`ip:<address>`), so guessing is stopped for the guesser and nobody else.
final class ClaimFailure: Model, @unchecked Sendable {
    static let schema = "live_claim_failures"

    @ID(key: .id) var id: UUID?
    @Field(key: "episode_id") var episodeID: UUID
    @Field(key: "key") var key: String
    @Field(key: "failures") var failures: Int
    @Field(key: "last_failure_at") var lastFailureAt: Date

    init() {}

    var properties: [any AnyProperty] { [$id, $episodeID, $key, $failures, $lastFailureAt] }
}
