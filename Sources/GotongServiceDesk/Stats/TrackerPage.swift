import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The public transparency tracker (`/layanan/{slug}/transparansi`): anyone sees the period's
/// figures of the desk — counts by channel, category and status, the median working days to
/// verify and to close, satisfaction — and the cases whose reporters let them be shown
/// (public and anonymous; never the confidential ones), each by number, category, status and
/// text, newest first, fifty a page. No reporter, contact or conversation is on it.
package struct TrackerPage: RouteCollection {
    package init() {}

    static let perPage = 50

    package func boot(routes: any RoutesBuilder) throws {
        routes.resolvingTenant().get(DeskRoute.tracker(.key), use: show)
    }

    func show(req: Request) async throws -> Response {
        let scope = try req.tenantScope
        guard let settings = try await DeskSetup.settings(scope) else { throw Abort(.notFound) }
        let now = req.application.clock.now()
        let period = try StatsPeriod.read(req, names: .page, now: now)
        let page = try req.pageNumber("halaman")
        let report = try await StatsReport.load(
            scope, period: period, unit: nil, settings: settings, now: now,
            cache: req.application.deskStatsCache)
        let shown = scope.query(DeskCase.self).filter(\.$privacy ~~ [.public, .anonymous])
            .filter(\.$createdAt >= period.from).filter(\.$createdAt < period.to)
        let window = PageWindow(requested: page, per: Self.perPage, total: try await shown.count())
        let cases = try await shown.copy().sort(\.$createdAt, .descending).sort(\.$number, .descending)
            .range(window.range).all()
        let names = Dictionary(uniqueKeysWithValues: report.categories.map { ($0.id!, $0.name) })
        let model = TrackerModel(
            slug: try req.tenant.routeSlug, tenantName: try req.tenant.name, period: period, report: report,
            cases: cases.map {
                .init(
                    number: $0.number, at: $0.createdAt, category: names[$0.categoryID] ?? "",
                    status: $0.status, text: $0.text)
            },
            window: window)
        return try await req.render(model, title: "desk.tracker.title", tenant: try req.tenant)
    }
}

struct TrackerModel: PageBody {
    struct Row {
        let number: String
        let at: Date
        let category: String
        let status: DeskCase.Status
        let text: String
    }

    let slug: Param<TenantSlug>
    let tenantName: String
    let period: StatsPeriod
    let report: StatsReport
    let cases: [Row]
    let window: PageWindow

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let days = period.days
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.desk(slug).path).raw("\">").text(t("desk.tracker.back"))
            .raw("</a></p>\n<h1>").text(t("desk.tracker.heading")).raw("</h1>\n<p>")
            .text(t("desk.tracker.lead", ["name": tenantName])).raw("</p>\n")
        h.raw("<form method=\"get\" action=\"").attr(DeskRoute.tracker(slug).path).raw("\" class=\"form\">\n")
            .textField(
                TextField("dari", label: t("desk.stats.from"), value: days.from, error: nil, kind: .input("date"))
            )
            .textField(TextField("sampai", label: t("desk.stats.to"), value: days.to, error: nil, kind: .input("date")))
            .raw("<button type=\"submit\">").text(t("desk.stats.show")).raw("</button>\n</form>\n")
        StatsView(report: report).write(to: h, t)
        h.raw("<h2>").text(t("desk.tracker.cases")).raw("</h2>\n")
        if cases.isEmpty { h.raw("<p>").text(t("desk.tracker.none")).raw("</p>\n") }
        h.raw("<ol class=\"list\">\n")
        for row in cases {
            let text = row.text.count > 280 ? String(row.text.prefix(279)) + "…" : row.text
            h.raw("<li><strong>").text(row.number).raw("</strong> <span class=\"muted\">")
                .text(LocalDates.moment(row.at, t.language)).raw(" · ").text(row.category).raw(" · ")
                .text(t("desk.status.\(row.status.rawValue)")).raw("</span><br>").text(text).raw("</li>\n")
        }
        h.raw("</ol>\n")
        guard window.pages > 1 else { return }
        let base = DeskRoute.tracker(slug).path + "?dari=\(days.from)&sampai=\(days.to)&halaman="
        h.raw("<nav class=\"pager\" aria-label=\"").attr(t("desk.tracker.pages")).raw("\">")
        if window.hasPrevious {
            h.raw("<a href=\"").attr(base + "\(window.page - 1)").raw("\">").text(t("desk.tracker.newer")).raw("</a> ")
        }
        h.text(t("desk.tracker.page", ["page": "\(window.page)", "pages": "\(window.pages)"]))
        if window.hasNext {
            h.raw(" <a href=\"").attr(base + "\(window.page + 1)").raw("\">").text(t("desk.tracker.older")).raw("</a>")
        }
        h.raw("</nav>\n")
    }
}
