import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// How one course is evaluated, at the tenant's evaluation desk: its level-1 forms and whether
/// the certificate waits for them, its pre- and post-test (level 2), and its follow-up (level 3).
package struct CourseSetupDesk: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(EvaluationRoute.course(.key, .key), use: show)
        tenant.post(EvaluationRoute.course(.key, .key), use: save)
    }

    struct Fields: Content {
        var course_form: String?
        var trainer_form: String?
        var required: String?
        var follow_up_weeks: String?
        var follow_up_form: String?
        var supervisor_form: String?

        var values: [String: String] {
            [
                "course_form": course_form ?? "", "trainer_form": trainer_form ?? "",
                "follow_up_weeks": follow_up_weeks ?? "",
                "follow_up_form": follow_up_form ?? "", "supervisor_form": supervisor_form ?? "",
                "required": required == nil ? "" : "1",
            ]
        }
    }

    private func course(_ req: Request) async throws -> Course {
        try await req.requireTenantRole(FormDesk.keepers)
        return try await req.tenantScope.require(Course.self, try req.parameter(CourseID.self).rawValue)
    }

    func show(req: Request) async throws -> Response {
        let course = try await course(req)
        let setup = try await LevelOne(db: req.database).setup(try req.tenantScope, course: try course.requireID())
        let values: [String: String] =
            setup.map { s in
                [
                    "course_form": s.courseFormID?.uuidString ?? "", "trainer_form": s.trainerFormID?.uuidString ?? "",
                    "required": s.required ? "1" : "",
                    "follow_up_weeks": s.followUpWeeks.map { "\($0)" } ?? "",
                    "follow_up_form": s.followUpFormID?.uuidString ?? "",
                    "supervisor_form": s.supervisorFormID?.uuidString ?? "",
                ]
            } ?? [:]
        return try await render(req, course, values: values, errors: [:])
    }

    private func render(
        _ req: Request, _ course: Course, values: [String: String], errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        let scope = try req.tenantScope
        let forms = try await scope.query(EvaluationForm.self).sort(\.$title).all()
        let model = CourseSetupModel(
            slug: try req.tenant.routeSlug, courseID: CourseID(try course.requireID()), course: course.title,
            forms: forms, values: values, errors: errors)
        return try await req.render(model, title: "evaluation.course.title", tenant: try req.tenant, status: status)
    }

    func save(req: Request) async throws -> Response {
        let course = try await course(req)
        let fields = try req.content.decode(Fields.self)
        do {
            try await CourseSetup.save(req, course: course, fields: fields)
        } catch let error as InputError {
            return try await render(
                req, course, values: fields.values, errors: error.messages(req), status: .unprocessableEntity)
        }
        req.flash(.success, "evaluation.course.saved", ["course": course.title])
        return req.seeOther(EvaluationRoute.forms(try req.tenant.routeSlug).path)
    }
}

/// Checks and saves a course's evaluation: each form chosen must be the tenant's and of the
/// right purpose, the follow-up 1–52 weeks with a form.
enum CourseSetup {
    static func save(_ req: Request, course: Course, fields: CourseSetupDesk.Fields) async throws {
        let scope = try req.tenantScope
        let courseID = try course.requireID()
        let forms = Dictionary(
            try await scope.query(EvaluationForm.self).all().map { ($0.id!, $0.purpose) },
            uniquingKeysWith: { a, _ in a })
        var problems = ProblemList()
        func form(_ raw: String?, _ field: String, _ purpose: EvaluationForm.Purpose) -> UUID? {
            guard let raw, !raw.isEmpty else { return nil }
            guard let id = UUID(uuidString: raw), forms[id] == purpose else {
                problems.add(field, "evaluation.error.form_choice")
                return nil
            }
            return id
        }
        // Checked on a detached copy, then written onto the row (made first when there is none).
        let setup = CourseEvaluation()
        (setup.tenantID, setup.courseID) = (scope.tenantID, courseID)
        setup.courseFormID = form(fields.course_form, "course_form", .course)
        setup.trainerFormID = form(fields.trainer_form, "trainer_form", .trainer)
        setup.required = fields.required != nil
        if setup.required && setup.courseFormID == nil && setup.trainerFormID == nil {
            problems.add("required", "evaluation.error.required_without_form")
        }
        setup.followUpFormID = form(fields.follow_up_form, "follow_up_form", .followUp)
        setup.supervisorFormID = form(fields.supervisor_form, "supervisor_form", .supervisor)
        let weeks = (fields.follow_up_weeks ?? "").trimmingCharacters(in: .whitespaces)
        if weeks.isEmpty {
            setup.followUpWeeks = nil
        } else if let n = Int(weeks), (1...52).contains(n) {
            setup.followUpWeeks = n
        } else {
            problems.add("follow_up_weeks", "evaluation.error.weeks")
        }
        if setup.followUpWeeks != nil && setup.followUpFormID == nil && setup.supervisorFormID == nil {
            problems.add("follow_up_weeks", "evaluation.error.weeks_without_form")
        }
        try problems.throwIfAny()
        let now = req.application.clock.now()
        try await req.database.lockingTransaction { tx in
            // Two first saves at once: one row (its unique key), the later save wins.
            try await tx.sql.raw(
                """
                INSERT INTO \(ident: CourseEvaluation.schema) (id, tenant_id, course_id, required, updated_at) \
                VALUES (\(bind: UUID()), \(bind: scope.tenantID), \(bind: courseID), \(bind: false), \(bind: now)) \
                ON CONFLICT (course_id) DO NOTHING
                """
            ).run()
            guard
                let row = try await LevelOne(db: tx).setup(
                    TenantScope(tenantID: scope.tenantID, db: tx), course: courseID)
            else { throw Abort(.conflict) }
            let wasGating = row.required && row.hasLevelOne
            let oldForms = [row.courseFormID, row.trainerFormID]
            (row.courseFormID, row.trainerFormID, row.required) = (
                setup.courseFormID, setup.trainerFormID, setup.required
            )
            row.followUpWeeks = setup.followUpWeeks
            (row.followUpFormID, row.supervisorFormID, row.updatedAt) = (
                setup.followUpFormID, setup.supervisorFormID, now
            )
            try await row.save(on: tx)
            // Certificates that waited for what is no longer asked: the completion of everyone
            // who finished is told again (the hooks do their work once), and theirs are issued.
            if wasGating, !(row.required && row.hasLevelOne) || oldForms != [row.courseFormID, row.trainerFormID] {
                let completion = req.application.learning.courseCompletion(on: tx)
                let finished = try await TenantScope(tenantID: scope.tenantID, db: tx).query(Enrolment.self)
                    .filter(\.$courseID == courseID).filter(\.$status == .completed).all()
                for enrolment in finished {
                    try await completion.retell(
                        .init(
                            tenant: TenantID(scope.tenantID), course: CourseID(courseID),
                            person: PersonID(enrolment.personID), completedAt: enrolment.completedAt ?? now), now: now)
                }
            }
            try await req.audit(
                "evaluation.course.update", subject: course.title, detail: "required=\(setup.required)",
                tenantID: scope.tenantID, on: tx)
        }
    }
}
