import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

extension CatalogAPIRoutes {
    // MARK: Enrolment

    struct EnrolmentResponse: Content {
        var id: UUID
        var course_id: UUID
        var person_id: UUID
        var status: String
        var assigned: Bool
        var due_at: Date?
        var reason: String
        var requested_at: Date
        var enrolled_at: Date?
        var completed_at: Date?
        var name: String?
        var email: String?

        init(_ e: Enrolment, person: Person? = nil) {
            id = e.id!
            course_id = e.courseID
            person_id = e.personID
            status = e.status.rawValue
            assigned = e.assigned
            due_at = e.dueAt
            reason = e.reason
            requested_at = e.requestedAt
            enrolled_at = e.enrolledAt
            completed_at = e.completedAt
            name = person?.name
            email = person?.email
        }
    }

    /// A course anywhere on the platform by id, for self-enrolment from the marketplace.
    func anyCourse(_ req: Request) async throws -> Course {
        guard let course = try await Course.find(req.parameter(CourseID.self).rawValue, on: req.database),
            course.status == .published,
            let tenant = try await Tenant.find(course.tenantID, on: req.database), tenant.status == .active
        else { throw Abort(.notFound) }
        return course
    }

    func enrol(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let course = try await anyCourse(req)
        let outcome = try await EnrolmentService(db: req.database).enrol(
            person, in: course, viewer: try await req.catalogViewer())
        Notifier.sendMails(outcome.messages, app: req.application)
        let status: HTTPStatus = !outcome.changed ? .ok : (outcome.enrolment.status == .enrolled ? .created : .accepted)
        return try await EnrolmentResponse(outcome.enrolment).encodeResponse(status: status, for: req)
    }

    func withdraw(req: Request) async throws -> EnrolmentResponse {
        let person = try req.requirePerson()
        let course = try await anyCourse(req)
        let outcome = try await EnrolmentService(db: req.database).withdraw(person, from: course)
        Notifier.sendMails(outcome.messages, app: req.application)
        return EnrolmentResponse(outcome.enrolment)
    }

    struct EnrolmentList: Content { var enrolments: [EnrolmentResponse] }

    func listEnrolments(req: Request) async throws -> EnrolmentList {
        try await req.requireTenantRole([.admin, .pengelola])
        let course = try await course(req)
        var query = try req.tenantScope.query(Enrolment.self).filter(\.$courseID == course.requireID())
        if let raw = req.query[String.self, at: "status"], !raw.isEmpty {
            guard let status = Enrolment.Status(rawValue: raw) else {
                throw InputError(field: "status", key: "enrolment.error.status")
            }
            query = query.filter(\.$status == status)
        }
        let rows = try await query.sort(\.$requestedAt).sort(\.$id).limit(5000).all()
        let people = try await CourseAdminRoutes.people(rows.map(\.personID), on: req.database)
        return EnrolmentList(enrolments: rows.map { EnrolmentResponse($0, person: people[$0.personID]) })
    }

    func decide(
        _ req: Request, _ action: (EnrolmentService, Enrolment, Course, String) async throws -> EnrolmentService.Outcome
    ) async throws -> EnrolmentResponse {
        try await req.requireTenantRole([.admin, .pengelola])
        let course = try await course(req)
        let enrolment = try await req.tenantScope.require(
            Enrolment.self, req.parameter(EnrolmentID.self).rawValue)
        guard enrolment.courseID == course.id else { throw Abort(.notFound) }
        let reason = (try? req.content.decode(ReasonRequest.self))?.reason ?? ""
        let outcome = try await action(EnrolmentService(db: req.database), enrolment, course, reason)
        Notifier.sendMails(outcome.messages, app: req.application)
        try await req.audit(
            "enrolment.\(outcome.enrolment.status.rawValue)", subject: course.slug,
            detail: "api enrolment=\(enrolment.id!.uuidString)", tenantID: course.tenantID)
        return EnrolmentResponse(outcome.enrolment)
    }

    func approveEnrolment(req: Request) async throws -> EnrolmentResponse {
        try await decide(req) { s, e, c, _ in try await s.approve(e, in: c) }
    }

    func rejectEnrolment(req: Request) async throws -> EnrolmentResponse {
        try await decide(req) { s, e, c, r in try await s.reject(e, in: c, reason: r) }
    }

    func removeEnrolment(req: Request) async throws -> EnrolmentResponse {
        try await decide(req) { s, e, c, r in try await s.remove(e, from: c, reason: r) }
    }

    struct AssignRequest: Content {
        var people: [String]?
        var unit_kerja: String?
        var due_at: String?
    }

    /// JSON `{"people":[…]}` or `{"unit_kerja":…}` with `due_at`, or a CSV body (`text/csv`,
    /// `?due_at=`) of emails and NIPs.
    func assign(req: Request) async throws -> Response {
        let person = try await req.requireTenantRole([.admin, .pengelola])
        let course = try await course(req)
        let target: CourseAssignment.Target
        let rawDue: String?
        if req.headers.contentType?.subType == "csv" {
            guard let buffer = req.body.data else { throw InputError(field: "people", key: "assign.error.empty") }
            target = .list(String(buffer: buffer))
            rawDue = req.query[String.self, at: "due_at"]
        } else {
            let body = try req.content.decode(AssignRequest.self)
            if let unit = body.unit_kerja, body.people == nil {
                target = .unit(unit)
            } else {
                if body.unit_kerja != nil { throw InputError(field: "people", key: "assign.error.one_target") }
                target = .list((body.people ?? []).joined(separator: "\n"))
            }
            rawDue = body.due_at
        }
        guard case .success(let due) = LocalDates.parse(rawDue, endOfDay: true) else {
            throw InputError(field: "due_at", key: "course.error.date")
        }
        let (report, messages) = try await CourseAssignment(db: req.database, course: course).assign(
            target, due: due, by: PersonID(person.id))
        Notifier.sendMails(messages, app: req.application)
        try await req.audit(
            "course.assign", subject: course.slug, detail: "api people=\(report.people)", tenantID: course.tenantID)
        return try await report.encodeResponse(status: .created, for: req)
    }

    // MARK: Me

    struct MyCourse: Content {
        var course_id: UUID; var tenant: String; var tenant_name: String; var slug: String; var title: String;
        var jp: Int
        var status: String; var group: String; var assigned: Bool; var due_at: Date?; var overdue: Bool;
        var completed_at: Date?; var url: String
    }

    struct MyCourses: Content { var courses: [MyCourse] }

    func myCourses(req: Request) async throws -> MyCourses {
        let person = try req.requirePerson()
        let groups = GotongCatalog.MyCourses.group(
            try await GotongCatalog.MyCourses.rows(of: person.requireID(), on: req.database))
        let now = Date()
        let base = req.application.gotong.baseURL
        func rows(_ list: [GotongCatalog.MyCourses.Row], _ group: String) -> [MyCourse] {
            list.map {
                MyCourse(
                    course_id: $0.course_id, tenant: $0.tenant_slug, tenant_name: $0.tenant_name, slug: $0.slug,
                    title: $0.title, jp: $0.jp, status: $0.status.rawValue, group: group,
                    assigned: $0.assigned, due_at: $0.due_at, overdue: $0.isOverdue(at: now),
                    completed_at: $0.completed_at, url: "\(base)/t/\($0.tenant_slug)/pelatihan/\($0.slug)")
            }
        }
        return MyCourses(
            courses: rows(groups.required, "required") + rows(groups.inProgress, "in_progress")
                + rows(groups.finished, "finished"))
    }

    struct NotificationResponse: Content {
        var id: UUID; var text: String; var link: String; var created_at: Date; var read: Bool
    }
    struct NotificationList: Content { var notifications: [NotificationResponse]; var unread: Int }

    func notifications(req: Request) async throws -> NotificationList {
        let person = try req.requirePerson()
        let rows = try await PersonNotification.query(on: req.database).filter(\.$personID == person.requireID())
            .sort(\.$createdAt, .descending).limit(100).all()
        return NotificationList(
            notifications: rows.map {
                .init(
                    id: $0.id!, text: req.t($0.messageKey, $0.readableArgs(req)),
                    link: $0.address(req.application.storedRoutes),
                    created_at: $0.createdAt, read: $0.readAt != nil)
            },
            unread: rows.filter { $0.readAt == nil }.count
        )
    }

    func markRead(req: Request) async throws -> HTTPStatus {
        let person = try req.requirePerson()
        try await Notifier.markAllRead(of: person.requireID(), on: req.database)
        return .noContent
    }
}
