import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Course management under `/t/{slug}/kelola/pelatihan` for tenant administrators and
/// coordinators (pengelola): list, create, edit, workflow, duplicate, participants (approve,
/// reject, remove) and assignment. Publishing and archiving are the administrator's.
struct CourseAdminRoutes {
    /// The desk whose routes these are (`.key` parameters when registering).
    let desk: TenantDesk

    /// Registers the pages on `routes`, whose tenant is already resolved.
    func register(on routes: any RoutesBuilder) {
        let staff = routes.grouped(TenantRoleMiddleware(roles: [.admin, .pengelola]))
        staff.get(CatalogRoute.managedCourses(desk), use: list)
        staff.get(CatalogRoute.newCourse(desk), use: newForm)
        staff.post(CatalogRoute.newCourse(desk), use: create)
        staff.get(CatalogRoute.managedCourse(desk, .key), use: edit)
        staff.post(CatalogRoute.managedCourse(desk, .key), use: save)
        staff.post(CatalogRoute.courseStep(desk, .key, .submit), use: submit)
        staff.post(CatalogRoute.courseStep(desk, .key, .duplicate), use: duplicate)
        staff.get(CatalogRoute.courseStep(desk, .key, .participants), use: participants)
        staff.post(CatalogRoute.enrolmentDecision(desk, .key, .key, .key), use: decide)
        staff.post(CatalogRoute.enrolmentDecisions(desk, .key, .key), use: decideMany)
        staff.get(CatalogRoute.courseStep(desk, .key, .assignment), use: assignForm)
        staff.post(CatalogRoute.courseStep(desk, .key, .assignment), use: assign)
        let admin = routes.grouped(TenantRoleMiddleware(roles: [.admin]))
        admin.post(CatalogRoute.courseStep(desk, .key, .publish), use: publish)
        admin.post(CatalogRoute.courseStep(desk, .key, .archive), use: archive)
    }

    /// The management page of `course`.
    func managedPath(_ req: Request, _ course: Course) throws -> String {
        CatalogRoute.managedCourse(TenantDesk(try req.tenant), course.routeID).path
    }

    /// The tenant whose branding frames the page; none for the master template.
    func brand(_ req: Request) throws -> Tenant? {
        let tenant = try req.tenant
        return tenant.isMaster ? nil : tenant
    }

    func course(_ req: Request) async throws -> Course {
        try await req.tenantScope.require(Course.self, req.parameter(CourseID.self).rawValue)
    }

    // MARK: List

    struct ListModel: Sendable {
        struct Row: Sendable {
            let id: CourseID; let title: String; let status: String; let curation: String; let enrolled: Int
            let quota: Int?; let pending: Int
        }
        let desk: TenantDesk
        let back: String?
        let isTemplate: Bool
        let rows: [Row]
    }

    func list(req: Request) async throws -> Response {
        let scope = try req.tenantScope
        let courses = try await scope.query(Course.self).sort(\.$updatedAt, .descending).all()
        let pending = try await scope.query(Enrolment.self).filter(\.$status == .pending).all()
        let pendingByCourse = Dictionary(grouping: pending, by: \.courseID).mapValues(\.count)
        let tenant = try req.tenant
        // Coordinators manage courses but not the institution: no link to a page that refuses them.
        let roles = try await TenantRoles.of(req.viewer, in: tenant.requireID(), on: req.database)
        let back: String? =
            tenant.isMaster
            ? TenancyRoute.desk(.master).path : roles.has(.admin) ? TenancyRoute.desk(TenantDesk(tenant)).path : nil
        let model = ListModel(
            desk: TenantDesk(tenant), back: back,
            isTemplate: tenant.isMaster,
            rows: courses.map {
                .init(
                    id: CourseID($0.id!), title: $0.title, status: req.t("course.status.\($0.status.rawValue)"),
                    curation: req.t("course.curation.\($0.curation.rawValue)"), enrolled: $0.enrolledCount,
                    quota: $0.quota,
                    pending: pendingByCourse[$0.id!] ?? 0)
            })
        return try await req.render(model, title: "course.admin.title", tenant: try brand(req))
    }

    // MARK: Form

    struct FormModel: Sendable {
        /// A page another module adds to the course (see ``CourseTools``).
        struct Tool: Sendable { let label: String; let url: String; let isPrimary: Bool }
        let desk: TenantDesk
        /// Nil for a new course.
        let courseID: CourseID?
        let values: [String: String]
        let errors: [String: String]
        /// The choices of each select, by field name.
        let choices: [String: [SelectOption]]
        let featured: Bool
        let sequential: Bool
        let statusText: String?
        let curation: String?
        let curationReason: String?
        let canPublish: Bool
        let canSubmit: Bool
        let canArchive: Bool
        let isTemplate: Bool
        let publicURL: String?
        let tools: [Tool]
    }

    struct CourseForm: Content {
        var title: String?
        var slug: String?
        var summary: String?
        var description: String?
        var tags: String?
        var category: String?
        var competency_type: String?
        var jp: String?
        var delivery_method: String?
        var micro_minutes: String?
        var level: String?
        var language: String?
        var audience: String?
        var audience_tenants: String?
        var enrolment_mode: String?
        var quota: String?
        var enrol_opens_at: String?
        var enrol_closes_at: String?
        var starts_at: String?
        var ends_at: String?
        var featured: String?
        var sequential: String?
        var trainers: String?
        var coordinators: String?
        var prerequisites: String?
        var cover: File?

        /// The cover picture, when one was chosen: its stored extension, or the problem.
        func coverUpload() throws -> (File, String)? {
            guard let cover, cover.data.readableBytes > 0 else { return nil }
            switch LogoUpload.checkImage(
                cover, field: "cover", keys: "course.error.cover", maxBytes: CourseCover.maxBytes)
            {
            case .success(let ext): return (cover, ext)
            case .failure(let error): throw error
            }
        }

        var values: [String: String] {
            var v: [String: String] = [:]
            let mirror = Mirror(reflecting: self)
            for child in mirror.children {
                if let label = child.label, label != "cover", let value = child.value as? String? {
                    v[label] = value ?? ""
                }
            }
            return v
        }

        /// The form as a change; numbers and dates that cannot be read are problems.
        func change(isNew: Bool) throws -> CourseChange {
            var p = ProblemList()
            var c = CourseChange()
            func list(_ s: String?) -> [String] {
                (s ?? "").split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == ";" })
                    .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            }
            func number(_ s: String?, _ field: String) -> Int?? {
                guard let s = s?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return .some(nil) }
                guard let n = WholeNumber.parse(s) else { p.add(field, "course.error.\(field)"); return nil }
                return .some(n)
            }
            func date(_ s: String?, _ field: String, end: Bool) -> Date?? {
                switch LocalDates.parse(s, endOfDay: end) {
                case .success(let d): return .some(d)
                case .failure: p.add(field, "course.error.date"); return nil
                }
            }
            c.title = title ?? ""
            if let slug = slug?.trimmingCharacters(in: .whitespaces), !slug.isEmpty { c.slug = slug.lowercased() }
            c.summary = summary ?? ""
            c.description = description ?? ""
            c.tags = list(tags)
            c.category = category ?? ""
            c.competencyType = competency_type
            if let jp = number(jp, "jp") { if let jp { c.jp = jp } else { p.add("jp", "course.error.jp") } }
            c.deliveryMethod = delivery_method
            c.microMinutes = number(micro_minutes, "micro_minutes")
            c.level = level
            c.language = language
            c.audience = audience
            c.audienceTenants = list(audience_tenants)
            c.enrolmentMode = enrolment_mode
            c.quota = number(quota, "quota")
            c.enrolOpensAt = date(enrol_opens_at, "enrol_opens_at", end: false)
            c.enrolClosesAt = date(enrol_closes_at, "enrol_closes_at", end: true)
            c.startsAt = date(starts_at, "starts_at", end: false)
            c.endsAt = date(ends_at, "ends_at", end: true)
            c.featured = featured == "on" || featured == "true"
            c.sequential = sequential == "on" || sequential == "true"
            c.trainers = list(trainers)
            c.coordinators = list(coordinators)
            c.prerequisites = list(prerequisites)
            try p.throwIfAny()
            return c
        }
    }

    func render(
        _ req: Request, course: Course?, values: [String: String], errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        let tenant = try req.tenant
        let roles = try await req.tenantRoles()
        let categories = try await req.tenantScope.query(TenantCategory.self).sort(\.$position).all()
        func options<T: RawRepresentable & CaseIterable>(
            _ type: T.Type, _ key: String, prefix: String
        ) -> [SelectOption] where T.RawValue == String {
            T.allCases.map {
                .init(
                    value: $0.rawValue, label: req.t("\(prefix).\($0.rawValue)"), selected: values[key] == $0.rawValue)
            }
        }
        let desk = TenantDesk(tenant)
        let tools = course.map { course in
            req.application.courseTools.all.compactMap { tool in
                tool.path(desk, course.routeID).map {
                    FormModel.Tool(label: req.t(tool.label), url: $0, isPrimary: tool.isPrimary)
                }
            }
        }
        let model = FormModel(
            desk: desk, courseID: course.map { CourseID($0.id!) }, values: values, errors: errors,
            choices: [
                "competency_type": options(Course.CompetencyType.self, "competency_type", prefix: "course.competency"),
                "delivery_method": options(Course.DeliveryMethod.self, "delivery_method", prefix: "course.method"),
                "level": options(Course.Level.self, "level", prefix: "course.level"),
                "language": ["id", "en"].map {
                    .init(value: $0, label: req.t("course.language.\($0)"), selected: values["language"] == $0)
                },
                "audience": options(Course.Audience.self, "audience", prefix: "course.audience"),
                "enrolment_mode": options(Course.EnrolmentMode.self, "enrolment_mode", prefix: "course.mode"),
                "category": [.init(value: "", label: "—", selected: (values["category"] ?? "").isEmpty)]
                    + categories.map { .init(value: $0.slug, label: $0.name, selected: values["category"] == $0.slug) },
            ],
            featured: values["featured"] == "on" || values["featured"] == "true",
            sequential: values["sequential"] == "on" || values["sequential"] == "true",
            statusText: course.map { req.t("course.status.\($0.status.rawValue)") },
            curation: course.map { req.t("course.curation.\($0.curation.rawValue)") },
            curationReason: course?.curationReason.nilIfEmpty,
            canPublish: !tenant.isMaster && roles.has(.admin)
                && course.map { [.draft, .submitted, .archived].contains($0.status) } == true,
            canSubmit: !tenant.isMaster && course?.status == .draft,
            canArchive: !tenant.isMaster && roles.has(.admin) && course.map { $0.status != .archived } == true,
            isTemplate: tenant.isMaster,
            publicURL: tenant.isMaster ? nil : course.map { CatalogRoute.course(tenant.routeSlug, $0.routeSlug).path },
            tools: tools ?? []
        )
        return try await req.render(
            model, title: course == nil ? "course.admin.new" : "course.admin.edit",
            titleArgs: ["title": course?.title ?? ""], tenant: try brand(req), status: status)
    }

    func newForm(req: Request) async throws -> Response {
        try await render(
            req, course: nil,
            values: [
                "competency_type": "teknis", "delivery_method": "mandiri", "level": "dasar",
                "language": "id", "audience": "all", "enrolment_mode": "open", "jp": "2",
            ], errors: [:])
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(CourseForm.self)
        do {
            let cover = try form.coverUpload()
            let course = try await CourseWorkflow(db: req.database).create(
                in: try req.tenant.typedID(), try form.change(isNew: true))
            if let cover { try await CourseCover.store(cover.0, ext: cover.1, for: course, req: req) }
            try await req.audit("course.create", subject: course.slug, tenantID: course.tenantID)
            req.flash(.success, "course.admin.created", ["title": course.title])
            return req.seeOther(try managedPath(req, course))
        } catch let error as InputError {
            return try await render(
                req, course: nil, values: form.values, errors: error.messages(req), status: error.status)
        }
    }

    func edit(req: Request) async throws -> Response {
        let course = try await course(req)
        return try await render(
            req, course: course, values: try await Self.values(of: course, on: req.database), errors: [:])
    }

    /// The form's values for an existing course.
    static func values(of c: Course, on db: any Database) async throws -> [String: String] {
        let scope = TenantScope(tenantID: c.tenantID, db: db)
        let staff = try await scope.query(CourseStaff.self).filter(\.$courseID == c.requireID()).all()
        let people = staff.isEmpty ? [] : try await Person.query(on: db).filter(\.$id ~~ staff.map(\.personID)).all()
        let email = Dictionary(people.map { ($0.id!, $0.email) }, uniquingKeysWith: { a, _ in a })
        let prereq = try await scope.query(CoursePrerequisite.self).filter(\.$courseID == c.requireID()).all().map(
            \.requiredCourseID)
        let prereqSlugs =
            prereq.isEmpty ? [] : try await scope.query(Course.self).filter(\.$id ~~ prereq).all().map(\.slug)
        let category = try await scope.find(TenantCategory.self, c.categoryID)?.slug ?? ""
        let audienceSlugs =
            c.audienceTenantIDs.isEmpty
            ? [] : try await Tenant.query(on: db).filter(\.$id ~~ c.audienceTenantIDs).all().map(\.slug)
        return [
            "title": c.title, "slug": c.slug, "summary": c.summary, "description": c.description, "tags": c.tags,
            "category": category, "competency_type": c.competencyType.rawValue, "jp": "\(c.jp)",
            "delivery_method": c.deliveryMethod.rawValue, "micro_minutes": c.microMinutes.map(String.init) ?? "",
            "level": c.level.rawValue, "language": c.language, "audience": c.audience.rawValue,
            "audience_tenants": audienceSlugs.sorted().joined(separator: ", "),
            "enrolment_mode": c.enrolmentMode.rawValue,
            "quota": c.quota.map(String.init) ?? "", "enrol_opens_at": LocalDates.formValue(c.enrolOpensAt),
            "enrol_closes_at": LocalDates.formValue(c.enrolClosesAt), "starts_at": LocalDates.formValue(c.startsAt),
            "ends_at": LocalDates.formValue(c.endsAt), "featured": c.featured ? "on" : "",
            "sequential": c.sequential ? "on" : "",
            "trainers": staff.filter { $0.role == .pengajar }.compactMap { email[$0.personID] }.sorted().joined(
                separator: ", "),
            "coordinators": staff.filter { $0.role == .pengelola }.compactMap { email[$0.personID] }.sorted().joined(
                separator: ", "),
            "prerequisites": prereqSlugs.sorted().joined(separator: ", "),
        ]
    }

    func save(req: Request) async throws -> Response {
        let course = try await course(req)
        let form = try req.content.decode(CourseForm.self)
        do {
            let cover = try form.coverUpload()
            let messages = try await CourseWorkflow(db: req.database).update(course, try form.change(isNew: false))
            if let cover { try await CourseCover.store(cover.0, ext: cover.1, for: course, req: req) }
            Notifier.sendMails(messages, app: req.application)
            try await req.audit("course.update", subject: course.slug, tenantID: course.tenantID)
            req.flash(.success, "course.admin.saved")
            return req.seeOther(try managedPath(req, course))
        } catch let error as InputError {
            return try await render(
                req, course: course, values: form.values, errors: error.messages(req), status: error.status)
        }
    }

    // MARK: Workflow

    func step(
        _ req: Request, _ action: String, _ body: (Course) async throws -> [Notifier.Message]
    ) async throws -> Response {
        let course = try await course(req)
        do {
            let messages = try await body(course)
            Notifier.sendMails(messages, app: req.application)
            try await req.audit("course.\(action)", subject: course.slug, tenantID: course.tenantID)
            req.flash(.success, "course.admin.\(action)_done", ["title": course.title])
        } catch let error as InputError {
            for problem in error.problems { req.flash(.error, problem.key, problem.args) }
        }
        return req.seeOther(try managedPath(req, course))
    }

    func submit(req: Request) async throws -> Response {
        try await step(req, "submit") { try await CourseWorkflow(db: req.database).submit($0) }
    }

    func publish(req: Request) async throws -> Response {
        try await step(req, "publish") {
            try await CourseWorkflow(db: req.database).publish($0); return []
        }
    }

    func archive(req: Request) async throws -> Response {
        try await step(req, "archive") {
            try await CourseWorkflow(db: req.database).archive($0); return []
        }
    }

    func duplicate(req: Request) async throws -> Response {
        let course = try await course(req)
        let copy = try await CourseWorkflow(db: req.database).duplicate(
            course, titlePrefix: req.t("course.admin.copy_prefix"), copiers: req.application.courseContentCopiers.all)
        try await req.audit(
            "course.duplicate", subject: copy.slug, detail: "from=\(course.slug)", tenantID: course.tenantID)
        req.flash(.success, "course.admin.duplicated", ["title": copy.title])
        return req.seeOther(try managedPath(req, copy))
    }
}
