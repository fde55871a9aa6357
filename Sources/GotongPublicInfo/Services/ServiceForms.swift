import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import SQLKit
import Tagged
import Vapor

/// A form a citizen downloads for a service (an application, a statement to sign): a PDF, Word
/// or Excel file, known by its bytes, listed on the service's page in the officers' order.
public final class InfoServiceForm: TenantOwned, @unchecked Sendable {
    public static let schema = "info_service_forms"
    public static var tenantKey: KeyPath<InfoServiceForm, FieldProperty<InfoServiceForm, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "service_id") public var serviceID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "file_key") public var fileKey: String
    @Field(key: "file_name") public var fileName: String
    @Field(key: "file_size") public var fileSize: Int
    @Field(key: "position") public var position: Int
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $serviceID, $title, $fileKey, $fileName, $fileSize, $position, $createdAt]
    }
}

extension InfoServiceForm: PathTag { public static let parameterName = "formFileID" }
public typealias ServiceFormID = Tagged<InfoServiceForm, UUID>

struct AddServiceForms: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(InfoServiceForm.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("service_id", .uuid, .required, .references(InfoService.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("file_key", .string, .required)
            .field("file_name", .string, .required)
            .field("file_size", .int, .required)
            .field("position", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.sql.create(index: "info_service_forms_tenant_service_idx").on(InfoServiceForm.schema)
            .column("tenant_id").column("service_id").run()
    }

    func revert(on db: any Database) async throws { try await db.schema(InfoServiceForm.schema).delete() }
}

/// Adding and removing a service's forms: the file checked before anything is stored, stored
/// before the row is written (and taken out again when it is not); each change raises the
/// catalogue's version, as a change to the service does.
public enum ServiceForms {
    public static let field = "berkas"
    static let kinds: [FileKind] = [.pdf, .docx, .xlsx]
    static let maxBytes = 10 * 1_048_576
    static let maxRequest: ByteCount = "11mb"
    static let maxPerService = 10

    public static func add(
        title: String?, file upload: ReceivedFile?, to serviceID: UUID, in scope: TenantScope, files: any FileStore,
        now: Date
    ) async throws -> InfoServiceForm {
        var p = ProblemList()
        let title = p.text(title, "form_title", max: 150, required: "info.error.form_title")
        var kind: FileKind?
        if let upload, upload.size > 0 {
            if upload.size > maxBytes {
                p.add(field, "info.error.form_size", ["max": "\(maxBytes / 1_048_576) MB"])
            } else {
                kind = FileKind.sniff(head: upload.head, filename: upload.filename, allowed: kinds)
                if kind == nil { p.add(field, "info.error.form_kind") }
            }
        } else {
            p.add(field, "info.error.form_file")
        }
        try p.throwIfAny()
        guard let upload, let kind else { throw Abort(.internalServerError) }
        let key =
            "info/\(scope.tenantID.uuidString.lowercased())/form-\(UUID().uuidString.lowercased())."
            + kind.fileExtension
        try await files.put(upload, at: key)
        do {
            return try await ServiceCatalogue.changing(scope) { tx in
                let scope = TenantScope(tenantID: scope.tenantID, db: tx)
                guard try await scope.locked(InfoService.self, serviceID) != nil else { throw Abort(.notFound) }
                let forms = scope.query(InfoServiceForm.self).filter(\.$serviceID == serviceID)
                let count = try await forms.count()
                guard count < maxPerService else {
                    throw InputError(field: field, key: "info.error.too_many", args: ["max": "\(maxPerService)"])
                }
                let row = InfoServiceForm()
                (row.id, row.tenantID, row.serviceID, row.title) = (UUID(), scope.tenantID, serviceID, title)
                let last = try await forms.copy().max(\.$position) ?? -1
                (row.fileKey, row.fileSize, row.position, row.createdAt) = (key, upload.size, last + 1, now)
                row.fileName = kind.displayName(for: upload.filename, fallback: "formulir", max: 120)
                try await row.create(on: tx)
                try await ServiceCatalogue.bump(scope, now: now)
                return row
            }
        } catch {
            try? await files.delete(key)
            throw error
        }
    }

    public static func remove(
        _ id: UUID, of serviceID: UUID, in scope: TenantScope, files: any FileStore, now: Date
    ) async throws -> InfoServiceForm {
        let row = try await ServiceCatalogue.changing(scope) { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            guard let row = try await scope.find(InfoServiceForm.self, id), row.serviceID == serviceID else {
                throw Abort(.notFound)
            }
            try await row.delete(on: tx)
            try await ServiceCatalogue.bump(scope, now: now)
            return row
        }
        try? await files.delete(row.fileKey)
        return row
    }

    /// The form's file, to download under its name.
    static func serve(_ row: InfoServiceForm, _ req: Request) async throws -> Response {
        let kind = FileKind.of(key: row.fileKey) ?? .pdf
        let response = try await req.application.files.serve(row.fileKey, as: kind.mediaType, for: req)
        response.headers.setAttachment(filename: row.fileName)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return response
    }

    /// A service removed with its forms: their files go once the service's row has.
    public static func removeService(
        _ id: UUID, in scope: TenantScope, files: any FileStore, now: Date
    ) async throws
        -> InfoService
    {
        let keys = try await scope.query(InfoServiceForm.self).filter(\.$serviceID == id).all(\.$fileKey)
        let row = try await ServiceCatalogue.remove(id, in: scope, now: now)
        for key in keys { try? await files.delete(key) }
        return row
    }
}
