import Foundation
import GotongPlatform
import GotongTenancy

/// The effectiveness view of one programme.
struct EffectivenessModel: PageBody {
    let slug: Param<TenantSlug>
    let programme: LiveProgramme
    let platform: LivePlatform?
    let totals: [EpisodeTotals]
    let platforms: [Effectiveness.PlatformSummary]

    var programmeSlug: Param<ProgrammeSlug> { .value(ProgrammeSlug(programme.slug)) }

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(LiveRoute.deskProgramme(slug, programmeSlug).path).raw("\">")
            .text(programme.name).raw("</a></p>\n<h1>").text(t("live.effect.heading")).raw("</h1>\n<p>")
            .text(t("live.effect.lead")).raw("</p>\n<p><a href=\"")
            .attr(LiveRoute.effectivenessCSV(slug, programmeSlug).path).raw("\">").text(t("live.effect.csv"))
            .raw("</a> · <a href=\"").attr(LiveRoute.effectivenessXLSX(slug, programmeSlug).path).raw("\">")
            .text(t("live.effect.xlsx")).raw("</a></p>\n")
        writeFilter(h, t)
        guard !totals.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("live.effect.none")).raw("</p>\n")
            return
        }
        writeTable(h, t)
        // With one episode there is no trend and no best or worst to tell apart.
        if totals.count > 1 {
            writeTrends(h, t)
            writeExtremes(h, t)
        }
        writePlatforms(h, t)
    }

    private func writeFilter(_ h: HTMLText, _ t: Texts) {
        h.raw("<form method=\"get\" class=\"form inline\"><label for=\"platform\">").text(t("live.effect.platform"))
            .raw("</label> <select id=\"platform\" name=\"platform\"><option value=\"\">").text(t("live.effect.all"))
            .raw("</option>")
        for option in LivePlatform.allCases {
            h.raw("<option value=\"").attr(option.rawValue).raw("\"").flag("selected", option == platform).raw(">")
                .text(option.label).raw("</option>")
        }
        h.raw("</select> <button type=\"submit\" class=\"secondary\">").text(t("live.effect.show"))
            .raw("</button></form>\n")
    }

    private func writeTable(_ h: HTMLText, _ t: Texts) {
        let keys = [
            "accounts_reached", "peak_viewers", "comments", "accounts_engaged", "followers_gained", "engagement_rate",
            "comments_per_peak_viewer", "followers_per_100_reached", "claims", "claims_per_100_reached",
        ]
        let headings =
            [t("live.column.episode"), t("live.column.speakers"), t("live.column.topic"), t("live.column.date")]
            + keys.map { t("live.figure.\($0)") }
        h.stackTable(headings, caption: t("live.effect.table"))
        for total in totals {
            h.raw("<tr>").cell(headings[0]).text("#\(total.number)").raw("</td>").cell(headings[1]).text(total.speakers)
                .raw("</td>").cell(headings[2]).text(total.topic).raw("</td>").cell(headings[3]).text(total.day)
                .raw("</td>")
            for (index, key) in keys.enumerated() {
                h.cell(headings[index + 4]).text(Self.format(key, total)).raw("</td>")
            }
            h.raw("</tr>\n")
        }
        h.endStackTable()
    }

    private func writeTrends(_ h: HTMLText, _ t: Texts) {
        h.raw("<h2>").text(t("live.effect.trends")).raw("</h2>\n<div class=\"charts\">\n")
        let labels = totals.map { "#\($0.number)" }
        for key in ["accounts_reached", "engagement_rate", "claims_per_100_reached"] {
            let measure = EpisodeTotals.measures.first { $0.key == key }!
            let values = totals.map { measure.value($0) }
            h.raw("<figure><figcaption>").text(t("live.figure.\(key)")).raw("</figcaption>")
                .raw(
                    LineChart.svg(
                        labels: labels, values: values,
                        summary: t("live.effect.chart", ["figure": t("live.figure.\(key)")])
                    ) { Self.format(key, $0) }
                ).raw("</figure>\n")
        }
        h.raw("</div>\n")
    }

    private func writeExtremes(_ h: HTMLText, _ t: Texts) {
        let headings = [t("live.effect.figure"), t("live.effect.best"), t("live.effect.worst")]
        h.raw("<h2>").text(t("live.effect.extremes")).raw("</h2>\n").stackTable(headings)
        for (key, best, worst) in Effectiveness.extremes(totals) {
            h.raw("<tr>").cell(headings[0]).text(t("live.figure.\(key)")).raw("</td>")
            for (index, total) in [best, worst].enumerated() {
                h.cell(headings[index + 1]).text("#\(total.number) ").text(total.topic).raw(" (")
                    .text(Self.format(key, total)).raw(")</td>")
            }
            h.raw("</tr>\n")
        }
        h.endStackTable()
    }

    private func writePlatforms(_ h: HTMLText, _ t: Texts) {
        let headings = [
            t("live.effect.platform"), t("live.effect.episodes"), t("live.figure.accounts_reached"),
            t("live.effect.average_reached"), t("live.effect.average_peak"), t("live.figure.engagement_rate"),
            t("live.figure.followers_gained"),
        ]
        h.raw("<h2>").text(t("live.effect.platforms")).raw("</h2>\n").stackTable(headings)
        for summary in platforms {
            let cells = [
                summary.platform.label, NumberText.whole(summary.episodes), NumberText.whole(summary.reached),
                NumberText.whole(summary.averageReached.map { Int($0.rounded()) }),
                NumberText.whole(summary.averagePeak.map { Int($0.rounded()) }),
                NumberText.percent(summary.engagementRate), NumberText.whole(summary.followersGained),
            ]
            h.raw("<tr>")
            for (heading, cell) in zip(headings, cells) { h.cell(heading).text(cell).raw("</td>") }
            h.raw("</tr>\n")
        }
        h.endStackTable()
    }

    static func format(_ key: String, _ total: EpisodeTotals) -> String {
        guard let value = EpisodeTotals.measures.first(where: { $0.key == key })?.value(total) else { return "—" }
        return format(key, value)
    }

    static func format(_ key: String, _ value: Double) -> String {
        switch key {
        case "engagement_rate": NumberText.percent(value)
        case "comments_per_peak_viewer": NumberText.decimal(value)
        case "followers_per_100_reached", "claims_per_100_reached": NumberText.decimal(value)
        default: NumberText.whole(Int(value))
        }
    }
}
