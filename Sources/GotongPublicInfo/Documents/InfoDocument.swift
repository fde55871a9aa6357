import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// A transparency document the tenant publishes (its budget, accountability report, audit
/// results, performance report): a PDF with its year, kind, title and summary.
public final class InfoDocument: TenantOwned, @unchecked Sendable {
    public static let schema = "info_documents"
    public static var tenantKey: KeyPath<InfoDocument, FieldProperty<InfoDocument, UUID>> { \.$tenantID }

    /// What a document is, as regional governments publish them.
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// Anggaran Pendapatan dan Belanja Daerah (and its changes).
        case apbd
        /// Laporan Keterangan Pertanggungjawaban.
        case lkpj
        /// Laporan Penyelenggaraan Pemerintahan Daerah.
        case lppd
        /// Laporan Hasil Pemeriksaan BPK and other audits.
        case audit
        /// Laporan Kinerja Instansi Pemerintah (LKjIP) and other performance reports.
        case kinerja
        case lainnya
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "year") public var year: Int
    @Enum(key: "kind") public var kind: Kind
    @Field(key: "title") public var title: String
    @Field(key: "summary") public var summary: String
    /// The title's, summary's, kind's and year's words, folded, for the search.
    @Field(key: "search_text") var searchText: String
    @Field(key: "file_key") var fileKey: String
    @Field(key: "file_name") public var fileName: String
    @Field(key: "file_size") public var fileSize: Int
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $year, $kind, $title, $summary, $searchText, $fileKey, $fileName, $fileSize, $createdAt]
    }
}

extension InfoDocument: PathTag { public static let parameterName = "documentID" }

struct AddInfoDocuments: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(InfoDocument.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("search_text", .string, .required)
            .field("file_key", .string, .required)
            .field("file_name", .string, .required)
            .field("file_size", .int64, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.sql.create(index: "info_documents_tenant_year_idx").on(InfoDocument.schema)
            .column("tenant_id").column("year").column("created_at").run()
    }

    func revert(on db: any Database) async throws { try await db.schema(InfoDocument.schema).delete() }
}
