import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Vapor

/// Polls, surveys and consultations in the JSON API: read with their results by anyone; opened
/// by the tenant's administrators and coordinators; answered once by a signed-in account
/// (bearer token) — an address proved by a code is the web page's way.
package struct ConsultationAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoAPIRoute.consultations(.key), use: list)
        tenant.post(InfoAPIRoute.consultations(.key), use: create)
        tenant.get(InfoAPIRoute.consultation(.key, .key), use: show)
        tenant.post(InfoAPIRoute.consultationResponses(.key, .key), use: respond)
    }

    struct Input: Content {
        var kind, title, intro, form_id, opens_at, closes_at: String?
        var choices: [String]?
        var sections: [Section]?

        struct Section: Content { var heading, body: String? }

        var draft: Consultations.Draft {
            var d = Consultations.Draft()
            (d.kind, d.title, d.intro, d.formID, d.opensAt, d.closesAt) = (
                kind, title, intro, form_id, opens_at, closes_at
            )
            d.choices = choices?.joined(separator: "\n")
            d.sections = sections?.map { "# \($0.heading ?? "")\n\($0.body ?? "")" }.joined(separator: "\n")
            return d
        }
    }

    struct Bars: Content {
        var prompt: String
        var choices: [String]
        var counts: [Int]
        var texts: Int
    }

    struct Comment: Content { var name, text, created_at: String }

    struct SectionView: Content {
        var id, heading, body: String
        var comments: [Comment]
    }

    struct Item: Content {
        var id, kind, title, intro, phase, opens_at, closes_at, outcome, url: String
        var outcome_at: String?
        var responses: Int?
        var results: [Bars]?
        var sections: [SectionView]?
    }

    struct Page: Content {
        var consultations: [Item]
        var page, pages, total: Int
    }

    static func item(_ row: Consultation, _ slug: Param<TenantSlug>, now: Date) -> Item {
        Item(
            id: row.id?.uuidString ?? "", kind: row.kind.rawValue, title: row.title, intro: row.intro,
            phase: row.phase(at: now).rawValue, opens_at: LocalDates.iso(row.opensAt),
            closes_at: LocalDates.iso(row.closesAt), outcome: row.outcome,
            url: InfoRoute.consultation(slug, .value(.init(row.id ?? UUID()))).path,
            outcome_at: row.outcomeAt.map(LocalDates.iso))
    }

    func list(req: Request) async throws -> Page {
        let scope = try await DocumentPages.scope(req)
        let now = req.application.clock.now()
        let (rows, window) = try await Consultations.list(scope, page: try req.pageNumber("page"), now: now)
        let slug = try req.tenant.routeSlug
        return Page(
            consultations: rows.map { Self.item($0, slug, now: now) }, page: window.page, pages: window.pages,
            total: window.total)
    }

    /// One, with its results: a poll's and a survey's counts once it closed (or to an officer);
    /// a consultation's sections with the comments shown.
    func show(req: Request) async throws -> Item {
        let scope = try await DocumentPages.scope(req)
        let row = try await ConsultationPages.consultation(req, scope)
        let now = req.application.clock.now()
        var item = Self.item(row, try req.tenant.routeSlug, now: now)
        let officer = (try? await ServiceEditor.scope(req)) != nil
        let shown = row.phase(at: now) == .closed || officer
        let results = try await ConsultationResults.of(row, in: scope, texts: req.texts, counts: shown)
        if row.kind != .konsultasi, shown {
            item.responses = results.responses
            item.results = results.questions.map {
                Bars(prompt: $0.prompt, choices: $0.labels, counts: $0.counts, texts: $0.texts)
            }
        }
        if row.kind == .konsultasi {
            item.sections = results.sections.map { section in
                SectionView(
                    id: section.id?.uuidString ?? "", heading: section.heading, body: section.body,
                    comments: (results.comments[section.id ?? UUID()] ?? []).filter { $0.state == .tampil }.map {
                        Comment(name: $0.name, text: $0.text, created_at: LocalDates.iso($0.createdAt))
                    })
            }
        }
        return item
    }

    func create(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let now = req.application.clock.now()
        let row = try await Consultations.add(try req.content.decode(Input.self).draft, in: scope, now: now)
        try await req.audit("info.consultation.add", subject: row.title, tenantID: scope.tenantID)
        let slug = try req.tenant.routeSlug
        let response = try await Self.item(row, slug, now: now).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: InfoAPIRoute.consultation(slug, .value(.init(row.id ?? UUID()))).path)
        return response
    }

    struct Answer: Content {
        var choice: Int?
        /// A survey's answers by question id: a number, numbers, or text.
        var answers: [String: String]?
    }

    /// An answer from the signed-in account: a poll's `choice`, or a survey's `answers` keyed as
    /// the form's fields (`q-{item}`, a multiple choice's boxes `q-{item}-{n}`).
    func respond(req: Request) async throws -> HTTPStatus {
        let scope = try await DocumentPages.scope(req)
        guard let viewer = req.viewer else { throw Abort(.unauthorized) }
        let row = try await ConsultationPages.consultation(req, scope)
        let body = try req.content.decode(Answer.self)
        var values = body.answers ?? [:]
        if let choice = body.choice { values["pilihan"] = String(choice) }
        let voter = Participants.voter(email: viewer.email, key: try await Participants.key(req.application))
        try await ConsultationAnswers.answer(
            row, values: values, voter: voter, in: scope, now: req.application.clock.now())
        return .created
    }
}
