import GotongPlatform

// The monitoring page, written in Swift from its model (see docs/rendering.md).

extension MonitoringRoutes.PageModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(courseURL).raw("\">").text(courseTitle).raw("</a></p>\n<h1>")
            .text(t("monitor.heading")).raw("</h1>\n<p class=\"lead\">")
            .text(t("monitor.summary", ["shown": "\(shown)", "total": "\(total)"])).raw("</p>\n")
        h.raw("<nav aria-label=\"").attr(t("monitor.filters")).raw("\" class=\"sorts\">").text(t("monitor.show"))
            .raw(" ")
        write(filters, to: h)
        h.raw("</nav>\n<p class=\"sorts\">").text(t("catalog.sort_by")).raw(" ")
        write(sorts, to: h)
        h.raw("· <a href=\"").attr(csvURL).raw("\">").text(t("monitor.csv")).raw("</a></p>\n")
        if rows.isEmpty {
            h.raw("<p class=\"muted\">").text(t("monitor.nobody")).raw("</p>\n")
        } else {
            writeTable(to: h, texts: t)
        }
        writeReminder(to: h, texts: t, csrf: csrf)
        // The charts are SVG written by MonitoringCharts, every label escaped there.
        h.raw("<h2>").text(t("monitor.overview")).raw("</h2>\n<figure>").raw(completionChart).raw("<figcaption>")
            .text(t("monitor.chart.completions")).raw("</figcaption></figure>\n<figure>").raw(funnelChart)
            .raw("<figcaption>").text(t("monitor.chart.funnel_caption")).raw("</figcaption></figure>\n")
    }

    private func write(_ links: [Link], to h: HTMLText) {
        for link in links {
            h.raw("<a href=\"").attr(link.url).raw(link.selected ? "\" aria-current=\"true\" class=\"on\">" : "\">")
                .text(link.label).raw("</a> ")
        }
    }

    private func writeTable(to h: HTMLText, texts t: Texts) {
        // One column per step: the table is wider than a phone, so it says so; the names stay in
        // view while it scrolls (sticky first column).
        h.raw("<p class=\"scroll-cue\" aria-hidden=\"true\">").text(t("monitor.scroll_cue")).raw("</p>\n")
        h.raw("<div class=\"table-wrap\" tabindex=\"0\"><table class=\"monitor\">\n<caption class=\"sr\">").text(
            t("monitor.caption")
        )
        .raw("</caption>\n<thead><tr><th scope=\"col\">").text(t("field.name")).raw("</th><th scope=\"col\">")
        .text(t("monitor.percent")).raw("</th>")
        for activity in activities { h.raw("<th scope=\"col\">").text(activity).raw("</th>") }
        h.raw("<th scope=\"col\">").text(t("monitor.minutes")).raw("</th><th scope=\"col\">").text(
            t("monitor.last_seen")
        )
        .raw("</th></tr></thead>\n<tbody>\n")
        for row in rows {
            // Ticked, the reminder goes to these people only (the form under the table).
            h.raw("<tr><th scope=\"row\"><input type=\"checkbox\" name=\"people[]\" form=\"remind-form\" value=\"")
                .text(row.personID.uuidString).raw("\" aria-label=\"").attr(
                    t("participants.select_person", ["name": row.name])
                )
                .raw("\"> ").text(row.name).raw("<br><span class=\"muted\">").text(row.unit)
                .raw("</span></th><td>").text("\(row.percent)%")
            if row.finished { h.raw(" ").icon(.check, label: t("learning.done")) }
            h.raw("</td>")
            for cell in row.cells {
                h.raw("<td class=\"").attr(cell.state).raw("\">").text(cell.label)
                if cell.minutes > 0 { h.raw(" · ").text("\(cell.minutes)′") }
                if let note = cell.note { h.raw(" · ").text(note) }
                h.raw("</td>")
            }
            h.raw("<td>").text("\(row.minutes)").raw("</td><td>").text(row.lastSeen).raw("</td></tr>\n")
        }
        h.raw("</tbody></table></div>\n")
        guard pages > 1 else { return }
        h.raw("<nav class=\"pager\" aria-label=\"").attr(t("catalog.pages")).raw("\">")
        if let previousURL {
            h.raw("<a href=\"").attr(previousURL).raw("\" rel=\"prev\">").text(t("catalog.previous")).raw("</a>")
        }
        h.raw(" <span>").text(t("catalog.page_of", ["page": "\(page)", "pages": "\(pages)"])).raw("</span> ")
        if let nextURL { h.raw("<a href=\"").attr(nextURL).raw("\" rel=\"next\">").text(t("catalog.next")).raw("</a>") }
        h.raw("</nav>\n")
    }

    /// The reminder form, sent to everyone the current filter shows, and what was sent before.
    private func writeReminder(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw(
            "<section class=\"panel\" id=\"pengingat\" aria-labelledby=\"remind-heading\">\n<h2 id=\"remind-heading\">"
        )
        .text(t("monitor.remind_heading", ["filter": filterLabel, "n": "\(recipients)"])).raw("</h2>\n")
        .raw("<p class=\"hint\">").text(t("monitor.remind_ticked")).raw("</p>\n")
        .raw("<form method=\"post\" novalidate id=\"remind-form\" action=\"").attr(remindURL).raw("\">").csrfField(csrf)
        .raw("\n")
        .raw("<input type=\"hidden\" name=\"filter\" value=\"").attr(filter).raw("\">\n<label for=\"message\">")
        .text(t("monitor.message")).raw("</label>\n<p class=\"hint\" id=\"message-hint\">")
        .text(t("monitor.message_hint"))
        .raw("</p>\n<textarea id=\"message\" name=\"message\" rows=\"4\" data-max=\"1000\" required ")
        .raw("aria-describedby=\"message-hint\">").text(defaultMessage).raw("</textarea>\n<button type=\"submit\">")
        .text(t("monitor.send")).raw("</button>\n</form>\n")
        if !log.isEmpty {
            h.raw("<h3>").text(t("monitor.log")).raw("</h3><ul class=\"notes\">")
            for entry in log {
                h.raw("<li><strong>").text(entry.when).raw("</strong> · ").text(entry.by).raw(" · ").text(entry.filter)
                    .raw(" · ").text(t("monitor.recipients", ["n": "\(entry.recipients)"]))
                    .raw("<br><span class=\"muted\">").text(entry.message).raw("</span></li>")
            }
            h.raw("</ul>\n")
        }
        h.raw("</section>\n")
    }
}
