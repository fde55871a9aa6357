import Foundation
import GotongPlatform
import GotongTenancy

/// The home institution's JP desk, as a value.
struct LedgerDeskModel: PageBody {
    struct Pending {
        let id: LedgerEntryID
        let person: String, nip: String?, title: String, provider: String, kind: String
        let jp: Int
        let day: String, number: String
        let hasFile: Bool
    }

    let slug: Param<TenantSlug>
    let filter: Compliance.Filter
    let page: Int
    let matching: Int
    let totals: Compliance.Totals
    let units: [Compliance.Unit]
    let rows: [Compliance.Row]
    let pending: [Pending]
    /// All records waiting (the list shows the oldest 100).
    let pendingCount: Int
    /// Reminders go out for the current year only.
    let thisYear: Int

    /// The filter as a query, with the page when not the first.
    func query(page: Int? = nil, year: Int? = nil) -> String {
        var parts = ["tahun=\(year ?? filter.year)"]
        func add(_ name: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            parts.append(name + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        add("unit", filter.unit)
        add("cari", filter.search)
        if filter.belowOnly { parts.append("kurang=true") }
        if filter.order != .jp { parts.append("urut=\(filter.order.rawValue)") }
        if let page, page > 1 { parts.append("halaman=\(page)") }
        return "?" + parts.joined(separator: "&")
    }

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(TenancyRoute.desk(.tenant(slug)).path).raw("\">")
            .text(t("certificate.desk.back")).raw("</a></p>\n<h1>")
            .text(t("ledger.desk.heading", ["year": "\(filter.year)"])).raw("</h1>\n")
        writePending(h, t, csrf)
        writeSummary(h, t, csrf)
        writeFilter(h, t)
        writeTable(h, t)
        writeUnits(h, t)
    }

    private func writePending(_ h: HTMLText, _ t: Texts, _ csrf: String) {
        h.raw("<section class=\"panel\" aria-labelledby=\"pending\">\n<h2 id=\"pending\">")
            .text(t("ledger.desk.pending", ["count": "\(pendingCount)"])).raw("</h2>\n")
        guard !pending.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("ledger.desk.pending_none")).raw("</p>\n</section>\n")
            return
        }
        h.raw("<ul class=\"list\">\n")
        for item in pending {
            h.raw("<li><strong>").text(item.person).raw("</strong>")
            if let nip = item.nip { h.raw(" · NIP ").text(nip) }
            h.raw("<br>").text(item.title).raw(" (").text(t("ledger.kind.\(item.kind)")).raw(") · ").text(item.provider)
                .raw("<br>").text(item.day).raw(" · ").text(t("ledger.jp", ["jp": "\(item.jp)"]))
            if !item.number.isEmpty { h.raw(" · ").text(t("certificate.number", ["number": item.number])) }
            if item.hasFile {
                h.raw(" · <a href=\"").attr(CredentialsRoute.deskEntryFile(slug, .value(item.id)).path).raw("\">")
                    .text(t("ledger.desk.file")).raw("</a>")
            }
            h.raw("<br>").postForm(
                CredentialsRoute.verifyEntry(slug, .value(item.id)).path, csrf: csrf, class: "inline"
            )
            .raw("<button type=\"submit\">").text(t("ledger.desk.verify")).raw("</button></form>")
            let field = "reason-" + item.id.rawValue.uuidString.lowercased()
            h.raw(" <details><summary>").text(t("ledger.desk.reject")).raw("</summary>")
                .postForm(CredentialsRoute.rejectEntry(slug, .value(item.id)).path, csrf: csrf, class: "form")
                .raw("<label for=\"").attr(field).raw("\">").text(t("ledger.desk.reason")).raw("</label>")
                .raw("<input id=\"").attr(field).raw("\" name=\"reason\" required data-max=\"500\">")
                .raw("<button type=\"submit\">").text(t("ledger.desk.reject_confirm", ["title": item.title]))
                .raw("</button></form></details></li>\n")
        }
        h.raw("</ul>\n</section>\n")
    }

    private func writeSummary(_ h: HTMLText, _ t: Texts, _ csrf: String) {
        h.raw("<h2>").text(t("ledger.compliance.heading")).raw("</h2>\n<p class=\"lead\">")
            .text(
                t(
                    "ledger.compliance.summary",
                    ["people": "\(totals.people)", "below": "\(totals.below)", "year": "\(filter.year)"])
            )
            .raw("</p>\n<p><a href=\"").attr(CredentialsRoute.complianceCSV(slug).path + query()).raw("\">")
            .text(t("ledger.compliance.csv")).raw("</a></p>\n")
        if totals.below > 0, filter.year == thisYear {
            h.postForm(CredentialsRoute.remindBelowTarget(slug).path, csrf: csrf, class: "inline")
                .raw("<button type=\"submit\">").text(t("ledger.compliance.remind", ["below": "\(totals.below)"]))
                .raw("</button></form>\n")
        }
    }

    private func writeFilter(_ h: HTMLText, _ t: Texts) {
        h.raw("<form method=\"get\" action=\"").attr(CredentialsRoute.ledgerDesk(slug).path).raw("\" class=\"form\">\n")
            .raw("<input type=\"hidden\" name=\"tahun\" value=\"\(filter.year)\">\n")
            .textField(
                TextField(
                    "cari", label: t("ledger.compliance.search"), value: filter.search, error: nil,
                    kind: .input("search"),
                    max: 100)
            )
            .textField(
                TextField(
                    "unit", label: t("ledger.col.unit"), value: nil, error: nil,
                    kind: .select(
                        [SelectOption(value: "", label: t("ledger.compliance.all_units"), selected: filter.unit == nil)]
                            + units.map {
                                SelectOption(value: $0.name, label: $0.name, selected: filter.unit == $0.name)
                            }))
            )
            .textField(
                TextField(
                    "urut", label: t("ledger.compliance.order"), value: nil, error: nil,
                    kind: .select(
                        Compliance.Order.allCases.map {
                            SelectOption(
                                value: $0.rawValue, label: t("ledger.order.\($0.rawValue)"),
                                selected: filter.order == $0)
                        }))
            )
            .raw("<label><input type=\"checkbox\" name=\"kurang\" value=\"true\"").flag("checked", filter.belowOnly)
            .raw("> ").text(t("ledger.compliance.below_only")).raw("</label>\n<button type=\"submit\">")
            .text(t("ledger.compliance.show")).raw("</button>\n</form>\n")
    }

    private func writeTable(_ h: HTMLText, _ t: Texts) {
        h.raw("<p class=\"muted\">").text(t("ledger.compliance.matching", ["count": "\(matching)"])).raw("</p>\n")
        guard !rows.isEmpty else { return }
        let cols = [t("ledger.col.name"), "NIP", t("ledger.col.unit"), "JP", t("ledger.col.target")]
        h.stackTable(cols, caption: t("ledger.compliance.heading"))
        for row in rows {
            h.raw("<tr>").cell(cols[0]).text(row.name).raw("</td>").cell(cols[1]).text(row.nip ?? "—").raw("</td>")
                .cell(cols[2]).text(row.unit).raw("</td>").cell(cols[3]).text("\(row.jp)").raw("</td>").cell(cols[4])
            if row.reached {
                h.raw("<span class=\"ok\">").text(t("ledger.compliance.reached")).raw("</span>")
            } else {
                h.raw("<span class=\"overdue\">")
                    .text(t("ledger.compliance.short", ["short": "\(JPLedger.targetJP - row.jp)"])).raw("</span>")
            }
            h.raw("</td></tr>\n")
        }
        h.endStackTable()
        let pages = max(1, (matching + Compliance.pageSize - 1) / Compliance.pageSize)
        guard pages > 1 else { return }
        h.raw("<p>")
        if page > 1 {
            h.raw("<a href=\"").attr(CredentialsRoute.ledgerDesk(slug).path + query(page: page - 1)).raw("\">")
                .text(t("pager.previous")).raw("</a> ")
        }
        h.text(t("pager.page", ["page": "\(page)", "pages": "\(pages)"]))
        if page < pages {
            h.raw(" <a href=\"").attr(CredentialsRoute.ledgerDesk(slug).path + query(page: page + 1)).raw("\">")
                .text(t("pager.next")).raw("</a>")
        }
        h.raw("</p>\n")
    }

    /// The units shown: those with most people below target first, twenty at most (an
    /// institution may have hundreds; the CSV has everyone).
    static let unitsShown = 20

    private func writeUnits(_ h: HTMLText, _ t: Texts) {
        guard !units.isEmpty else { return }
        let shown = units.sorted { ($0.below, $1.name) > ($1.below, $0.name) }.prefix(Self.unitsShown)
        h.raw("<h2>").text(t("ledger.compliance.units")).raw("</h2>\n")
        if units.count > shown.count {
            h.raw("<p class=\"muted\">").text(t("ledger.compliance.units_top", ["count": "\(shown.count)"])).raw(
                "</p>\n")
        }
        let cols = [t("ledger.col.unit"), t("ledger.col.people"), t("ledger.col.below"), t("ledger.col.average")]
        h.stackTable(cols, caption: t("ledger.compliance.units"))
        for unit in shown {
            h.raw("<tr>").cell(cols[0]).text(unit.name.isEmpty ? "—" : unit.name).raw("</td>").cell(cols[1])
                .text("\(unit.people)").raw("</td>").cell(cols[2]).text("\(unit.below)").raw("</td>").cell(cols[3])
                .text(String(format: "%.1f", unit.averageJP)).raw("</td></tr>\n")
        }
        h.endStackTable()
    }
}
