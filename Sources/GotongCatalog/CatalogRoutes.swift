import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The learner's side of the marketplace: `/katalog` (search across tenants), the course page
/// `/t/{slug}/pelatihan/{course}` with its enrol button, `/saya` (my courses) and `/notifikasi`.
package struct CatalogRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get("katalog", use: catalog)
        routes.get("saya", use: myCourses)
        routes.get("notifikasi", use: notifications)
        routes.post("notifikasi", "baca", use: markRead)
        let tenant = routes.grouped("t", ":slug").grouped(TenantResolver())
        tenant.get("pelatihan", use: tenantCourses)
        tenant.get("pelatihan", ":course", use: coursePage)
        tenant.get("pelatihan", ":course", "sampul", use: cover)
        tenant.post("pelatihan", ":course", "ikuti", use: enrol)
        tenant.post("pelatihan", ":course", "mundur", use: withdraw)
        try CourseAdminRoutes().boot(routes: tenant.grouped("kelola", "pelatihan"))
        // Template courses of the master template, edited by platform administrators.
        try CourseAdminRoutes().boot(routes: routes.grouped("admin", "master", "pelatihan")
            .grouped(PlatformAdminMiddleware()).grouped(MasterTemplateResolver()))
    }

    // MARK: Catalogue

    struct FacetLink: Encodable, Sendable {
        let label: String
        let count: Int
        let url: String
        let selected: Bool
    }

    struct CatalogModel: Encodable, Sendable {
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
        /// The facets and the result cards, written by ``CatalogFragments``.
        var facetsHTML = ""
        var resultsHTML = ""

        struct Hidden: Encodable, Sendable { let name: String; let value: String }

        /// The model the template gets: the lists are in the fragments already, so they are not
        /// encoded for the template a second time.
        var withoutLists: CatalogModel {
            CatalogModel(q: q, total: total, results: [], tenants: [], competencies: [], methods: [], languages: [], jpRanges: [],
                         open: open, sorts: [], page: page, pages: pages, previousURL: previousURL, nextURL: nextURL,
                         hidden: hidden, hasFilters: hasFilters, facetsHTML: facetsHTML, resultsHTML: resultsHTML)
        }
    }

    func catalog(req: Request) async throws -> Response {
        let query = try CatalogQuery.parse(req)
        let index = try await req.application.catalogSearch.index(on: req.db)
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
        if !query.competencyTypes.isEmpty { hidden["competency_type"] = query.competencyTypes.map(\.rawValue).sorted().joined(separator: ",") }
        if !query.deliveryMethods.isEmpty { hidden["delivery_method"] = query.deliveryMethods.map(\.rawValue).sorted().joined(separator: ",") }
        if !query.languages.isEmpty { hidden["language"] = query.languages.sorted().joined(separator: ",") }
        if let v = query.jpMin { hidden["jp_min"] = "\(v)" }
        if let v = query.jpMax { hidden["jp_max"] = "\(v)" }
        if query.openOnly { hidden["open"] = "1" }
        if query.sort != .relevance { hidden["sort"] = query.sort.rawValue }

        var model = CatalogModel(
            q: query.text, total: result.total,
            results: result.hits.map { CourseCard($0, req: req, now: now) },
            tenants: result.tenants.map { f in
                link(f, label: f.label, selected: query.tenants.contains(f.value), toggled: query.toggling(\.tenants, f.value))
            },
            competencies: result.competencyTypes.map { f in
                let v = Course.CompetencyType(rawValue: f.value)!
                return link(f, label: req.t("course.competency.\(f.value)"), selected: query.competencyTypes.contains(v), toggled: query.toggling(\.competencyTypes, v))
            },
            methods: result.deliveryMethods.map { f in
                let v = Course.DeliveryMethod(rawValue: f.value)!
                return link(f, label: req.t("course.method.\(f.value)"), selected: query.deliveryMethods.contains(v), toggled: query.toggling(\.deliveryMethods, v))
            },
            languages: result.languages.map { f in
                link(f, label: req.t("course.language.\(f.value)"), selected: query.languages.contains(f.value), toggled: query.toggling(\.languages, f.value))
            },
            jpRanges: jpLinks,
            open: FacetLink(label: req.t("catalog.open_now"), count: result.openCount, url: openToggled.path(), selected: query.openOnly),
            sorts: CatalogQuery.Sort.allCases.map { sort in
                var s = query
                s.sort = sort
                s.page = 1
                return FacetLink(label: req.t("catalog.sort.\(sort.rawValue)"), count: 0, url: s.path(), selected: query.sort == sort)
            },
            page: result.page, pages: result.pages,
            previousURL: result.page > 1 ? previous.path() : nil,
            nextURL: result.page < result.pages ? next.path() : nil,
            hidden: hidden.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) },
            hasFilters: !hidden.isEmpty || !query.text.isEmpty
        )
        model.facetsHTML = CatalogFragments.facets(model, req: req)
        model.resultsHTML = CatalogFragments.results(model, req: req)
        return try await req.render("catalog/catalog", title: "catalog.title", page: model.withoutLists, needsToken: false)
    }

    // MARK: A tenant's own courses

    struct TenantCoursesModel: Encodable, Sendable {
        struct Category: Encodable, Sendable { let name: String; let url: String; let count: Int; let selected: Bool }
        let category: String?
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
        let base = "/t/\(tenant.slug)/pelatihan"
        let categories = try await req.tenantScope.query(TenantCategory.self).sort(\.$position).all()
        let chosen = (try? req.query.get(String.self, at: "kategori")).flatMap { slug in categories.first { $0.slug == slug } }
        let number = try req.pageNumber("hal")
        let shelves = try await StorefrontCourses.shelves(tenantID: tenantID, on: req.db)
        let found = try await StorefrontCourses.page(tenantID: tenantID, categoryID: chosen?.id, page: number, per: 20, on: req.db)
        func url(_ category: TenantCategory?, page: Int) -> String {
            var items: [String] = []
            if let category { items.append("kategori=\(category.slug)") }
            if page > 1 { items.append("hal=\(page)") }
            return items.isEmpty ? base : base + "?" + items.joined(separator: "&")
        }
        let shown = found.window
        let now = Date()
        let model = TenantCoursesModel(
            category: chosen?.name, isAll: chosen == nil, total: shown.total,
            categories: categories.map { category in
                .init(name: category.name, url: url(category, page: 1),
                      count: category.id.flatMap { shelves.countByCategory[$0] } ?? 0, selected: category.id == chosen?.id)
            },
            courses: found.items.map { CourseCard($0, tenant: tenant, req: req, now: now) },
            page: shown.page, pages: shown.pages,
            previousURL: shown.hasPrevious ? url(chosen, page: shown.page - 1) : nil,
            nextURL: shown.hasNext ? url(chosen, page: shown.page + 1) : nil
        )
        return try await req.render("catalog/tenant-courses", title: "tenant.courses.title", titleArgs: ["name": tenant.name],
                                    page: model, tenant: tenant)
    }

    // MARK: Course page

    struct CourseModel: Encodable, Sendable {
        let id: String
        let slug: String
        let title: String
        let summary: String
        let coverURL: String?
        let descriptionHTML: String
        let tags: [String]
        let category: String?
        let competency: String
        let method: String
        let microMinutes: Int?
        let jp: Int
        let minutes: Int
        let level: String
        let language: String
        let audience: String
        let mode: String
        let trainers: [String]
        let coordinators: [String]
        let prerequisites: [CourseCard]
        let missingPrerequisites: [String]
        let enrolOpens: String?
        let enrolCloses: String?
        let starts: String?
        let ends: String?
        let alwaysOpen: Bool
        let quota: Int?
        let seatsLeft: Int?
        let enrolled: Int
        let status: String
        let isPublished: Bool
        let inMarketplace: Bool
        let canManage: Bool
        /// The person's place in the course, if any: enrolled, waiting, pending, completed…
        let myStatus: String?
        let myStatusText: String?
        /// The course's learning pages, for its participants and staff.
        let learnURL: String?
        let myDue: String?
        let canEnrol: Bool
        let canWithdraw: Bool
        let enrolBlocked: String?
        let signInURL: String?
        let enrolLabel: String
    }

    func coursePage(req: Request) async throws -> Response {
        let tenant = try req.tenant
        guard let data = try await CoursePageData.cached(tenant: tenant, slug: req.parameters.get("course") ?? "", on: req) else {
            throw Abort(.notFound)
        }
        let course = data.course
        let roles = try await req.tenantRoles()
        let canManage = roles.hasAny([.admin, .pengelola, .pengajar])
        guard course.status == .published || canManage else { throw Abort(.notFound) }
        let courseID = try course.requireID()
        let prereqs = data.prerequisites
        let now = Date()
        var mine: Enrolment?
        var missing: [String] = []
        var blocked: String?
        if let person = req.person {
            mine = try await EnrolmentService.enrolment(of: person.requireID(), in: courseID, course.tenantID, on: req.db)
            if mine?.status.isActive != true {
                do {
                    try await EnrolmentService(db: req.db, now: now).checkCanSelfEnrol(person, in: course, viewer: try await req.catalogViewer())
                } catch let error as InputError {
                    blocked = error.problems.first.map { req.t($0.key, $0.args) }
                    missing = try await EnrolmentService(db: req.db, now: now).missingPrerequisites(for: person.requireID(), course: course).map(\.title)
                }
            }
        } else if course.enrolmentMode == .assigned {
            blocked = req.t("enrol.error.assigned_only")
        }
        let full = course.seatsLeft == 0
        let model = CourseModel(
            id: courseID.uuidString, slug: course.slug, title: course.title, summary: course.summary,
            coverURL: course.coverPath == nil ? nil : "/t/\(tenant.slug)/pelatihan/\(course.slug)/sampul",
            descriptionHTML: data.descriptionHTML, tags: course.tagList,
            category: data.category,
            competency: req.t("course.competency.\(course.competencyType.rawValue)"),
            method: req.t("course.method.\(course.deliveryMethod.rawValue)"),
            microMinutes: course.deliveryMethod == .mikro ? course.microMinutes : nil,
            jp: course.jp, minutes: course.jp * 45,
            level: req.t("course.level.\(course.level.rawValue)"),
            language: req.t("course.language.\(course.language)"),
            audience: req.t("course.audience.\(course.audience.rawValue)"),
            mode: req.t("course.mode.\(course.enrolmentMode.rawValue)"),
            trainers: data.trainers, coordinators: data.coordinators,
            prerequisites: prereqs.map { CourseCard($0, tenant: tenant, req: req, now: now) },
            missingPrerequisites: missing,
            enrolOpens: req.day(course.enrolOpensAt), enrolCloses: req.day(course.enrolClosesAt),
            starts: req.day(course.startsAt), ends: req.day(course.endsAt),
            alwaysOpen: course.startsAt == nil && course.endsAt == nil,
            quota: course.quota, seatsLeft: course.seatsLeft, enrolled: course.enrolledCount,
            status: req.t("course.status.\(course.status.rawValue)"),
            isPublished: course.status == .published, inMarketplace: course.isInMarketplace,
            canManage: roles.hasAny([.admin, .pengelola]),
            myStatus: mine.flatMap { $0.status.isActive ? $0.status.rawValue : nil },
            myStatusText: mine.flatMap { $0.status.isActive ? req.t("enrolment.status.\($0.status.rawValue)") : nil },
            learnURL: [.enrolled, .completed].contains(mine?.status) || canManage ? "/t/\(tenant.slug)/belajar/\(course.slug)" : nil,
            myDue: mine?.status.isActive == true ? req.day(mine?.dueAt) : nil,
            canEnrol: req.person != nil && blocked == nil && mine?.status.isActive != true,
            canWithdraw: mine.map { [.enrolled, .waiting, .pending].contains($0.status) && !$0.assigned } ?? false,
            enrolBlocked: blocked,
            signInURL: req.person == nil ? "/masuk?next=" + (req.url.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/") : nil,
            enrolLabel: req.t(course.enrolmentMode == .approval ? "enrol.request" : (full ? "enrol.join_waitlist" : "enrol.submit"))
        )
        struct Page: Encodable, Sendable { let html: String }
        let hasForms = model.canEnrol || model.canWithdraw
        let html = CoursePageHTML.content(model, tenantSlug: tenant.slug, tenantName: tenant.name,
                                          csrf: hasForms ? CSRF.token(for: req) : "", req: req)
        return try await req.render("catalog/course", title: "course.page.title", titleArgs: ["title": course.title],
                                    page: Page(html: html), tenant: tenant, needsToken: hasForms)
    }

    /// The cover picture of a published course (or of any course, for its staff).
    func cover(req: Request) async throws -> Response {
        guard let course = try await req.tenantScope.query(Course.self).filter(\.$slug == req.parameters.get("course") ?? "").first(),
              let key = course.coverPath else { throw Abort(.notFound) }
        if course.status != .published, !(try await req.tenantRoles().hasAny([.admin, .pengelola, .pengajar])) { throw Abort(.notFound) }
        guard let data = try await req.application.files.get(key) else { throw Abort(.notFound) }
        let response = Response(status: .ok, body: .init(buffer: data))
        response.headers.contentType = LogoUpload.mediaType(forKey: key)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return response
    }

    func findPublished(_ req: Request) async throws -> Course {
        guard let course = try await req.tenantScope.query(Course.self).filter(\.$slug == req.parameters.get("course") ?? "").first(),
              course.status == .published
        else { throw Abort(.notFound) }
        return course
    }

    func enrol(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let course = try await findPublished(req)
        let back = "/t/\(try req.tenant.slug)/pelatihan/\(course.slug)"
        do {
            let outcome = try await EnrolmentService(db: req.db).enrol(person, in: course, viewer: try await req.catalogViewer())
            Notifier.sendMails(outcome.messages, app: req.application)
            req.flash(.success, "enrol.done.\(outcome.enrolment.status.rawValue)", ["course": course.title])
        } catch let error as InputError {
            for problem in error.problems { req.flash(.error, problem.key, problem.args) }
        }
        return req.seeOther(back)
    }

    func withdraw(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let course = try await findPublished(req)
        let back = "/t/\(try req.tenant.slug)/pelatihan/\(course.slug)"
        do {
            let outcome = try await EnrolmentService(db: req.db).withdraw(person, from: course)
            Notifier.sendMails(outcome.messages, app: req.application)
            req.flash(.success, "enrol.withdrawn", ["course": course.title])
        } catch let error as InputError {
            for problem in error.problems { req.flash(.error, problem.key, problem.args) }
        }
        return req.seeOther(back)
    }
}
