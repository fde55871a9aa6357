import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The desk's dashboard (`/t/{slug}/kelola/layanan/dasbor`): the period's figures for the whole
/// tenant (its administrators and coordinators) or one unit (its officers and head see their
/// own units only), with SVG charts whose numbers are in tables beside them, and the same
/// figures as CSV and XLSX.
package struct DashboardPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(DeskRoute.dashboard(.key), use: show)
        tenant.get(DeskRoute.dashboardCSV(.key), use: csv)
        tenant.get(DeskRoute.dashboardXLSX(.key), use: xlsx)
    }

    struct Context {
        let access: DeskAccess
        let period: StatsPeriod
        let unit: UUID?
        let units: [DeskUnit]
        let report: StatsReport
    }

    /// Who asks, for which period and unit: an officer's default is their first unit, and a
    /// unit not theirs (or not the tenant's) is a 400 naming `unit`.
    func context(_ req: Request) async throws -> Context {
        let (access, settings) = try await DeskAccess.of(req)
        let scope = try req.tenantScope
        let now = req.application.clock.now()
        let period = try StatsPeriod.read(req, names: .page, now: now)
        let all = try await scope.query(DeskUnit.self).sort(\.$name).all()
        let units = all.filter { access.coordinator || access.units.contains($0.id!) }
        var unit = try QueryValue.id(try? req.query.get(String.self, at: "unit"), field: "unit")
        if unit == nil, !access.coordinator { unit = units.first?.id }
        if let chosen = unit, !units.contains(where: { $0.id == chosen }) {
            throw InputError(field: "unit", key: "desk.error.unit", status: .badRequest)
        }
        let report = try await StatsReport.load(
            scope, period: period, unit: unit, settings: settings, now: now,
            cache: req.application.deskStatsCache)
        return Context(access: access, period: period, unit: unit, units: units, report: report)
    }

    func show(req: Request) async throws -> Response {
        let c = try await context(req)
        let model = DashboardModel(
            slug: try req.tenant.routeSlug, period: c.period, unit: c.unit, units: c.units,
            coordinator: c.access.coordinator, report: c.report, query: req.url.query ?? "")
        let response = try await req.render(model, title: "desk.dashboard.title", tenant: try req.tenant)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    func csv(req: Request) async throws -> Response {
        let c = try await context(req)
        return .csv(c.report.csv(req.texts), filename: try filename(req, c, "csv"))
    }

    func xlsx(req: Request) async throws -> Response {
        let c = try await context(req)
        return .download(
            ByteBuffer(data: try c.report.sheet(req.texts).xlsx()),
            type: HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            filename: try filename(req, c, "xlsx"))
    }

    private func filename(_ req: Request, _ c: Context, _ kind: String) throws -> String {
        let days = c.period.days
        return "layanan-\(try req.tenant.slug)-\(days.from)-\(days.to).\(kind)"
    }
}

struct DashboardModel: PageBody {
    let slug: Param<TenantSlug>
    let period: StatsPeriod
    let unit: UUID?
    let units: [DeskUnit]
    let coordinator: Bool
    let report: StatsReport
    /// The address's query, kept for the downloads (the same period and unit).
    let query: String

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.queue(slug).path).raw("\">").text(t("desk.queue.back"))
            .raw("</a></p>\n<h1>").text(t("desk.dashboard.heading")).raw("</h1>\n")
        if let name = report.unitName { h.raw("<p class=\"muted\">").text(name).raw("</p>\n") }
        writeForm(to: h, t)
        StatsView(report: report).write(to: h, t)
        let suffix = query.isEmpty ? "" : "?" + query
        h.raw("<p><a href=\"").attr(DeskRoute.dashboardCSV(slug).path + suffix).raw("\" download>")
            .text(t("desk.stats.csv")).raw("</a> · <a href=\"").attr(DeskRoute.dashboardXLSX(slug).path + suffix)
            .raw("\" download>").text(t("desk.stats.xlsx")).raw("</a></p>\n")
    }

    private func writeForm(to h: HTMLText, _ t: Texts) {
        let days = period.days
        h.raw("<form method=\"get\" action=\"").attr(DeskRoute.dashboard(slug).path).raw("\" class=\"form\">\n")
            .textField(
                TextField("dari", label: t("desk.stats.from"), value: days.from, error: nil, kind: .input("date"))
            )
            .textField(TextField("sampai", label: t("desk.stats.to"), value: days.to, error: nil, kind: .input("date")))
        var options = units.map { SelectOption(value: $0.id!.uuidString, label: $0.name, selected: $0.id == unit) }
        if coordinator {
            options.insert(SelectOption(value: "", label: t("desk.stats.all_units"), selected: unit == nil), at: 0)
        }
        if !options.isEmpty {
            h.textField(TextField("unit", label: t("desk.field.unit"), value: nil, error: nil, kind: .select(options)))
        }
        h.raw("<button type=\"submit\">").text(t("desk.stats.show")).raw("</button>\n</form>\n")
    }
}

/// The figures as a page shows them (the dashboard and the public tracker alike): the summary,
/// then each breakdown as a bar chart and the table of its numbers.
struct StatsView {
    let report: StatsReport

    func write(to h: HTMLText, _ t: Texts) {
        let s = report.stats
        let days = { (value: Double?) in
            value.map { t("desk.stats.days", ["days": NumberText.decimal($0, digits: 1)]) } ?? "—"
        }
        h.raw("<dl class=\"facts\">\n")
        for (label, value) in [
            (t("desk.stats.received"), NumberText.whole(s.received)),
            (t("desk.stats.closed"), NumberText.whole(s.closed)),
            (t("desk.stats.overdue"), NumberText.whole(s.overdue)),
            (t("desk.stats.median_verify"), days(s.medianVerifyDays)),
            (t("desk.stats.median_close"), days(s.medianCloseDays)),
            (
                t("desk.stats.rating"),
                s.rating.map {
                    t(
                        "desk.stats.rating_of",
                        ["rating": NumberText.decimal($0, digits: 1), "count": NumberText.whole(s.ratings)])
                } ?? "—"
            ),
        ] {
            h.raw("<dt>").text(label).raw("</dt><dd>").text(value).raw("</dd>\n")
        }
        h.raw("</dl>\n")
        let channels = DeskCase.Channel.allCases
        breakdown(
            to: h, t, heading: t("desk.stats.by_channel"), labels: channels.map { t("desk.channel.\($0.rawValue)") },
            columns: [(t("desk.stats.received"), channels.map { s.byChannel[$0] ?? 0 })])
        let categories = report.categories
        breakdown(
            to: h, t, heading: t("desk.stats.by_category"), labels: categories.map(\.name),
            columns: [
                (t("desk.stats.received"), categories.map { s.byCategory[$0.id!] ?? 0 }),
                (t("desk.stats.closed"), categories.map { s.closedByCategory[$0.id!] ?? 0 }),
            ])
        let statuses = DeskCase.Status.allCases
        breakdown(
            to: h, t, heading: t("desk.stats.by_status"), labels: statuses.map { t("desk.status.\($0.rawValue)") },
            columns: [(t("desk.stats.received"), statuses.map { s.byStatus[$0] ?? 0 })])
    }

    /// A heading, the first column's bar chart, and a table of every column.
    private func breakdown(
        to h: HTMLText, _ t: Texts, heading: String, labels: [String], columns: [(String, [Int])]
    ) {
        h.raw("<h2>").text(heading).raw("</h2>\n")
        if let first = columns.first {
            let summary = zip(labels, first.1).map { "\($0): \($1)" }.joined(separator: ", ")
            h.raw(BarChart.svg(labels: labels, counts: first.1, summary: heading + " — " + summary)).raw("\n")
        }
        h.raw("<table>\n<thead><tr><th scope=\"col\">").text(heading).raw("</th>")
        for column in columns { h.raw("<th scope=\"col\" class=\"num\">").text(column.0).raw("</th>") }
        h.raw("</tr></thead>\n<tbody>\n")
        for (row, label) in labels.enumerated() {
            h.raw("<tr><th scope=\"row\">").text(label).raw("</th>")
            for column in columns { h.raw("<td class=\"num\">").text(NumberText.whole(column.1[row])).raw("</td>") }
            h.raw("</tr>\n")
        }
        h.raw("</tbody></table>\n")
    }
}
