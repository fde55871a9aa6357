import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// The supervisor's (atasan's) level-3 form, through the link mailed to them: no account,
/// whoever holds the link may answer, once, until it expires.
package struct SupervisorPages: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(EvaluationRoute.supervisor(.key), use: page)
        routes.post(EvaluationRoute.supervisor(.key), use: submit)
    }

    /// What the link finds.
    struct Found {
        let followUp: EvaluationFollowUp
        let course: Course
        let participant: Person
        let tenant: Tenant
        let form: EvaluationForm
        let items: [EvaluationItem]
    }

    enum State { case unknown, expired, answered, open(Found) }

    static func state(_ req: Request) async throws -> State {
        let token = try req.parameter(MailedSecret.self).rawValue
        guard
            let followUp = try await EvaluationFollowUp.query(on: req.database)
                .filter(\.$tokenHash == SecretToken.hash(token)).first(),
            let course = try await Course.find(followUp.courseID, on: req.database),
            let participant = try await Person.find(followUp.personID, on: req.database),
            let tenant = try await Tenant.find(followUp.tenantID, on: req.database)
        else { return .unknown }
        if followUp.supervisorDoneAt != nil { return .answered }
        if (followUp.linkExpiresAt ?? .distantPast) < req.application.clock.now() { return .expired }
        let scope = TenantScope(tenantID: followUp.tenantID, db: req.database)
        guard let setup = try await LevelOne(db: req.database).setup(scope, course: followUp.courseID),
            let formID = setup.supervisorFormID, let form = try await scope.find(EvaluationForm.self, formID)
        else { return .unknown }
        let items = try await scope.query(EvaluationItem.self).filter(\.$formID == formID).sort(\.$position).all()
        return .open(
            Found(
                followUp: followUp, course: course, participant: participant, tenant: tenant, form: form, items: items))
    }

    func page(req: Request) async throws -> Response {
        try await render(req, try await Self.state(req), values: [:], errors: [:])
    }

    private func render(
        _ req: Request, _ state: State, values: [String: String], errors: [String: String],
        status: HTTPStatus? = nil
    ) async throws -> Response {
        let model: SupervisorModel
        let code: HTTPStatus
        switch state {
        case .unknown: (model, code) = (SupervisorModel(note: "evaluation.supervisor.unknown"), .notFound)
        case .expired: (model, code) = (SupervisorModel(note: "evaluation.supervisor.expired"), .gone)
        case .answered: (model, code) = (SupervisorModel(note: "evaluation.supervisor.thanks"), .ok)
        case .open(let found):
            model = SupervisorModel(
                note: nil, action: req.url.path, participant: found.participant.name, course: found.course.title,
                tenant: found.tenant.name, form: found.form, items: found.items, values: values, errors: errors)
            code = .ok
        }
        let response = try await req.render(
            model, title: "evaluation.supervisor.title", brand: nil, status: status ?? code, needsToken: true)
        response.headers.replaceOrAdd(name: "X-Robots-Tag", value: "noindex")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    func submit(req: Request) async throws -> Response {
        let state = try await Self.state(req)
        guard case .open(let found) = state else { return try await render(req, state, values: [:], errors: [:]) }
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let responseID = UUID()
        let answers: [EvaluationAnswer]
        do {
            answers = try AnswerSheet(form: form, items: found.items).checked(
                against: found.items, response: responseID)
        } catch let error as InputError {
            return try await render(req, state, values: form, errors: error.messages(req), status: .unprocessableEntity)
        }
        let now = req.application.clock.now()
        let followUp = found.followUp
        let year = LocalDates.year(of: followUp.completedAt ?? now)
        try await req.database.lockingTransaction { tx in
            let saved = try await tx.sql.raw(
                """
                INSERT INTO \(ident: EvaluationResponse.schema) (id, tenant_id, course_id, form_id, purpose, \
                participant_id, trainer_id, year, submitted_at) VALUES (\(bind: responseID), \
                \(bind: followUp.tenantID), \(bind: followUp.courseID), \(bind: try found.form.requireID()), \
                \(bind: EvaluationForm.Purpose.supervisor.rawValue), \(bind: followUp.personID), \
                \(bind: EvaluationResponse.noTrainer), \(bind: year), \(bind: now)) \
                ON CONFLICT (course_id, participant_id, purpose, trainer_id) DO NOTHING RETURNING id
                """
            ).first()
            // Sent twice at once: the first is kept, the second changes nothing.
            guard saved != nil else { return }
            if !answers.isEmpty { try await answers.create(on: tx) }
            try await tx.sql.raw(
                """
                UPDATE \(ident: EvaluationFollowUp.schema) SET supervisor_done_at = \(bind: now), \
                updated_at = \(bind: now) WHERE id = \(bind: try followUp.requireID())
                """
            ).run()
        }
        return req.seeOther(req.url.path)
    }
}

struct SupervisorModel: PageBody {
    /// A page that only says something (unknown, expired, thanks).
    var note: String?
    var action = ""
    var participant = ""
    var course = ""
    var tenant = ""
    var form: EvaluationForm?
    var items: [EvaluationItem] = []
    var values: [String: String] = [:]
    var errors: [String: String] = [:]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("evaluation.supervisor.title")).raw("</h1>\n")
        guard let form, note == nil else {
            h.raw("<p role=\"status\">").text(t(note ?? "evaluation.supervisor.unknown")).raw("</p>\n")
            return
        }
        h.raw("<p>").text(t("evaluation.supervisor.about", ["name": participant, "course": course, "tenant": tenant]))
            .raw("</p>\n")
        if !form.intro.isEmpty { h.raw("<p>").text(form.intro).raw("</p>\n") }
        h.postForm(action, csrf: csrf, class: "form")
        if !errors.isEmpty { h.alert(t("form.has_errors")) }
        QuestionsHTML.write(items, values: values, errors: errors, to: h, texts: t)
        h.raw("<button type=\"submit\">").text(t("evaluation.participant.send")).raw("</button>\n</form>\n")
    }
}
