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

    struct StorefrontModel: Encodable, Sendable {
        struct Link: Encodable, Sendable { let key: String; let title: String }
        struct CategoryLink: Encodable, Sendable { let name: String; let url: String; let count: Int }
        let name: String
        let description: String?
        let welcome: String?
        let tagline: String
        let kind: String
        // nil when empty, so the page leaves the line out (Leaf treats "" as true).
        let contactEmail: String?
        let contactPhone: String?
        let address: String?
        let website: String?
        let categories: [CategoryLink]
        let pages: [Link]
        let isMember: Bool
        let canJoin: Bool
        let roles: [String]
        let featured: [CourseCard]
        let newest: [CourseCard]
        var hasCourses: Bool { !featured.isEmpty || !newest.isEmpty }
        var rolesText: String { roles.joined(separator: ", ") }
        var hasContact: Bool { [contactEmail, contactPhone, address, website].contains { $0 != nil } }

        enum CodingKeys: String, CodingKey {
            case name, description, welcome, tagline, kind, contactEmail, contactPhone, address, website, hasContact,
                categories, pages, isMember, canJoin, roles, rolesText, featured, newest, hasCourses
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name); try c.encodeIfPresent(description, forKey: .description)
            try c.encodeIfPresent(welcome, forKey: .welcome); try c.encode(tagline, forKey: .tagline);
            try c.encode(kind, forKey: .kind)
            try c.encodeIfPresent(contactEmail, forKey: .contactEmail);
            try c.encodeIfPresent(contactPhone, forKey: .contactPhone)
            try c.encodeIfPresent(address, forKey: .address); try c.encodeIfPresent(website, forKey: .website)
            try c.encode(hasContact, forKey: .hasContact)
            try c.encode(categories, forKey: .categories); try c.encode(pages, forKey: .pages)
            try c.encode(isMember, forKey: .isMember); try c.encode(canJoin, forKey: .canJoin)
            try c.encode(roles, forKey: .roles); try c.encode(rolesText, forKey: .rolesText)
            try c.encode(featured, forKey: .featured); try c.encode(newest, forKey: .newest)
            try c.encode(hasCourses, forKey: .hasCourses)
        }
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
        let model = StorefrontModel(
            name: tenant.name, description: tenant.description.nilIfEmpty,
            welcome: values[TenantSetting.Key.welcome.rawValue]?.nilIfEmpty, tagline: tenant.tagline,
            kind: req.t("tenant.kind.\(tenant.kind.rawValue)"),
            contactEmail: tenant.contactEmail.nilIfEmpty, contactPhone: tenant.contactPhone.nilIfEmpty,
            address: tenant.address.nilIfEmpty, website: tenant.website.nilIfEmpty,
            categories: try await categories.map { category in
                .init(
                    name: category.name,
                    url: CatalogRoute.tenantCourses(tenant.routeSlug).path(query: ["kategori": category.slug]),
                    count: category.id.flatMap { shelf.countByCategory[$0] } ?? 0)
            },
            pages: try await pages.map { .init(key: $0.key, title: $0.title) },
            isMember: !ownRoles.isEmpty,
            canJoin: req.person != nil && ownRoles.isEmpty && req.person?.isPlatformAdmin != true
                && values[TenantSetting.Key.openMembership.rawValue] == "true",
            roles: ownRoles,
            featured: shelf.featured.map { CourseCard($0, tenant: tenant, req: req, now: now) },
            newest: shelf.newest.map { CourseCard($0, tenant: tenant, req: req, now: now) }
        )
        return try await req.render(
            "catalog/storefront", title: "tenant.storefront.title", titleArgs: ["name": tenant.name],
            page: model, tenant: tenant)
    }
}
