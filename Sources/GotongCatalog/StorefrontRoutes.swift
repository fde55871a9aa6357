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
        let roles: [String]
        /// Where a signed-in stranger joins as a learner; nil when they cannot.
        let joinURL: String?
        let allCoursesURL: String
        let featured: [CourseCard]
        let newest: [CourseCard]
        var hasCourses: Bool { !featured.isEmpty || !newest.isEmpty }
        var hasContact: Bool { [contactEmail, contactPhone, address, website].contains { $0 != nil } }
    }

    func storefront(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let scope = try req.tenantScope
        async let categories = scope.query(TenantCategory.self).sort(\.$position).all()
        async let pages = scope.query(TenantPage.self).sort(\.$position).all()
        async let settings = scope.query(TenantSetting.self).all()
        async let shelves = StorefrontCourses.shelves(tenantID: try tenant.requireID(), on: req.db)
        let roles = try await req.tenantRoles()
        let shelf = try await shelves
        let now = Date()
        let values = Dictionary(try await settings.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let ownRoles =
            req.person?.isPlatformAdmin == true
            ? [] : Role.allCases.filter { roles.has($0) }.map { req.t("role.\($0.rawValue)") }
        let canJoin =
            req.person != nil && ownRoles.isEmpty && req.person?.isPlatformAdmin != true
            && values[TenantSetting.Key.openMembership.rawValue] == "true"
        // One read of the person's standing for both shelves.
        let cards = try await req.withMyStanding(
            (shelf.featured + shelf.newest).map { CourseCard($0, tenant: tenant, req: req, now: now) })
        let model = StorefrontModel(
            name: tenant.name, description: tenant.description.nilIfEmpty,
            welcome: values[TenantSetting.Key.welcome.rawValue]?.nilIfEmpty,
            kind: req.t("tenant.kind.\(tenant.kind.rawValue)"),
            contactEmail: tenant.contactEmail.nilIfEmpty, contactPhone: tenant.contactPhone.nilIfEmpty,
            address: tenant.address.nilIfEmpty, website: tenant.website.nilIfEmpty,
            categories: try await categories.map { category in
                .init(
                    name: category.name,
                    url: CatalogRoute.tenantCourses(tenant.routeSlug).path(query: ["kategori": category.slug]),
                    count: category.id.flatMap { shelf.countByCategory[$0] } ?? 0)
            },
            pages: try await pages.map {
                .init(url: TenancyRoute.page(tenant.routeSlug, .value(PageKey(rawValue: $0.key))).path, title: $0.title)
            },
            roles: ownRoles,
            joinURL: canJoin ? TenancyRoute.join(tenant.routeSlug).path : nil,
            allCoursesURL: CatalogRoute.tenantCourses(tenant.routeSlug).path,
            featured: Array(cards.prefix(shelf.featured.count)),
            newest: Array(cards.dropFirst(shelf.featured.count))
        )
        return try await req.render(
            model, title: "tenant.storefront.title", titleArgs: ["name": tenant.name], tenant: tenant)
    }
}
