import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged
import Vapor

/// Transparency documents in the JSON API: found and read by anyone; published (the PDF as the
/// body, its facts in the query) and taken down by the tenant's administrators and coordinators.
package struct DocumentAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoAPIRoute.documents(.key), use: list)
        tenant.upload(.POST, InfoAPIRoute.documents(.key), maxSize: Documents.maxRequest, use: publish)
        tenant.get(InfoAPIRoute.document(.key, .key), use: show)
        tenant.on(.DELETE, InfoAPIRoute.document(.key, .key), use: delete)
        tenant.get(InfoAPIRoute.documentFile(.key, .key), use: file)
    }

    struct Item: Content {
        var id, kind, title, summary, file_name, created_at, url: String
        var year, file_size: Int

        init(_ row: InfoDocument, _ slug: Param<TenantSlug>) {
            let id = Param<DocumentID>.value(.init(row.id ?? UUID()))
            (self.id, kind, title, summary, file_name) = (
                row.id?.uuidString ?? "", row.kind.rawValue, row.title, row.summary, row.fileName
            )
            (created_at, url, year, file_size) = (
                LocalDates.iso(row.createdAt), InfoAPIRoute.documentFile(slug, id).path, row.year, row.fileSize
            )
        }
    }

    struct Page: Content {
        var documents: [Item]
        var page, pages, total: Int
    }

    func list(req: Request) async throws -> Page {
        let scope = try await DocumentPages.scope(req)
        let (rows, window) = try await Documents.find(try Documents.Query.read(req, api: true), in: scope)
        let slug = try req.tenant.routeSlug
        return Page(
            documents: rows.map { Item($0, slug) }, page: window.page, pages: window.pages, total: window.total)
    }

    private func document(_ req: Request) async throws -> InfoDocument {
        let scope = try await DocumentPages.scope(req)
        guard let row = try await scope.find(InfoDocument.self, try req.parameter(DocumentID.self).rawValue) else {
            throw Abort(.notFound)
        }
        return row
    }

    func show(req: Request) async throws -> Item { Item(try await document(req), try req.tenant.routeSlug) }

    func file(req: Request) async throws -> Response { try await Documents.serve(try await document(req), req) }

    /// The body is the PDF; `year`, `kind`, `title`, `summary` and `name` (the file's name) are
    /// in the query. Every problem at once, nothing stored when there is one.
    func publish(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let name = (req.query[String.self, at: "name"] ?? "").trimmed(max: 200)
        let upload = try await req.receivedFile(named: name.isEmpty ? "dokumen.pdf" : name)
        let q = { (key: String) in req.query[String.self, at: key] }
        let row = try await Documents.add(
            .init(year: q("year"), kind: q("kind"), title: q("title"), summary: q("summary")), file: upload,
            fileField: "body", in: scope, files: req.application.files, now: req.application.clock.now())
        try await req.audit("info.document.add", subject: row.title, tenantID: scope.tenantID)
        let slug = try req.tenant.routeSlug
        let response = try await Item(row, slug).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: InfoAPIRoute.document(slug, .value(.init(row.id ?? UUID()))).path)
        return response
    }

    func delete(req: Request) async throws -> HTTPStatus {
        let scope = try await ServiceEditor.scope(req)
        let row = try await Documents.remove(
            try req.parameter(DocumentID.self).rawValue, in: scope, files: req.application.files)
        try await req.audit("info.document.remove", subject: row.title, tenantID: scope.tenantID)
        return .noContent
    }
}
