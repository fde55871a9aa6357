import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged
import Vapor

/// Hoax notices on the desk's site ("Cek Fakta"): the claims the tenant checked, newest first,
/// each with its verdict, explanation, sources and the means to pass it on; a claim a citizen
/// doubts goes to the desk as a case of kind "klarifikasi" (the desk's report form, started
/// with it). The officers' editor writes, changes and removes notices (audited).
package struct FactCheckPages: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoRoute.factChecks(.key), use: list)
        tenant.get(InfoRoute.factCheck(.key, .key), use: show)
        tenant.get(InfoRoute.factCheckEditor(.key), use: editor)
        tenant.post(InfoRoute.factCheckEditor(.key), use: add)
        tenant.get(InfoRoute.factCheckEdit(.key, .key), use: edit)
        tenant.post(InfoRoute.factCheckEdit(.key, .key), use: save)
        tenant.post(InfoRoute.factCheckRemove(.key, .key), use: remove)
        tenant.post(InfoRoute.factCheckShare(.key, .key), use: share)
    }

    func list(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let verdict = try QueryValue.choice(
            req.query[String.self, at: "vonis"], field: "vonis", as: FactCheck.Verdict.self)
        let (rows, window) = try await FactChecks.list(scope, verdict: verdict, page: try req.pageNumber("halaman"))
        let model = FactCheckListModel(
            slug: try req.tenant.routeSlug, tenant: try req.tenant.name, verdict: verdict, rows: rows, window: window)
        return try await req.render(model, title: "info.facts.title", tenant: try req.tenant, needsToken: false)
    }

    private func notice(_ req: Request, _ scope: TenantScope) async throws -> FactCheck {
        guard let row = try await scope.find(FactCheck.self, try req.parameter(Tagged<FactCheck, UUID>.self).rawValue)
        else { throw Abort(.notFound) }
        return row
    }

    func show(req: Request) async throws -> Response {
        let scope = try await DocumentPages.scope(req)
        let row = try await notice(req, scope)
        let slug = try req.tenant.routeSlug
        let model = FactCheckPageModel(
            slug: slug, row: row,
            address: req.application.gotong.baseURL + InfoRoute.factCheck(slug, .value(.init(row.id ?? UUID()))).path)
        return try await req.render(
            model, title: "info.facts.notice_title", titleArgs: ["claim": String(row.claim.prefix(60))],
            tenant: try req.tenant, needsToken: false)
    }

    struct Form: Content {
        var claim, verdict, explanation, seen_on, sources: String?

        var draft: FactChecks.Draft {
            var d = FactChecks.Draft()
            (d.claim, d.verdict, d.explanation, d.seenOn) = (claim, verdict, explanation, seen_on)
            d.sources = FactChecks.sources(sources)
            return d
        }

        var values: [String: String] {
            ["claim": claim, "verdict": verdict, "explanation": explanation, "seen_on": seen_on, "sources": sources]
                .compactMapValues { $0 }
        }

        static func values(of row: FactCheck) -> [String: String] {
            [
                "claim": row.claim, "verdict": row.verdict.rawValue, "explanation": row.explanation,
                "seen_on": row.seenOn, "sources": row.sources.map { "\($0.title) | \($0.url)" }.joined(separator: "\n"),
            ]
        }
    }

    func editor(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        var values: [String: String] = [:]
        // Started from a citizen's request (`?klaim=`): the claim they sent.
        if let claim = req.query[String.self, at: "klaim"]?.trimmed(max: 500) { values["claim"] = claim }
        return try await renderEditor(req, scope, values: values, errors: [:])
    }

    private func renderEditor(
        _ req: Request, _ scope: TenantScope, values: [String: String], errors: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let (rows, window) = try await FactChecks.list(scope, verdict: nil, page: try req.pageNumber("halaman"))
        let model = FactCheckEditorModel(
            slug: try req.tenant.routeSlug, rows: rows, window: window, editing: nil, values: values, errors: errors)
        return try await req.render(model, title: "info.facts.editor_title", tenant: try req.tenant, status: status)
    }

    func add(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let form = try req.content.decode(Form.self)
        do {
            let row = try await FactChecks.add(form.draft, in: scope, now: req.application.clock.now())
            try await req.audit("info.fact.add", subject: row.claim, tenantID: scope.tenantID)
            req.flash(.success, "info.facts.published")
            return req.seeOther(InfoRoute.factCheck(try req.tenant.routeSlug, .value(.init(row.id ?? UUID()))).path)
        } catch let error as InputError {
            return try await renderEditor(
                req, scope, values: form.values, errors: error.messages(req), status: error.status)
        }
    }

    func edit(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await notice(req, scope)
        return try await renderEdit(req, row, values: Form.values(of: row), errors: [:])
    }

    private func renderEdit(
        _ req: Request, _ row: FactCheck, values: [String: String], errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        let model = FactCheckEditorModel(
            slug: try req.tenant.routeSlug, rows: [], window: PageWindow(requested: 1, per: 1, total: 0), editing: row,
            values: values, errors: errors)
        return try await req.render(model, title: "info.facts.edit_title", tenant: try req.tenant, status: status)
    }

    func save(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await notice(req, scope)
        let form = try req.content.decode(Form.self)
        do {
            let saved = try await FactChecks.update(
                try row.requireID(), form.draft, in: scope, now: req.application.clock.now())
            try await req.audit("info.fact.update", subject: saved.claim, tenantID: scope.tenantID)
            req.flash(.success, "info.editor.saved")
            return req.seeOther(InfoRoute.factCheck(try req.tenant.routeSlug, .value(.init(saved.id ?? UUID()))).path)
        } catch let error as InputError {
            return try await renderEdit(
                req, row, values: form.values, errors: error.messages(req), status: error.status)
        }
    }

    func remove(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await FactChecks.remove(try await notice(req, scope).requireID(), in: scope)
        try await req.audit("info.fact.remove", subject: row.claim, tenantID: scope.tenantID)
        req.flash(.success, "info.facts.removed")
        return req.seeOther(InfoRoute.factCheckEditor(try req.tenant.routeSlug).path)
    }

    /// The notice shared to the channels: a post of public education made from it (its verdict,
    /// the claim, the explanation and the notice's address), sent now through the posts' own
    /// sending, with each channel's text, state and retries on the post's page.
    func share(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let row = try await notice(req, scope)
        let values = try req.content.decode([String: String].self)
        let slug = try req.tenant.routeSlug
        let address = req.application.gotong.baseURL + InfoRoute.factCheck(slug, .value(.init(row.id ?? UUID()))).path
        var draft = Posts.Draft()
        draft.kind = InfoPost.Kind.edukasi.rawValue
        draft.title = String(
            req.t(
                "info.facts.post_title", ["verdict": req.t("info.verdict.\(row.verdict.rawValue)"), "claim": row.claim]
            )
            .prefix(150))
        draft.body = req.t("info.facts.post_body", ["explanation": row.explanation, "address": address])
        draft.channels = [DeskCase.Channel.x, .telegram, .whatsapp].map(\.rawValue).filter {
            values["channel_" + $0] != nil
        }
        guard !draft.channels.isEmpty else {
            req.flash(.error, "info.facts.share_none")
            return req.seeOther(InfoRoute.factCheckEdit(slug, .value(.init(row.id ?? UUID()))).path + "#bagikan")
        }
        let post = try await Posts.add(
            draft, image: nil, in: scope, files: req.application.files, now: req.application.clock.now())
        try await req.audit("info.fact.share", subject: row.claim, tenantID: scope.tenantID)
        req.flash(.success, "info.facts.shared")
        return req.seeOther(InfoRoute.postEdit(slug, .value(.init(post.id ?? UUID()))).path)
    }
}
