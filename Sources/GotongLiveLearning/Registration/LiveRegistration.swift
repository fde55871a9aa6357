import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// A civil servant's wish to be reminded of an episode before it starts: one per person and
/// episode (a unique key). `remindedAt` is set once the reminder for the current start went,
/// and cleared when the start moves, so a moved episode is reminded of again.
public final class LiveRegistration: TenantOwned, @unchecked Sendable {
    public static let schema = "live_registrations"
    public static var tenantKey: KeyPath<LiveRegistration, FieldProperty<LiveRegistration, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "episode_id") public var episodeID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "registered_at") public var registeredAt: Date
    @OptionalField(key: "reminded_at") public var remindedAt: Date?

    public init() {}

    public var properties: [any AnyProperty] { [$id, $tenantID, $episodeID, $personID, $registeredAt, $remindedAt] }
}
