import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged
import Vapor

/// Live Q&A on the desk's site: the sessions, a session's page (its live link, the questions by
/// votes, a question form and a vote button on each — forms that work without script), and the
/// host's page (the tenant's administrators and coordinators) that opens and ends the live,
/// marks what is being answered, writes the answers and hides what should not be shown.
package struct QAPages: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoRoute.qaSessions(.key), use: list)
        tenant.get(InfoRoute.qaSession(.key, .key), use: show)
        tenant.post(InfoRoute.qaSession(.key, .key), use: ask)
        tenant.post(InfoRoute.qaVote(.key, .key), use: vote)
        tenant.get(InfoRoute.qaEditor(.key), use: editor)
        tenant.post(InfoRoute.qaEditor(.key), use: add)
        tenant.get(InfoRoute.qaHost(.key, .key), use: host)
        tenant.post(InfoRoute.qaHost(.key, .key), use: save)
        tenant.post(InfoRoute.qaHostState(.key, .key), use: state)
        tenant.post(InfoRoute.qaHostQuestion(.key, .key), use: move)
    }

    static func session(_ req: Request, _ scope: TenantScope) async throws -> QASession {
        guard let row = try await scope.find(QASession.self, try req.parameter(Tagged<QASession, UUID>.self).rawValue)
        else { throw Abort(.notFound) }
        return row
    }

    func list(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let (coming, past) = try await LiveQA.sessions(in: scope, now: req.application.clock.now())
        let model = QAListModel(slug: try req.tenant.routeSlug, tenant: try req.tenant.name, coming: coming, past: past)
        return try await req.render(model, title: "info.qa.title", tenant: try req.tenant, needsToken: false)
    }

    func show(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        return try await render(req, scope, try await Self.session(req, scope), values: [:], errors: [:])
    }

    private func render(
        _ req: Request, _ scope: TenantScope, _ session: QASession, values: [String: String],
        errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        let model = QASessionModel(
            slug: try req.tenant.routeSlug, session: session,
            questions: try await LiveQA.questions(of: session, in: scope, host: false), values: values, errors: errors)
        return try await req.render(
            model, title: "info.qa.session_title", titleArgs: ["topic": session.topic], tenant: try req.tenant,
            status: status)
    }

    struct AskForm: Content { var question, name: String? }

    func ask(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let session = try await Self.session(req, scope)
        let form = try req.content.decode(AskForm.self)
        do {
            _ = try await LiveQA.ask(
                form.question, name: form.name, session: session,
                sender: try await LiveQA.sender(req, tenant: scope.tenantID), in: scope,
                now: req.application.clock.now())
            req.flash(.success, "info.qa.asked")
            return req.seeOther(
                InfoRoute.qaSession(try req.tenant.routeSlug, .value(.init(session.id!))).path + "#pertanyaan")
        } catch let error as InputError {
            return try await render(
                req, scope, session, values: ["question": form.question ?? "", "name": form.name ?? ""],
                errors: error.messages(req), status: error.status)
        }
    }

    struct VoteForm: Content { var question: String? }

    /// The voter cookie: a browser's own random token (its keyed hash is what is kept), so a
    /// citizen without an account votes once per question from that browser.
    static let voterCookie = "gotong_pemilih"

    func vote(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let session = try await Self.session(req, scope)
        guard let id = try QueryValue.id(try req.content.decode(VoteForm.self).question, field: "question") else {
            throw Abort(.notFound)
        }
        let key = try await req.application.secretKeys.key("info.qa", on: req.db)
        var token = req.cookies[Self.voterCookie]?.string ?? ""
        let fresh = token.utf8.count != 64 || !token.allSatisfy(\.isHexDigit)
        if fresh { token = Data([UInt8].random(count: 32)).hex }
        let voter = req.viewer.map { "p:\($0.id.uuidString)" } ?? "c:" + LiveQA.hashed(token, key: key)
        let counted: Bool
        do {
            counted = try await LiveQA.vote(
                for: id, of: session, voter: voter, sender: try await LiveQA.sender(req, tenant: scope.tenantID),
                in: scope, now: req.application.clock.now())
        } catch let error as InputError {
            return try await render(
                req, scope, session, values: [:], errors: error.messages(req), status: error.status)
        }
        req.flash(counted ? .success : .info, counted ? "info.qa.voted" : "info.qa.voted_before")
        let response = req.seeOther(
            InfoRoute.qaSession(try req.tenant.routeSlug, .value(.init(session.id!))).path + "#pertanyaan")
        if fresh, req.viewer == nil {
            response.cookies[Self.voterCookie] = HTTPCookies.Value(
                string: token, expires: Date().addingTimeInterval(365 * 86_400),
                isSecure: req.application.gotong.isHTTPS,
                isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    // MARK: The host

    func editor(req: Request) async throws -> Response {
        try await renderEditor(req, try await ServiceEditor.scope(req), values: [:], errors: [:])
    }

    private func renderEditor(
        _ req: Request, _ scope: TenantScope, values: [String: String], errors: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let (coming, past) = try await LiveQA.sessions(in: scope, now: req.application.clock.now())
        let model = QAEditorModel(
            slug: try req.tenant.routeSlug, sessions: coming + past, values: values, errors: errors)
        return try await req.render(model, title: "info.qa.editor_title", tenant: try req.tenant, status: status)
    }

    struct SessionForm: Content {
        var topic, official, summary, starts_at, live_url: String?

        var draft: LiveQA.Draft {
            var d = LiveQA.Draft()
            (d.topic, d.official, d.summary, d.startsAt, d.liveURL) = (topic, official, summary, starts_at, live_url)
            return d
        }

        var values: [String: String] {
            ["topic": topic, "official": official, "summary": summary, "starts_at": starts_at, "live_url": live_url]
                .compactMapValues { $0 }
        }

        static func values(of s: QASession) -> [String: String] {
            [
                "topic": s.topic, "official": s.official, "summary": s.summary,
                "starts_at": LocalDates.formValue(moment: s.startsAt), "live_url": s.liveURL,
            ]
        }
    }

    func add(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let form = try req.content.decode(SessionForm.self)
        do {
            let row = try await LiveQA.add(form.draft, in: scope, now: req.application.clock.now())
            try await req.audit("info.qa.add", subject: row.topic, tenantID: scope.tenantID)
            req.flash(.success, "info.qa.created")
            return req.seeOther(InfoRoute.qaHost(try req.tenant.routeSlug, .value(.init(row.id!))).path)
        } catch let error as InputError {
            return try await renderEditor(
                req, scope, values: form.values, errors: error.messages(req), status: error.status)
        }
    }

    func host(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let session = try await Self.session(req, scope)
        return try await renderHost(req, scope, session, values: SessionForm.values(of: session), errors: [:])
    }

    private func renderHost(
        _ req: Request, _ scope: TenantScope, _ session: QASession, values: [String: String],
        errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        let model = QAHostModel(
            slug: try req.tenant.routeSlug, session: session,
            questions: try await LiveQA.questions(of: session, in: scope, host: true), values: values, errors: errors)
        return try await req.render(
            model, title: "info.qa.host_title", titleArgs: ["topic": session.topic], tenant: try req.tenant,
            status: status)
    }

    func save(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let session = try await Self.session(req, scope)
        let form = try req.content.decode(SessionForm.self)
        do {
            let row = try await LiveQA.update(
                try session.requireID(), form.draft, in: scope, now: req.application.clock.now())
            try await req.audit("info.qa.update", subject: row.topic, tenantID: scope.tenantID)
            req.flash(.success, "info.editor.saved")
            return req.seeOther(InfoRoute.qaHost(try req.tenant.routeSlug, .value(.init(row.id!))).path)
        } catch let error as InputError {
            return try await renderHost(
                req, scope, session, values: form.values, errors: error.messages(req), status: error.status)
        }
    }

    struct StateForm: Content { var state: String? }

    func state(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let session = try await Self.session(req, scope)
        guard
            let state = try QueryValue.choice(
                try req.content.decode(StateForm.self).state, field: "state", as: QASession.State.self)
        else { throw InputError(field: "state", key: "input.error.required", status: .badRequest) }
        try await LiveQA.set(state, of: try session.requireID(), in: scope, now: req.application.clock.now())
        try await req.audit("info.qa.state", subject: "\(session.topic): \(state.rawValue)", tenantID: scope.tenantID)
        return req.seeOther(InfoRoute.qaHost(try req.tenant.routeSlug, .value(.init(session.id!))).path)
    }

    struct MoveForm: Content { var question, move, answer: String? }

    func move(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let session = try await Self.session(req, scope)
        let form = try req.content.decode(MoveForm.self)
        guard let id = try QueryValue.id(form.question, field: "question"),
            let move = try QueryValue.choice(form.move, field: "move", as: LiveQA.Move.self)
        else { throw Abort(.notFound) }
        _ = try await LiveQA.host(move, question: id, of: session, answer: form.answer, in: scope)
        return req.seeOther(
            InfoRoute.qaHost(try req.tenant.routeSlug, .value(.init(session.id!))).path + "#q-\(id.uuidString)")
    }
}
