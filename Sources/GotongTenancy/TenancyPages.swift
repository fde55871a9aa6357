import GotongPlatform

// The front page and a tenant's standard pages, written in Swift from their models (see
// docs/rendering.md).

extension HomeRoutes.HomeModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("home.heading")).raw("</h1>\n<p class=\"lead\">").text(t("home.lead")).raw("</p>\n<h2>")
            .text(t("home.institutions")).raw("</h2>\n<ul class=\"cards\">\n")
        for card in tenants {
            h.raw("<li class=\"card\" style=\"--brand:").attr(card.color).raw("\"><a href=\"").attr(card.url)
                .raw("\"><strong>").text(card.name).raw("</strong></a><span class=\"muted\">").text(card.kind)
                .raw("</span><span>").text(card.tagline).raw("</span></li>\n")
        }
        h.raw("</ul>\n")
    }
}

extension TenantPagesRoutes.PageModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(title).raw("</h1>\n")
        for paragraph in paragraphs { h.raw("<p>").text(paragraph).raw("</p>\n") }
    }
}

extension TenantResolver.SuspendedModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("tenant.suspended.title")).raw("</h1>\n<p>")
            .text(t("tenant.suspended.detail", ["name": name])).raw("</p>\n<p><a href=\"").attr(TenancyRoute.home.path)
            .raw("\">").text(t("error.home")).raw("</a></p>\n")
    }
}
