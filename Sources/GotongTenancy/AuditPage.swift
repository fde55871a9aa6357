import Fluent
import GotongPlatform
import Vapor

/// The audit log page: one tenant's acts for its administrators, every act for the platform's.
package enum AuditPage {
    struct Model: Sendable {
        struct Row: Sendable {
            let when: String; let actor: String; let action: String; let subject: String; let detail: String;
            let ip: String; let tenant: String
        }
        let rows: [Row]
        let page: Int
        let hasNext: Bool
        let showTenant: Bool
        let nextPage: Int
    }

    package static func render(_ req: Request, tenantID: UUID?, tenant: Tenant?) async throws -> Response {
        // The log is too long to count on every visit: a page past the end is simply empty, and
        // one row more than a page says whether there is a next one. `pageNumber` bounds the
        // page, so the offset cannot overflow.
        let page = try req.pageNumber("halaman")
        let perPage = 50
        var query = AuditEntry.query(on: req.database)
        if let tenantID { query = query.filter(\.$tenantID == tenantID) }
        let offset = (page - 1) * perPage
        let entries = try await query.sort(\.$createdAt, .descending).range(offset..<(offset + perPage + 1)).all()
        var tenantNames: [UUID: String] = [:]
        if tenantID == nil {
            let ids = Array(Set(entries.compactMap(\.tenantID)))
            for t in try await Tenant.query(on: req.database).filter(\.$id ~~ ids).all() { tenantNames[t.id!] = t.name }
        }
        let rows = entries.prefix(perPage).map {
            Model.Row(
                when: shortDate($0.createdAt), actor: $0.actorName,
                action: req.t("audit.action.\($0.action)", fallback: $0.action),
                subject: $0.subject, detail: $0.detail, ip: $0.ip,
                tenant: $0.tenantID.flatMap { tenantNames[$0] } ?? "—")
        }
        return try await req.render(
            Model(
                rows: Array(rows), page: page, hasNext: entries.count > perPage, showTenant: tenantID == nil,
                nextPage: page + 1), title: "audit.title", tenant: tenant)
    }
}
