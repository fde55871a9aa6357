import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The catalogue's lists (facets and result cards) and the course cards every page shows: the
/// catalogue is the busiest page of the platform and its lists are long (twenty cards, six
/// facets of links). Every value is escaped.
enum CatalogFragments {
    /// The filters, each a link that adds or removes it with its number of courses. Options that
    /// would find nothing are left out (unless chosen), so a search with few results does not
    /// show twenty links that all say 0.
    static func facets(_ m: CatalogRoutes.CatalogModel, into html: HTMLText, texts t: Texts) {
        func list(_ heading: String, _ links: [CatalogRoutes.FacetLink]) {
            let shown = links.filter(\.isWorthShowing)
            guard !shown.isEmpty else { return }
            html.raw("<h2>").text(t(heading)).raw("</h2>\n<ul>")
            for link in shown { item(link) }
            html.raw("</ul>\n")
        }
        func item(_ link: CatalogRoutes.FacetLink) {
            html.raw("<li><a href=\"").attr(link.url).raw("\"")
            if link.selected { html.raw(" aria-current=\"true\" class=\"on\"") }
            html.raw(">").text(link.label).raw("</a> <span class=\"count\">").text("\(link.count)").raw("</span></li>")
        }
        list("catalog.facet.open", [m.open])
        list("catalog.facet.tenant", m.tenants)
        list("catalog.facet.competency", m.competencies)
        list("catalog.facet.method", m.methods)
        list("catalog.facet.jp", m.jpRanges)
        list("catalog.facet.language", m.languages)
    }

    /// The chosen filters as chips above the results, each removed by a tap.
    static func activeFilters(_ active: [CatalogRoutes.FacetLink], into html: HTMLText, texts t: Texts) {
        guard !active.isEmpty else { return }
        html.raw("<ul class=\"chips active\" aria-label=\"").attr(t("catalog.active_filters")).raw("\">\n")
        for link in active {
            html.raw("<li><a href=\"").attr(link.url).raw("\" aria-label=\"")
                .attr(t("catalog.remove_filter", ["name": link.label])).raw("\">").text(link.label)
                .raw(" <span aria-hidden=\"true\">×</span></a></li>\n")
        }
        html.raw("</ul>\n")
    }

    static func results(_ m: CatalogRoutes.CatalogModel, into html: HTMLText, texts t: Texts) {
        guard !m.results.isEmpty else { return }
        html.raw("<p class=\"sorts\">").text(t("catalog.sort_by")).raw(" ")
        for sort in m.sorts {
            html.raw("<a href=\"").attr(sort.url).raw("\"")
            if sort.selected { html.raw(" aria-current=\"true\" class=\"on\"") }
            html.raw(">").text(sort.label).raw("</a> ")
        }
        html.raw("</p>\n<ul class=\"cards\">\n")
        cards(m.results, into: html, texts: t)
        html.raw("</ul>\n")
    }

    /// A list's pager: previous, "page n of m", next. A list of one page (or none) has none:
    /// "Halaman 1 dari 1" under no results only took a line of a small screen.
    static func pager(page: Int, pages: Int, previous: String?, next: String?, into h: HTMLText, texts t: Texts) {
        guard pages > 1 || previous != nil || next != nil else { return }
        h.raw("<nav class=\"pager\" aria-label=\"").attr(t("catalog.pages")).raw("\">")
        if let previous {
            h.raw("<a href=\"").attr(previous).raw("\" rel=\"prev\">").text(t("catalog.previous")).raw("</a>")
        }
        h.raw(" <span>").text(t("catalog.page_of", ["page": "\(page)", "pages": "\(pages)"])).raw("</span> ")
        if let next { h.raw("<a href=\"").attr(next).raw("\" rel=\"next\">").text(t("catalog.next")).raw("</a>") }
        h.raw("</nav>\n")
    }

    /// Course cards (`<li>`), as the catalogue, a course's prerequisites and a storefront show
    /// them; `showTenant` false on a tenant's own storefront, where every card
    /// is the tenant's.
    static func cards(_ cards: [CourseCard], into html: HTMLText, texts t: Texts, showTenant: Bool = true) {
        let open = t("catalog.open")
        for card in cards {
            html.raw("<li class=\"card\" style=\"--c:").attr(card.tenantColor).raw("\"><a class=\"card-title\" href=\"")
                .attr(card.url).raw("\">").text(card.title).raw("</a>\n")
            if showTenant {
                html.raw("<p class=\"org\"><span class=\"dot\" style=\"background:").attr(card.tenantColor)
                    .raw("\"></span>").text(card.tenantName).raw("</p>\n")
            }
            html.raw("<p class=\"meta\">").text("\(card.jp) JP · ").text(card.method)
            if let minutes = card.microMinutes { html.raw(" · ").text(t("catalog.minutes", ["n": "\(minutes)"])) }
            html.raw(" · ").text(card.competency)
            if let standing = card.standing {
                html.raw(" · <strong class=\"ok\">").icon(.check).raw(" ").text(t("card.standing.\(standing.rawValue)"))
                    .raw("</strong>")
            } else if card.open {
                html.raw(" · <strong class=\"ok\">").text(open).raw("</strong>")
            }
            html.raw("</p>\n")
            if !card.summary.isEmpty { html.raw("<p class=\"summary\">").text(card.summary).raw("</p>") }
            html.raw("</li>\n")
        }
    }
}
