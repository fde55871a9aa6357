import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import Vapor

/// `/saya/jp`: the person's record of competency development for a year, as they would show it
/// to their supervisor: the JP that count against the 20-JP target, split by competency type,
/// and every entry. Their own records, so no tenant's branding.
package struct LedgerPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(CredentialsRoute.myLedger, use: page)
    }

    func page(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let now = req.application.clock.now()
        let thisYear = LocalDates.year(of: now)
        let year = try req.queryNumber("tahun", in: LedgerAPIRoutes.years) ?? thisYear
        let ledger = JPLedger(db: req.database)
        let found = try await ledger.year(year, of: PersonID(person.requireID()))
        let years = try await ledger.years(of: PersonID(person.requireID()))
        let model = LedgerModel(
            year: year, totalJP: found.totalJP, targetJP: found.targetJP,
            byType: LedgerModel.types.map { type in
                (
                    type,
                    found.entries.filter { $0.status == .verified && $0.competencyType == type }.map(\.jp).reduce(0, +)
                )
            },
            entries: found.entries.map {
                .init(
                    id: LedgerEntryID($0.id!), title: $0.title, provider: $0.provider,
                    day: req.day($0.completedAt) ?? "", jp: $0.jp, status: $0.status, external: $0.source == .external,
                    reason: $0.reason, hasFile: $0.fileKey != nil)
            },
            otherYears: Set(years + [thisYear]).subtracting([year]).sorted(by: >))
        return try await req.render(model, title: "ledger.title", titleArgs: ["year": "\(year)"], brand: nil)
    }
}

struct LedgerModel: PageBody {
    /// Competency types in the order a civil servant's development plan lists them.
    static let types = ["manajerial", "teknis", "sosial_kultural"]

    struct Row {
        let id: LedgerEntryID
        let title: String
        let provider: String
        let day: String
        let jp: Int
        let status: LedgerEntry.Status
        /// Recorded by the person: they may withdraw it until it is verified.
        let external: Bool
        let reason: String
        let hasFile: Bool
    }

    let year: Int
    let totalJP: Int
    let targetJP: Int
    let byType: [(type: String, jp: Int)]
    let entries: [Row]
    let otherYears: [Int]

    var percent: Int { min(100, totalJP * 100 / max(1, targetJP)) }

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let y = ["year": "\(year)"]
        h.raw("<p class=\"crumbs\"><a href=\"").attr(CatalogRoute.myCourses.path).raw("\">").text(t("ledger.back")).raw(
            "</a></p>\n<h1>"
        )
        .text(t("ledger.heading", y)).raw("</h1>\n<p class=\"lead\"><strong>")
        .text(t("ledger.total", ["total": "\(totalJP)", "target": "\(targetJP)"])).raw("</strong></p>\n")
        .raw("<div class=\"progress\" role=\"progressbar\" aria-valuemin=\"0\" aria-valuemax=\"\(targetJP)\" ")
        .raw("aria-valuenow=\"\(min(totalJP, targetJP))\" aria-label=\"").attr(t("ledger.progress", y)).raw("\">")
        .raw("<span style=\"width:\(percent)%\"></span></div>\n<p>")
        if totalJP >= targetJP {
            h.raw("<strong class=\"ok\">").text(t("ledger.reached", y)).raw("</strong>")
        } else {
            h.text(t("ledger.short", ["short": "\(targetJP - totalJP)", "year": "\(year)"]))
        }
        h.raw("</p>\n<h2>").text(t("ledger.by_type")).raw("</h2>\n<ul class=\"facts\">\n")
        for (type, jp) in byType {
            h.raw("<li>").text(t("course.competency.\(type)")).raw(": <strong>").text(t("ledger.jp", ["jp": "\(jp)"]))
                .raw("</strong></li>\n")
        }
        h.raw("</ul>\n<p><a class=\"button\" href=\"").attr(CredentialsRoute.recordLearning.path).raw("\">")
            .text(t("ledger.record.link")).raw("</a></p>\n<h2>").text(t("ledger.entries")).raw("</h2>\n")
        if entries.isEmpty {
            h.raw("<p class=\"muted\">").text(t("ledger.empty", y)).raw("</p>\n")
        } else {
            let cols = [
                t("ledger.col.title"), t("ledger.col.provider"), t("ledger.col.day"), "JP", t("ledger.col.status"),
            ]
            h.stackTable(cols, caption: t("ledger.entries"))
            for row in entries {
                h.raw("<tr>").cell(cols[0]).text(row.title).raw("</td>").cell(cols[1]).text(row.provider).raw("</td>")
                    .cell(cols[2]).text(row.day).raw("</td>").cell(cols[3]).text("\(row.jp)").raw("</td>")
                    .cell(cols[4]).text(t("ledger.status.\(row.status.rawValue)"))
                if row.status == .rejected, !row.reason.isEmpty {
                    h.raw("<br><span class=\"muted\">").text(t("ledger.rejected_because", ["reason": row.reason]))
                        .raw("</span>")
                }
                if row.hasFile {
                    h.raw("<br><a href=\"").attr(CredentialsRoute.entryFile(.value(row.id)).path).raw("\">")
                        .text(t("ledger.desk.file")).raw("</a>")
                }
                if row.external, row.status != .verified {
                    h.raw(" ").postForm(
                        CredentialsRoute.withdrawEntry(.value(row.id)).path, csrf: csrf, class: "inline"
                    )
                    .raw("<button class=\"link\" type=\"submit\" aria-label=\"").attr(t("ledger.withdraw"))
                    .raw(" ").attr(row.title).raw("\">").text(t("ledger.withdraw")).raw("</button></form>")
                }
                h.raw("</td></tr>\n")
            }
            h.endStackTable()
        }
        let query = "?tahun=\(year)"
        h.raw("<p>").text(t("ledger.download")).raw(" <a href=\"").attr(CredentialsRoute.myLedgerPDF.path + query)
            .raw("\">PDF</a> · <a href=\"").attr(CredentialsRoute.myLedgerCSV.path + query).raw(
                "\">CSV</a> · <a href=\""
            )
            .attr(CredentialsRoute.myLedgerSIASN.path + query).raw("\">").text(t("ledger.download_siasn"))
            .raw("</a></p>\n")
        if !otherYears.isEmpty {
            h.raw("<p>").text(t("ledger.other_years")).raw(" ")
            for (i, other) in otherYears.enumerated() {
                if i > 0 { h.raw(" · ") }
                h.raw("<a href=\"").attr(CredentialsRoute.myLedger.path + "?tahun=\(other)").raw("\">").text("\(other)")
                    .raw("</a>")
            }
            h.raw("</p>\n")
        }
    }
}
