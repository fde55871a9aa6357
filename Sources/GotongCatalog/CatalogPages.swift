import GotongPlatform
import GotongTenancy

// A tenant's storefront and the person's own courses (`/saya`), written in Swift from their
// models (see docs/rendering.md).

extension StorefrontRoutes.StorefrontModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(name).raw("</h1>\n<p class=\"muted\">").text(kind).raw("</p>\n")
        if let welcome { h.raw("<p class=\"lead\">").text(welcome).raw("</p>\n") }
        if let description { h.raw("<p>").text(description).raw("</p>\n") }
        if !roles.isEmpty {
            h.raw("<p class=\"flash info\">")
                .text(t("tenant.storefront.your_roles", ["roles": roles.joined(separator: ", ")])).raw("</p>\n")
        }
        if let joinURL {
            h.raw("<form method=\"post\" action=\"").attr(joinURL).raw("\">\n")
                .raw("<input type=\"hidden\" name=\"_csrf\" value=\"").attr(csrf).raw("\">\n<button type=\"submit\">")
                .text(t("tenant.join.submit")).raw("</button>\n</form>\n")
        }
        writeCourses(to: h, texts: t)
        if !categories.isEmpty {
            h.raw("<h2>").text(t("tenant.storefront.categories")).raw("</h2>\n<ul class=\"chips\">\n")
            for category in categories {
                h.raw("<li><a href=\"").attr(category.url).raw("\">").text(category.name)
                if category.count > 0 { h.raw(" <span class=\"muted\">(").text("\(category.count)").raw(")</span>") }
                h.raw("</a></li>\n")
            }
            h.raw("</ul>\n")
        }
        for offer in offers {
            h.raw("<h2>").text(offer.heading).raw("</h2>\n<ul>\n")
            for link in offer.links {
                h.raw("<li><a href=\"").attr(link.url).raw("\">").text(link.title).raw("</a></li>\n")
            }
            h.raw("</ul>\n")
        }
        if !pages.isEmpty {
            h.raw("<h2>").text(t("tenant.storefront.information")).raw("</h2>\n<ul>\n")
            for link in pages { h.raw("<li><a href=\"").attr(link.url).raw("\">").text(link.title).raw("</a></li>\n") }
            h.raw("</ul>\n")
        }
        writeContact(to: h, texts: t)
    }

    private func writeCourses(to h: HTMLText, texts t: Texts) {
        guard hasCourses else {
            h.raw("<h2>").text(t("tenant.storefront.courses")).raw("</h2>\n<p class=\"muted\">")
                .text(t("tenant.storefront.no_courses")).raw("</p>\n")
            return
        }
        for (heading, cards) in [("tenant.storefront.featured", featured), ("tenant.storefront.newest", newest)]
        where !cards.isEmpty {
            h.raw("<h2>").text(t(heading)).raw("</h2>\n<ul class=\"cards\">\n")
            CatalogFragments.cards(cards, into: h, texts: t, showTenant: false)
            h.raw("</ul>\n")
        }
        h.raw("<p><a href=\"").attr(allCoursesURL).raw("\">").text(t("tenant.storefront.all_courses"))
            .raw("</a></p>\n")
    }

    private func writeContact(to h: HTMLText, texts t: Texts) {
        guard hasContact else { return }
        h.raw("<h2>").text(t("tenant.storefront.contact")).raw("</h2>\n<dl class=\"facts\">\n")
        for (label, value) in [
            ("field.contact_email", contactEmail), ("field.contact_phone", contactPhone), ("field.address", address),
            ("field.website", website),
        ] {
            if let value { h.raw("<dt>").text(t(label)).raw("</dt><dd>").text(value).raw("</dd>\n") }
        }
        h.raw("</dl>\n")
    }
}

extension CatalogRoutes.MyCoursesModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("my.heading")).raw("</h1>\n<p class=\"lead\">")
            .text(t("my.jp_this_year", ["jp": "\(jpThisYear)"]))
        if let ledgerURL {
            h.raw(" <a href=\"").attr(ledgerURL).raw("\">").text(t("my.ledger_link")).raw("</a>")
        }
        if let certificatesURL {
            h.raw(" · <a href=\"").attr(certificatesURL).raw("\">").text(t("my.certificates_link")).raw("</a>")
        }
        h.raw("</p>\n")
        if !notifications.isEmpty {
            h.raw("<section class=\"panel\" aria-labelledby=\"notes-heading\"><h2 id=\"notes-heading\">")
                .text(t("notify.new")).raw("</h2>\n<ul>")
            for note in notifications {
                h.raw("<li><a href=\"").attr(note.link).raw("\">").text(note.text).raw("</a> <span class=\"muted\">")
                    .text(note.when).raw("</span></li>")
            }
            h.raw("</ul>\n<p><a href=\"").attr(CatalogRoute.notifications.path).raw("\">").text(t("notify.all"))
                .raw("</a></p></section>\n")
        }
        group("my.required", required, to: h, texts: t) { h.text(t("my.none_required")) }
        group("my.in_progress", inProgress, to: h, texts: t) {
            h.text(t("my.none_in_progress")).raw(" <a href=\"").attr(CatalogRoute.catalogue.path).raw("\">")
                .text(t("my.find_courses")).raw("</a>")
        }
        group("my.finished", finished, to: h, texts: t) { h.text(t("my.none_finished")) }
    }

    private func group(
        _ heading: String, _ rows: [CatalogRoutes.MyCourseRow], to h: HTMLText, texts t: Texts,
        none: () -> Void
    ) {
        h.raw("<h2>").text(t(heading)).raw("</h2>\n")
        guard !rows.isEmpty else {
            h.raw("<p class=\"muted\">")
            none()
            h.raw("</p>\n")
            return
        }
        h.raw("<ul class=\"cards\">")
        for row in rows { write(row, to: h, texts: t) }
        h.raw("</ul>\n")
    }

    private func write(_ row: CatalogRoutes.MyCourseRow, to h: HTMLText, texts t: Texts) {
        h.raw("<li class=\"card\" style=\"--c:").attr(row.tenantColor).raw("\"><a class=\"card-title\" href=\"")
            .attr(row.url).raw("\">").text(row.title).raw(
                "</a>\n<p class=\"org\"><span class=\"dot\" style=\"background:"
            )
            .attr(row.tenantColor).raw("\"></span>").text(row.tenantName).raw(" · ").text("\(row.jp) JP")
            .raw("</p>\n<p class=\"meta\">").text(row.statusText)
        if let due = row.due {
            h.raw(" · ")
            if row.overdue {
                h.raw("<strong class=\"overdue\">").text(t("my.overdue", ["date": due])).raw("</strong>")
            } else {
                h.text(t("my.due", ["date": due]))
            }
        }
        if let finished = row.finished { h.raw(" · ").text(t("my.finished_on", ["date": finished])) }
        h.raw("</p>")
        // As the template did: a course not yet started shows no "0 %" line, only where to begin.
        if let percent = row.percent, percent > 0 {
            h.raw("<p class=\"meta\">").text(t("learning.percent", ["percent": "\(percent)"])).raw("</p>")
        }
        if let nextURL = row.nextURL {
            h.raw("<p><a href=\"").attr(nextURL).raw("\">")
                .text(t("learning.continue", ["activity": row.nextTitle ?? ""])).raw("</a></p>")
        }
        h.raw("</li>\n")
    }
}

extension CatalogRoutes.CatalogModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let catalogue = CatalogRoute.catalogue.path
        h.raw("<h1>").text(t("catalog.heading")).raw("</h1>\n<form method=\"get\" action=\"").attr(catalogue)
            .raw("\" class=\"form inline search\" role=\"search\">\n<label for=\"q\" class=\"sr\">")
            .text(t("catalog.search_label")).raw("</label>\n<input id=\"q\" name=\"q\" type=\"search\" value=\"")
            .attr(q).raw("\" placeholder=\"").attr(t("catalog.placeholder")).raw("\" data-suggest=\"")
            .attr(CatalogRoute.suggestions.path).raw("\" autocomplete=\"off\">\n")
        for item in hidden {
            h.raw("<input type=\"hidden\" name=\"").attr(item.name).raw("\" value=\"").attr(item.value).raw("\">\n")
        }
        h.raw("<button type=\"submit\">").text(t("catalog.search")).raw("</button>\n</form>\n")
        h.raw("<p class=\"muted\" role=\"status\">").text(t("catalog.count", ["n": "\(total)"]))
        if hasFilters { h.raw(" · <a href=\"").attr(catalogue).raw("\">").text(t("catalog.clear")).raw("</a>") }
        h.raw("</p>\n")
        let activeFilters = self.activeFilters
        if let suggestion {
            // The typed words found nothing; the nearest ones did.
            h.raw("<p class=\"flash info\">").text(t("catalog.no_match_for", ["typed": suggestion.typed])).raw(" ")
                .text(t("catalog.did_you_mean")).raw(" <a href=\"").attr(suggestion.url).raw("\">")
                .text(suggestion.words).raw("</a>? ").text(t("catalog.showing_suggestion")).raw("</p>\n")
        }
        CatalogFragments.activeFilters(activeFilters, into: h, texts: t)
        // Results come first on a phone: the filters fold behind one control (opened beside the
        // results on a wide screen, by the script).
        h.raw("<div class=\"catalog\">\n")
        // A search that finds nothing has no option to offer: the block would open on nothing.
        if hasFilterOptions {
            h.raw("<aside class=\"facets\" aria-label=\"").attr(t("catalog.filters"))
                .raw("\">\n<details data-open-wide><summary>")
                .text(
                    activeFilters.isEmpty
                        ? t("catalog.filters") : t("catalog.filters_active", ["n": "\(activeFilters.count)"])
                ).raw("</summary>\n")
            CatalogFragments.facets(self, into: h, texts: t)
            h.raw("</details>\n</aside>\n")
        }
        h.raw("<section class=\"results\" aria-label=\"").attr(t("catalog.results")).raw("\">\n")
        if total == 0 { h.raw("<p>").text(t("catalog.none")).raw("</p>\n") }
        CatalogFragments.results(self, into: h, texts: t)
        CatalogFragments.pager(page: page, pages: pages, previous: previousURL, next: nextURL, into: h, texts: t)
        h.raw("</section>\n</div>\n")
    }
}

extension CatalogRoutes.TenantCoursesModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(category ?? t("tenant.courses.heading")).raw("</h1>\n<p class=\"muted\">")
            .text(t("tenant.courses.count", ["n": "\(total)"])).raw("</p>\n")
        if !categories.isEmpty {
            h.raw("<ul class=\"chips\">\n")
            chip(t("tenant.courses.all"), url: allURL, selected: isAll, count: 0, into: h)
            for c in categories { chip(c.name, url: c.url, selected: c.selected, count: c.count, into: h) }
            h.raw("</ul>\n")
        }
        if courses.isEmpty {
            h.raw("<p class=\"muted\">").text(t("tenant.storefront.no_courses")).raw("</p>\n")
        } else {
            h.raw("<ul class=\"cards\">\n")
            CatalogFragments.cards(courses, into: h, texts: t, showTenant: false)
            h.raw("</ul>\n")
        }
        if pages > 1 {
            CatalogFragments.pager(page: page, pages: pages, previous: previousURL, next: nextURL, into: h, texts: t)
        }
    }

    private func chip(_ name: String, url: String, selected: Bool, count: Int, into h: HTMLText) {
        h.raw("<li><a href=\"").attr(url).raw("\"")
        if selected { h.raw(" aria-current=\"true\" class=\"on\"") }
        h.raw(">").text(name)
        if count > 0 { h.raw(" <span class=\"muted\">(").text("\(count)").raw(")</span>") }
        h.raw("</a></li>\n")
    }
}

extension CatalogRoutes.NotificationsModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("notify.title")).raw("</h1>\n")
        if hasUnread {
            h.raw("<form method=\"post\" action=\"").attr(CatalogRoute.markNotificationsRead.path)
                .raw("\"><input type=\"hidden\" name=\"_csrf\" value=\"").attr(csrf)
                .raw("\"><button type=\"submit\" class=\"secondary\">").text(t("notify.mark_read"))
                .raw("</button></form>\n")
        }
        guard !rows.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("notify.none")).raw("</p>\n")
            return
        }
        h.raw("<ul class=\"notes\">")
        for note in rows {
            h.raw(note.unread ? "<li class=\"unread\">" : "<li>").raw("<a href=\"").attr(note.link).raw("\">")
                .text(note.text).raw("</a> <span class=\"muted\">").text(note.when).raw("</span></li>")
        }
        h.raw("</ul>\n")
    }
}
