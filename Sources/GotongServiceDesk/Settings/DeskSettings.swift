import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// A tenant's service desk: whether it is on, its working calendar (zone, weekdays, office
/// hours; holidays are ``DeskHoliday`` rows), the targets of its stages in working days, and how
/// long citizens' contact data is kept after a case is closed. One row per tenant.
public final class DeskSettings: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_settings"
    public static var tenantKey: KeyPath<DeskSettings, FieldProperty<DeskSettings, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "enabled") public var enabled: Bool
    /// `Asia/Jakarta` (WIB), `Asia/Makassar` (WITA) or `Asia/Jayapura` (WIT).
    @Field(key: "zone") public var zone: String
    /// Working weekdays as `Calendar` numbers written out, e.g. `23456` (Monday to Friday).
    @Field(key: "weekdays") public var weekdays: String
    @Field(key: "opens") public var opens: Int
    @Field(key: "closes") public var closes: Int
    /// Working days to verify a new case, and to plan its follow-up once verified (LAPOR!: 3, 5).
    @Field(key: "verify_days") public var verifyDays: Int
    @Field(key: "plan_days") public var planDays: Int
    /// Days after closing that a citizen's contact data is kept.
    @Field(key: "retention_days") public var retentionDays: Int
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $enabled, $zone, $weekdays, $opens, $closes, $verifyDays, $planDays, $retentionDays,
            $updatedAt,
        ]
    }

    /// The time zones a tenant may be in.
    public static let zones = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]

    /// The working calendar with `holidays`.
    public func calendar(holidays: Set<String>) -> WorkingCalendar {
        WorkingCalendar(
            zone: TimeZone(identifier: zone) ?? TimeZone(identifier: "Asia/Jakarta")!,
            weekdays: Set(weekdays.compactMap { $0.wholeNumberValue }.filter { (1...7).contains($0) }), opens: opens,
            closes: closes, holidays: holidays)
    }
}

/// A day off of a tenant's calendar: a national holiday, cuti bersama, or one of its own.
public final class DeskHoliday: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_holidays"
    public static var tenantKey: KeyPath<DeskHoliday, FieldProperty<DeskHoliday, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    /// `YYYY-MM-DD`.
    @Field(key: "day") public var day: String
    @Field(key: "name") public var name: String

    public init() {}

    public init(tenantID: UUID, day: String, name: String) {
        self.tenantID = tenantID
        self.day = day
        self.name = name
    }

    public var properties: [any AnyProperty] { [$id, $tenantID, $day, $name] }
}

/// A tenant's category of cases (kependudukan, perizinan, …).
public final class DeskCategory: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_categories"
    public static var tenantKey: KeyPath<DeskCategory, FieldProperty<DeskCategory, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "slug") public var slug: String
    @Field(key: "name") public var name: String
    @Field(key: "position") public var position: Int

    public init() {}

    public init(tenantID: UUID, slug: String, name: String, position: Int) {
        self.tenantID = tenantID
        self.slug = slug
        self.name = name
        self.position = position
    }

    public var properties: [any AnyProperty] { [$id, $tenantID, $slug, $name, $position] }
}
