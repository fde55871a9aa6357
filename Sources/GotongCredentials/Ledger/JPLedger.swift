import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import SQLKit

/// The yearly record of each civil servant's lesson hours (JP): every civil servant must get
/// at least 20 JP of competency development a year, from any provider (PP 17/2020, art. 203).
public struct JPLedger: Sendable {
    /// The yearly minimum.
    public static let targetJP = 20

    let db: any Database

    public init(db: any Database) { self.db = db }

    /// Credits a finished course's JP to the person's year of completion, once: the hook may
    /// hear the same completion again (its job is retried), and two may hear it at once; the
    /// unique key on person and course lets one insert through and the others change nothing.
    /// False when the course was credited before (or no longer exists).
    @discardableResult
    public func credit(_ event: CourseCompletion.Event) async throws -> Bool {
        guard
            let course = try await TenantScope(tenantID: event.tenant.rawValue, db: db).find(
                Course.self, event.course.rawValue),
            let tenant = try await Tenant.find(event.tenant.rawValue, on: db)
        else { return false }
        let enrolment = try await TenantScope(tenantID: event.tenant.rawValue, db: db).query(Enrolment.self)
            .filter(\.$courseID == event.course.rawValue).filter(\.$personID == event.person.rawValue).first()
        let values: [any SQLExpression] = [
            SQLBind(UUID()), SQLBind(event.person.rawValue), SQLBind(LedgerEntry.Source.course.rawValue),
            SQLBind(event.tenant.rawValue), SQLBind(event.course.rawValue), SQLBind(course.title), SQLBind(tenant.name),
            SQLBind(course.competencyType.rawValue), SQLBind(course.jp),
            SQLBind(LocalDates.year(of: event.completedAt)),
            SQLBind(event.completedAt), SQLBind(LedgerEntry.Status.verified.rawValue), SQLBind(event.completedAt),
            SQLBind(enrolment?.enrolledAt), SQLBind(LedgerEntry.Kind.pelatihan.rawValue),
        ]
        let entry: SQLQueryString = """
            INSERT INTO \(ident: LedgerEntry.schema) (id, person_id, source, tenant_id, course_id, title, provider, \
            competency_type, jp, year, completed_at, status, created_at, started_at, kind) VALUES (\(SQLList(values))) \
            ON CONFLICT (person_id, course_id) DO NOTHING RETURNING id
            """
        return try await db.sql.raw(entry).first() != nil
    }

    /// A person's year: its entries, newest first, and the JP that count (verified ones).
    public func year(_ year: Int, of person: PersonID) async throws -> Year {
        let entries = try await LedgerEntry.query(on: db).filter(\.$personID == person.rawValue)
            .filter(\.$year == year).sort(\.$completedAt, .descending).all()
        return Year(year: year, entries: entries)
    }

    /// The years the person has entries in, newest first.
    public func years(of person: PersonID) async throws -> [Int] {
        let rows = try await db.sql.raw(
            "SELECT DISTINCT year FROM \(ident: LedgerEntry.schema) WHERE person_id = \(bind: person.rawValue)"
        ).all()
        return try rows.map { try $0.decode(column: "year", as: Int.self) }.sorted(by: >)
    }

    /// What a person's year adds up to.
    public struct Year: Sendable {
        public let year: Int
        public let entries: [LedgerEntry]

        /// The JP that count: verified entries only.
        public var totalJP: Int { entries.filter { $0.status == .verified }.map(\.jp).reduce(0, +) }
        public var targetJP: Int { JPLedger.targetJP }
        public var reachedTarget: Bool { totalJP >= targetJP }
    }
}
