import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The participant's evaluation of a course, on any tenant's course they took: one form at a
/// time once they finished it (the course's, one per trainer, the follow-up when due), and
/// their supervisor (atasan) for the follow-up, named already during the course.
package struct ParticipantPages: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(EvaluationRoute.participant(.key, .key), use: page)
        tenant.post(EvaluationRoute.participant(.key, .key), use: submit)
        tenant.post(EvaluationRoute.supervisorName(.key, .key), use: nameSupervisor)
    }

    /// The participant's place in the course: its evaluation, whether they finished it, and
    /// their follow-up (nil until a supervisor is named or the course is finished).
    struct Standing {
        let setup: CourseEvaluation
        let finished: Bool
        let followUp: EvaluationFollowUp?
        var asksSupervisor: Bool { setup.hasFollowUp && setup.supervisorFormID != nil }
    }

    /// Refused (403) to anyone not taking or having finished the course, and for a course with
    /// nothing to evaluate.
    static func standing(_ req: Request, course: Course) async throws -> Standing {
        let person = try req.requirePerson().requireID()
        let scope = try req.tenantScope
        let courseID = try course.requireID()
        let enrolment = try await scope.query(Enrolment.self).filter(\.$courseID == courseID)
            .filter(\.$personID == person).filter(\.$status ~~ [.enrolled, .completed]).first()
        guard let setup = try await LevelOne(db: req.database).setup(scope, course: courseID), let enrolment,
            setup.hasLevelOne || setup.hasFollowUp
        else { throw LocalizedAbort(.forbidden, req.t("evaluation.error.not_finished")) }
        let followUp = try await scope.query(EvaluationFollowUp.self).filter(\.$courseID == courseID)
            .filter(\.$personID == person).first()
        let standing = Standing(setup: setup, finished: enrolment.status == .completed, followUp: followUp)
        guard standing.finished || standing.asksSupervisor else {
            throw LocalizedAbort(.forbidden, req.t("evaluation.error.not_finished"))
        }
        return standing
    }

    func page(req: Request) async throws -> Response {
        try await render(req, values: [:], errors: [:])
    }

    private func render(
        _ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        let person = try req.requirePerson()
        let scope = try req.tenantScope
        let course = try await scope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        let standing = try await Self.standing(req, course: course)
        let sheets =
            standing.finished
            ? try await LevelOne(db: req.database).sheets(
                scope, setup: standing.setup, person: try person.requireID(), now: req.application.clock.now()) : []
        let next = sheets.firstIndex { !$0.done }
        var items: [EvaluationItem] = []
        if let next {
            items = try await scope.query(EvaluationItem.self).filter(\.$formID == sheets[next].form.id!)
                .sort(\.$position).all()
        }
        let model = ParticipantModel(
            slug: try req.tenant.routeSlug, courseID: CourseID(try course.requireID()), course: course.title,
            required: standing.setup.required, finished: standing.finished, step: next.map { $0 + 1 },
            steps: sheets.count, sheet: next.map { sheets[$0] }, items: items,
            supervisor: standing.asksSupervisor
                ? .init(
                    name: values["supervisor_name"] ?? standing.followUp?.supervisorName ?? "",
                    email: values["supervisor_email"] ?? standing.followUp?.supervisorEmail ?? "",
                    sent: standing.followUp?.sentAt != nil && !(standing.followUp?.supervisorEmail.isEmpty ?? true),
                    answered: standing.followUp?.supervisorDoneAt != nil) : nil,
            values: values, errors: errors)
        return try await req.render(
            model, title: "evaluation.participant.title", tenant: try req.tenant, status: status)
    }

    func submit(req: Request) async throws -> Response {
        let scope = try req.tenantScope
        let course = try await scope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        // What is not a form of fields is judged after who may send it (it reads as no answers).
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let formID = form["form_id"].flatMap(UUID.init(uuidString:))
        let trainerID = form["trainer_id"].flatMap { $0.isEmpty ? nil : UUID(uuidString: $0) }
        let back = EvaluationRoute.participant(try req.tenant.routeSlug, .value(CourseID(try course.requireID()))).path
        do {
            try await LevelOne.submit(
                req, in: scope, course: course, form: formID, trainer: trainerID,
                sheet: { AnswerSheet(form: form, items: $0) })
        } catch let error as InputError where error.status == .unprocessableEntity {
            return try await render(req, values: form, errors: error.messages(req), status: .unprocessableEntity)
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "evaluation.error.already")
            return req.seeOther(back)
        }
        req.flash(.success, "evaluation.participant.thanks")
        return req.seeOther(back)
    }

    struct SupervisorForm: Content {
        var supervisor_name: String?
        var supervisor_email: String?
    }

    func nameSupervisor(req: Request) async throws -> Response {
        let scope = try req.tenantScope
        let course = try await scope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        let standing = try await Self.standing(req, course: course)
        guard standing.asksSupervisor else { throw Abort(.notFound) }
        let input = (try? req.content.decode(SupervisorForm.self)) ?? SupervisorForm()
        let back = EvaluationRoute.participant(try req.tenant.routeSlug, .value(CourseID(try course.requireID()))).path
        do {
            try await Supervisors.name(
                req, course: course, person: try req.requirePerson(), name: input.supervisor_name,
                email: input.supervisor_email, by: nil)
        } catch let error as InputError where error.status == .unprocessableEntity {
            let values = [
                "supervisor_name": input.supervisor_name ?? "", "supervisor_email": input.supervisor_email ?? "",
            ]
            return try await render(req, values: values, errors: error.messages(req), status: .unprocessableEntity)
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "evaluation.error.supervisor_sent")
            return req.seeOther(back)
        }
        req.flash(.success, "evaluation.supervisor.saved")
        return req.seeOther(back)
    }
}

struct ParticipantModel: PageBody {
    /// The supervisor section: who is named, and whether their link went out or they answered.
    struct Supervisor {
        let name: String
        let email: String
        let sent: Bool
        let answered: Bool
    }

    let slug: Param<TenantSlug>
    let courseID: CourseID
    let course: String
    let required: Bool
    let finished: Bool
    /// The form's place among the course's forms; nil when all are filled in.
    let step: Int?
    let steps: Int
    let sheet: LevelOne.Sheet?
    let items: [EvaluationItem]
    let supervisor: Supervisor?
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("evaluation.participant.heading", ["course": course])).raw("</h1>\n")
        if !finished {
            h.raw("<p>").text(t("evaluation.participant.not_yet")).raw("</p>\n")
        } else if let step, let sheet {
            writeSheet(h, t, csrf, step: step, sheet: sheet)
        } else {
            h.raw("<p>").text(t("evaluation.participant.all_done")).raw("</p>\n<p><a href=\"/saya/sertifikat\">")
                .text(t("evaluation.participant.certificates")).raw("</a></p>\n")
        }
        if let supervisor { writeSupervisor(h, t, csrf, supervisor) }
    }

    private func writeSheet(_ h: HTMLText, _ t: Texts, _ csrf: String, step: Int, sheet: LevelOne.Sheet) {
        if required && sheet.form.purpose != .followUp {
            h.raw("<p class=\"hint\">").text(t("evaluation.participant.required")).raw("</p>\n")
        }
        h.raw("<p class=\"muted\">").text(t("evaluation.participant.step", ["step": "\(step)", "steps": "\(steps)"]))
            .raw("</p>\n<h2>").text(sheet.form.title)
        if let trainer = sheet.trainer { h.raw(": ").text(trainer.name) }
        h.raw("</h2>\n")
        if !sheet.form.intro.isEmpty { h.raw("<p>").text(sheet.form.intro).raw("</p>\n") }
        h.postForm(EvaluationRoute.participant(slug, .value(courseID)).path, csrf: csrf, class: "form")
            .raw("<input type=\"hidden\" name=\"form_id\" value=\"").attr(sheet.form.id?.uuidString ?? "").raw("\">")
            .raw("<input type=\"hidden\" name=\"trainer_id\" value=\"").attr(sheet.trainer?.id.uuidString ?? "")
            .raw("\">\n")
        if !errors.isEmpty && errors.keys.contains(where: { $0.hasPrefix("q-") }) { h.alert(t("form.has_errors")) }
        QuestionsHTML.write(items, values: values, errors: errors, to: h, texts: t)
        h.raw("<button type=\"submit\">").text(t("evaluation.participant.send")).raw("</button>\n</form>\n")
    }

    private func writeSupervisor(_ h: HTMLText, _ t: Texts, _ csrf: String, _ s: Supervisor) {
        h.raw("<section class=\"panel\" aria-labelledby=\"atasan\"><h2 id=\"atasan\">")
            .text(t("evaluation.supervisor.heading")).raw("</h2>\n")
        if s.answered {
            h.raw("<p>").text(t("evaluation.supervisor.answered", ["name": s.name])).raw("</p></section>\n")
            return
        }
        if s.sent {
            h.raw("<p>").text(t("evaluation.supervisor.sent", ["name": s.name, "email": s.email])).raw(
                "</p></section>\n")
            return
        }
        h.raw("<p class=\"hint\">").text(t("evaluation.supervisor.help")).raw("</p>\n")
            .postForm(EvaluationRoute.supervisorName(slug, .value(courseID)).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "supervisor_name", label: t("evaluation.field.supervisor_name"), value: s.name,
                    error: errors["supervisor_name"], max: 120, required: true, attributes: " autocomplete=\"off\"")
            )
            .textField(
                TextField(
                    "supervisor_email", label: t("evaluation.field.supervisor_email"), value: s.email,
                    error: errors["supervisor_email"], kind: .input("email"), max: 254, required: true,
                    attributes: " autocomplete=\"off\"")
            )
            .raw("<button type=\"submit\" class=\"secondary\">").text(t("evaluation.supervisor.save"))
            .raw("</button>\n</form>\n</section>\n")
    }
}
