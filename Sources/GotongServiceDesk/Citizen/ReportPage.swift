import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// A tenant's public service desk: the report form (no account, no script needed) and the
/// lookup of a case by its number and secret. A report goes to the case's page with its secret.
package struct ReportPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(DeskRoute.desk(.key), use: show)
        tenant.upload(.POST, DeskRoute.desk(.key), maxSize: DeskFiles.maxRequest, use: report)
        tenant.get(DeskRoute.lookUp(.key), use: lookUp)
    }

    /// The desk's settings, or 404 where the tenant has no desk turned on.
    static func settings(_ req: Request) async throws -> DeskSettings {
        guard let settings = try await DeskSetup.settings(try req.tenantScope) else { throw Abort(.notFound) }
        return settings
    }

    func show(req: Request) async throws -> Response {
        _ = try await Self.settings(req)
        let missed = (try? req.query.get(String.self, at: "tidak-ditemukan")) != nil
        return try await render(
            req, values: Self.prefilled(req), errors: missed ? ["nomor": req.t("desk.public.not_found")] : [:])
    }

    /// What another page starts the form with (the answerer's "ask an officer": the kind and
    /// the question): only a known kind, and the text within the field's limit.
    static func prefilled(_ req: Request) -> [String: String] {
        var values: [String: String] = [:]
        if let kind = req.query[String.self, at: "kind"], DeskCase.Kind(rawValue: kind) != nil { values["kind"] = kind }
        if let text = req.query[String.self, at: "text"]?.trimmed(max: 4000), !text.isEmpty { values["text"] = text }
        return values
    }

    private func render(
        _ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        let slug = try req.tenant.routeSlug
        let model = ReportModel(
            slug: slug, tenant: try req.tenant.name,
            categories: try await DeskSetup.categories(try req.tenantScope).map { ($0.slug, $0.name) },
            values: values, errors: errors, links: req.application.deskLinks.links(.citizens, slug),
            search: req.application.deskLinks.citizensSearch.map { ($0, $0.path(slug)) })
        return try await req.render(
            model, title: "desk.public.title", titleArgs: ["tenant": try req.tenant.name], tenant: try req.tenant,
            status: status)
    }

    /// The form's text fields, shown again when it is refused.
    static let fields = ["kind", "category", "text", "location", "privacy", "name", "email", "phone", "nik"]

    /// The report of the form's fields.
    static func report(_ v: [String: String]) -> Report {
        var r = Report()
        (r.kind, r.category, r.text, r.location, r.privacy) = (
            v["kind"], v["category"], v["text"], v["location"], v["privacy"]
        )
        (r.name, r.email, r.phone, r.nik) = (v["name"], v["email"], v["phone"], v["nik"])
        return r
    }

    /// A report, with a photo or a PDF if one came (multipart; a form without a file may come
    /// URL-encoded). A refused report leaves no file behind.
    func report(req: Request) async throws -> Response {
        _ = try await Self.settings(req)
        let form = try await req.receivedForm()
        let values = form.values.filter { Self.fields.contains($0.key) }
        do {
            // The honeypot: a field people do not see and robots fill in.
            guard (form.values["situs"] ?? "").isEmpty else { throw InputError(field: "text", key: "desk.error.robot") }
            let upload = form.files[DeskFiles.field]
            let problems = DeskFiles.problems(upload)
            let scope = try req.tenantScope
            let source = try await Self.source(req)
            let stored =
                problems.isEmpty
                ? try await DeskFiles.store(
                    upload, tenant: scope.tenantID, anonymous: values["privacy"] == DeskCase.Privacy.anonymous.rawValue,
                    files: req.application.files) : nil
            let (item, secret) = try await DeskFiles.keeping(stored, files: req.application.files) {
                try await Intake(scope: scope, now: req.application.clock.now()).open(
                    Self.report(values), channel: .web, source: source, attachment: stored, problems: problems)
            }
            // The code is on the case's page (its address holds it), never in the session.
            req.flash(.success, "desk.public.received", ["number": item.number])
            return req.seeOther(
                CitizenPage.address(try req.tenant.routeSlug, number: item.number, secret: secret))
        } catch let error as InputError {
            return try await render(
                req, values: values, errors: error.messages(req),
                status: error.status == .tooManyRequests ? .tooManyRequests : .unprocessableEntity)
        }
    }

    /// The key the sender's reports are counted under (``Intake/source(of:key:)``).
    static func source(_ req: Request) async throws -> String {
        Intake.source(of: req.clientAddress, key: try await req.application.secretKeys.key("desk.sources", on: req.db))
    }

    /// The lookup form's answer: the case's page, or the desk with a word that nothing matched
    /// (in the address: a failed lookup writes no session).
    func lookUp(req: Request) async throws -> Response {
        _ = try await Self.settings(req)
        let slug = try req.tenant.routeSlug
        let number = (try? req.query.get(String.self, at: "nomor")).flatMap {
            CaseNumber($0.trimmingCharacters(in: .whitespaces))
        }
        let secret = ((try? req.query.get(String.self, at: "kode")) ?? "").trimmingCharacters(in: .whitespaces)
        guard let number, !secret.isEmpty,
            try await CitizenPage.find(number, secret: secret, in: try req.tenantScope) != nil
        else { return req.seeOther(DeskRoute.desk(slug).path(query: ["tidak-ditemukan": "1"]) + "#lacak") }
        let shown = TrackingCode.code.normalised(secret).map(TrackingCode.shown) ?? secret
        return req.seeOther(CitizenPage.address(slug, number: number.description, secret: shown))
    }
}
