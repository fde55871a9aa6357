import Fluent
import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy

/// Finding and making a tenant's programmes.
public enum Programmes {
    public static func find(_ slug: String, in scope: TenantScope) async throws -> LiveProgramme? {
        try await scope.query(LiveProgramme.self).filter(\.$slug == slug).first()
    }

    /// The programme, made with the slug as its name when it does not exist yet (the CLI's
    /// import of a first file). Throws for a slug that cannot be one.
    public static func findOrMake(_ slug: String, in scope: TenantScope, now: Date) async throws -> LiveProgramme {
        guard CourseChange.isValidSlug(slug) else { throw InputError(field: "programme", key: "live.error.slug") }
        if let found = try await find(slug, in: scope) { return found }
        let programme = LiveProgramme(tenantID: scope.tenantID, slug: slug, name: slug, now: now)
        do {
            try await programme.create(on: scope.db)
        } catch {
            // Made a moment ago by another import: that one stands.
            guard (error as? any DatabaseError)?.isConstraintFailure == true,
                let found = try await find(slug, in: scope)
            else { throw error }
            return found
        }
        return programme
    }

    /// Whether the programme has no episode (an import that made it and failed leaves it so).
    public static func isEmpty(_ programme: LiveProgramme, on db: any Database) async throws -> Bool {
        try await TenantScope(tenantID: programme.tenantID, db: db).query(LiveEpisode.self)
            .filter(\.$programmeID == programme.requireID()).count() == 0
    }

    /// The moment an episode on `day` (`YYYY-MM-DD`) starts: at the programme's usual time of
    /// day (its cadence's), else at 10.00 WIB.
    static func start(on day: String, in programme: LiveProgramme) -> Date? {
        guard let midnight = LocalDates.startOfDay(day) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDates.zone
        let usual = programme.cadenceAnchor.map { calendar.dateComponents([.hour, .minute], from: $0) }
        let seconds = (usual?.hour ?? 10) * 3600 + (usual?.minute ?? 0) * 60
        return midnight.addingTimeInterval(Double(seconds))
    }
}
