import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The platform curator's queue at `/admin/kurasi`: published courses waiting to enter the
/// marketplace, approved or rejected with a reason. Curators are platform administrators.
package struct CurationRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(CatalogRoute.curation, use: queue)
        routes.post(CatalogRoute.curationDecision(.key, .key), use: decide)
    }

    struct QueueModel: Sendable {
        struct Row: Sendable {
            let id: CourseID; let title: String; let summary: String; let tenantName: String; let url: String
            /// The course's materials as learners meet them, read-only (nothing is recorded).
            var contentURL = ""
            let jp: Int; let method: String; let competency: String; let published: String?
        }
        let rows: [Row]
        let recent: [Row]
    }

    func queue(req: Request) async throws -> Response {
        try req.requirePlatformAdmin()
        // Curation looks across every tenant: that is the curator's job.
        let pending = try await Course.query(on: req.database).filter(\.$status == .published).filter(
            \.$curation == .pending
        )
        .sort(\.$publishedAt).limit(200).all()
        let recent = try await Course.query(on: req.database).filter(\.$curation ~~ [.approved, .rejected])
            .sort(\.$curatedAt, .descending).limit(20).all()
        let tenants = try await Tenant.query(on: req.database).filter(
            \.$id ~~ Array(Set((pending + recent).map(\.tenantID)))
        )
        .all()
        let byID = Dictionary(tenants.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        func row(_ c: Course) -> QueueModel.Row {
            let t = byID[c.tenantID]
            let slug = Param<TenantSlug>.value(TenantSlug(rawValue: t?.slug ?? ""))
            var made = QueueModel.Row(
                id: CourseID(c.id!), title: c.title, summary: c.summary, tenantName: t?.name ?? "",
                url: CatalogRoute.course(slug, c.routeSlug).path, jp: c.jp,
                method: req.t("course.method.\(c.deliveryMethod.rawValue)"),
                competency: c.curation == .pending
                    ? req.t("course.competency.\(c.competencyType.rawValue)")
                    : req.t("course.curation.\(c.curation.rawValue)"),
                published: req.day(c.publishedAt))
            made.contentURL = CatalogRoute.learn(slug, c.routeSlug).path
            return made
        }
        return try await req.render(
            QueueModel(rows: pending.map(row), recent: recent.map(row)), title: "curation.title", brand: nil)
    }

    struct DecisionForm: Content { var reason: String? }

    func decide(req: Request) async throws -> Response {
        try req.requirePlatformAdmin()
        guard let course = try await Course.find(req.parameter(CourseID.self).rawValue, on: req.database)
        else {
            throw Abort(.notFound)
        }
        let workflow = CourseWorkflow(db: req.database)
        do {
            let messages: [Notifier.Message]
            switch try req.parameter(CurationAction.self) {
            case .approve: messages = try await workflow.approve(course)
            case .reject:
                messages = try await workflow.reject(
                    course, reason: try req.content.decode(DecisionForm.self).reason ?? "")
            }
            Notifier.sendMails(messages, app: req.application)
            try await req.audit(
                "course.curation.\(course.curation.rawValue)", subject: course.slug, detail: course.curationReason,
                tenantID: course.tenantID)
            req.flash(.success, "curation.done.\(course.curation.rawValue)", ["title": course.title])
        } catch let error as InputError {
            for problem in error.problems { req.flash(.error, problem.key, problem.args) }
        }
        return req.seeOther(CatalogRoute.curation.path)
    }
}
