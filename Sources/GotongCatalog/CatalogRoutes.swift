import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The learner's side of the marketplace: `/katalog` (search across tenants), the course page
/// `/t/{tenantSlug}/pelatihan/{courseSlug}` with its enrol button, `/saya` (my courses) and `/notifikasi`.
package struct CatalogRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(CatalogRoute.catalogue, use: catalog)
        routes.get(CatalogRoute.myCourses, use: myCourses)
        routes.get(CatalogRoute.notifications, use: notifications)
        routes.post(CatalogRoute.markNotificationsRead, use: markRead)
        routes.get(CatalogRoute.suggestions) { req in try await CatalogAPIRoutes.suggestions(req) }
        let tenant = routes.resolvingTenant()
        tenant.get(CatalogRoute.tenantCourses(.key), use: tenantCourses)
        tenant.get(CatalogRoute.course(.key, .key), use: coursePage)
        tenant.get(CatalogRoute.cover(.key, .key), use: cover)
        tenant.post(CatalogRoute.enrol(.key, .key), use: enrol)
        tenant.post(CatalogRoute.withdraw(.key, .key), use: withdraw)
        CourseAdminRoutes(desk: .tenant(.key)).register(on: tenant)
        // Template courses of the master template, edited by platform administrators.
        CourseAdminRoutes(desk: .master).register(
            on: routes.grouped(PlatformAdminMiddleware()).grouped(MasterTemplateResolver()))
    }

    // MARK: Catalogue

    struct FacetLink: Encodable, Sendable {
        let label: String
        let count: Int
        let url: String
        let selected: Bool

        /// A filter that finds something, or one that is chosen (it must stay removable).
        var isWorthShowing: Bool { selected || count > 0 }
    }

    struct CatalogModel: Sendable {
        let q: String
        let total: Int
        let results: [CourseCard]
        let tenants: [FacetLink]
        let competencies: [FacetLink]
        let methods: [FacetLink]
        let languages: [FacetLink]
        let jpRanges: [FacetLink]
        let open: FacetLink
        let sorts: [FacetLink]
        let page: Int
        let pages: Int
        let previousURL: String?
        let nextURL: String?
        let hidden: [Hidden]
        let hasFilters: Bool

        struct Hidden: Sendable { let name: String; let value: String }

        /// Words searched instead of mistyped ones, and the search for them.
        struct Suggestion: Sendable { let typed: String; let words: String; let url: String }
        var suggestion: Suggestion? = nil

        private var allFilters: [FacetLink] { [open] + tenants + competencies + methods + jpRanges + languages }

        /// The chosen filters, each linking to the catalogue without it.
        var activeFilters: [FacetLink] { allFilters.filter(\.selected) }

        /// Whether any filter is worth showing (one that finds something, or a chosen one).
        var hasFilterOptions: Bool { allFilters.contains(where: \.isWorthShowing) }
    }

    func catalog(req: Request) async throws -> Response {
        let query = try CatalogQuery.parse(req)
        let index = try await req.application.catalogSearch.index(on: req.database)
        let now = Date()
        let result = index.search(query, viewer: try await req.catalogViewer(), now: now)
        func link(_ facet: CatalogResult.Facet, label: String, selected: Bool, toggled: CatalogQuery) -> FacetLink {
            FacetLink(label: label, count: facet.count, url: toggled.path(), selected: selected)
        }
        var jpLinks: [FacetLink] = []
        for (i, facet) in result.jpRanges.enumerated() {
            let bucket = CatalogQuery.jpBuckets[i]
            let selected = query.jpMin == bucket.min && query.jpMax == bucket.max
            var toggled = query
            toggled.page = 1
            toggled.jpMin = selected ? nil : bucket.min
            toggled.jpMax = selected ? nil : bucket.max
            let label: String
            switch (bucket.min, bucket.max) {
            case (nil, let max?): label = req.t("catalog.jp.upto", ["max": "\(max)"])
            case (let min?, nil): label = req.t("catalog.jp.from", ["min": "\(min)"])
            case (let min?, let max?): label = req.t("catalog.jp.range", ["min": "\(min)", "max": "\(max)"])
            default: label = ""
            }
            jpLinks.append(FacetLink(label: label, count: facet.count, url: toggled.path(), selected: selected))
        }
        var openToggled = query
        openToggled.openOnly.toggle()
        openToggled.page = 1
        var previous = query, next = query
        previous.page = result.page - 1
        next.page = result.page + 1
        var hidden: [String: String] = [:]
        if !query.tenants.isEmpty { hidden["tenant"] = query.tenants.sorted().joined(separator: ",") }
        if !query.competencyTypes.isEmpty {
            hidden["competency_type"] = query.competencyTypes.map(\.rawValue).sorted().joined(separator: ",")
        }
        if !query.deliveryMethods.isEmpty {
            hidden["delivery_method"] = query.deliveryMethods.map(\.rawValue).sorted().joined(separator: ",")
        }
        if !query.languages.isEmpty { hidden["language"] = query.languages.sorted().joined(separator: ",") }
        if let v = query.jpMin { hidden["jp_min"] = "\(v)" }
        if let v = query.jpMax { hidden["jp_max"] = "\(v)" }
        if query.openOnly { hidden["open"] = "1" }
        if query.sort != .relevance { hidden["sort"] = query.sort.rawValue }

        let model = CatalogModel(
            q: query.text, total: result.total,
            results: try await req.withMyStanding(result.hits.map { CourseCard($0, req: req, now: now) }),
            tenants: result.tenants.map { f in
                link(
                    f, label: f.label, selected: query.tenants.contains(f.value),
                    toggled: query.toggling(\.tenants, f.value))
            },
            competencies: result.competencyTypes.map { f in
                let v = Course.CompetencyType(rawValue: f.value)!
                return link(
                    f, label: req.t("course.competency.\(f.value)"), selected: query.competencyTypes.contains(v),
                    toggled: query.toggling(\.competencyTypes, v))
            },
            methods: result.deliveryMethods.map { f in
                let v = Course.DeliveryMethod(rawValue: f.value)!
                return link(
                    f, label: req.t("course.method.\(f.value)"), selected: query.deliveryMethods.contains(v),
                    toggled: query.toggling(\.deliveryMethods, v))
            },
            languages: result.languages.map { f in
                link(
                    f, label: req.t("course.language.\(f.value)"), selected: query.languages.contains(f.value),
                    toggled: query.toggling(\.languages, f.value))
            },
            jpRanges: jpLinks,
            open: FacetLink(
                label: req.t("catalog.open_now"), count: result.openCount, url: openToggled.path(),
                selected: query.openOnly),
            sorts: CatalogQuery.Sort.allCases.map { sort in
                var s = query
                s.sort = sort
                s.page = 1
                return FacetLink(
                    label: req.t("catalog.sort.\(sort.rawValue)"), count: 0, url: s.path(), selected: query.sort == sort
                )
            },
            page: result.page, pages: result.pages,
            previousURL: result.page > 1 ? previous.path() : nil,
            nextURL: result.page < result.pages ? next.path() : nil,
            hidden: hidden.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) },
            hasFilters: !hidden.isEmpty || !query.text.isEmpty,
            suggestion: result.correctedText.map { words in
                var corrected = query
                corrected.text = words
                corrected.page = 1
                return .init(typed: query.text, words: words, url: corrected.path())
            }
        )
        return try await req.render(model, title: "catalog.title", brand: nil, needsToken: false)
    }

    // MARK: A tenant's own courses

    struct TenantCoursesModel: Sendable {
        struct Category: Sendable { let name: String; let url: String; let count: Int; let selected: Bool }
        let category: String?
        let allURL: String
        let isAll: Bool
        let total: Int
        let categories: [Category]
        let courses: [CourseCard]
        let page: Int
        let pages: Int
        let previousURL: String?
        let nextURL: String?
    }

    /// `/t/{slug}/pelatihan`: every published course of the tenant (also those not yet in the
    /// marketplace), by category, twenty a page.
    func tenantCourses(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let tenantID = try tenant.requireID()
        let base = CatalogRoute.tenantCourses(tenant.routeSlug).path
        let categories = try await req.tenantScope.query(TenantCategory.self).sort(\.$position).all()
        let chosen = (try? req.query.get(String.self, at: "kategori")).flatMap { slug in
            categories.first { $0.slug == slug }
        }
        let number = try req.pageNumber("hal")
        let shelves = try await StorefrontCourses.shelves(tenantID: tenantID, on: req.database)
        let found = try await StorefrontCourses.page(
            tenantID: tenantID, categoryID: chosen?.id, page: number, per: 20, on: req.database)
        func url(_ category: TenantCategory?, page: Int) -> String {
            var items: [String] = []
            if let category { items.append("kategori=\(category.slug)") }
            if page > 1 { items.append("hal=\(page)") }
            return items.isEmpty ? base : base + "?" + items.joined(separator: "&")
        }
        let shown = found.window
        let now = Date()
        let model = TenantCoursesModel(
            category: chosen?.name, allURL: base, isAll: chosen == nil, total: shown.total,
            categories: categories.map { category in
                .init(
                    name: category.name, url: url(category, page: 1),
                    count: category.id.flatMap { shelves.countByCategory[$0] } ?? 0, selected: category.id == chosen?.id
                )
            },
            courses: try await req.withMyStanding(
                found.items.map { CourseCard($0, tenant: tenant, req: req, now: now) }),
            page: shown.page, pages: shown.pages,
            previousURL: shown.hasPrevious ? url(chosen, page: shown.page - 1) : nil,
            nextURL: shown.hasNext ? url(chosen, page: shown.page + 1) : nil
        )
        return try await req.render(
            model, title: "tenant.courses.title", titleArgs: ["name": tenant.name], tenant: tenant)
    }
}
