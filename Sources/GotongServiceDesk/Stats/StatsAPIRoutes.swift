import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// `GET /api/v1/desk/{slug}/stats?from=&to=&unit=`: the period's figures, public as the
/// tracker's are (counts and medians, nothing of any case), for a unit of the tenant or all.
package struct StatsAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.resolvingTenant().get(DeskAPIRoute.stats(.key), use: stats)
    }

    struct Figures: Content {
        struct Count: Content {
            var key: String
            var name: String
            var count: Int
        }
        var from, to: String
        var unit: String?
        var received, closed, overdue, ratings: Int
        var median_verify_days, median_close_days, rating: Double?
        var by_channel, by_category, closed_by_category, by_status: [Count]
    }

    func stats(req: Request) async throws -> Response {
        let scope = try req.tenantScope
        guard let settings = try await DeskSetup.settings(scope) else { throw Abort(.notFound) }
        let now = req.application.clock.now()
        let period = try StatsPeriod.read(req, names: .api, now: now)
        let unit = try QueryValue.id(try? req.query.get(String.self, at: "unit"), field: "unit", blankIsAbsent: false)
        if let unit, try await scope.find(DeskUnit.self, unit) == nil {
            throw InputError(field: "unit", key: "desk.error.unit", status: .badRequest)
        }
        let report = try await StatsReport.load(
            scope, period: period, unit: unit, settings: settings, now: now,
            cache: req.application.deskStatsCache)
        let s = report.stats
        let t = req.texts
        let days = period.days
        let figures = Figures(
            from: days.from, to: days.to, unit: unit?.uuidString, received: s.received, closed: s.closed,
            overdue: s.overdue, ratings: s.ratings, median_verify_days: s.medianVerifyDays.map(StatsReport.tenth),
            median_close_days: s.medianCloseDays.map(StatsReport.tenth), rating: s.rating.map(StatsReport.tenth),
            by_channel: DeskCase.Channel.allCases.map {
                .init(key: $0.rawValue, name: t("desk.channel.\($0.rawValue)"), count: s.byChannel[$0] ?? 0)
            },
            by_category: report.categories.map { .init(key: $0.slug, name: $0.name, count: s.byCategory[$0.id!] ?? 0) },
            closed_by_category: report.categories.map {
                .init(key: $0.slug, name: $0.name, count: s.closedByCategory[$0.id!] ?? 0)
            },
            by_status: DeskCase.Status.allCases.map {
                .init(key: $0.rawValue, name: t("desk.status.\($0.rawValue)"), count: s.byStatus[$0] ?? 0)
            })
        let response = try await figures.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        return response
    }
}
