import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The catalogue's results and facets written straight to HTML. The catalogue is the busiest
/// page of the platform and its lists are long (twenty cards, six facets of links); written
/// here they cost a fraction of the template engine's time, while the page around them stays
/// a template. Every value is escaped.
enum CatalogFragments {
    static func facets(_ m: CatalogRoutes.CatalogModel, req: Request) -> String {
        let html = HTMLText()
        func list(_ heading: String, _ links: [CatalogRoutes.FacetLink]) {
            html.raw("<h2>").text(req.t(heading)).raw("</h2>\n<ul>")
            for link in links { item(link) }
            html.raw("</ul>\n")
        }
        func item(_ link: CatalogRoutes.FacetLink) {
            html.raw("<li><a href=\"").attr(link.url).raw("\"")
            if link.selected { html.raw(" aria-current=\"true\" class=\"on\"") }
            html.raw(">").text(link.label).raw("</a> <span class=\"count\">").text("\(link.count)").raw("</span></li>")
        }
        html.raw("<h2>").text(req.t("catalog.facet.open")).raw("</h2>\n<ul>")
        item(m.open)
        html.raw("</ul>\n")
        list("catalog.facet.tenant", m.tenants)
        list("catalog.facet.competency", m.competencies)
        list("catalog.facet.method", m.methods)
        list("catalog.facet.jp", m.jpRanges)
        list("catalog.facet.language", m.languages)
        return html.string
    }

    static func results(_ m: CatalogRoutes.CatalogModel, req: Request) -> String {
        let html = HTMLText()
        html.raw("<p class=\"sorts\">").text(req.t("catalog.sort_by")).raw(" ")
        for sort in m.sorts {
            html.raw("<a href=\"").attr(sort.url).raw("\"")
            if sort.selected { html.raw(" aria-current=\"true\" class=\"on\"") }
            html.raw(">").text(sort.label).raw("</a> ")
        }
        html.raw("</p>\n<ul class=\"cards\">\n")
        cards(m.results, into: html, req: req)
        html.raw("</ul>\n")
        return html.string
    }

    /// Result cards (`<li>`), as the catalogue and a course's prerequisites show them.
    static func cards(_ cards: [CourseCard], into html: HTMLText, req: Request) {
        let open = req.t("catalog.open")
        for card in cards {
            html.raw("<li class=\"card\" style=\"--c:").attr(card.tenantColor).raw("\"><a class=\"card-title\" href=\"")
                .attr(card.url).raw("\">")
                .text(card.title).raw("</a>\n<p class=\"org\"><span class=\"dot\" style=\"background:").attr(
                    card.tenantColor
                ).raw("\"></span>")
                .text(card.tenantName).raw("</p>\n<p class=\"meta\">").text("\(card.jp) JP · ").text(card.method)
            if let minutes = card.microMinutes { html.raw(" · ").text(req.t("catalog.minutes", ["n": "\(minutes)"])) }
            html.raw(" · ").text(card.competency)
            if card.open { html.raw(" · <strong class=\"ok\">").text(open).raw("</strong>") }
            html.raw("</p>\n")
            if !card.summary.isEmpty { html.raw("<p class=\"summary\">").text(card.summary).raw("</p>") }
            html.raw("</li>\n")
        }
    }
}
