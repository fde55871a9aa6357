import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// Publishing transparency documents and finding them: one parser for what an officer sends
/// (form or API), one for what a citizen asks (page or API).
public enum Documents {
    /// A PDF, known by its bytes, at most this large (a year's budget runs to hundreds of pages).
    static let maxBytes = 30 * 1_048_576
    static let maxRequest: ByteCount = "32mb"
    public static let field = "berkas"
    static let yearRange = 2000...2100
    static let perPage = 50

    /// What an officer sent for a document, checked with its file: every problem at once.
    public struct Draft: Sendable {
        public var year, kind, title, summary: String?
        public init(year: String?, kind: String?, title: String?, summary: String?) {
            (self.year, self.kind, self.title, self.summary) = (year, kind, title, summary)
        }
    }

    /// Publishes a document: the file checked before anything is stored, stored before the row is
    /// written, and taken out of the store again when the row is not.
    public static func add(
        _ draft: Draft, file upload: ReceivedFile?, fileField: String = field, in scope: TenantScope,
        files: any FileStore,
        now: Date
    ) async throws -> InfoDocument {
        var p = ProblemList()
        let year = WholeNumber.read(draft.year, field: "year", in: yearRange, problems: &p)
        if draft.year?.trimmingCharacters(in: .whitespaces).isEmpty ?? true { p.add("year", "info.error.year") }
        let kind = draft.kind.flatMap(InfoDocument.Kind.init(rawValue:))
        if kind == nil { p.add("kind", "info.error.document_kind") }
        let title = p.text(draft.title, "title", max: 200, required: "info.error.document_title")
        let summary = p.text(draft.summary, "summary", max: 2000)
        if let upload, upload.size > 0 {
            if upload.size > maxBytes {
                p.add(fileField, "info.error.document_size", ["max": "\(maxBytes / 1_048_576) MB"])
            } else if FileKind.sniff(head: upload.head, filename: upload.filename, allowed: [.pdf]) == nil {
                p.add(fileField, "info.error.document_pdf")
            }
        } else {
            p.add(fileField, "info.error.document_file")
        }
        try p.throwIfAny()
        guard let upload, let year, let kind else { throw Abort(.internalServerError) }
        let key = "info/\(scope.tenantID.uuidString.lowercased())/\(UUID().uuidString.lowercased()).pdf"
        try await files.put(upload, at: key)
        do {
            let row = InfoDocument()
            (row.id, row.tenantID, row.year, row.kind, row.title, row.summary) =
                (UUID(), scope.tenantID, year, kind, title, summary)
            row.searchText = searchText(title, summary, kind: kind, year: year)
            (row.fileKey, row.fileName, row.fileSize, row.createdAt) =
                (key, FileKind.pdf.displayName(for: upload.filename, fallback: "dokumen", max: 120), upload.size, now)
            try await scope.db.lockingTransaction { tx in try await row.create(on: tx) }
            return row
        } catch {
            try? await files.delete(key)
            throw error
        }
    }

    /// Takes a document down: its row, then its file.
    public static func remove(_ id: UUID, in scope: TenantScope, files: any FileStore) async throws -> InfoDocument {
        let row = try await scope.db.lockingTransaction { tx in
            guard let row = try await TenantScope(tenantID: scope.tenantID, db: tx).find(InfoDocument.self, id) else {
                throw Abort(.notFound)
            }
            try await row.delete(on: tx)
            return row
        }
        try? await files.delete(row.fileKey)
        return row
    }

    static func searchText(_ title: String, _ summary: String, kind: InfoDocument.Kind, year: Int) -> String {
        " " + IndonesianStemmer.words("\(title) \(summary) \(kind.rawValue) \(year)").joined(separator: " ") + " "
    }

    /// What a citizen asks of the list: words, a year, a kind, a page. Read strictly from the
    /// page's (`q`, `tahun`, `jenis`, `halaman`) or the API's (`q`, `year`, `kind`, `page`)
    /// parameters: anything else than a year of 2000–2100, a kind or a page number is a 400.
    public struct Query: Sendable, Equatable {
        public var text = ""
        public var year: Int?
        public var kind: InfoDocument.Kind?
        public var page = 1

        public init() {}

        static func read(_ req: Request, api: Bool) throws -> Query {
            var q = Query()
            let (yearName, kindName, pageName) = api ? ("year", "kind", "page") : ("tahun", "jenis", "halaman")
            var p = ProblemList()
            q.text = p.text(req.query[String.self, at: "q"], "q", max: 200)
            q.year = WholeNumber.read(
                req.query[String.self, at: yearName], field: yearName, in: yearRange, problems: &p)
            if !p.isEmpty { throw InputError(p.problems, status: .badRequest) }
            q.kind = try QueryValue.choice(
                req.query[String.self, at: kindName], field: kindName, as: InfoDocument.Kind.self)
            q.page = try req.pageNumber(pageName)
            return q
        }
    }

    /// A page of the documents `query` finds, newest year first.
    public static func find(_ query: Query, in scope: TenantScope) async throws -> ([InfoDocument], PageWindow) {
        var found = scope.query(InfoDocument.self)
        if let year = query.year { found = found.filter(\.$year == year) }
        if let kind = query.kind { found = found.filter(\.$kind == kind) }
        for word in IndonesianStemmer.words(query.text).prefix(8) {
            found = found.filter(\.$searchText, .custom("LIKE"), "% \(word)%")
        }
        let window = PageWindow(requested: query.page, per: perPage, total: try await found.count())
        let rows = try await found.copy().sort(\.$year, .descending).sort(\.$createdAt, .descending).sort(\.$id)
            .range(window.range).all()
        return (rows, window)
    }

    /// The years the tenant has documents of, newest first, with how many.
    public static func years(in scope: TenantScope) async throws -> [(year: Int, count: Int)] {
        try await scope.groups(InfoDocument.self, by: ["year"]).map {
            (try $0.decode(column: "year", as: Int.self), try $0.decode(column: "n", as: Int.self))
        }.sorted { $0.year > $1.year }
    }

    /// The document's PDF, to read in the browser. Asked again each time (its ETag makes that
    /// cheap): a document taken down must not linger in a cache along the way. Only this
    /// site's pages may embed it.
    static func serve(_ row: InfoDocument, _ req: Request) async throws -> Response {
        let response = try await req.application.files.serve(row.fileKey, as: FileKind.pdf.mediaType, for: req)
        response.headers.setInline(filename: row.fileName)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        response.headers.replaceOrAdd(name: "Cross-Origin-Resource-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }
}
