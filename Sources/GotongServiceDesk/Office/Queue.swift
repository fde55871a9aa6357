import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Which cases the queue shows: open ones (the default), all, or those of one status.
enum QueueState: String, CaseIterable, Sendable {
    case terbuka, semua, baru, diverifikasi, diteruskan, ditindaklanjuti, selesai, ditolak
    case menungguWarga = "menunggu_warga"
    case dibukaKembali = "dibuka_kembali"

    var status: DeskCase.Status? { DeskCase.Status(rawValue: rawValue) }
}

/// The queue's filters, read from an address by the one parser for the page and the API (each
/// names the parameters in its own language): anything not a status, a unit's or category's
/// id, a channel, a yes/no or a page number is a 400 naming the parameter.
struct QueueFilter: Sendable, Equatable {
    var state = QueueState.terbuka
    var unit: UUID?
    var category: UUID?
    var channel: DeskCase.Channel?
    var overdue = false
    var mine = false
    var page = 1

    /// The parameters' names: the page's (Indonesian) or the API's.
    struct Names: Sendable {
        let status, unit, category, channel, overdue, mine, page: String
        static let page = Names(
            status: "status", unit: "unit", category: "kategori", channel: "kanal", overdue: "terlambat",
            mine: "saya", page: "halaman")
        static let api = Names(
            status: "status", unit: "unit", category: "category", channel: "channel", overdue: "overdue",
            mine: "mine", page: "page")
    }

    /// Reads the filters from the request's address.
    static func read(_ req: Request, names: Names, formBlanks: Bool) throws -> QueueFilter {
        try read({ req.query[String.self, at: $0] }, names: names, formBlanks: formBlanks)
    }

    /// Reads the filters from `value` (a parameter's text by name); on the page an empty choice
    /// of the form means "any".
    static func read(_ value: (String) -> String?, names: Names, formBlanks: Bool) throws -> QueueFilter {
        var filter = QueueFilter()
        filter.state =
            try QueryValue.choice(
                value(names.status), field: names.status, as: QueueState.self, blankIsAbsent: formBlanks) ?? .terbuka
        filter.unit = try QueryValue.id(value(names.unit), field: names.unit, blankIsAbsent: formBlanks)
        filter.category = try QueryValue.id(value(names.category), field: names.category, blankIsAbsent: formBlanks)
        filter.channel = try QueryValue.choice(
            value(names.channel), field: names.channel, as: DeskCase.Channel.self, blankIsAbsent: formBlanks)
        filter.overdue =
            try QueryValue.flag(value(names.overdue), field: names.overdue, blankIsAbsent: formBlanks) ?? false
        filter.mine = try QueryValue.flag(value(names.mine), field: names.mine, blankIsAbsent: formBlanks) ?? false
        filter.page =
            try WholeNumber.read(value(names.page), field: names.page, in: 1...PageWindow.maxPage, status: .badRequest)
            ?? 1
        return filter
    }
}

/// One line of the queue.
struct QueueRow: Sendable {
    let item: DeskCase
    let category: String
    let unit: String?
    let assignee: String?
    /// Working seconds to the stage's deadline (negative: overdue); nil with no deadline running.
    let left: TimeInterval?
    /// Past its deadline (a case due at closing time is late from then, though no working time
    /// has passed since): the mark, the filter and the API agree on it.
    let overdue: Bool
}

/// The officers' queue: the cases the person may work on, filtered, soonest deadline first
/// (cases with no deadline running after them), a page at a time.
struct Queue {
    static let perPage = 50

    let scope: TenantScope
    let access: DeskAccess
    let now: Date

    func load(
        _ filter: QueueFilter, calendar: WorkingCalendar
    ) async throws -> (rows: [QueueRow], window: PageWindow, names: Names) {
        var query = scope.query(DeskCase.self)
        if !access.coordinator { query = query.filter(\.$unitID ~~ Array(access.units)) }
        switch filter.state {
        case .semua: break
        // Open: not closed, read as "no closing time" (set exactly when a case closes), which
        // the index of closings finds at once; "status not in" would read every case's row.
        case .terbuka: query = query.filter(\.$closedAt == nil)
        default: if let status = filter.state.status { query = query.filter(\.$status == status) }
        }
        if let unit = filter.unit { query = query.filter(\.$unitID == unit) }
        if let category = filter.category { query = query.filter(\.$categoryID == category) }
        if let channel = filter.channel { query = query.filter(\.$channel == channel) }
        if filter.overdue { query = query.filter(\.$dueAt < now) }
        if filter.mine { query = query.filter(\.$assigneeID == access.personID) }
        let (items, window) = try await Self.page(query, filter.page)
        let names = try await Names.load(for: items, in: scope)
        let rows = items.map { item in
            QueueRow(
                item: item, category: names.categories[item.categoryID] ?? "",
                unit: item.unitID.flatMap { names.units[$0] }, assignee: item.assigneeID.flatMap { names.people[$0] },
                left: item.dueAt.map { calendar.workingSeconds(from: now, to: $0) },
                overdue: item.dueAt.map { $0 < now } ?? false)
        }
        return (rows, window, names)
    }
}

extension Queue {
    /// One page of the cases, soonest deadline first, then those with no deadline running by
    /// age. Read as two runs, each in the order of an index — dated cases by
    /// (tenant, deadline, arrival), the others by (tenant, arrival) — rather than one sort of
    /// every case by "has a deadline" (NULLs sort first on SQLite, last on PostgreSQL, and a
    /// sort on an expression reads and sorts every row of a year's cases).
    static func page(
        _ query: QueryBuilder<DeskCase>, _ requested: Int, per: Int = perPage
    ) async throws -> ([DeskCase], PageWindow) {
        let window = PageWindow(requested: requested, per: per, total: try await query.copy().count())
        let dated = query.copy().filter(\.$dueAt != nil)
        let datedCount = try await dated.copy().count()
        var items: [DeskCase] = []
        if window.offset < datedCount {
            items = try await dated.sort(\.$dueAt).sort(\.$createdAt).range(window.range).all()
        }
        if items.count < per, window.offset + items.count < window.total {
            let skip = max(0, window.offset - datedCount)
            items += try await query.copy().filter(\.$dueAt == nil).sort(\.$createdAt)
                .range(skip..<(skip + per - items.count)).all()
        }
        return (items, window)
    }
}

/// The names the queue and the case page show for ids: categories, units, officers.
struct Names: Sendable {
    var categories: [UUID: String] = [:]
    var units: [UUID: String] = [:]
    var people: [UUID: String] = [:]
    /// The categories in their order and the units by name, read once for the lookups above
    /// and for the pages' choices.
    var categoryList: [DeskCategory] = []
    var unitList: [DeskUnit] = []

    static func load(for items: [DeskCase], in scope: TenantScope, people extra: [UUID] = []) async throws -> Names {
        var names = Names()
        names.categoryList = try await DeskSetup.categories(scope)
        names.unitList = try await scope.query(DeskUnit.self).sort(\.$name).all()
        for category in names.categoryList { names.categories[category.id!] = category.name }
        for unit in names.unitList { names.units[unit.id!] = unit.name }
        let ids = Set(items.compactMap(\.assigneeID) + extra)
        if !ids.isEmpty {
            for person in try await Person.query(on: scope.db).filter(\.$id ~~ Array(ids)).all() {
                names.people[person.id!] = person.name
            }
        }
        return names
    }
}

/// Working time left written as a civil servant reads it: "2 hari kerja 3 jam", counted in the
/// desk's working days (one is its office hours). A case `late` with no working time past yet
/// (due at closing, read before the next opening) says only that it is late.
enum TimeLeft {
    static func text(_ seconds: TimeInterval, late: Bool, dayLength: TimeInterval, _ t: Texts) -> String {
        if late, seconds >= 0 { return t("desk.time.overdue_now") }
        let whole = Int(abs(seconds) / 60)
        let perDay = max(1, Int(dayLength / 60))
        let (days, rest) = whole.quotientAndRemainder(dividingBy: perDay)
        let (hours, minutes) = rest.quotientAndRemainder(dividingBy: 60)
        var parts: [String] = []
        if days > 0 { parts.append(t("desk.time.days", ["count": "\(days)"])) }
        if hours > 0 { parts.append(t("desk.time.hours", ["count": "\(hours)"])) }
        if days == 0, hours == 0 { parts.append(t("desk.time.minutes", ["count": "\(max(minutes, late ? 1 : 0))"])) }
        return t(late ? "desk.time.overdue" : "desk.time.left", ["span": parts.joined(separator: " ")])
    }
}
