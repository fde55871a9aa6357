import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import NIOConcurrencyHelpers
import Vapor

/// Turning a tenant's service desk on (and off), and reading what its cases are counted in.
public enum DeskSetup {
    /// The categories a desk starts with.
    static let defaultCategories = [
        ("kependudukan", "Kependudukan"), ("perizinan", "Perizinan"), ("kesehatan", "Kesehatan"),
        ("infrastruktur", "Infrastruktur"), ("lainnya", "Lainnya"),
    ]

    /// Turns the desk on: the first time with the default categories, the national holidays of
    /// this year and the next, office hours 08.00–16.00 Monday to Friday in WIB and LAPOR!'s
    /// targets; again, it only switches it back on. In one transaction.
    @discardableResult
    public static func enable(_ scope: TenantScope, now: Date) async throws -> DeskSettings {
        defer { switches.raise(scope.tenantID) }
        do {
            return try await firstEnable(scope, now: now)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Turned on a moment ago by another request: that one stands.
            return try await firstEnable(scope, now: now)
        }
    }

    /// Raised when a tenant's desk is turned on or off in this process (``isOn(_:now:)``).
    public static let switches = Generations()
    private static let kept = NIOLockedValueBox([UUID: (on: Bool, at: Date, generation: Int)]())
    /// How long a look at whether a desk is on is trusted: the public site's busiest pages
    /// ask it on every request; another process sees a desk turned off within this.
    static let onLifetime: TimeInterval = 1

    /// Whether the tenant's desk is on, looked up at most once a second per tenant and process
    /// (at once again after this process turned it on or off).
    public static func isOn(_ scope: TenantScope, now: Date) async throws -> Bool {
        let generation = switches.of(scope.tenantID)
        if let seen = kept.withLockedValue({ $0[scope.tenantID] }), seen.generation == generation,
            seen.at <= now, now.timeIntervalSince(seen.at) < onLifetime
        {
            return seen.on
        }
        let on = try await settings(scope) != nil
        kept.withLockedValue { kept in
            if kept.count > 10_000 { kept.removeAll(keepingCapacity: true) }
            kept[scope.tenantID] = (on, now, generation)
        }
        return on
    }

    private static func firstEnable(_ scope: TenantScope, now: Date) async throws -> DeskSettings {
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            if let settings = try await scope.query(DeskSettings.self).first() {
                settings.enabled = true
                settings.updatedAt = now
                try await settings.save(on: tx)
                return settings
            }
            let settings = DeskSettings()
            (settings.tenantID, settings.enabled, settings.zone, settings.weekdays) =
                (scope.tenantID, true, "Asia/Jakarta", "23456")
            (settings.opens, settings.closes, settings.verifyDays, settings.planDays) = (8 * 60, 16 * 60, 3, 5)
            (settings.retentionDays, settings.updatedAt) = (365, now)
            try await settings.create(on: tx)
            for (position, (slug, name)) in defaultCategories.enumerated() {
                try await DeskCategory(tenantID: scope.tenantID, slug: slug, name: name, position: position)
                    .create(on: tx)
            }
            let year = LocalDates.year(of: now)
            for day in NationalHolidays.days(in: year) + NationalHolidays.days(in: year + 1) {
                try await DeskHoliday(tenantID: scope.tenantID, day: day.date, name: day.name).create(on: tx)
            }
            return settings
        }
    }

    /// Turns the desk off: citizens' pages and the officers' desk answer 404 until it is on
    /// again; its cases, units and calendar are kept.
    public static func disable(_ scope: TenantScope, now: Date) async throws {
        defer { switches.raise(scope.tenantID) }
        try await scope.db.lockingTransaction { tx in
            try await TenantScope(tenantID: scope.tenantID, db: tx).query(DeskSettings.self).set(\.$enabled, to: false)
                .set(\.$updatedAt, to: now).update()
        }
    }

    /// The desk's settings when it is on; nil when the tenant has none or turned it off.
    public static func settings(_ scope: TenantScope) async throws -> DeskSettings? {
        try await scope.query(DeskSettings.self).filter(\.$enabled == true).first()
    }

    /// The tenant's scope for its desk's administration pages: the caller holds one of `roles`
    /// there (401/403 otherwise) and the desk is on (404 otherwise).
    package static func administered(_ req: Request, by roles: Set<Role>) async throws -> TenantScope {
        try await req.requireTenantRole(roles)
        let scope = try req.tenantScope
        guard try await settings(scope) != nil else { throw Abort(.notFound) }
        return scope
    }

    /// The desk's working calendar with its holidays.
    public static func calendar(_ settings: DeskSettings, _ scope: TenantScope) async throws -> WorkingCalendar {
        let days = try await scope.query(DeskHoliday.self).all(\.$day)
        return settings.calendar(holidays: Set(days))
    }

    /// The desk's categories in their order.
    public static func categories(_ scope: TenantScope) async throws -> [DeskCategory] {
        try await scope.query(DeskCategory.self).sort(\.$position).all()
    }
}
