import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit
import Tagged
import Vapor

/// A file a citizen sent with a message of their case — a photo of the broken road, a PDF of
/// the letter they were refused — known by its bytes, never by its name or declared type.
public final class DeskAttachment: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_attachments"
    public static var tenantKey: KeyPath<DeskAttachment, FieldProperty<DeskAttachment, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "case_id") public var caseID: UUID
    /// The message it came with (the report's own, or a reply).
    @Field(key: "message_id") public var messageID: UUID
    /// The sender's file name, cleaned, with the extension its bytes have.
    @Field(key: "name") public var name: String
    @Field(key: "key") public var key: String
    @Field(key: "kind") public var kind: String
    @Field(key: "size") public var size: Int
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $caseID, $messageID, $name, $key, $kind, $size, $createdAt]
    }

    var fileKind: FileKind? { FileKind(rawValue: kind) }
}

extension DeskAttachment: PathTag { public static let parameterName = "attachmentID" }
/// An attachment's id in an address.
public typealias AttachmentID = Tagged<DeskAttachment, UUID>

struct AddDeskAttachments: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(DeskAttachment.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("case_id", .uuid, .required, .references(DeskCase.schema, "id", onDelete: .cascade))
            .field("message_id", .uuid, .required, .references(DeskMessage.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("key", .string, .required)
            .field("kind", .string, .required)
            .field("size", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.sql.create(index: "desk_attachments_tenant_case_idx").on(DeskAttachment.schema)
            .column("tenant_id").column("case_id").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(DeskAttachment.schema).delete()
    }
}

/// The rules of citizens' files, and their way into the store and out to the people who may
/// read them (the case's citizen by its code, the officers who see the case).
enum DeskFiles {
    /// Photos from a phone's camera and scanned letters.
    static let kinds: [FileKind] = [.jpeg, .png, .pdf]
    static let maxBytes = 10 * 1_048_576
    /// A form's request: one file and the form's text.
    static let maxRequest: ByteCount = "12mb"
    /// The forms' file field.
    static let field = "lampiran"

    /// An upload that passed the rules, stored under `key` (the row is written with its message).
    struct Stored: Sendable {
        let key: String
        let kind: FileKind
        let name: String
        let size: Int
    }

    /// The problems of an upload (too large; not a photo or PDF by its bytes); none for a
    /// field left empty.
    static func problems(_ upload: ReceivedFile?, field: String = field) -> [InputError.Problem] {
        guard let upload, upload.size > 0 else { return [] }
        if upload.size > maxBytes {
            return [.init(field: field, key: "desk.error.file_size", args: ["max": "\(maxBytes / 1_048_576) MB"])]
        }
        if FileKind.sniff(head: upload.head, filename: upload.filename, allowed: kinds) == nil {
            return [.init(field: field, key: "desk.error.file_type")]
        }
        return []
    }

    /// Files one case may hold: a citizen's code lets them add to it, not fill the disk.
    static let maxPerCase = 20

    /// The problems of a citizen's file for their case: those of ``problems(_:field:)``, and
    /// none taken on a closed case or past ``maxPerCase`` — found before anything is stored.
    static func problems(
        _ upload: ReceivedFile?, for item: DeskCase, in scope: TenantScope, field: String = field
    ) async throws -> [InputError.Problem] {
        let found = problems(upload, field: field)
        guard found.isEmpty, let upload, upload.size > 0 else { return found }
        if item.status.isClosed { return [.init(field: field, key: "desk.error.closed")] }
        if try await scope.query(DeskAttachment.self).filter(\.$caseID == item.requireID()).count() >= maxPerCase {
            return [.init(field: field, key: "desk.error.files_full", args: ["max": "\(maxPerCase)"])]
        }
        return []
    }

    /// Puts an upload that has no ``problems(_:field:)`` in the store, under the tenant's folder.
    /// An anonymous reporter's photo goes without what it says of who took it, and where
    /// (``ImageMetadata``): their identity is hidden even from officers.
    static func store(
        _ upload: ReceivedFile?, tenant: UUID, anonymous: Bool, files: any FileStore, field: String = field
    ) async throws -> Stored? {
        guard let upload, upload.size > 0,
            let kind = FileKind.sniff(head: upload.head, filename: upload.filename, allowed: kinds)
        else { return nil }
        let key = "desk/\(tenant.uuidString.lowercased())/\(UUID().uuidString.lowercased()).\(kind.fileExtension)"
        let name = displayName(upload.filename, kind: kind)
        guard anonymous, kind != .pdf else {
            try await files.put(upload, at: key)
            return Stored(key: key, kind: kind, name: name, size: upload.size)
        }
        guard let clean = ImageMetadata.stripped(try Data(contentsOf: URL(fileURLWithPath: upload.path)), as: kind)
        else { throw InputError(field: field, key: "desk.error.file_broken") }
        try await files.put(ByteBuffer(data: clean), at: key)
        return Stored(key: key, kind: kind, name: name, size: clean.count)
    }

    /// Runs `write` with the stored file; if it fails the file leaves the store again.
    static func keeping<T>(_ stored: Stored?, files: any FileStore, _ write: () async throws -> T) async throws -> T {
        do {
            return try await write()
        } catch {
            if let stored { try? await files.delete(stored.key) }
            throw error
        }
    }

    /// The row of `stored` as an attachment of `message`, in the message's transaction.
    static func attach(_ stored: Stored?, to message: DeskMessage, on db: any Database, now: Date) async throws {
        guard let stored else { return }
        let row = DeskAttachment()
        (row.id, row.tenantID, row.caseID, row.messageID) = (UUID(), message.tenantID, message.caseID, message.id!)
        (row.name, row.key, row.kind, row.size, row.createdAt) = (
            stored.name, stored.key, stored.kind.rawValue, stored.size, now
        )
        try await row.create(on: db)
    }

    /// A case's attachments by the message they came with.
    static func of(_ item: DeskCase, in scope: TenantScope) async throws -> [UUID: [DeskAttachment]] {
        Dictionary(
            grouping: try await scope.query(DeskAttachment.self).filter(\.$caseID == item.requireID())
                .sort(\.$createdAt).all(),
            by: \.messageID)
    }

    /// The attachment in the address, of `item`, or 404.
    static func find(_ req: Request, of item: DeskCase, in scope: TenantScope) async throws -> DeskAttachment {
        guard let id = try? req.parameter(AttachmentID.self).rawValue,
            let row = try await scope.query(DeskAttachment.self).filter(\.$id == id)
                .filter(\.$caseID == item.requireID()).first()
        else { throw Abort(.notFound) }
        return row
    }

    /// A file as the API lists it under its message.
    struct Item: Content {
        var id: UUID
        var name: String
        var kind: String
        var size: Int

        init(_ row: DeskAttachment) {
            (id, name, kind, size) = (row.id!, row.name, row.kind, row.size)
        }
    }

    /// The file as a download: never cached along the way, nor sniffed as anything else.
    static func serve(_ row: DeskAttachment, _ req: Request) async throws -> Response {
        let response = try await req.application.files.serve(
            row.key, as: row.fileKind?.mediaType ?? .binary, for: req)
        response.headers.setAttachment(filename: row.name)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        return response
    }

    /// The sender's file name as shown (``FileKind/displayName(for:fallback:max:)``).
    static func displayName(_ sent: String, kind: FileKind) -> String {
        kind.displayName(for: sent, fallback: "lampiran", max: 80)
    }
}
