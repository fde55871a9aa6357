import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// A case as its citizen follows it, by its number and the secret from the confirmation: its
/// status and deadline, its history, the conversation without officers' internal notes, and a
/// reply. A wrong secret and an unknown number answer alike (404): the number is no key.
package struct CitizenPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(DeskRoute.citizenCase(.key, .key), use: show)
        tenant.upload(.POST, DeskRoute.citizenReply(.key, .key), maxSize: DeskFiles.maxRequest, use: reply)
        tenant.get(DeskRoute.citizenFile(.key, .key, .key), use: file)
        tenant.post(DeskRoute.citizenRating(.key, .key), use: rate)
        tenant.post(DeskRoute.citizenReopen(.key, .key), use: reopen)
    }

    static func address(_ slug: Param<TenantSlug>, number: String, secret: String) -> String {
        DeskRoute.citizenCase(slug, .value(CaseNumber(number)!)).path(query: ["kode": secret])
    }

    /// The case with this number whose secret is `secret`, of the scope's tenant.
    static func find(_ number: CaseNumber, secret: String, in scope: TenantScope) async throws -> DeskCase? {
        guard let item = try await scope.query(DeskCase.self).filter(\.$number == number.description).first(),
            TrackingCode.matches(secret, of: item)
        else { return nil }
        return item
    }

    /// The case in the address with the secret the request carries, or 404.
    static func citizenCase(_ req: Request, secret: String?) async throws -> DeskCase {
        _ = try await ReportPage.settings(req)
        guard let secret, !secret.isEmpty,
            let item = try await find(try req.parameter(CaseNumber.self), secret: secret, in: try req.tenantScope)
        else { throw Abort(.notFound) }
        return item
    }

    func show(req: Request) async throws -> Response {
        let secret = try? req.query.get(String.self, at: "kode")
        let item = try await Self.citizenCase(req, secret: secret)
        return try await render(req, item, secret: secret ?? "", error: nil)
    }

    private func render(
        _ req: Request, _ item: DeskCase, secret: String, error: String?, errors: [String: String] = [:],
        values: [String: String] = [:], status: HTTPStatus = .ok
    ) async throws -> Response {
        let view = try await CitizenView.load(item, in: try req.tenantScope)
        let model = CitizenCaseModel(
            slug: try req.tenant.routeSlug, view: view, secret: secret,
            when: { req.dayTime($0) }, error: error, errors: errors, values: values,
            mayDispute: Lifecycle.mayDispute(item, now: req.application.clock.now()))
        let response = try await req.render(
            model, title: "desk.case.title", titleArgs: ["number": item.number], tenant: try req.tenant,
            status: status)
        // The address holds the secret: no search engine keeps it, no other site is told it.
        response.headers.replaceOrAdd(name: "X-Robots-Tag", value: "noindex")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The citizen's reply: words, a photo or a PDF, or both. A refused reply leaves no file.
    func reply(req: Request) async throws -> Response {
        let form = try await req.receivedForm()
        let code = form.values["kode"]
        let item = try await Self.citizenCase(req, secret: code)
        let upload = form.files[DeskFiles.field]
        do {
            let scope = try req.tenantScope
            let problems = try await DeskFiles.problems(upload, for: item, in: scope)
            let stored =
                problems.isEmpty
                ? try await DeskFiles.store(
                    upload, tenant: scope.tenantID, anonymous: item.privacy == .anonymous, files: req.application.files)
                : nil
            try await DeskFiles.keeping(stored, files: req.application.files) {
                try await CaseConversation(scope: scope, now: req.application.clock.now())
                    .citizenReplies(to: item, body: form.values["body"], attachment: stored, problems: problems)
            }
            req.flash(.success, "desk.case.replied")
            return req.seeOther(Self.address(try req.tenant.routeSlug, number: item.number, secret: code ?? ""))
        } catch let error as InputError {
            let messages = error.messages(req)
            return try await render(
                req, item, secret: code ?? "", error: messages["body"] ?? messages[DeskFiles.field],
                status: .unprocessableEntity)
        }
    }

    /// A file of the case, to its citizen (the code in the address, as the case page).
    func file(req: Request) async throws -> Response {
        let item = try await Self.citizenCase(req, secret: try? req.query.get(String.self, at: "kode"))
        let row = try await DeskFiles.find(req, of: item, in: try req.tenantScope)
        return try await DeskFiles.serve(row, req)
    }

    struct VerdictForm: Content {
        var kode: String?
        var nilai: String?
        var alasan: String?
    }

    /// Runs the citizen's verdict; a refused one shows the case again with its problem.
    private func verdict(
        _ req: Request, flash key: String, _ change: (CitizenVerdict, DeskCase, VerdictForm) async throws -> Void
    ) async throws -> Response {
        let form = try req.content.decode(VerdictForm.self)
        let item = try await Self.citizenCase(req, secret: form.kode)
        do {
            try await change(CitizenVerdict(scope: try req.tenantScope, now: req.application.clock.now()), item, form)
            req.flash(.success, key)
            return req.seeOther(Self.address(try req.tenant.routeSlug, number: item.number, secret: form.kode ?? ""))
        } catch let error as InputError {
            return try await render(
                req, item, secret: form.kode ?? "", error: nil, errors: error.messages(req),
                values: ["reason": form.alasan ?? ""], status: error.status)
        }
    }

    func rate(req: Request) async throws -> Response {
        try await verdict(req, flash: "desk.case.rated") { verdict, item, form in
            try await verdict.rate(item, form.nilai)
        }
    }

    func reopen(req: Request) async throws -> Response {
        try await verdict(req, flash: "desk.case.reopened") { verdict, item, form in
            try await verdict.reopen(item, reason: form.alasan)
        }
    }
}
