import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

extension CourseAdminRoutes {
    // MARK: Participants

    struct ParticipantsModel: Sendable {
        struct Row: Sendable {
            let id: EnrolmentID; let name: String; let email: String; let unit: String
            let statusText: String
            let assigned: Bool; let due: String?; let reason: String?; let requested: String
        }
        let desk: TenantDesk
        let courseTitle: String
        let courseID: CourseID
        let pending: [Row]
        let enrolled: [Row]
        let waiting: [Row]
        let others: [Row]
        let quota: Int?
        let seatsLeft: Int?
        let enrolledCount: Int
    }

    func participants(req: Request) async throws -> Response {
        let course = try await course(req)
        let rows = try await req.tenantScope.query(Enrolment.self).filter(\.$courseID == course.requireID())
            .sort(\.$requestedAt).sort(\.$id).limit(2000).all()
        let people = try await Self.people(rows.map(\.personID), on: req.database)
        func row(_ e: Enrolment) -> ParticipantsModel.Row {
            let p = people[e.personID]
            return .init(
                id: EnrolmentID(e.id!), name: p?.name ?? "", email: p?.email ?? "", unit: p?.unitKerja ?? "",
                statusText: req.t("enrolment.status.\(e.status.rawValue)"),
                assigned: e.assigned,
                due: req.day(e.dueAt), reason: e.reason.nilIfEmpty, requested: req.day(e.requestedAt) ?? "")
        }
        let model = ParticipantsModel(
            desk: TenantDesk(try req.tenant), courseTitle: course.title, courseID: CourseID(course.id!),
            pending: rows.filter { $0.status == .pending }.map(row),
            enrolled: rows.filter { $0.status == .enrolled || $0.status == .completed }.map(row),
            waiting: rows.filter { $0.status == .waiting }.map(row),
            others: rows.filter { !$0.status.isActive }.map(row),
            quota: course.quota, seatsLeft: course.seatsLeft, enrolledCount: course.enrolledCount
        )
        return try await req.render(
            model, title: "participants.title", titleArgs: ["title": course.title], tenant: try brand(req))
    }

    static func people(_ ids: [UUID], on db: any Database) async throws -> [UUID: Person] {
        var result: [UUID: Person] = [:]
        for chunk in Array(Set(ids)).chunked(500) {
            for person in try await Person.query(on: db).filter(\.$id ~~ chunk).all() { result[person.id!] = person }
        }
        return result
    }

    struct DecisionForm: Content { var reason: String? }

    func decide(req: Request) async throws -> Response {
        let course = try await course(req)
        let enrolment = try await req.tenantScope.require(
            Enrolment.self, req.parameter(EnrolmentID.self).rawValue)
        guard enrolment.courseID == course.id else { throw Abort(.notFound) }
        let reason = try req.content.decode(DecisionForm.self).reason ?? ""
        let service = EnrolmentService(db: req.database)
        let back = CatalogRoute.courseStep(TenantDesk(try req.tenant), course.routeID, .participants).path
        let action = try req.parameter(EnrolmentAction.self)
        do {
            let outcome = try await Self.apply(action, to: enrolment, in: course, reason: reason, by: service)
            Notifier.sendMails(outcome.messages, app: req.application)
            try await req.audit(
                "enrolment.\(action.rawValue)", subject: course.slug,
                detail: "enrolment=\(enrolment.id!.uuidString)", tenantID: course.tenantID)
            req.flash(.success, "participants.done.\(outcome.enrolment.status.rawValue)")
        } catch let error as InputError {
            for problem in error.problems { req.flash(.error, problem.key, problem.args) }
        }
        return req.seeOther(back)
    }

    /// One coordinator's decision on one enrolment: the single buttons and the ticked groups.
    static func apply(
        _ action: EnrolmentAction, to enrolment: Enrolment, in course: Course, reason: String,
        by service: EnrolmentService
    ) async throws -> EnrolmentService.Outcome {
        switch action {
        case .approve: try await service.approve(enrolment, in: course)
        case .reject: try await service.reject(enrolment, in: course, reason: reason)
        case .remove: try await service.remove(enrolment, from: course, reason: reason)
        }
    }

    struct ManyForm: Content {
        var ids: [UUID]?
        var reason: String?
    }

    /// The most people one decision takes (a page shows at most 2,000 rows).
    static let maxSelected = 2000

    /// One decision on every participant ticked in a group: approve or reject requests, remove
    /// people. The reason is checked once, before anyone is changed; each person is then
    /// decided on their own (as one by one), and the page says how many were and why any were
    /// not (no longer waiting for a decision).
    func decideMany(req: Request) async throws -> Response {
        let course = try await course(req)
        let action = try req.parameter(EnrolmentAction.self)
        let back = CatalogRoute.courseStep(TenantDesk(try req.tenant), course.routeID, .participants).path
        let form = try req.content.decode(ManyForm.self)
        let ids = Array(Set(form.ids ?? [])).sorted { $0.uuidString < $1.uuidString }
        guard !ids.isEmpty, ids.count <= Self.maxSelected else {
            req.flash(
                .error, ids.isEmpty ? "participants.none_selected" : "participants.too_many",
                ["max": "\(Self.maxSelected)"])
            return req.seeOther(back)
        }
        var problems = ProblemList()
        let reason =
            action == .approve
            ? "" : problems.text(form.reason, "reason", max: 500, required: "enrol.error.reason_required")
        if let problem = problems.problems.first {
            req.flash(.error, problem.key, problem.args)
            return req.seeOther(back)
        }
        let service = EnrolmentService(db: req.database)
        var done: [Enrolment.Status: Int] = [:]
        var skipped = 0
        var messages: [Notifier.Message] = []
        for chunk in ids.chunked(500) {
            let rows = try await req.tenantScope.query(Enrolment.self).filter(\.$courseID == course.requireID())
                .filter(\.$id ~~ Array(chunk)).all()
            skipped += chunk.count - rows.count
            for enrolment in rows {
                do {
                    let outcome = try await Self.apply(action, to: enrolment, in: course, reason: reason, by: service)
                    messages += outcome.messages
                    done[outcome.enrolment.status, default: 0] += 1
                    // Each decision in the log, as one by one: who was decided on, not only how many.
                    try await req.audit(
                        "enrolment.\(action.rawValue)", subject: course.slug,
                        detail: "enrolment=\(enrolment.id!.uuidString) selected=\(ids.count)", tenantID: course.tenantID
                    )
                } catch is InputError {
                    skipped += 1
                }
            }
        }
        Notifier.sendMails(messages, app: req.application)
        for (status, n) in done.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            req.flash(.success, "participants.done_many.\(status.rawValue)", ["n": "\(n)"])
        }
        if skipped > 0 { req.flash(.info, "participants.skipped", ["n": "\(skipped)"]) }
        return req.seeOther(back)
    }

    // MARK: Assignment

    struct AssignModel: Sendable {
        let desk: TenantDesk
        let courseID: CourseID
        let courseTitle: String
        let units: [String]
        let values: [String: String]
        let problems: [String]
        let report: CourseAssignment.Report?
        let published: Bool
    }

    struct AssignForm: Content {
        var people: String?
        var unit_kerja: String?
        var due_at: String?
        var file: File?
    }

    func renderAssign(
        _ req: Request, course: Course, values: [String: String], problems: [String],
        report: CourseAssignment.Report?, status: HTTPStatus = .ok
    ) async throws -> Response {
        let units = try await Person.query(on: req.database)
            .join(Membership.self, on: \Person.$id == \Membership.$personID)
            .filter(Membership.self, \.$tenantID == course.tenantID)
            .filter(\.$unitKerja != "")
            .unique().all(\.$unitKerja)
        let model = AssignModel(
            desk: TenantDesk(try req.tenant), courseID: CourseID(course.id!), courseTitle: course.title,
            units: Array(Set(units)).sorted(), values: values, problems: problems, report: report,
            published: course.status == .published)
        return try await req.render(
            model, title: "assign.title", titleArgs: ["title": course.title], tenant: try brand(req), status: status)
    }

    func assignForm(req: Request) async throws -> Response {
        try await renderAssign(req, course: try await course(req), values: [:], problems: [], report: nil)
    }

    func assign(req: Request) async throws -> Response {
        let course = try await course(req)
        let person = try req.requirePerson()
        let form = try req.content.decode(AssignForm.self)
        var values = ["people": form.people ?? "", "unit_kerja": form.unit_kerja ?? "", "due_at": form.due_at ?? ""]
        do {
            let target: CourseAssignment.Target
            if let file = form.file, file.data.readableBytes > 0 {
                target = .list(String(buffer: file.data))
                values["people"] = ""
            } else if let unit = form.unit_kerja, !unit.trimmingCharacters(in: .whitespaces).isEmpty {
                target = .unit(unit)
            } else {
                target = .list(form.people ?? "")
            }
            let due: Date?
            switch LocalDates.parse(form.due_at, endOfDay: true) {
            case .success(let d): due = d
            case .failure: throw InputError(field: "due_at", key: "course.error.date")
            }
            let (report, messages) = try await CourseAssignment(db: req.database, course: course).assign(
                target, due: due, by: person.typedID())
            Notifier.sendMails(messages, app: req.application)
            try await req.audit(
                "course.assign", subject: course.slug, detail: "people=\(report.people) new=\(report.newly_enrolled)",
                tenantID: course.tenantID)
            return try await renderAssign(req, course: course, values: [:], problems: [], report: report)
        } catch let error as InputError {
            let lines = error.problems.map { p in
                p.row.map { req.t("assign.problem_row", ["row": "\($0)", "message": req.t(p.key, p.args)]) }
                    ?? req.t(p.key, p.args)
            }
            return try await renderAssign(
                req, course: course, values: values, problems: lines, report: nil, status: error.status)
        }
    }
}
