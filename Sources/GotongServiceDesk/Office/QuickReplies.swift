import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// A tenant's quick reply: a text officers start a reply from, with placeholders filled from
/// the case — `{nomor}`, `{kategori}`, `{unit}`, `{tenggat}`, `{instansi}`.
public final class DeskTemplate: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_templates"
    public static var tenantKey: KeyPath<DeskTemplate, FieldProperty<DeskTemplate, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "body") public var body: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var properties: [any AnyProperty] { [$id, $tenantID, $title, $body, $createdAt] }
}

struct AddDeskTemplates: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(DeskTemplate.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "tenant_id", "title")
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema(DeskTemplate.schema).delete() }
}

enum QuickReplies {
    /// Adds a quick reply, checked first (every problem at once).
    static func add(title raw: String?, body rawBody: String?, in scope: TenantScope, now: Date) async throws {
        var p = ProblemList()
        let title = p.text(raw, "title", max: 120, required: "desk.error.template_title")
        let body = p.text(rawBody, "body", max: 4000, required: "desk.error.reply")
        if !title.isEmpty, try await scope.query(DeskTemplate.self).filter(\.$title == title).count() > 0 {
            p.add("title", "desk.error.template_taken")
        }
        try p.throwIfAny()
        let template = DeskTemplate()
        (template.tenantID, template.title, template.body, template.createdAt) = (scope.tenantID, title, body, now)
        try await scope.db.lockingTransaction { tx in try await template.create(on: tx) }
    }

    /// The template's text with the case's values in its placeholders (unknown ones left as
    /// they are, for the officer to see and mend).
    static func fill(_ body: String, _ values: [String: String]) -> String {
        values.reduce(body) { text, pair in text.replacingOccurrences(of: "{\(pair.key)}", with: pair.value) }
    }
}
