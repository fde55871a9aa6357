import Synchronization
import Vapor

/// The frame of every page (head, header with navigation and tenant brand, flashes, footer),
/// around the page's own ``PageBody``. Its links to higher modules' pages come from
/// ``FrameLinks``. Every value is escaped.
///
/// What is the same on every page in one language (``FrameParts``) and a tenant's heading
/// are written once and kept (``FrameCache``); a request writes only what is its own: the
/// title, the brand colour, the person's badge and form token, the return address, their
/// institutions and flashes.
enum LayoutHTML {
    static func head(_ l: LayoutContext, req: Request) -> String {
        head(l, texts: req.texts, links: req.application.frameLinks, cache: req.application.frameCache)
    }

    static func foot(req: Request) -> String {
        req.application.frameCache.parts(req.texts, links: req.application.frameLinks).foot
    }

    static func head(_ l: LayoutContext, texts: Texts, links to: FrameLinks, cache: FrameCache) -> String {
        let parts = cache.parts(texts, links: to)
        let h = HTMLText()
        h.raw(parts.open).text(l.title).raw(parts.afterTitle)
        if let tenant = l.tenant { h.raw(" style=\"--brand:").attr(tenant.color).raw("\"") }
        h.raw(parts.top)
        if let person = l.person {
            h.raw(parts.signedIn)
            if person.unread > 0 {
                h.raw(" <span class=\"badge\">").text(person.unread > 99 ? "99+" : "\(person.unread)")
                    .raw(parts.unread)
            }
            h.raw(parts.afterBadge)
            if person.isPlatformAdmin { h.raw(parts.admin) }
            h.raw("<li>").postForm(parts.signOutAction, csrf: l.csrf).raw(parts.signOutButton)
        } else {
            // Back to this page after signing in (the sign-in page sends none back to itself).
            h.raw(parts.signInOpen).attr(l.next).raw(parts.signInClose)
        }
        h.raw(parts.switchOpen).attr(l.next).raw(parts.switchClose)
        if let tenant = l.tenant { h.raw(cache.tenantHead(tenant, texts, links: to)) }
        if l.hasTenants {
            h.raw(parts.switcherOpen)
            for link in l.tenants {
                h.raw("<li><a href=\"").attr(to.storefront(link.slug)).raw("\"><span class=\"dot\" style=\"background:")
                    .attr(link.color).raw("\"></span>").text(link.name).raw("</a></li>\n")
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
}

/// The frame's text between the parts a request writes, in one language.
struct FrameParts: Sendable {
    let open: String
    let afterTitle: String
    let top: String
    let signedIn: String
    let unread: String
    let afterBadge: String
    let admin: String
    let signOutAction: String
    let signOutButton: String
    let signInOpen: String
    let signInClose: String
    let switchOpen: String
    let switchClose: String
    let switcherOpen: String
    let foot: String

    init(_ t: Texts, links to: FrameLinks) {
        func html(_ write: (HTMLText) -> Void) -> String {
            let h = HTMLText()
            write(h)
            return h.string
        }
        let other: Language = t.language == .id ? .en : .id
        open = html {
            $0.raw("<!doctype html>\n<html lang=\"").attr(t.language.rawValue).raw(
                "\">\n<head>\n<meta charset=\"utf-8\">\n"
            )
            .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        }
        afterTitle = html {
            $0.raw(" · Gotong</title>\n<link rel=\"stylesheet\" href=\"").raw(PlatformRoute.stylesheet.path).raw(
                "\">\n</head>\n<body")
        }
        top = html {
            $0.raw(">\n<a class=\"skip\" href=\"#isi\">").text(t("layout.skip")).raw(
                "</a>\n<header class=\"top\">\n<div class=\"bar\">\n"
            )
            .raw("<a class=\"brand\" href=\"/\">Gotong</a>\n<nav aria-label=\"").attr(t("layout.nav")).raw(
                "\">\n<ul>\n"
            )
            .raw("<li><a href=\"").attr(to.catalogue).raw("\">").text(t("layout.catalog")).raw("</a></li>\n")
        }
        signedIn = html {
            $0.raw("<li><a href=\"").attr(to.myCourses).raw("\">").text(t("layout.my_courses")).raw("</a></li>\n")
                .raw("<li><a href=\"").attr(to.notifications).raw("\">").text(t("layout.notifications"))
        }
        unread = html { $0.raw("<span class=\"sr\"> ").text(t("layout.unread")).raw("</span></span>") }
        afterBadge = html {
            $0.raw("</a></li>\n<li><a href=\"").attr(to.profile).raw("\">").text(t("layout.profile")).raw("</a></li>\n")
        }
        admin = html {
            $0.raw("<li><a href=\"").attr(to.platformAdmin).raw("\">").text(t("layout.platform_admin")).raw("</a></li>")
                .raw("<li><a href=\"").attr(to.curation).raw("\">").text(t("layout.curation")).raw("</a></li>\n")
        }
        signOutAction = to.signOut
        signOutButton = html {
            $0.raw("<button class=\"link\" type=\"submit\">").text(t("layout.signout")).raw("</button></form></li>\n")
        }
        signInOpen = html { $0.raw("<li><a href=\"").attr(to.signIn).raw("?next=") }
        signInClose = html {
            $0.raw("\">").text(t("layout.signin")).raw("</a></li>\n")
                .raw("<li><a href=\"").attr(to.register).raw("\">").text(t("layout.register")).raw("</a></li>\n")
        }
        switchOpen = html { $0.raw("<li><a href=\"").attr(to.language(other)).raw("?next=") }
        switchClose = html {
            $0.raw("\" lang=\"").attr(other.rawValue).raw("\">").text(t("layout.switch_language"))
                .raw("</a></li>\n</ul>\n</nav>\n</div>\n")
        }
        switcherOpen = html {
            $0.raw("<details class=\"switcher\">\n<summary>").text(t("layout.my_institutions")).raw(
                "</summary>\n<ul>\n")
        }
        // The one small script, on every page: pages work without it; it adds the heartbeat, the
        // length counters, the filters beside results on a wide screen and fields shown per choice.
        foot = html {
            $0.raw("</main>\n<footer class=\"foot\"><p>").text(t("layout.footer")).raw("</p></footer>\n<script src=\"")
                .attr(PlatformRoute.script.path).raw("\" defer></script>\n</body>\n</html>\n")
        }
    }

    /// A tenant's heading under the navigation: its logo, name, tagline and the way to its
    /// administration for those who may manage it.
    static func tenantHead(_ tenant: LayoutContext.TenantBrand, _ t: Texts, links to: FrameLinks) -> String {
        let h = HTMLText()
        h.raw("<div class=\"tenant-head\">\n")
        if let logo = tenant.logoURL {
            h.raw("<img class=\"logo\" src=\"").attr(logo).raw("\" alt=\"\" width=\"40\" height=\"40\">")
        }
        h.raw("<div><a class=\"tenant-name\" href=\"").attr(to.storefront(tenant.slug)).raw("\">").text(tenant.name)
            .raw("</a>\n")
        h.raw("<p class=\"tagline\">").text(tenant.tagline).raw("</p></div>\n")
        if tenant.canManage {
            h.raw("<a class=\"button small\" href=\"").attr(to.desk(tenant.slug)).raw("\">").text(
                t("layout.manage_tenant")
            ).raw("</a>")
        } else if tenant.canManageCourses {
            h.raw("<a class=\"button small\" href=\"").attr(to.courses(tenant.slug)).raw("\">").text(
                t("tenant.admin.courses")
            ).raw("</a>")
        }
        h.raw("\n</div>\n")
        return h.string
    }
}

/// The frame's parts per language and tenants' headings per tenant and language, kept for the
/// application's life. A heading is kept under the tenant's values themselves, so a renamed
/// tenant gets a new one; the old ones go when the store grows past ``limit``.
final class FrameCache: Sendable {
    struct HeadKey: Hashable {
        let tenant: LayoutContext.TenantBrand
        let language: Language
    }

    static let limit = 10_000
    private let parts = Mutex([Language: FrameParts]())
    private let heads = Mutex([HeadKey: String]())

    func parts(_ texts: Texts, links: FrameLinks) -> FrameParts {
        if let kept = parts.withLock({ $0[texts.language] }) { return kept }
        let made = FrameParts(texts, links: links)
        parts.withLock { $0[texts.language] = made }
        return made
    }

    func tenantHead(_ tenant: LayoutContext.TenantBrand, _ texts: Texts, links: FrameLinks) -> String {
        let key = HeadKey(tenant: tenant, language: texts.language)
        if let kept = heads.withLock({ $0[key] }) { return kept }
        let made = FrameParts.tenantHead(tenant, texts, links: links)
        heads.withLock { heads in
            if heads.count >= Self.limit { heads.removeAll(keepingCapacity: true) }
            heads[key] = made
        }
        return made
    }
}

extension Application {
    struct FrameCacheKey: StorageKey { typealias Value = FrameCache }

    /// Made anew whenever the frame links are set (``frameLinks``), which it is written from.
    var frameCache: FrameCache {
        guard let cache = storage[FrameCacheKey.self] else { fatalError("app.frameLinks was not set in configure") }
        return cache
    }
}
