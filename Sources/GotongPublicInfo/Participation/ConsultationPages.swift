import Fluent
import Foundation
import GotongEvaluation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Vapor

/// "Suara warga" on the desk's site: the polls, surveys and consultations; a person proves who
/// they are (signed in, or with a code sent to their email), answers once, comments on a
/// draft's sections, and reads the results and what the government did with them.
package struct ConsultationPages: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoRoute.consultations(.key), use: list)
        tenant.get(InfoRoute.consultation(.key, .key), use: show)
        tenant.post(InfoRoute.consultation(.key, .key), use: answer)
        tenant.post(InfoRoute.consultationComment(.key, .key), use: comment)
        tenant.post(InfoRoute.consultationCode(.key, .key), use: code)
        tenant.post(InfoRoute.consultationConfirm(.key, .key), use: confirm)
        tenant.post(InfoRoute.consultationLeave(.key, .key), use: leave)
    }

    func list(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let now = req.application.clock.now()
        let (rows, window) = try await Consultations.list(scope, page: try req.pageNumber("halaman"), now: now)
        let model = ConsultationListModel(
            slug: try req.tenant.routeSlug, tenant: try req.tenant.name, rows: rows, window: window, now: now)
        return try await req.render(model, title: "info.voice.title", tenant: try req.tenant, needsToken: false)
    }

    static func consultation(_ req: Request, _ scope: TenantScope) async throws -> Consultation {
        try await scope.require(Consultation.self, try req.parameter(ConsultationID.self).rawValue)
    }

    func show(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        return try await render(req, scope, try Self.consultation(req, scope), values: [:], errors: [:])
    }

    private func render(
        _ req: Request, _ scope: TenantScope, _ row: Consultation, values: [String: String], errors: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let voter = try await Participants.voter(req, scope: scope)
        let now = req.application.clock.now()
        let answered = try await ConsultationAnswers.hasAnswered(voter, row, in: scope)
        let model = ConsultationPageModel(
            slug: try req.tenant.routeSlug, row: row, now: now,
            results: try await ConsultationResults.of(
                row, in: scope, texts: req.texts, counts: answered || row.phase(at: now) == .closed),
            proved: voter != nil,
            signedIn: req.viewer != nil, answered: answered,
            pending: req.cookies[Participants.pendingCookie]?.string != nil, values: values, errors: errors)
        return try await req.render(
            model, title: "info.voice.page_title", titleArgs: ["title": row.title], tenant: try req.tenant,
            status: status)
    }

    private func back(_ req: Request, _ row: Consultation, _ anchor: String) throws -> Response {
        req.seeOther(InfoRoute.consultation(try req.tenant.routeSlug, .value(.init(row.id!))).path + anchor)
    }

    func answer(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let row = try await Self.consultation(req, scope)
        let values = try req.content.decode([String: String].self)
        guard let voter = try await Participants.voter(req, scope: scope) else { return try back(req, row, "#bukti") }
        do {
            try await ConsultationAnswers.answer(
                row, values: values, voter: voter, in: scope, now: req.application.clock.now())
        } catch let error as InputError {
            return try await render(req, scope, row, values: values, errors: error.messages(req), status: error.status)
        }
        req.flash(.success, "info.voice.answered")
        return try back(req, row, "#hasil")
    }

    struct CommentForm: Content { var section, name, text: String? }

    func comment(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let row = try await Self.consultation(req, scope)
        let form = try req.content.decode(CommentForm.self)
        guard let voter = try await Participants.voter(req, scope: scope) else { return try back(req, row, "#bukti") }
        do {
            _ = try await ConsultationAnswers.comment(
                row, section: try QueryValue.id(form.section, field: "section"), name: form.name, text: form.text,
                voter: voter, in: scope, now: req.application.clock.now())
        } catch let error as InputError {
            var values = ["name": form.name ?? "", "text": form.text ?? ""]
            values["section"] = form.section
            return try await render(req, scope, row, values: values, errors: error.messages(req), status: error.status)
        }
        req.flash(.success, "info.voice.commented")
        return try back(req, row, "#bagian-" + (form.section ?? ""))
    }

    struct CodeForm: Content { var email, code: String? }

    func code(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let row = try await Self.consultation(req, scope)
        let form = try req.content.decode(CodeForm.self)
        let proof: UUID
        do {
            proof = try await Participants.sendCode(
                to: form.email, sender: try await LiveQA.sender(req, tenant: scope.tenantID),
                tenant: try req.tenant.name,
                in: scope, app: req.application, texts: req.texts)
        } catch let error as InputError {
            return try await render(
                req, scope, row, values: ["email": form.email ?? ""], errors: error.messages(req), status: error.status)
        }
        req.flash(.success, "info.voice.code_sent")
        let response = try back(req, row, "#bukti")
        response.cookies[Participants.pendingCookie] = try cookie(
            proof.uuidString, req, lifetime: Participants.codeLifetime)
        return response
    }

    func confirm(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let row = try await Self.consultation(req, scope)
        let form = try req.content.decode(CodeForm.self)
        guard let pending = try? QueryValue.id(req.cookies[Participants.pendingCookie]?.string, field: "code") else {
            return try back(req, row, "#bukti")
        }
        let token: String
        do {
            token = try await Participants.confirm(
                pending, code: form.code, in: scope, now: req.application.clock.now())
        } catch let error as InputError {
            return try await render(req, scope, row, values: [:], errors: error.messages(req), status: error.status)
        }
        req.flash(.success, "info.voice.proved")
        let response = try back(req, row, "#jawab")
        response.cookies[Participants.cookie] = try cookie(token, req, lifetime: Participants.tokenLifetime)
        response.cookies[Participants.pendingCookie] = try cookie("", req, lifetime: 0)
        return response
    }

    /// "Bukan Anda?": the proved address forgotten on this device (a tablet at the counter
    /// passes from hand to hand), its token ended.
    func leave(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let row = try await Self.consultation(req, scope)
        if let token = Participants.token(req) {
            try await scope.query(ParticipantProof.self).filter(\.$tokenHash == SecretToken.hash(token)).delete()
        }
        let response = try back(req, row, "#bukti")
        response.cookies[Participants.cookie] = try cookie("", req, lifetime: 0)
        return response
    }

    /// A cookie of the desk's site only, HTTP-only; a lifetime of 0 clears it.
    private func cookie(_ value: String, _ req: Request, lifetime: TimeInterval) throws -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, expires: Date().addingTimeInterval(lifetime), maxAge: lifetime > 0 ? Int(lifetime) : 0,
            path: DeskRoute.desk(try req.tenant.routeSlug).path, isSecure: req.application.gotong.isHTTPS,
            isHTTPOnly: true, sameSite: .lax)
    }
}
