import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// Whether a programme works: the episode table with its derived figures, trends over the
/// episodes, the best and worst episode by each figure, the platforms compared; and the
/// same lines as CSV and as an Excel workbook.
package struct EffectivenessPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(LiveRoute.effectiveness(.key, .key), use: page)
        tenant.get(LiveRoute.effectivenessCSV(.key, .key), use: csv)
        tenant.get(LiveRoute.effectivenessXLSX(.key, .key), use: xlsx)
    }

    func page(req: Request) async throws -> Response {
        let programme = try await ProgrammeDesk.programme(req)
        let platform = try QueryValue.choice(
            req.query[String.self, at: "platform"], field: "platform", as: LivePlatform.self)
        let effectiveness = try await Effectiveness.load(programme, on: req.db)
        let model = EffectivenessModel(
            slug: try req.tenant.routeSlug, programme: programme, platform: platform,
            totals: effectiveness.totals(on: platform), platforms: effectiveness.platforms)
        return try await req.render(
            model, title: "live.effect.title", titleArgs: ["name": programme.name], tenant: try req.tenant)
    }

    func csv(req: Request) async throws -> Response {
        let programme = try await ProgrammeDesk.programme(req)
        let report = try await Effectiveness.load(programme, on: req.db)
        return Response.csv(
            [Effectiveness.reportHeader] + report.reportRows, filename: "efektivitas-\(programme.slug).csv")
    }

    func xlsx(req: Request) async throws -> Response {
        let programme = try await ProgrammeDesk.programme(req)
        let report = try await Effectiveness.load(programme, on: req.db)
        let sheet = Spreadsheet(sheetName: programme.name, header: Effectiveness.reportHeader, rows: report.reportCells)
        return Response.download(
            ByteBuffer(data: try sheet.xlsx()),
            type: HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            filename: "efektivitas-\(programme.slug).xlsx")
    }
}

extension Effectiveness {
    /// The report's rows as spreadsheet cells: figures and rates as numbers (rates unrounded).
    var reportCells: [[Spreadsheet.Cell]] {
        func number(_ value: Int?) -> Spreadsheet.Cell { value.map { .number(Double($0)) } ?? .empty }
        func rate(_ value: Double?) -> Spreadsheet.Cell { value.map { .number($0) } ?? .empty }
        return lines.map { line in
            let c = line.counts
            return [
                .number(Double(line.number)), .text(line.topic), .text(line.day), .text(line.platform.rawValue),
                number(c.accountsReached), number(c.peakViewers), number(c.comments), number(c.accountsEngaged),
                number(c.followersGained), rate(line.engagementRate), rate(line.commentsPerPeakViewer),
                rate(line.followersPer100Reached), .number(Double(line.claims)), rate(line.claimsPer100Reached),
            ]
        }
    }
}
