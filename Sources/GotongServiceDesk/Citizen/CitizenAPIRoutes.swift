import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Tagged
import Vapor

/// The citizen's part of the service desk's JSON API: a report without a token, and the case
/// as its citizen sees it, with the secret the report answered.
package struct CitizenAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.post(DeskAPIRoute.cases(.key), use: report)
        tenant.get(DeskAPIRoute.citizenCase(.key, .key), use: citizenCase)
        tenant.post(DeskAPIRoute.citizenRating(.key, .key), use: rate)
        tenant.post(DeskAPIRoute.citizenReopen(.key, .key), use: reopen)
        tenant.upload(.POST, DeskAPIRoute.citizenFiles(.key, .key), maxSize: DeskFiles.maxRequest, use: sendFile)
        tenant.get(DeskAPIRoute.citizenFile(.key, .key, .key), use: file)
    }

    struct Contact: Decodable {
        var channel: String?
        var name, email, phone, nik: String?
    }

    struct ReportInput: Decodable {
        var kind, category, text, location, privacy: String?
        var latitude, longitude: Double?
        var contact: Contact?

        var report: Report {
            var r = Report()
            (r.kind, r.category, r.text, r.location, r.privacy) = (kind, category, text, location, privacy)
            (r.latitude, r.longitude) = (latitude, longitude)
            (r.name, r.email, r.phone, r.nik) = (contact?.name, contact?.email, contact?.phone, contact?.nik)
            r.contactChannel = contact?.channel
            return r
        }
    }

    struct Received: Content {
        var number: String
        /// Shown once: the citizen follows the case with it.
        var secret: String
        var status: String
        var due_at: String?
        var url: String
    }

    func report(req: Request) async throws -> Response {
        _ = try await ReportPage.settings(req)
        // JSON only: a form another site's page posts (no token is needed here) is refused,
        // and a JSON post from another site needs a preflight no browser is granted.
        guard req.headers.contentType?.type == "application", req.headers.contentType?.subType == "json" else {
            throw Abort(.unsupportedMediaType)
        }
        let input = try req.content.decode(ReportInput.self)
        let (item, secret) = try await Intake(scope: try req.tenantScope, now: req.application.clock.now()).open(
            input.report, channel: .web, source: try await ReportPage.source(req))
        return try await Received(
            number: item.number, secret: secret, status: item.status.rawValue, due_at: item.dueAt.map(LocalDates.iso),
            url: req.application.gotong.baseURL
                + CitizenPage.address(try req.tenant.routeSlug, number: item.number, secret: secret)
        ).encodeResponse(status: .created, for: req)
    }

    struct CaseView: Content {
        struct Message: Content {
            var from: String
            var body: String
            var at: String
            var files: [DeskFiles.Item]
        }
        struct Step: Content {
            var status: String
            var note: String
            var at: String
        }
        var number, kind, category, status, privacy, created_at: String
        var due_at: String?
        /// The citizen's rating of the answer, once given.
        var rating: Int?
        var messages: [Message]
        var history: [Step]
    }

    func citizenCase(req: Request) async throws -> Response {
        let item = try await CitizenPage.citizenCase(req, secret: try? req.query.get(String.self, at: "secret"))
        return try await answer(item, req)
    }

    private func answer(_ item: DeskCase, _ req: Request) async throws -> Response {
        let view = try await CitizenView.load(item, in: try req.tenantScope)
        let response = try await CaseView(
            number: item.number, kind: item.kind.rawValue, category: view.category, status: item.status.rawValue,
            privacy: item.privacy.rawValue, created_at: LocalDates.iso(item.createdAt),
            due_at: item.dueAt.map(LocalDates.iso), rating: item.rating,
            messages: view.messages.map {
                .init(
                    from: $0.direction == .incoming ? "citizen" : "officer", body: $0.body,
                    at: LocalDates.iso($0.createdAt), files: (view.files[$0.id!] ?? []).map(DeskFiles.Item.init))
            },
            history: view.events.map { .init(status: $0.to.rawValue, note: $0.note, at: LocalDates.iso($0.at)) }
        ).encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The citizen sends a photo or a PDF (the body, `?name=` its file name) as a message of
    /// their open case.
    func sendFile(req: Request) async throws -> Response {
        let item = try await CitizenPage.citizenCase(req, secret: try? req.query.get(String.self, at: "secret"))
        let name = (req.query[String.self, at: "name"] ?? "").trimmed(max: 200)
        let upload = try await req.receivedFile(named: name.isEmpty ? "lampiran" : name)
        let scope = try req.tenantScope
        var problems = try await DeskFiles.problems(upload, for: item, in: scope, field: "body")
        if upload.size == 0 { problems.append(.init(field: "body", key: "desk.error.file_empty")) }
        let stored =
            problems.isEmpty
            ? try await DeskFiles.store(
                upload, tenant: scope.tenantID, anonymous: item.privacy == .anonymous, files: req.application.files,
                field: "body") : nil
        try await DeskFiles.keeping(stored, files: req.application.files) {
            try await CaseConversation(scope: scope, now: req.application.clock.now())
                .citizenReplies(to: item, body: nil, attachment: stored, problems: problems)
        }
        guard let stored,
            let row = try await scope.query(DeskAttachment.self).filter(\.$caseID == item.requireID())
                .filter(\.$key == stored.key).first()
        else { throw Abort(.internalServerError) }
        let response = try await DeskFiles.Item(row).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location,
            value: DeskAPIRoute.citizenFile(
                try req.tenant.routeSlug, .value(CaseNumber(item.number)!), .value(AttachmentID(row.id!))
            ).path)
        return response
    }

    /// A file of the case, to its citizen.
    func file(req: Request) async throws -> Response {
        let item = try await CitizenPage.citizenCase(req, secret: try? req.query.get(String.self, at: "secret"))
        return try await DeskFiles.serve(try await DeskFiles.find(req, of: item, in: try req.tenantScope), req)
    }

    struct RatingInput: Decodable {
        var secret: String?
        var rating: Int?
    }

    func rate(req: Request) async throws -> Response {
        let input = try req.content.decode(RatingInput.self)
        let item = try await CitizenPage.citizenCase(req, secret: input.secret)
        try await CitizenVerdict(scope: try req.tenantScope, now: req.application.clock.now())
            .rate(item, input.rating.map(String.init))
        return try await answer(try await reread(item, req), req)
    }

    struct ReopenInput: Decodable {
        var secret: String?
        var reason: String?
    }

    func reopen(req: Request) async throws -> Response {
        let input = try req.content.decode(ReopenInput.self)
        let item = try await CitizenPage.citizenCase(req, secret: input.secret)
        try await CitizenVerdict(scope: try req.tenantScope, now: req.application.clock.now())
            .reopen(item, reason: input.reason)
        return try await answer(try await reread(item, req), req)
    }

    private func reread(_ item: DeskCase, _ req: Request) async throws -> DeskCase {
        try await req.tenantScope.require(DeskCase.self, item.id)
    }
}
