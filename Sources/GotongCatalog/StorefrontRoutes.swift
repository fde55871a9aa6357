import Fluent
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// A tenant's public storefront under `/t/{slug}`: its front page, standard pages and logo.
package struct StorefrontRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.resolvingTenant().get(CatalogRoute.storefront(.key), use: storefront)
    }

    /// A tenant's front page (written by ``write(to:texts:csrf:)`` in `CatalogPages.swift`).
    struct StorefrontModel: Sendable {
        struct Link: Sendable { let url: String; let title: String }
        struct CategoryLink: Sendable { let name: String; let url: String; let count: Int }
        let name: String
        let description: String?
        let welcome: String?
        let kind: String
        let contactEmail: String?
        let contactPhone: String?
        let address: String?
        let website: String?
        let categories: [CategoryLink]
        let pages: [Link]
        /// What the tenant offers besides courses: a heading and its links each.
        let offers: [(heading: String, links: [Link])]
        let roles: [String]
        /// Where a signed-in stranger joins as a learner; nil when they cannot.
        let joinURL: String?
        let allCoursesURL: String
        let featured: [CourseCard]
        let newest: [CourseCard]
        var hasCourses: Bool { !featured.isEmpty || !newest.isEmpty }
        var hasContact: Bool { [contactEmail, contactPhone, address, website].contains { $0 != nil } }
    }

    /// Guests get the page every guest sees (``SharedPages``); signed-in people get it with
    /// their roles, the join link and their standing on the cards.
    func storefront(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let version = try await req.application.catalogVersion.current(on: req.database)
        return try await req.application.sharedPages.response(
            for: req, version: version, maxAge: StorefrontContent.maxAge
        ) {
            let content = try await StorefrontContent.cached(tenant: tenant, version: version, on: req)
            return try await render(content, tenant: tenant, req: req)
        }
    }

    private func render(_ content: StorefrontContent, tenant: Tenant, req: Request) async throws -> Response {
        var (ownRoles, canJoin) = ([String](), false)
        var cards = content.featured + content.newest
        if let person = req.person {
            let roles = try await req.tenantRoles()
            ownRoles =
                person.isPlatformAdmin
                ? [] : Role.allCases.filter { roles.has($0) }.map { req.t("role.\($0.rawValue)") }
            canJoin = ownRoles.isEmpty && !person.isPlatformAdmin && content.openMembership
            // One read of the person's standing for both shelves.
            cards = try await req.withMyStanding(cards)
        }
        let model = StorefrontModel(
            name: tenant.name, description: tenant.description.nilIfEmpty, welcome: content.welcome,
            kind: req.t("tenant.kind.\(tenant.kind.rawValue)"),
            contactEmail: tenant.contactEmail.nilIfEmpty, contactPhone: tenant.contactPhone.nilIfEmpty,
            address: tenant.address.nilIfEmpty, website: tenant.website.nilIfEmpty,
            categories: content.categories, pages: content.pages, offers: content.offers, roles: ownRoles,
            joinURL: canJoin ? TenancyRoute.join(tenant.routeSlug).path : nil,
            allCoursesURL: CatalogRoute.tenantCourses(tenant.routeSlug).path,
            featured: Array(cards.prefix(content.featured.count)),
            newest: Array(cards.dropFirst(content.featured.count))
        )
        // A guest's page has no form that posts, so no CSRF cookie: the page is the same for
        // every guest and can be shared.
        return try await req.render(
            model, title: "tenant.storefront.title", titleArgs: ["name": tenant.name],
            tenant: tenant, needsToken: req.person != nil)
    }
}

/// What a tenant's storefront shows every visitor in one language: its shelves of course cards,
/// its categories with their counts, its pages and settings. Read in one go and kept per process
/// against the catalogue version, which every change to a course, a tenant, its categories, pages
/// or settings raises (``ModelChangeMiddleware``).
struct StorefrontContent: Sendable {
    /// Cards say whether enrolment is open, and seat counts move without a new version: a
    /// storefront may lag by this much.
    static let maxAge: Duration = .seconds(30)

    let categories: [StorefrontRoutes.StorefrontModel.CategoryLink]
    let pages: [StorefrontRoutes.StorefrontModel.Link]
    let offers: [(heading: String, links: [StorefrontRoutes.StorefrontModel.Link])]
    let welcome: String?
    let openMembership: Bool
    let featured: [CourseCard]
    let newest: [CourseCard]

    static func cached(tenant: Tenant, version: Int, on req: Request) async throws -> StorefrontContent {
        let key = "\(try tenant.requireID()) \(req.language.rawValue)"
        guard
            let content = try await req.application.storefrontCache.value(
                key, version: version,
                load: {
                    try await load(tenant: tenant, on: req)
                })
        else { throw Abort(.internalServerError) }
        return content
    }

    static func load(tenant: Tenant, on req: Request) async throws -> StorefrontContent {
        let scope = try req.tenantScope
        async let categories = scope.query(TenantCategory.self).sort(\.$position).all()
        async let pages = scope.query(TenantPage.self).sort(\.$position).all()
        async let settings = scope.query(TenantSetting.self).all()
        async let offers = req.application.storefrontOffers.offers(of: tenant, on: req.database)
        let shelf = try await StorefrontCourses.shelves(tenantID: try tenant.requireID(), on: req.database)
        let now = Date()
        let values = Dictionary(try await settings.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        return StorefrontContent(
            categories: try await categories.map { category in
                .init(
                    name: category.name,
                    url: CatalogRoute.tenantCourses(tenant.routeSlug).path(query: ["kategori": category.slug]),
                    count: category.id.flatMap { shelf.countByCategory[$0] } ?? 0)
            },
            pages: try await pages.map {
                .init(url: TenancyRoute.page(tenant.routeSlug, .value(PageKey(rawValue: $0.key))).path, title: $0.title)
            },
            offers: try await offers.map { offer in
                (req.t(offer.heading), offer.links.map { .init(url: $0.url, title: $0.title) })
            },
            welcome: values[TenantSetting.Key.welcome.rawValue]?.nilIfEmpty,
            openMembership: values[TenantSetting.Key.openMembership.rawValue] == "true",
            featured: shelf.featured.map { CourseCard($0, tenant: tenant, req: req, now: now) },
            newest: shelf.newest.map { CourseCard($0, tenant: tenant, req: req, now: now) })
    }
}

extension Application {
    private struct StorefrontCacheKey: StorageKey { typealias Value = CatalogReadCache<StorefrontContent> }

    var storefrontCache: CatalogReadCache<StorefrontContent> {
        guard let cache = storage[StorefrontCacheKey.self] else {
            fatalError("catalogue caches are set up in configure")
        }
        return cache
    }

    func setUpStorefrontCache() {
        storage[StorefrontCacheKey.self] = CatalogReadCache(maxAge: StorefrontContent.maxAge, capacity: 20_000)
    }
}
