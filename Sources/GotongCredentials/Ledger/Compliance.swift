import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import SQLKit

/// Who of an institution's people reached the year's 20 JP: the people whose home institution
/// it is, their verified JP of the year, by person and by work unit. An institution of 100,000
/// people is summed in the database, one page at a time; nothing is loaded whole but the CSV.
public struct Compliance: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    public static let pageSize = 50

    public enum Order: String, Sendable, CaseIterable {
        /// Fewest JP first: who needs help most.
        case jp
        case name
        case unit
    }

    /// What the administrator asked for.
    public struct Filter: Sendable {
        public var year: Int
        public var unit: String?
        public var belowOnly = false
        /// Part of a name or NIP.
        public var search: String?
        public var order: Order = .jp

        public init(year: Int) { self.year = year }
    }

    public struct Row: Sendable, Equatable {
        public let personID: UUID
        public let name: String
        public let nip: String?
        public let email: String
        public let unit: String
        public let jp: Int
        public var reached: Bool { jp >= JPLedger.targetJP }
    }

    public struct Unit: Sendable, Equatable {
        public let name: String
        public let people: Int
        public let below: Int
        public let totalJP: Int
        public var averageJP: Double { people == 0 ? 0 : Double(totalJP) / Double(people) }
    }

    public struct Totals: Sendable, Equatable {
        public let people: Int
        public let below: Int
    }

    /// The institution's people (`p`), each with their verified JP of the year (`p.jp`, 0 for
    /// none), for the conditions that follow (` AND …`). The one place the two databases are
    /// asked differently: SQLite looks each person's sum up in the covering index (person,
    /// year, status, jp), which took its page at 100,000 people from 1.3 s to about 1 s;
    /// PostgreSQL sums the institution's entries in one grouped join, which it does in half
    /// the time of 100,000 lookups. (PostgreSQL sums integers as `numeric`: the sums are cast
    /// back to whole numbers.)
    func from(_ tenant: UUID, year: Int) -> SQLQueryString {
        let verified = LedgerEntry.Status.verified.rawValue
        let people: SQLQueryString =
            db.sql.isSQLite
            ? """
            SELECT p.id, p.name, p.nip, p.email, p.unit_kerja, \
            COALESCE((SELECT CAST(SUM(e.jp) AS BIGINT) FROM \(ident: LedgerEntry.schema) e \
            WHERE e.person_id = p.id AND e.year = \(bind: year) AND e.status = \(bind: verified)), 0) AS jp \
            FROM people p WHERE p.home_tenant_id = \(bind: tenant)
            """
            : """
            SELECT p.id, p.name, p.nip, p.email, p.unit_kerja, COALESCE(j.jp, 0) AS jp \
            FROM people p LEFT JOIN (SELECT e.person_id, CAST(SUM(e.jp) AS BIGINT) AS jp \
            FROM \(ident: LedgerEntry.schema) e JOIN people h ON h.id = e.person_id \
            AND h.home_tenant_id = \(bind: tenant) WHERE e.year = \(bind: year) AND e.status = \(bind: verified) \
            GROUP BY e.person_id) j ON j.person_id = p.id WHERE p.home_tenant_id = \(bind: tenant)
            """
        return "FROM (" + people + ") p WHERE 1 = 1"
    }

    private func conditions(_ filter: Filter) -> SQLQueryString {
        var sql: SQLQueryString = ""
        if let unit = filter.unit { sql = sql + " AND p.unit_kerja = \(bind: unit)" }
        if filter.belowOnly { sql = sql + " AND p.jp < \(literal: JPLedger.targetJP)" }
        if let search = filter.search?.lowercased(), !search.isEmpty {
            let pattern =
                "%"
                + search.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            sql =
                sql
                + " AND (LOWER(p.name) LIKE \(bind: pattern) ESCAPE '\\' OR p.nip LIKE \(bind: pattern) ESCAPE '\\')"
        }
        return sql
    }

    private func order(_ order: Order) -> SQLQueryString {
        switch order {
        case .jp: " ORDER BY p.jp ASC, p.name ASC, p.id ASC"
        case .name: " ORDER BY p.name ASC, p.id ASC"
        case .unit: " ORDER BY p.unit_kerja ASC, p.name ASC, p.id ASC"
        }
    }

    /// Of the people summed, how many are below 20 JP, and their JP together.
    private static let belowCount: SQLQueryString =
        "CAST(COALESCE(SUM(CASE WHEN p.jp < \(literal: JPLedger.targetJP) THEN 1 ELSE 0 END), 0) "
        + "AS BIGINT)"
    private static let totalJP: SQLQueryString = "CAST(COALESCE(SUM(p.jp), 0) AS BIGINT)"

    private static let columns: SQLQueryString =
        "SELECT p.id, p.name, p.nip, p.email, p.unit_kerja, p.jp "

    /// A page of people matching the filter.
    public func page(_ tenant: UUID, _ filter: Filter, page: Int) async throws -> [Row] {
        let window: SQLQueryString = " LIMIT \(literal: Self.pageSize) OFFSET \(literal: (page - 1) * Self.pageSize)"
        return try await db.sql.raw(
            Self.columns + from(tenant, year: filter.year) + conditions(filter) + order(filter.order) + window
        ).all().map(Self.row)
    }

    /// How many match the filter: from the units' figures (which the page reads anyway) unless
    /// a search narrows it, since each sum over 100,000 people costs a scan.
    public func matching(_ tenant: UUID, _ filter: Filter, units: [Unit]) async throws -> Int {
        if let known = Self.matching(filter, units: units) { return known }
        let count = try await db.sql.raw(
            "SELECT COUNT(*) AS n " + from(tenant, year: filter.year) + conditions(filter)
        ).first()
        return try count?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A page of people and the units' figures, read side by side (two connections): each is
    /// a sum over the institution, and together they are what the desk shows.
    public func table(
        _ tenant: UUID, _ filter: Filter, page: Int
    ) async throws -> (rows: [Row], units: [Unit], matching: Int) {
        async let rows = self.page(tenant, filter, page: page)
        async let units = self.units(tenant, year: filter.year)
        let (found, summed) = try await (rows, units)
        return (found, summed, try await matching(tenant, filter, units: summed))
    }

    /// How many match, when the units' figures say it.
    static func matching(_ filter: Filter, units: [Unit]) -> Int? {
        guard (filter.search ?? "").isEmpty else { return nil }
        let chosen = filter.unit.map { unit in units.filter { $0.name == unit } } ?? units
        return chosen.map { filter.belowOnly ? $0.below : $0.people }.reduce(0, +)
    }

    /// Every person matching the filter, in its order: for the CSV.
    public func all(_ tenant: UUID, _ filter: Filter) async throws -> [Row] {
        try await db.sql.raw(Self.columns + from(tenant, year: filter.year) + conditions(filter) + order(filter.order))
            .all().map(Self.row)
    }

    /// The people and those below target, in all: the units' figures added up.
    public static func totals(_ units: [Unit]) -> Totals {
        Totals(people: units.map(\.people).reduce(0, +), below: units.map(\.below).reduce(0, +))
    }

    /// Each work unit: its people, those below target, and their JP.
    public func units(_ tenant: UUID, year: Int) async throws -> [Unit] {
        try await db.sql.raw(
            """
            SELECT p.unit_kerja AS unit, COUNT(*) AS people, \(Self.belowCount) AS below, \
            \(Self.totalJP) AS total
            """ + " " + from(tenant, year: year) + " GROUP BY p.unit_kerja ORDER BY p.unit_kerja"
        ).all().map {
            Unit(
                name: try $0.decode(column: "unit", as: String.self),
                people: try $0.decode(column: "people", as: Int.self),
                below: try $0.decode(column: "below", as: Int.self),
                totalJP: try $0.decode(column: "total", as: Int.self))
        }
    }

    /// An institution in the platform's view.
    public struct Institution: Sendable, Equatable {
        public let slug: String
        public let name: String
        public let people: Int
        public let below: Int
        public let totalJP: Int
        public var averageJP: Double { people == 0 ? 0 : Double(totalJP) / Double(people) }
    }

    /// Every institution that is someone's home, with its people, those below 20 JP and their JP.
    public func institutions(year: Int) async throws -> [Institution] {
        try await db.sql.raw(
            """
            SELECT t.slug, t.name, COUNT(*) AS people, \(Self.belowCount) AS below, \(Self.totalJP) AS total \
            FROM (SELECT p.home_tenant_id, COALESCE((SELECT CAST(SUM(e.jp) AS BIGINT) \
            FROM \(ident: LedgerEntry.schema) e WHERE e.person_id = p.id AND e.year = \(bind: year) \
            AND e.status = \(bind: LedgerEntry.Status.verified.rawValue)), 0) AS jp \
            FROM people p WHERE p.home_tenant_id IS NOT NULL) p JOIN tenants t ON t.id = p.home_tenant_id \
            GROUP BY t.slug, t.name ORDER BY t.name
            """
        ).all().map {
            Institution(
                slug: try $0.decode(column: "slug", as: String.self),
                name: try $0.decode(column: "name", as: String.self),
                people: try $0.decode(column: "people", as: Int.self),
                below: try $0.decode(column: "below", as: Int.self),
                totalJP: try $0.decode(column: "total", as: Int.self))
        }
    }

    private static func row(_ row: any SQLRow) throws -> Row {
        Row(
            personID: try row.decode(column: "id", as: UUID.self),
            name: try row.decode(column: "name", as: String.self),
            nip: try row.decode(column: "nip", as: String?.self),
            email: try row.decode(column: "email", as: String.self),
            unit: try row.decode(column: "unit_kerja", as: String.self), jp: try row.decode(column: "jp", as: Int.self))
    }
}
