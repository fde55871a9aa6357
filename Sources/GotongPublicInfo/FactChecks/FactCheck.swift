import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// A hoax notice ("Cek Fakta"): a claim going round on social media, the tenant's verdict on
/// it, the explanation and the sources it rests on.
public final class FactCheck: TenantOwned, @unchecked Sendable {
    public static let schema = "info_fact_checks"
    public static var tenantKey: KeyPath<FactCheck, FieldProperty<FactCheck, UUID>> { \.$tenantID }

    /// The verdicts of Indonesian fact-checkers (Kominfo's and Mafindo's words).
    public enum Verdict: String, Codable, CaseIterable, Sendable {
        /// Made up, and spread to mislead.
        case hoaks
        /// False, and spread knowing it is.
        case disinformasi
        /// False, spread by people who believe it.
        case misinformasi
        /// True.
        case fakta
        /// Not yet known either way.
        case belumTerverifikasi = "belum_terverifikasi"
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "claim") public var claim: String
    @Enum(key: "verdict") public var verdict: Verdict
    @Field(key: "explanation") public var explanation: String
    /// Where the claim went round ("grup WhatsApp", "TikTok"), as the officer puts it.
    @Field(key: "seen_on") public var seenOn: String
    /// The sources, JSON: `[{"title","url"}]`.
    @Field(key: "sources") var sourcesJSON: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $claim, $verdict, $explanation, $seenOn, $sourcesJSON, $createdAt, $updatedAt]
    }

    /// A source a verdict rests on: a title and its web address.
    public struct Source: Codable, Sendable, Equatable {
        public var title: String
        public var url: String
    }

    public var sources: [Source] { ServiceFacts.decode(sourcesJSON) }
}

extension FactCheck: PathTag { public static let parameterName = "factCheckID" }

struct AddFactChecks: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(FactCheck.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("claim", .string, .required)
            .field("verdict", .string, .required)
            .field("explanation", .string, .required)
            .field("seen_on", .string, .required)
            .field("sources", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.sql.create(index: "info_fact_checks_tenant_created_idx").on(FactCheck.schema)
            .column("tenant_id").column("created_at").run()
    }

    func revert(on db: any Database) async throws { try await db.schema(FactCheck.schema).delete() }
}

/// Writing hoax notices: one parser for the editor's form and the API's JSON, every problem at
/// once; each change one transaction.
public enum FactChecks {
    public struct Draft: Sendable {
        public var claim, verdict, explanation, seenOn: String?
        /// As sent: `title | https://…` or a bare address, one a line (the form), or pairs (API).
        public var sources: [(title: String, url: String)] = []
        public init() {}
    }

    struct Checked {
        let claim, explanation, seenOn: String
        let verdict: FactCheck.Verdict
        let sources: [FactCheck.Source]
    }

    static func check(_ d: Draft) throws -> Checked {
        var p = ProblemList()
        let claim = p.text(d.claim, "claim", max: 500, required: "info.error.claim")
        let explanation = p.text(d.explanation, "explanation", max: 4000, required: "info.error.explanation")
        let seenOn = p.text(d.seenOn, "seen_on", max: 200)
        let verdict = d.verdict.flatMap(FactCheck.Verdict.init(rawValue:))
        if verdict == nil { p.add("verdict", "info.error.verdict") }
        if d.sources.count > 10 { p.add("sources", "info.error.too_many", ["max": "10"]) }
        var sources: [FactCheck.Source] = []
        for source in d.sources.prefix(10) {
            let title = p.text(source.title, "sources", max: 200)
            let url = p.text(source.url, "sources", max: 500)
            // Only web addresses: a source is a link a reader follows.
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                parsed.host?.isEmpty == false
            else {
                p.add("sources", "info.error.source_url")
                continue
            }
            sources.append(.init(title: title.isEmpty ? (parsed.host ?? url) : title, url: url))
        }
        if verdict != .belumTerverifikasi, sources.isEmpty, p.isEmpty { p.add("sources", "info.error.source_needed") }
        try p.throwIfAny()
        return Checked(claim: claim, explanation: explanation, seenOn: seenOn, verdict: verdict!, sources: sources)
    }

    /// A form's sources: one a line, `title | address` or the address alone.
    public static func sources(_ text: String?) -> [(title: String, url: String)] {
        ServiceDraft.lines(text).map { line in
            let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return parts.count == 2 ? (parts[0], parts[1]) : ("", parts[0])
        }
    }

    public static func add(_ draft: Draft, in scope: TenantScope, now: Date) async throws -> FactCheck {
        let c = try check(draft)
        let row = FactCheck()
        (row.id, row.tenantID, row.createdAt) = (UUID(), scope.tenantID, now)
        fill(row, c, now: now)
        try await scope.db.lockingTransaction { tx in try await row.create(on: tx) }
        return row
    }

    public static func update(_ id: UUID, _ draft: Draft, in scope: TenantScope, now: Date) async throws -> FactCheck {
        let c = try check(draft)
        return try await scope.db.lockingTransaction { tx in
            guard let row = try await TenantScope(tenantID: scope.tenantID, db: tx).locked(FactCheck.self, id) else {
                throw Abort(.notFound)
            }
            fill(row, c, now: now)
            try await row.save(on: tx)
            return row
        }
    }

    public static func remove(_ id: UUID, in scope: TenantScope) async throws -> FactCheck {
        try await scope.db.lockingTransaction { tx in
            guard let row = try await TenantScope(tenantID: scope.tenantID, db: tx).find(FactCheck.self, id) else {
                throw Abort(.notFound)
            }
            try await row.delete(on: tx)
            return row
        }
    }

    private static func fill(_ row: FactCheck, _ c: Checked, now: Date) {
        (row.claim, row.verdict, row.explanation, row.seenOn) = (c.claim, c.verdict, c.explanation, c.seenOn)
        row.sourcesJSON = ServiceFacts.encode(c.sources)
        row.updatedAt = now
    }

    /// A page of notices, newest first; only those of `verdict` when given.
    public static func list(
        _ scope: TenantScope, verdict: FactCheck.Verdict?, page: Int, per: Int = 30
    ) async throws -> ([FactCheck], PageWindow) {
        var query = scope.query(FactCheck.self)
        if let verdict { query = query.filter(\.$verdict == verdict) }
        let window = PageWindow(requested: page, per: per, total: try await query.count())
        return (try await query.copy().sort(\.$createdAt, .descending).sort(\.$id).range(window.range).all(), window)
    }
}
