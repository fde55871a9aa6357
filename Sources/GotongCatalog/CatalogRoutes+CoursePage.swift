import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// A course's public page, and enrolling and withdrawing from it.
extension CatalogRoutes {
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
        guard
            let data = try await CoursePageData.cached(
                tenant: tenant, slug: try req.parameter(CourseSlug.self).rawValue, on: req)
        else {
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
            mine = try await EnrolmentService.enrolment(
                of: person.requireID(), in: courseID, course.tenantID, on: req.database)
            if mine?.status.isActive != true {
                do {
                    try await EnrolmentService(db: req.database, now: now).checkCanSelfEnrol(
                        person, in: course, viewer: try await req.catalogViewer())
                } catch let error as InputError {
                    blocked = error.problems.first.map { req.t($0.key, $0.args) }
                    missing = try await EnrolmentService(db: req.database, now: now).missingPrerequisites(
                        for: person.typedID(), course: course
                    ).map(\.title)
                }
            }
        } else if course.enrolmentMode == .assigned {
            blocked = req.t("enrol.error.assigned_only")
        }
        let full = course.seatsLeft == 0
        let model = CourseModel(
            id: courseID.uuidString, slug: course.slug, title: course.title, summary: course.summary,
            coverURL: course.coverPath == nil ? nil : CatalogRoute.cover(tenant.routeSlug, course.routeSlug).path,
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
            prerequisites: try await req.withMyStanding(
                prereqs.map { CourseCard($0, tenant: tenant, req: req, now: now) }),
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
            learnURL: [.enrolled, .completed].contains(mine?.status) || canManage
                ? CatalogRoute.learn(tenant.routeSlug, course.routeSlug).path : nil,
            myDue: mine?.status.isActive == true ? req.day(mine?.dueAt) : nil,
            canEnrol: req.person != nil && blocked == nil && mine?.status.isActive != true,
            canWithdraw: mine.map { [.enrolled, .waiting, .pending].contains($0.status) && !$0.assigned } ?? false,
            enrolBlocked: blocked,
            signInURL: req.person == nil
                ? IdentityRoute.signIn.path + "?next="
                    + (req.url.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/")
                : nil,
            enrolLabel: req.t(
                course.enrolmentMode == .approval ? "enrol.request" : (full ? "enrol.join_waitlist" : "enrol.submit"))
        )
        let hasForms = model.canEnrol || model.canWithdraw
        return try await req.render(
            CoursePage(model: model, tenantSlug: tenant.slug, tenantName: tenant.name),
            title: "course.page.title", titleArgs: ["title": course.title], tenant: tenant, needsToken: hasForms)
    }

    /// The cover picture of a published course (or of any course, for its staff).
    func cover(req: Request) async throws -> Response {
        let slug = try req.parameter(CourseSlug.self).rawValue
        guard
            let course = try await req.tenantScope.query(Course.self).filter(\.$slug == slug).first(),
            let key = course.coverPath
        else { throw Abort(.notFound) }
        if course.status != .published, !(try await req.tenantRoles().hasAny([.admin, .pengelola, .pengajar])) {
            throw Abort(.notFound)
        }
        guard let data = try await req.application.files.get(key) else { throw Abort(.notFound) }
        let response = Response(status: .ok, body: .init(buffer: data))
        response.headers.contentType = LogoUpload.mediaType(forKey: key)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return response
    }

    func findPublished(_ req: Request) async throws -> Course {
        let slug = try req.parameter(CourseSlug.self).rawValue
        guard
            let course = try await req.tenantScope.query(Course.self).filter(\.$slug == slug).first(),
            course.status == .published
        else { throw Abort(.notFound) }
        return course
    }

    func enrol(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let course = try await findPublished(req)
        let back = CatalogRoute.course(try req.tenant.routeSlug, course.routeSlug).path
        do {
            let outcome = try await EnrolmentService(db: req.database).enrol(
                person, in: course, viewer: try await req.catalogViewer())
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
        let back = CatalogRoute.course(try req.tenant.routeSlug, course.routeSlug).path
        do {
            let outcome = try await EnrolmentService(db: req.database).withdraw(person, from: course)
            Notifier.sendMails(outcome.messages, app: req.application)
            req.flash(.success, "enrol.withdrawn", ["course": course.title])
        } catch let error as InputError {
            for problem in error.problems { req.flash(.error, problem.key, problem.args) }
        }
        return req.seeOther(back)
    }
}
