import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The platform operator's view of the 20 JP (`/admin/jp`, and the API): each institution's
/// people (those whose home it is), how many are below target, and their average JP.
package struct PlatformCompliance: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(CredentialsRoute.platformCompliance, use: page)
        routes.get(CredentialsAPIRoute.platformCompliance, use: api)
    }

    func page(req: Request) async throws -> Response {
        try req.requirePlatformAdmin()
        let year =
            try req.queryNumber("tahun", in: LedgerAPIRoutes.years) ?? LocalDates.year(of: req.application.clock.now())
        let rows = try await Compliance(db: req.database).institutions(year: year)
        return try await req.render(
            PlatformComplianceModel(year: year, rows: rows), title: "ledger.platform.title",
            titleArgs: ["year": "\(year)"],
            brand: nil)
    }

    struct Row: Content {
        var slug: String
        var name: String
        var people: Int
        var below_target: Int
        var average_jp: Double
    }

    struct Table: Content {
        var year: Int
        var target_jp: Int
        var institutions: [Row]
    }

    func api(req: Request) async throws -> Table {
        try req.requirePlatformAdmin()
        let year =
            try req.queryNumber("year", in: LedgerAPIRoutes.years) ?? LocalDates.year(of: req.application.clock.now())
        let rows = try await Compliance(db: req.database).institutions(year: year)
        return Table(
            year: year, target_jp: JPLedger.targetJP,
            institutions: rows.map {
                Row(
                    slug: $0.slug, name: $0.name, people: $0.people, below_target: $0.below,
                    average_jp: ($0.averageJP * 10).rounded() / 10)
            })
    }
}

struct PlatformComplianceModel: PageBody {
    let year: Int
    let rows: [Compliance.Institution]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("ledger.platform.heading", ["year": "\(year)"])).raw("</h1>\n<p>")
            .raw("<a href=\"").attr(CredentialsRoute.platformCompliance.path + "?tahun=\(year - 1)").raw("\">")
            .text("\(year - 1)").raw("</a> · <a href=\"")
            .attr(CredentialsRoute.platformCompliance.path + "?tahun=\(year + 1)").raw("\">").text("\(year + 1)")
            .raw("</a></p>\n")
        guard !rows.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("ledger.platform.empty")).raw("</p>\n")
            return
        }
        let cols = [
            t("ledger.platform.institution"), t("ledger.col.people"), t("ledger.col.below"), t("ledger.col.average"),
        ]
        h.stackTable(cols, caption: t("ledger.platform.heading", ["year": "\(year)"]))
        for row in rows {
            h.raw("<tr>").cell(cols[0]).text(row.name).raw("</td>").cell(cols[1]).text("\(row.people)").raw("</td>")
                .cell(cols[2]).text("\(row.below)").raw("</td>").cell(cols[3]).text(
                    String(format: "%.1f", row.averageJP)
                )
                .raw("</td></tr>\n")
        }
        h.endStackTable()
    }
}
