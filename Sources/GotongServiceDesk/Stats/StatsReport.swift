import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// A period of the desk's figures, read the same way by the dashboard, the tracker and the API
/// (their parameter names differ): two days, `YYYY-MM-DD`, the last one included; by default
/// this year so far. A period that ends before it starts is a 400.
struct StatsPeriod: Sendable {
    let from: Date
    let to: Date

    struct Names: Sendable {
        let from, to, unit: String
        static let page = Names(from: "dari", to: "sampai", unit: "unit")
        static let api = Names(from: "from", to: "to", unit: "unit")
    }

    static func read(_ req: Request, names: Names, now: Date) throws -> StatsPeriod {
        let from = try QueryValue.day(try? req.query.get(String.self, at: names.from), field: names.from)
        let to = try QueryValue.day(try? req.query.get(String.self, at: names.to), field: names.to, endOfDay: true)
        let start = from ?? LocalDates.startOfDay("\(LocalDates.year(of: now))-01-01") ?? now
        // The last day's last second counts: the period runs to the second after it.
        let end = to.map { $0.addingTimeInterval(1) } ?? now
        guard end > start else {
            throw InputError(field: names.to, key: "desk.error.period", args: ["field": names.to], status: .badRequest)
        }
        return StatsPeriod(from: start, to: end)
    }

    /// The period's days as the form shows them.
    var days: (from: String, to: String) {
        (LocalDates.isoDay.string(from: from), LocalDates.isoDay.string(from: to.addingTimeInterval(-1)))
    }
}

/// The figures with the names they are shown under: categories by name in the desk's order,
/// channels and statuses in the lifecycle's. One list of rows feeds the page's tables, the CSV
/// and the XLSX, so they say the same.
struct StatsReport: Sendable {
    let stats: DeskStats
    let categories: [DeskCategory]
    let unitName: String?

    /// The period's figures, kept a minute (``StatsCache``).
    static func load(
        _ scope: TenantScope, period: StatsPeriod, unit: UUID?, settings: DeskSettings, now: Date, cache: StatsCache
    ) async throws -> StatsReport {
        // Working days of the office's hours: the holidays play no part here (not read).
        let dayLength = settings.calendar(holidays: []).dayLength
        let key = StatsCache.Key(
            tenant: scope.tenantID, from: period.from, to: period.to == now ? nil : period.to, unit: unit)
        let stats = try await cache.figures(key, now: now) {
            try await DeskStats.load(
                scope, from: period.from, to: period.to, unit: unit, dayLength: dayLength, now: now)
        }
        let unitName = try await unit.asyncMap { try await scope.find(DeskUnit.self, $0)?.name }
        return StatsReport(
            stats: stats, categories: try await DeskSetup.categories(scope), unitName: unitName ?? nil)
    }

    /// One row per figure: its part, its name, its value (nil: none to tell, as a median of no case).
    func rows(_ t: Texts) -> [(part: String, name: String, value: Double?)] {
        let s = stats
        var rows: [(String, String, Double?)] = [
            (t("desk.stats.summary"), t("desk.stats.received"), Double(s.received)),
            (t("desk.stats.summary"), t("desk.stats.closed"), Double(s.closed)),
            (t("desk.stats.summary"), t("desk.stats.overdue"), Double(s.overdue)),
            (t("desk.stats.summary"), t("desk.stats.median_verify"), s.medianVerifyDays.map(Self.tenth)),
            (t("desk.stats.summary"), t("desk.stats.median_close"), s.medianCloseDays.map(Self.tenth)),
            (t("desk.stats.summary"), t("desk.stats.rating"), s.rating.map(Self.tenth)),
            (t("desk.stats.summary"), t("desk.stats.ratings"), Double(s.ratings)),
        ]
        for channel in DeskCase.Channel.allCases {
            rows.append(
                (t("desk.stats.by_channel"), t("desk.channel.\(channel.rawValue)"), Double(s.byChannel[channel] ?? 0)))
        }
        for category in categories {
            rows.append((t("desk.stats.by_category"), category.name, Double(s.byCategory[category.id!] ?? 0)))
        }
        for category in categories {
            rows.append(
                (t("desk.stats.closed_by_category"), category.name, Double(s.closedByCategory[category.id!] ?? 0)))
        }
        for status in DeskCase.Status.allCases {
            rows.append(
                (t("desk.stats.by_status"), t("desk.status.\(status.rawValue)"), Double(s.byStatus[status] ?? 0)))
        }
        return rows
    }

    static func tenth(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    func sheet(_ t: Texts) -> Spreadsheet {
        Spreadsheet(
            sheetName: t("desk.stats.sheet"),
            header: [t("desk.stats.part"), t("desk.stats.measure"), t("desk.stats.value")],
            rows: rows(t).map { [.text($0.part), .text($0.name), $0.value.map { .number($0) } ?? .empty] })
    }

    func csv(_ t: Texts) -> [[String]] {
        [[t("desk.stats.part"), t("desk.stats.measure"), t("desk.stats.value")]]
            + rows(t).map { [$0.part, $0.name, $0.value.map(Self.number) ?? ""] }
    }

    /// `12`, `3.5`: whole numbers without a decimal point.
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
