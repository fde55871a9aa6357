import Vapor

/// The frame of every page (head, header with navigation and tenant brand, flashes, footer),
/// around the page's own ``PageBody``. Its links to higher modules' pages come from
/// ``FrameLinks``. Every value is escaped.
enum LayoutHTML {
    static func head(_ l: LayoutContext, req: Request) -> String {
        let to = req.application.frameLinks
        let h = HTMLText()
        h.raw("<!doctype html>\n<html lang=\"").attr(l.lang).raw("\">\n<head>\n<meta charset=\"utf-8\">\n")
        h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").text(l.title).raw(
            " · Gotong</title>\n")
        h.raw("<link rel=\"stylesheet\" href=\"").raw(PlatformRoute.stylesheet.path).raw("\">\n</head>\n<body")
        if let tenant = l.tenant { h.raw(" style=\"--brand:").attr(tenant.color).raw("\"") }
        h.raw(">\n<a class=\"skip\" href=\"#isi\">").text(req.t("layout.skip")).raw(
            "</a>\n<header class=\"top\">\n<div class=\"bar\">\n")
        h.raw("<a class=\"brand\" href=\"/\">Gotong</a>\n<nav aria-label=\"").attr(req.t("layout.nav")).raw(
            "\">\n<ul>\n")
        h.raw("<li><a href=\"").attr(to.catalogue).raw("\">").text(req.t("layout.catalog")).raw("</a></li>\n")
        if let person = l.person {
            h.raw("<li><a href=\"").attr(to.myCourses).raw("\">").text(req.t("layout.my_courses")).raw("</a></li>\n")
            h.raw("<li><a href=\"").attr(to.notifications).raw("\">").text(req.t("layout.notifications"))
            if person.unread > 0 {
                h.raw(" <span class=\"badge\">").text(person.unread > 99 ? "99+" : "\(person.unread)")
                    .raw("<span class=\"sr\"> ").text(req.t("layout.unread")).raw("</span></span>")
            }
            h.raw("</a></li>\n")
            h.raw("<li><a href=\"").attr(to.profile).raw("\">").text(req.t("layout.profile")).raw("</a></li>\n")
            if person.isPlatformAdmin {
                h.raw("<li><a href=\"").attr(to.platformAdmin).raw("\">").text(req.t("layout.platform_admin")).raw(
                    "</a></li>")
                h.raw("<li><a href=\"").attr(to.curation).raw("\">").text(req.t("layout.curation")).raw("</a></li>\n")
            }
            h.raw("<li>").postForm(to.signOut, csrf: l.csrf).raw("<button class=\"link\" type=\"submit\">").text(
                req.t("layout.signout")
            ).raw(
                "</button></form></li>\n")
        } else {
            // Back to this page after signing in (the sign-in page sends none back to itself).
            h.raw("<li><a href=\"").attr(to.signIn).raw("?next=").attr(l.next).raw("\">").text(req.t("layout.signin"))
                .raw("</a></li>\n")
            h.raw("<li><a href=\"").attr(to.register).raw("\">").text(req.t("layout.register")).raw("</a></li>\n")
        }
        h.raw("<li><a href=\"").attr(to.language(l.otherLang)).raw("?next=").attr(l.next).raw("\" lang=\"").attr(
            l.otherLang.rawValue
        )
        .raw("\">")
        .text(req.t("layout.switch_language")).raw("</a></li>\n</ul>\n</nav>\n</div>\n")
        if let tenant = l.tenant {
            h.raw("<div class=\"tenant-head\">\n")
            if let logo = tenant.logoURL {
                h.raw("<img class=\"logo\" src=\"").attr(logo).raw("\" alt=\"\" width=\"40\" height=\"40\">")
            }
            h.raw("<div><a class=\"tenant-name\" href=\"").attr(to.storefront(tenant.slug)).raw("\">").text(tenant.name)
                .raw(
                    "</a>\n")
            h.raw("<p class=\"tagline\">").text(tenant.tagline).raw("</p></div>\n")
            if tenant.canManage {
                h.raw("<a class=\"button small\" href=\"").attr(to.desk(tenant.slug)).raw("\">").text(
                    req.t("layout.manage_tenant")
                ).raw("</a>")
            } else if tenant.canManageCourses {
                h.raw("<a class=\"button small\" href=\"").attr(to.courses(tenant.slug)).raw("\">").text(
                    req.t("tenant.admin.courses")
                ).raw("</a>")
            }
            h.raw("\n</div>\n")
        }
        if l.hasTenants {
            h.raw("<details class=\"switcher\">\n<summary>").text(req.t("layout.my_institutions")).raw(
                "</summary>\n<ul>\n")
            for link in l.tenants {
                h.raw("<li><a href=\"").attr(to.storefront(link.slug)).raw("\"><span class=\"dot\" style=\"background:")
                    .attr(
                        link.color
                    ).raw("\"></span>")
                    .text(link.name).raw("</a></li>\n")
            }
            h.raw("</ul>\n</details>\n")
        }
        h.raw("</header>\n<main id=\"isi\">\n")
        for flash in l.flashes {
            h.raw("<p class=\"flash ").attr(flash.kind.rawValue).raw("\" role=\"status\">").text(flash.text).raw(
                "</p>\n")
        }
        return h.string
    }

    static func foot(req: Request) -> String {
        let h = HTMLText()
        // The one small script, on every page: pages work without it; it adds the heartbeat, the
        // length counters, the filters beside results on a wide screen and fields shown per choice.
        h.raw("</main>\n<footer class=\"foot\"><p>").text(req.t("layout.footer")).raw("</p></footer>\n<script src=\"")
            .attr(PlatformRoute.script.path).raw("\" defer></script>\n</body>\n</html>\n")
        return h.string
    }
}
