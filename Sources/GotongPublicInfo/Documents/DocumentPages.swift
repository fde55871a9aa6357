import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged
import Vapor

/// Transparency documents on the desk's site: the list with its search (words, year, kind),
/// a page per year, each PDF to read; and the officers' page that publishes and takes them
/// down (the tenant's administrators and coordinators; audited).
package struct DocumentPages: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoRoute.documents(.key), use: list)
        tenant.get(InfoRoute.documentYear(.key, .key), use: year)
        tenant.get(InfoRoute.documentFile(.key, .key), use: file)
        tenant.get(InfoRoute.documentEditor(.key), use: editor)
        tenant.upload(.POST, InfoRoute.documentEditor(.key), maxSize: Documents.maxRequest, use: publish)
        tenant.post(InfoRoute.documentRemove(.key), use: remove)
    }

    /// The tenant's scope when its desk is on (404 otherwise).
    static func scope(_ req: Request) async throws -> TenantScope {
        let scope = try req.tenantScope
        guard try await DeskSetup.isOn(scope, now: req.application.clock.now()) else { throw Abort(.notFound) }
        return scope
    }

    func list(req: Request) async throws -> Response {
        try await render(req, try Documents.Query.read(req, api: false), heading: nil)
    }

    func year(req: Request) async throws -> Response {
        var query = try Documents.Query.read(req, api: false)
        let year = try req.parameter(DocumentYear.self).year
        query.year = year
        return try await render(req, query, heading: year)
    }

    private func render(_ req: Request, _ query: Documents.Query, heading year: Int?) async throws -> Response {
        let scope = try await Self.scope(req)
        let (rows, window) = try await Documents.find(query, in: scope)
        let model = DocumentListModel(
            slug: try req.tenant.routeSlug, tenant: try req.tenant.name, query: query, year: year, rows: rows,
            window: window, years: try await Documents.years(in: scope))
        return try await req.render(
            model, title: year == nil ? "info.documents.title" : "info.documents.year_title",
            titleArgs: ["year": year.map(String.init) ?? ""], tenant: try req.tenant, needsToken: false)
    }

    func file(req: Request) async throws -> Response {
        let scope = try await Self.scope(req)
        guard let row = try await scope.find(InfoDocument.self, try req.parameter(DocumentID.self).rawValue) else {
            throw Abort(.notFound)
        }
        return try await Documents.serve(row, req)
    }

    func editor(req: Request) async throws -> Response {
        try await renderEditor(req, try await ServiceEditor.scope(req), values: [:], errors: [:])
    }

    private func renderEditor(
        _ req: Request, _ scope: TenantScope, values: [String: String], errors: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        var query = Documents.Query()
        query.page = try req.pageNumber("halaman")
        let (rows, window) = try await Documents.find(query, in: scope)
        let model = DocumentEditorModel(
            slug: try req.tenant.routeSlug, rows: rows, window: window, values: values, errors: errors)
        return try await req.render(model, title: "info.documents.editor_title", tenant: try req.tenant, status: status)
    }

    func publish(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let form = try await req.receivedForm()
        let values = form.values.filter { ["year", "kind", "title", "summary"].contains($0.key) }
        do {
            let row = try await Documents.add(
                .init(year: values["year"], kind: values["kind"], title: values["title"], summary: values["summary"]),
                file: form.files[Documents.field], in: scope, files: req.application.files,
                now: req.application.clock.now())
            try await req.audit("info.document.add", subject: row.title, tenantID: scope.tenantID)
            req.flash(.success, "info.documents.published", ["title": row.title])
            return req.seeOther(InfoRoute.documentEditor(try req.tenant.routeSlug).path)
        } catch let error as InputError {
            return try await renderEditor(req, scope, values: values, errors: error.messages(req), status: error.status)
        }
    }

    struct RemoveForm: Content { var id: String? }

    func remove(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        guard let id = try QueryValue.id(try req.content.decode(RemoveForm.self).id, field: "id") else {
            throw Abort(.notFound)
        }
        let row = try await Documents.remove(id, in: scope, files: req.application.files)
        try await req.audit("info.document.remove", subject: row.title, tenantID: scope.tenantID)
        req.flash(.success, "info.documents.removed", ["title": row.title])
        return req.seeOther(InfoRoute.documentEditor(try req.tenant.routeSlug).path)
    }
}

/// A document as a list shows it: title, kind and year, summary, its PDF with its size.
enum DocumentItem {
    static func write(
        _ h: HTMLText, _ t: Texts, slug: Param<TenantSlug>, _ row: InfoDocument, after: (HTMLText) -> Void = { _ in }
    ) {
        h.raw("<li><a href=\"").attr(InfoRoute.documentFile(slug, .value(.init(row.id ?? UUID()))).path)
            .raw("\"><strong>").text(row.title).raw("</strong></a> <span class=\"muted\">")
            .text(t("info.document.kind.\(row.kind.rawValue)")).raw(" · ").text(String(row.year)).raw(" · PDF, ")
            .text(FileKind.sizeText(row.fileSize)).raw("</span>")
        if !row.summary.isEmpty { h.raw("<br>").text(row.summary) }
        after(h)
        h.raw("</li>\n")
    }
}

struct DocumentListModel: PageBody {
    let slug: Param<TenantSlug>
    let tenant: String
    let query: Documents.Query
    let year: Int?
    let rows: [InfoDocument]
    let window: PageWindow
    let years: [(year: Int, count: Int)]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.desk(slug).path).raw("\">").text(t("info.back_desk"))
            .raw("</a></p>\n<h1>")
        if let year {
            h.text(t("info.documents.year_heading", ["year": String(year)]))
        } else {
            h.text(t("info.documents.heading", ["tenant": tenant]))
        }
        h.raw("</h1>\n<p>").text(t("info.documents.lead")).raw("</p>\n")
        writeSearch(h, t)
        if !years.isEmpty {
            h.raw("<nav aria-label=\"").attr(t("info.documents.years")).raw("\"><ul class=\"chips\">")
            for (y, count) in years {
                h.raw("<li><a href=\"").attr(InfoRoute.documentYear(slug, .value(DocumentYear(y))).path).raw("\"")
                    .raw(y == year ? " aria-current=\"page\" class=\"on\"" : "").raw(">").text(String(y)).raw(" (")
                    .text(String(count)).raw(")</a></li>")
            }
            h.raw("</ul></nav>\n")
        }
        h.raw("<p class=\"lead\">").text(t("info.documents.count", ["count": "\(window.total)"])).raw("</p>\n")
        h.raw("<ul class=\"list\">\n")
        for row in rows { DocumentItem.write(h, t, slug: slug, row) }
        h.raw("</ul>\n")
        writePager(h, t)
    }

    private func writeSearch(_ h: HTMLText, _ t: Texts) {
        let action =
            year.map { InfoRoute.documentYear(slug, .value(DocumentYear($0))).path } ?? InfoRoute.documents(slug).path
        let kinds =
            [SelectOption(value: "", label: t("info.documents.any_kind"), selected: query.kind == nil)]
            + InfoDocument.Kind.allCases.map {
                SelectOption(
                    value: $0.rawValue, label: t("info.document.kind.\($0.rawValue)"), selected: query.kind == $0)
            }
        h.raw("<form method=\"get\" action=\"").attr(action).raw("\" class=\"form\" role=\"search\">\n")
        if year == nil, let chosen = query.year {
            h.raw("<input type=\"hidden\" name=\"tahun\" value=\"").text(String(chosen)).raw("\">\n")
        }
        h.textField(
            TextField(
                "q", label: t("info.documents.search"), value: query.text, error: nil, kind: .input("search"),
                max: 200)
        )
        .textField(
            TextField("jenis", label: t("info.documents.kind"), value: nil, error: nil, kind: .select(kinds))
        )
        .raw("<button type=\"submit\">").text(t("info.documents.find")).raw("</button>\n</form>\n")
    }

    private func writePager(_ h: HTMLText, _ t: Texts) {
        guard window.pages > 1 else { return }
        // The page's own year is in its address; a year chosen on the list stays in the query.
        func link(_ page: Int) -> String {
            let (q, kind) = (query.text.isEmpty ? nil : query.text, query.kind?.rawValue)
            if let year {
                return InfoRoute.documentYear(slug, .value(DocumentYear(year)))
                    .path(query: ["q": q, "jenis": kind, "halaman": String(page)])
            }
            return InfoRoute.documents(slug)
                .path(query: ["q": q, "tahun": query.year.map(String.init), "jenis": kind, "halaman": String(page)])
        }
        InfoPager.write(h, t, window, link: link)
    }
}

struct DocumentEditorModel: PageBody {
    let slug: Param<TenantSlug>
    let rows: [InfoDocument]
    let window: PageWindow
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        EditorNav.write(h, t, slug: slug, unanswered: nil)
        h.raw("<h1>").text(t("info.documents.editor_heading")).raw("</h1>\n<p>").text(t("info.documents.editor_lead"))
            .raw(" <a href=\"").attr(InfoRoute.documents(slug).path).raw("\">").text(t("info.documents.public"))
            .raw("</a></p>\n")
        h.postForm(InfoRoute.documentEditor(slug).path, csrf: csrf, class: "form", multipart: true)
        let kinds =
            [SelectOption(value: "", label: t("desk.field.choose"), selected: values["kind"] == nil)]
            + InfoDocument.Kind.allCases.map {
                SelectOption(
                    value: $0.rawValue, label: t("info.document.kind.\($0.rawValue)"),
                    selected: values["kind"] == $0.rawValue)
            }
        h.textField(
            TextField(
                "title", label: t("info.documents.title_field"), value: values["title"], error: errors["title"],
                max: 200,
                required: true))
        h.textField(
            TextField(
                "kind", label: t("info.documents.kind"), value: nil, error: errors["kind"], kind: .select(kinds),
                required: true))
        h.textField(
            TextField(
                "year", label: t("info.documents.year"), value: values["year"], error: errors["year"], max: 4,
                required: true, attributes: " inputmode=\"numeric\""))
        h.textField(
            TextField(
                "summary", label: t("info.documents.summary"), value: values["summary"], error: errors["summary"],
                kind: .area(rows: 4), max: 2000))
        h.textField(
            TextField(
                Documents.field, label: t("info.documents.file"), value: nil, error: errors[Documents.field],
                hint: t("info.documents.file_hint"), kind: .file(accept: "application/pdf"), required: true))
        h.raw("<button type=\"submit\">").text(t("info.documents.publish")).raw("</button>\n</form>\n")
        h.raw("<h2>").text(t("info.documents.published_heading", ["count": "\(window.total)"])).raw(
            "</h2>\n<ul class=\"list\">\n")
        for row in rows {
            DocumentItem.write(h, t, slug: slug, row) { h in
                h.raw(" ").postForm(InfoRoute.documentRemove(slug).path, csrf: csrf, class: "inline")
                    .raw("<input type=\"hidden\" name=\"id\" value=\"").attr(row.id?.uuidString ?? "")
                    .raw("\"><button type=\"submit\" class=\"small secondary\" aria-label=\"")
                    .attr(t("info.documents.remove_named", ["title": row.title])).raw("\">").text(
                        t("desk.units.remove")
                    )
                    .raw("</button></form>")
            }
        }
        h.raw("</ul>\n")
        InfoPager.write(h, t, window) { InfoRoute.documentEditor(slug).path(query: ["halaman": String($0)]) }
    }
}
