import Fluent
import Vapor

/// A short message shown once on the next page (after a redirect).
public struct Flash: Codable, Sendable {
    public enum Kind: String, Codable, Sendable { case success, error, info }
    public let kind: Kind
    public let text: String
}

/// What the shared layout needs on every page: language, the signed-in person, the tenant whose
/// branding frames the page, the tenant switcher, flash messages and the form token.
public struct LayoutContext: Sendable {
    public struct PersonSummary: Sendable {
        let name: String
        let email: String
        let isPlatformAdmin: Bool
        var unread = 0
    }

    /// The tenant whose branding frames the page.
    public struct TenantBrand: Sendable, Hashable {
        let slug: String
        let name: String
        let tagline: String
        let color: String
        let logoURL: String?
        /// Whether the signed-in person may open this tenant's administration pages.
        let canManage: Bool
        /// Whether the person may manage this tenant's courses (administrator or coordinator).
        let canManageCourses: Bool

        public init(
            slug: String, name: String, tagline: String, color: String, logoURL: String?, canManage: Bool,
            canManageCourses: Bool
        ) {
            self.slug = slug
            self.name = name
            self.tagline = tagline
            self.color = color
            self.logoURL = logoURL
            self.canManage = canManage
            self.canManageCourses = canManageCourses
        }
    }

    /// A tenant the signed-in person belongs to, in the tenant switcher.
    public struct MenuTenant: Sendable {
        let slug: String
        let name: String
        let color: String

        public init(slug: String, name: String, color: String) {
            self.slug = slug
            self.name = name
            self.color = color
        }
    }

    let title: String
    /// The current address, percent-encoded for a `next=` query value.
    let next: String
    let csrf: String
    let person: PersonSummary?
    let tenants: [MenuTenant]
    let tenant: TenantBrand?
    let flashes: [Flash]
    let hasTenants: Bool
    /// The frame around the page's content, written by ``LayoutHTML``.
    var head = ""
    var foot = ""
}

extension Request {
    private static let flashKey = "flash"

    /// Queues a message for the next page this browser sees.
    public func flash(_ kind: Flash.Kind, _ key: String, _ args: [String: String] = [:]) {
        var queued =
            (session.data[Self.flashKey].flatMap { try? JSONDecoder().decode([Flash].self, from: Data($0.utf8)) }) ?? []
        queued.append(Flash(kind: kind, text: t(key, args)))
        session.data[Self.flashKey] = (try? JSONEncoder().encode(queued)).map { String(decoding: $0, as: UTF8.self) }
    }

    private func takeFlashes() -> [Flash] {
        guard hasSession, let raw = session.data[Self.flashKey] else { return [] }
        session.data[Self.flashKey] = nil
        return (try? JSONDecoder().decode([Flash].self, from: Data(raw.utf8))) ?? []
    }

    /// Whether this request carries a session cookie (reading `session` would otherwise create one).
    var hasSession: Bool { parsedCookies[SessionCookie.name] != nil }

    private struct ParsedCookiesKey: StorageKey { typealias Value = HTTPCookies }

    /// The request's cookies, parsed once. Vapor's `cookies` parses the header on every read,
    /// and a signed-in page read it four times: the language, the flashes, the form token and
    /// its check (5 % of /saya, docs/performance.md).
    package var parsedCookies: HTTPCookies { once(ParsedCookiesKey.self) { $0.cookies } }

    /// What `make` gives for this request, worked out at the first ask and kept in its storage
    /// under `key`: for what a page asks for many times and that cannot change while the
    /// request is answered.
    package func once<Key: StorageKey>(_ key: Key.Type, _ make: (Request) -> Key.Value) -> Key.Value {
        if let kept = storage[key] { return kept }
        let value = make(self)
        storage[key] = value
        return value
    }

    /// Renders a page (``PageBody``) inside the frame: the page's own HTML is written into the
    /// same buffer as the frame. `title` is a catalogue key; `brand` (see Tenancy's
    /// `render(_:title:tenant:)`) brands the page. `needsToken` false: the page has no form for
    /// an anonymous visitor, so no CSRF token (and no cookie) is made for one; the busiest
    /// public pages skip that work.
    public func render(
        _ body: some PageBody, title: String, titleArgs: [String: String] = [:],
        brand: LayoutContext.TenantBrand?, status: HTTPStatus = .ok, needsToken: Bool = true
    ) async throws -> Response {
        let layout = try await layoutContext(title: title, titleArgs: titleArgs, brand: brand, needsToken: needsToken)
        let html = HTMLText()
        html.raw(layout.head)
        body.write(to: html, texts: texts, csrf: layout.csrf)
        html.raw(layout.foot)
        let response = Response(status: status, body: .init(string: html.string))
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The frame of a page: title, language, the viewer and their tenants, the brand, flashes.
    private func layoutContext(
        title: String, titleArgs: [String: String], brand: LayoutContext.TenantBrand?, needsToken: Bool
    ) async throws -> LayoutContext {
        let menu = try await application.tenantMenu(self)
        let viewer = self.viewer
        var layout = LayoutContext(
            title: texts(title, titleArgs),
            next: url.string.addingPercentEncoding(
                withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-_."))) ?? "/",
            csrf: needsToken || viewer != nil ? CSRF.token(for: self) : "",
            person: viewer.map {
                .init(
                    name: $0.name, email: $0.email, isPlatformAdmin: $0.isPlatformAdmin, unread: $0.unreadNotifications)
            },
            tenants: menu, tenant: brand, flashes: takeFlashes(), hasTenants: !menu.isEmpty
        )
        layout.head = LayoutHTML.head(layout, req: self)
        layout.foot = LayoutHTML.foot(req: self)
        return layout
    }

    /// Redirects after a form post (303, so the browser follows with GET).
    public func seeOther(_ path: String) -> Response {
        redirect(to: path, redirectType: .normal)
    }
}

/// The session cookie's name, shared by the session configuration and `hasSession`.
public enum SessionCookie {
    public static let name = "gotong_session"
}

/// The tenants the signed-in person belongs to, for the switcher in the page frame; Tenancy
/// (which knows memberships) registers it. Without one the switcher is empty.
public typealias TenantMenuSource = @Sendable (Request) async throws -> [LayoutContext.MenuTenant]

extension Application {
    private struct TenantMenuKey: StorageKey { typealias Value = TenantMenuSource }

    public var tenantMenu: TenantMenuSource {
        get { storage[TenantMenuKey.self] ?? { _ in [] } }
        set { storage[TenantMenuKey.self] = newValue }
    }
}
