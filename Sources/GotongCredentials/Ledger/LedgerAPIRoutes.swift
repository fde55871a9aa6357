import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import Vapor

/// The person's own JP ledger in the JSON API: a year's entries and what they add up to
/// against the 20-JP target. Their own records across every institution, so no tenant in it.
package struct LedgerAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(CredentialsAPIRoute.myLedger, use: myLedger)
    }

    /// The years a ledger can be asked for: the civil service's records start long after 2000.
    static let years = 2000...2100

    struct Ledger: Content {
        var year: Int
        var target_jp: Int
        var total_jp: Int
        var reached_target: Bool
        var entries: [Entry]
    }

    struct Entry: Content {
        var id: UUID
        var source: String
        var title: String
        var kind: String
        var provider: String
        var competency_type: String
        var jp: Int
        var started_at: Date?
        var completed_at: Date
        var status: String
        var course_id: UUID?
        var certificate_number: String
        var has_file: Bool
        /// Why it was rejected; absent otherwise.
        var reason: String?
    }

    func myLedger(req: Request) async throws -> Ledger {
        let person = try req.requirePerson()
        let year = try req.queryNumber("year", in: Self.years) ?? LocalDates.year(of: req.application.clock.now())
        let found = try await JPLedger(db: req.database).year(year, of: PersonID(person.requireID()))
        return Ledger(
            year: year, target_jp: found.targetJP, total_jp: found.totalJP, reached_target: found.reachedTarget,
            entries: found.entries.map(Entry.init))
    }
}

extension LedgerAPIRoutes.Entry {
    init(_ e: LedgerEntry) {
        self.init(
            id: e.id ?? UUID(), source: e.source.rawValue, title: e.title, kind: e.kind, provider: e.provider,
            competency_type: e.competencyType, jp: e.jp, started_at: e.startedAt, completed_at: e.completedAt,
            status: e.status.rawValue, course_id: e.courseID, certificate_number: e.certificateNumber,
            has_file: e.fileKey != nil, reason: e.status == .rejected ? e.reason : nil)
    }
}
