import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged
import Vapor

/// Live Q&A in the JSON API: the sessions and a session with its questions (public), and a
/// citizen's question (no token; five per address and session).
package struct QAAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoAPIRoute.qaSessions(.key), use: list)
        tenant.get(InfoAPIRoute.qaSession(.key, .key), use: show)
        tenant.post(InfoAPIRoute.qaQuestions(.key, .key), use: ask)
    }

    struct Session: Content {
        var id, topic, official, summary, starts_at, live_url, state, url: String

        init(_ s: QASession, _ slug: Param<TenantSlug>) {
            (id, topic, official, summary) = (s.id?.uuidString ?? "", s.topic, s.official, s.summary)
            (starts_at, live_url, state) = (LocalDates.iso(s.startsAt), s.liveURL, s.state.rawValue)
            url = InfoRoute.qaSession(slug, .value(.init(s.id ?? UUID()))).path
        }
    }

    struct Question: Content {
        var id, text, name, state, answer, created_at: String
        var votes: Int

        init(_ q: QAQuestion) {
            (id, text, name, state, answer) = (q.id?.uuidString ?? "", q.text, q.name, q.state.rawValue, q.answer)
            (created_at, votes) = (LocalDates.iso(q.createdAt), q.votes)
        }
    }

    struct Sessions: Content { var sessions: [Session] }

    struct SessionView: Content {
        var session: Session
        var questions: [Question]
    }

    func list(req: Request) async throws -> Sessions {
        let scope = try await DocumentPages.scope(req)
        let (coming, past) = try await LiveQA.sessions(in: scope, now: req.application.clock.now())
        let slug = try req.tenant.routeSlug
        return Sessions(sessions: (coming + past).map { Session($0, slug) })
    }

    func show(req: Request) async throws -> SessionView {
        let scope = try await DocumentPages.scope(req)
        let session = try await QAPages.session(req, scope)
        return SessionView(
            session: Session(session, try req.tenant.routeSlug),
            questions: try await LiveQA.questions(of: session, in: scope, host: false).map(Question.init))
    }

    struct AskInput: Content { var question, name: String? }

    func ask(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let session = try await QAPages.session(req, scope)
        // JSON only: a form another site's page posts (no token is needed here) is refused.
        guard req.headers.contentType?.type == "application", req.headers.contentType?.subType == "json" else {
            throw Abort(.unsupportedMediaType)
        }
        let input = try req.content.decode(AskInput.self)
        let row = try await LiveQA.ask(
            input.question, name: input.name, session: session,
            sender: try await LiveQA.sender(req, tenant: scope.tenantID), in: scope, now: req.application.clock.now())
        return try await Question(row).encodeResponse(status: .created, for: req)
    }
}
