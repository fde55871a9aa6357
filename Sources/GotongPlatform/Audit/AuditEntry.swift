import Fluent
import Foundation
import Vapor

/// One administrative act: who did what, in which tenant, when, and from where.
public final class AuditEntry: Model, @unchecked Sendable {
    public static let schema = "audit_entries"

    @ID(key: .id) public var id: UUID?
    /// The tenant acted in; nil for platform-wide acts.
    @OptionalField(key: "tenant_id") public var tenantID: UUID?
    @OptionalField(key: "actor_id") public var actorID: UUID?
    /// Kept as text so the entry still reads well if the account is removed.
    @Field(key: "actor_name") public var actorName: String
    /// A dotted action name such as `tenant.create`; the page shows it through the catalogue.
    @Field(key: "action") public var action: String
    /// What was acted on, in words (a slug, an email, a file name).
    @Field(key: "subject") public var subject: String
    @Field(key: "detail") public var detail: String
    @Field(key: "ip") public var ip: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] {
        [$id, $tenantID, $actorID, $actorName, $action, $subject, $detail, $ip, $createdAt]
    }

    public init(
        tenantID: UUID?, actorID: UUID?, actorName: String, action: String, subject: String, detail: String, ip: String
    ) {
        self.tenantID = tenantID
        self.actorID = actorID
        self.actorName = actorName
        self.action = action
        self.subject = subject
        self.detail = detail
        self.ip = ip
    }
}

package struct CreateAuditEntries: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(AuditEntry.schema)
            .id()
            .field("tenant_id", .uuid, .references("tenants", "id", onDelete: .cascade))
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("subject", .string, .required)
            .field("detail", .string, .required)
            .field("ip", .string, .required)
            .field("created_at", .datetime)
            .create()
        // The audit page lists one tenant's entries, newest first.
        try await db.sql.create(index: "audit_entries_tenant_created_idx").on(AuditEntry.schema)
            .column("tenant_id").column("created_at").run()
    }

    package func revert(on db: any Database) async throws {
        try await db.schema(AuditEntry.schema).delete()
    }
}

extension Request {
    /// Who acts, in the words the audit log keeps: "Name <email>", or "system".
    public var actorName: String { viewer.map { "\($0.name) <\($0.email)>" } ?? "system" }

    /// Records an administrative act by the signed-in person (or the system).
    public func audit(
        _ action: String, subject: String, detail: String = "", tenantID: UUID? = nil, on db: (any Database)? = nil
    ) async throws {
        let entry = AuditEntry(
            tenantID: tenantID, actorID: viewer?.id, actorName: actorName,
            action: action, subject: subject, detail: detail, ip: clientAddress
        )
        try await entry.create(on: db ?? self.database)
    }

    /// The caller's address: the socket peer, or, when the peer is one of the configured trusted
    /// proxies (`GOTONG_TRUSTED_PROXIES`), the client it names in X-Forwarded-For. Trusting the
    /// header from anyone else would let anyone dodge the sign-in throttle by inventing addresses.
    public var clientAddress: String {
        application.gotong.trustedProxies.clientAddress(
            peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor])
    }
}
