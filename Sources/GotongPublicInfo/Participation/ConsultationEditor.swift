import Fluent
import Foundation
import GotongEvaluation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Vapor

/// The officers' side of "Suara warga": opening polls, surveys (on a form built in the
/// evaluation forms) and consultations; moderating comments; writing what was done with the
/// input once closed. Every change is audited.
package struct ConsultationEditor: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoRoute.consultationEditor(.key), use: list)
        tenant.post(InfoRoute.consultationEditor(.key), use: add)
        tenant.get(InfoRoute.consultationEdit(.key, .key), use: edit)
        tenant.post(InfoRoute.consultationEdit(.key, .key), use: save)
        tenant.post(InfoRoute.consultationModerate(.key, .key), use: moderate)
        tenant.post(InfoRoute.consultationOutcome(.key, .key), use: outcome)
        tenant.post(InfoRoute.consultationRemove(.key, .key), use: remove)
    }

    struct Form: Content {
        var kind, title, intro, choices, form_id, opens_at, closes_at, sections: String?

        var draft: Consultations.Draft {
            var d = Consultations.Draft()
            (d.kind, d.title, d.intro, d.choices, d.formID) = (kind, title, intro, choices, form_id)
            (d.opensAt, d.closesAt, d.sections) = (opens_at, closes_at, sections)
            return d
        }

        var values: [String: String] {
            [
                "kind": kind, "title": title, "intro": intro, "choices": choices, "form_id": form_id,
                "opens_at": opens_at, "closes_at": closes_at, "sections": sections,
            ].compactMapValues { $0 }
        }

        static func values(of row: Consultation, sections: [ConsultationSection]) -> [String: String] {
            [
                "kind": row.kind.rawValue, "title": row.title, "intro": row.intro, "choices": row.choicesText,
                "form_id": row.formID?.uuidString ?? "", "opens_at": LocalDates.formValue(moment: row.opensAt),
                "closes_at": LocalDates.formValue(moment: row.closesAt),
                "sections": sections.map { "# \($0.heading)\n\($0.body)" }.joined(separator: "\n\n"),
            ]
        }
    }

    /// The tenant's forms made for public surveys, to choose from.
    private func surveyForms(_ scope: TenantScope) async throws -> [(UUID, String)] {
        try await scope.query(EvaluationForm.self).filter(\.$purpose == .publicSurvey).sort(\.$title).all()
            .compactMap { form in form.id.map { ($0, form.title) } }
    }

    func list(req: Request) async throws -> Response {
        try await renderList(req, try await ServiceEditor.scope(req), values: [:], errors: [:])
    }

    private func renderList(
        _ req: Request, _ scope: TenantScope, values: [String: String], errors: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let now = req.application.clock.now()
        let (rows, window) = try await Consultations.list(scope, page: try req.pageNumber("halaman"), now: now)
        let model = ConsultationEditorModel(
            slug: try req.tenant.routeSlug, rows: rows, window: window, now: now, forms: try await surveyForms(scope),
            values: values, errors: errors)
        return try await req.render(model, title: "info.voice.editor_title", tenant: try req.tenant, status: status)
    }

    func add(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let form = try req.content.decode(Form.self)
        do {
            let row = try await Consultations.add(form.draft, in: scope, now: req.application.clock.now())
            try await req.audit("info.consultation.add", subject: row.title, tenantID: scope.tenantID)
            req.flash(.success, "info.voice.saved")
            return req.seeOther(InfoRoute.consultationEdit(try req.tenant.routeSlug, .value(.init(row.id!))).path)
        } catch let error as InputError {
            return try await renderList(
                req, scope, values: form.values, errors: error.messages(req), status: error.status)
        }
    }

    func edit(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await ConsultationPages.consultation(req, scope)
        return try await renderEdit(req, scope, row, values: nil, errors: [:])
    }

    /// The page of one, its form filled from `values` as sent, or (nil) from the row and its
    /// sections — with `extra` fields (a refused outcome) kept either way.
    private func renderEdit(
        _ req: Request, _ scope: TenantScope, _ row: Consultation, values: [String: String]?,
        extra: [String: String] = [:], errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        let results = try await ConsultationResults.of(row, in: scope, texts: req.texts, words: true)
        let shown = (values ?? Form.values(of: row, sections: results.sections)).merging(extra) { $1 }
        let model = ConsultationEditModel(
            slug: try req.tenant.routeSlug, row: row, now: req.application.clock.now(), results: results,
            answered: try await Consultations.isAnswered(row.requireID(), in: scope),
            forms: try await surveyForms(scope), values: shown, errors: errors)
        return try await req.render(model, title: "info.voice.edit_title", tenant: try req.tenant, status: status)
    }

    func save(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await ConsultationPages.consultation(req, scope)
        let form = try req.content.decode(Form.self)
        do {
            let saved = try await Consultations.update(
                try row.requireID(), form.draft, in: scope, now: req.application.clock.now())
            try await req.audit("info.consultation.update", subject: saved.title, tenantID: scope.tenantID)
            req.flash(.success, "info.editor.saved")
            return req.seeOther(InfoRoute.consultationEdit(try req.tenant.routeSlug, .value(.init(saved.id!))).path)
        } catch let error as InputError {
            return try await renderEdit(
                req, scope, row, values: form.values, errors: error.messages(req), status: error.status)
        }
    }

    struct ModerateForm: Content { var comment, state: String? }

    func moderate(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await ConsultationPages.consultation(req, scope)
        let form = try req.content.decode(ModerateForm.self)
        guard let id = try QueryValue.id(form.comment, field: "comment"),
            let state = try QueryValue.choice(form.state, field: "state", as: ConsultationComment.State.self)
        else { throw Abort(.badRequest) }
        let comment = try await ConsultationAnswers.moderate(
            id, of: row, to: state, in: scope, now: req.application.clock.now())
        try await req.audit(
            "info.consultation.moderate", subject: "\(row.title) · \(state.rawValue)", tenantID: scope.tenantID)
        req.flash(.success, comment.state == .tampil ? "info.voice.shown" : "info.voice.hidden")
        return req.seeOther(
            InfoRoute.consultationEdit(try req.tenant.routeSlug, .value(.init(row.id!))).path + "#moderasi")
    }

    struct OutcomeForm: Content { var outcome: String? }

    func outcome(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await ConsultationPages.consultation(req, scope)
        let form = try req.content.decode(OutcomeForm.self)
        do {
            _ = try await Consultations.record(
                outcome: form.outcome, of: try row.requireID(), in: scope, now: req.application.clock.now())
        } catch let error as InputError {
            return try await renderEdit(
                req, scope, row, values: nil, extra: ["outcome": form.outcome ?? ""], errors: error.messages(req),
                status: error.status)
        }
        try await req.audit("info.consultation.outcome", subject: row.title, tenantID: scope.tenantID)
        req.flash(.success, "info.voice.outcome_saved")
        return req.seeOther(InfoRoute.consultation(try req.tenant.routeSlug, .value(.init(row.id!))).path)
    }

    func remove(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await Consultations.remove(
            try await ConsultationPages.consultation(req, scope).requireID(), in: scope)
        try await req.audit("info.consultation.remove", subject: row.title, tenantID: scope.tenantID)
        req.flash(.success, "info.voice.removed")
        return req.seeOther(InfoRoute.consultationEditor(try req.tenant.routeSlug).path)
    }
}
