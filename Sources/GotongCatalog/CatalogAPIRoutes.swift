import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The marketplace in the JSON API: courses and their workflow, curation, the catalogue search,
/// enrolment, assignment, and the person's own courses and notifications.
package struct CatalogAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        typealias R = CatalogAPIRoute
        routes.get(R.catalogue, use: catalog)
        routes.get(R.suggestions, use: suggestions)
        routes.post(R.enrolments(.key), use: enrol)
        routes.delete(R.myEnrolment(.key), use: withdraw)
        routes.get(R.myCourses, use: myCourses)
        routes.get(R.notifications, use: notifications)
        routes.post(R.markNotificationsRead, use: markRead)
        routes.get(R.curationQueue, use: curationQueue)
        routes.post(R.curationDecision(.key, .approve), use: approveCourse)
        routes.post(R.curationDecision(.key, .reject), use: rejectCourse)

        let tenant = routes.resolvingTenant()
        tenant.get(R.courses(.key), use: listCourses)
        tenant.post(R.courses(.key), use: createCourse)
        tenant.get(R.course(.key, .key), use: showCourse)
        tenant.patch(R.course(.key, .key), use: updateCourse)
        tenant.post(R.courseStep(.key, .key, .submit), use: submit)
        tenant.post(R.courseStep(.key, .key, .publish), use: publish)
        tenant.post(R.courseStep(.key, .key, .archive), use: archive)
        tenant.post(R.courseStep(.key, .key, .duplicate), use: duplicate)
        tenant.get(R.courseEnrolments(.key, .key), use: listEnrolments)
        tenant.post(R.enrolmentDecision(.key, .key, .key, .approve), use: approveEnrolment)
        tenant.post(R.enrolmentDecision(.key, .key, .key, .reject), use: rejectEnrolment)
        tenant.post(R.enrolmentDecision(.key, .key, .key, .remove), use: removeEnrolment)
        tenant.collecting(.POST, R.assignments(.key, .key), upTo: "4mb", use: assign)
    }

    // MARK: Representations

    struct CourseResponse: Content {
        var id: UUID
        var tenant: String
        var slug: String
        var title: String
        var summary: String
        var description: String
        var tags: [String]
        var competency_type: String
        var jp: Int
        var delivery_method: String
        var micro_minutes: Int?
        var level: String
        var language: String
        var audience: String
        var enrolment_mode: String
        var quota: Int?
        var seats_left: Int?
        var enrolled_count: Int
        var enrol_opens_at: Date?
        var enrol_closes_at: Date?
        var starts_at: Date?
        var ends_at: Date?
        var status: String
        var curation: String
        var curation_reason: String
        var featured: Bool
        var sequential: Bool
        var url: String

        init(_ c: Course, tenantSlug: String, baseURL: String) {
            id = c.id!
            tenant = tenantSlug
            slug = c.slug
            title = c.title
            summary = c.summary
            description = c.description
            tags = c.tagList
            competency_type = c.competencyType.rawValue
            jp = c.jp
            delivery_method = c.deliveryMethod.rawValue
            micro_minutes = c.microMinutes
            level = c.level.rawValue
            language = c.language
            audience = c.audience.rawValue
            enrolment_mode = c.enrolmentMode.rawValue
            quota = c.quota
            seats_left = c.seatsLeft
            enrolled_count = c.enrolledCount
            enrol_opens_at = c.enrolOpensAt
            enrol_closes_at = c.enrolClosesAt
            starts_at = c.startsAt
            ends_at = c.endsAt
            status = c.status.rawValue
            curation = c.curation.rawValue
            curation_reason = c.curationReason
            featured = c.featured
            sequential = c.sequential
            url = baseURL + CatalogRoute.course(.value(TenantSlug(rawValue: tenantSlug)), c.routeSlug).path
        }
    }

    /// A course change as JSON. Absent fields stay as they are; `null` clears the optional ones.
    struct CourseRequest: Decodable {
        var change = CourseChange()
        var problems = ProblemList()

        enum Key: String, CodingKey, CaseIterable {
            case title, slug, summary, description, tags, category, competency_type, jp, delivery_method, micro_minutes,
                level, language
            case audience, audience_tenants, enrolment_mode, quota, enrol_opens_at, enrol_closes_at, starts_at, ends_at,
                featured, sequential
            case trainers, coordinators, prerequisites
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            func nullable<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T?? {
                guard c.contains(key) else { return nil }
                if try c.decodeNil(forKey: key) { return .some(nil) }
                return .some(try c.decode(T.self, forKey: key))
            }
            change.title = try c.decodeIfPresent(String.self, forKey: .title)
            change.slug = try c.decodeIfPresent(String.self, forKey: .slug)
            change.summary = try c.decodeIfPresent(String.self, forKey: .summary)
            change.description = try c.decodeIfPresent(String.self, forKey: .description)
            change.tags = try c.decodeIfPresent([String].self, forKey: .tags)
            change.category = try nullable(String.self, .category).map { $0 ?? "" }
            change.competencyType = try c.decodeIfPresent(String.self, forKey: .competency_type)
            change.jp = try c.decodeIfPresent(Int.self, forKey: .jp)
            change.deliveryMethod = try c.decodeIfPresent(String.self, forKey: .delivery_method)
            change.microMinutes = try nullable(Int.self, .micro_minutes)
            change.level = try c.decodeIfPresent(String.self, forKey: .level)
            change.language = try c.decodeIfPresent(String.self, forKey: .language)
            change.audience = try c.decodeIfPresent(String.self, forKey: .audience)
            change.audienceTenants = try c.decodeIfPresent([String].self, forKey: .audience_tenants)
            change.enrolmentMode = try c.decodeIfPresent(String.self, forKey: .enrolment_mode)
            change.quota = try nullable(Int.self, .quota)
            change.featured = try c.decodeIfPresent(Bool.self, forKey: .featured)
            change.sequential = try c.decodeIfPresent(Bool.self, forKey: .sequential)
            change.trainers = try c.decodeIfPresent([String].self, forKey: .trainers)
            change.coordinators = try c.decodeIfPresent([String].self, forKey: .coordinators)
            change.prerequisites = try c.decodeIfPresent([String].self, forKey: .prerequisites)
            for (key, path, end) in [
                (Key.enrol_opens_at, \CourseChange.enrolOpensAt, false), (.enrol_closes_at, \.enrolClosesAt, true),
                (.starts_at, \.startsAt, false), (.ends_at, \.endsAt, true),
            ] {
                guard let raw = try nullable(String.self, key) else { continue }
                switch LocalDates.parse(raw, endOfDay: end) {
                case .success(let date): change[keyPath: path] = .some(date)
                case .failure: problems.add(key.rawValue, "course.error.date")
                }
            }
        }
    }

    struct CourseList: Content { var courses: [CourseResponse] }

    func response(_ course: Course, _ req: Request) throws -> CourseResponse {
        CourseResponse(course, tenantSlug: try req.tenant.slug, baseURL: req.application.gotong.baseURL)
    }

    func course(_ req: Request) async throws -> Course {
        try await req.tenantScope.require(Course.self, req.parameter(CourseID.self).rawValue)
    }

    // MARK: Courses of a tenant

    func listCourses(req: Request) async throws -> CourseList {
        let manager = try await req.tenantRoles().hasAny([.admin, .pengelola, .pengajar])
        var query = try req.tenantScope.query(Course.self).sort(\.$title)
        if !manager { query = query.filter(\.$status == .published) }
        return CourseList(courses: try await query.limit(1000).all().map { try response($0, req) })
    }

    func createCourse(req: Request) async throws -> Response {
        try await req.requireTenantRole([.admin, .pengelola])
        let body = try req.content.decode(CourseRequest.self)
        try body.problems.throwIfAny()
        let course = try await CourseWorkflow(db: req.database).create(in: try req.tenant.typedID(), body.change)
        try await req.audit("course.create", subject: course.slug, detail: "api", tenantID: course.tenantID)
        return try await response(course, req).encodeResponse(status: .created, for: req)
    }

    func showCourse(req: Request) async throws -> CourseResponse {
        let course = try await course(req)
        if course.status != .published, !(try await req.tenantRoles().hasAny([.admin, .pengelola, .pengajar])) {
            throw Abort(.notFound)
        }
        return try response(course, req)
    }

    func updateCourse(req: Request) async throws -> CourseResponse {
        try await req.requireTenantRole([.admin, .pengelola])
        let course = try await course(req)
        let body = try req.content.decode(CourseRequest.self)
        try body.problems.throwIfAny()
        let messages = try await CourseWorkflow(db: req.database).update(course, body.change)
        Notifier.sendMails(messages, app: req.application)
        try await req.audit("course.update", subject: course.slug, detail: "api", tenantID: course.tenantID)
        // Seats may have moved (a raised quota fills from the waiting list): answer what is stored.
        return try response(try await self.course(req), req)
    }

    func step(
        _ req: Request, roles: Set<Role>, _ action: String, _ body: (Course) async throws -> [Notifier.Message]
    ) async throws -> CourseResponse {
        try await req.requireTenantRole(roles)
        let course = try await course(req)
        Notifier.sendMails(try await body(course), app: req.application)
        try await req.audit("course.\(action)", subject: course.slug, detail: "api", tenantID: course.tenantID)
        return try response(course, req)
    }

    func submit(req: Request) async throws -> CourseResponse {
        try await step(req, roles: [.admin, .pengelola], "submit") {
            try await CourseWorkflow(db: req.database).submit($0)
        }
    }

    func publish(req: Request) async throws -> CourseResponse {
        try await step(req, roles: [.admin], "publish") {
            try await CourseWorkflow(db: req.database).publish($0); return []
        }
    }

    func archive(req: Request) async throws -> CourseResponse {
        try await step(req, roles: [.admin], "archive") {
            try await CourseWorkflow(db: req.database).archive($0); return []
        }
    }

    func duplicate(req: Request) async throws -> Response {
        try await req.requireTenantRole([.admin, .pengelola])
        let course = try await course(req)
        let copy = try await CourseWorkflow(db: req.database).duplicate(
            course, titlePrefix: req.t("course.admin.copy_prefix"), copiers: req.application.courseContentCopiers.all)
        try await req.audit(
            "course.duplicate", subject: copy.slug, detail: "api from=\(course.slug)", tenantID: course.tenantID)
        return try await response(copy, req).encodeResponse(status: .created, for: req)
    }

    // MARK: Curation

    func curationQueue(req: Request) async throws -> CourseList {
        try req.requirePlatformAdmin()
        let pending = try await Course.query(on: req.database).filter(\.$status == .published).filter(
            \.$curation == .pending
        )
        .join(Tenant.self, on: \Course.$tenantID == \Tenant.$id).sort(\.$publishedAt).limit(500).all()
        return CourseList(
            courses: try pending.map {
                CourseResponse($0, tenantSlug: try $0.joined(Tenant.self).slug, baseURL: req.application.gotong.baseURL)
            })
    }

    struct ReasonRequest: Content { var reason: String? }

    func curate(_ req: Request, approve: Bool) async throws -> CourseResponse {
        try req.requirePlatformAdmin()
        guard let course = try await Course.find(req.parameter(CourseID.self).rawValue, on: req.database),
            let tenant = try await Tenant.find(course.tenantID, on: req.database)
        else { throw Abort(.notFound) }
        let workflow = CourseWorkflow(db: req.database)
        let messages =
            approve
            ? try await workflow.approve(course)
            : try await workflow.reject(course, reason: (try? req.content.decode(ReasonRequest.self))?.reason ?? "")
        Notifier.sendMails(messages, app: req.application)
        try await req.audit(
            "course.curation.\(course.curation.rawValue)", subject: course.slug, detail: course.curationReason,
            tenantID: course.tenantID)
        return CourseResponse(course, tenantSlug: tenant.slug, baseURL: req.application.gotong.baseURL)
    }

    func approveCourse(req: Request) async throws -> CourseResponse { try await curate(req, approve: true) }
    func rejectCourse(req: Request) async throws -> CourseResponse { try await curate(req, approve: false) }

    // MARK: Catalogue

    struct CatalogResponse: Content {
        struct Hit: Content {
            var id: UUID; var tenant: String; var tenant_name: String; var tenant_color: String; var slug: String
            var title: String; var summary: String; var competency_type: String; var delivery_method: String
            var micro_minutes: Int?; var jp: Int; var language: String; var enrolment_mode: String; var open: Bool
            var enrolled_count: Int; var url: String
        }
        struct Facet: Content { var value: String; var label: String; var count: Int }
        struct Facets: Content {
            var tenant: [Facet]; var competency_type: [Facet]; var delivery_method: [Facet]; var language: [Facet]
            var jp: [Facet]; var open: Int
        }
        var total: Int
        var page: Int
        var pages: Int
        var results: [Hit]
        var facets: Facets
        /// The words searched instead of mistyped ones that found nothing.
        var corrected_query: String?
    }

    struct SuggestionsResponse: Content {
        var query: String
        var suggestions: [String]
    }

    /// What the search box offers while someone types (the page's script asks; without it the
    /// box is a plain form). `q` is read up to ``suggestionLength`` characters: a box, not a search.
    func suggestions(req: Request) async throws -> SuggestionsResponse { try await Self.suggestions(req) }

    /// Shared by the API and the page's own route (``CatalogRoute/suggestions``), which knows the
    /// signed-in person by their session, so their institution's own courses are offered too.
    static func suggestions(_ req: Request) async throws -> SuggestionsResponse {
        // Bounded before it is cleaned: the cleaning walks the whole text.
        let raw = (req.query[String.self, at: "q"] ?? "").prefix(Self.suggestionLength * 2)
        let text = String(String(raw).cleanedText.prefix(Self.suggestionLength))
        let index = try await req.application.catalogSearch.index(on: req.database)
        return SuggestionsResponse(
            query: text, suggestions: index.suggestions(for: text, viewer: try await req.catalogViewer()))
    }

    static let suggestionLength = 100

    func catalog(req: Request) async throws -> CatalogResponse {
        let query = try CatalogQuery.parse(req)
        let now = Date()
        let index = try await req.application.catalogSearch.index(on: req.database)
        let result = index.search(query, viewer: try await req.catalogViewer(), now: now)
        let base = req.application.gotong.baseURL
        func facets(_ list: [CatalogResult.Facet]) -> [CatalogResponse.Facet] {
            list.map { .init(value: $0.value, label: $0.label, count: $0.count) }
        }
        return CatalogResponse(
            total: result.total, page: result.page, pages: result.pages,
            results: result.hits.map {
                .init(
                    id: $0.courseID, tenant: $0.tenantSlug, tenant_name: $0.tenantName, tenant_color: $0.tenantColor,
                    slug: $0.slug,
                    title: $0.title, summary: $0.summary, competency_type: $0.competencyType.rawValue,
                    delivery_method: $0.deliveryMethod.rawValue, micro_minutes: $0.microMinutes, jp: $0.jp,
                    language: $0.language,
                    enrolment_mode: $0.enrolmentMode.rawValue, open: $0.isOpen(at: now),
                    enrolled_count: $0.enrolledCount,
                    url: "\(base)/t/\($0.tenantSlug)/pelatihan/\($0.slug)")
            },
            facets: .init(
                tenant: facets(result.tenants), competency_type: facets(result.competencyTypes),
                delivery_method: facets(result.deliveryMethods), language: facets(result.languages),
                jp: facets(result.jpRanges), open: result.openCount),
            corrected_query: result.correctedText
        )
    }
}
