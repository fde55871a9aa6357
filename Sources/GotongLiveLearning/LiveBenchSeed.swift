import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// `gotong bench-seed-live`: fills an empty, migrated database for `scripts/bench-live`: one
/// institution with `--people` civil servants (each with an API token), a programme, and an
/// episode on air since five minutes ago; then writes `info.txt` (the tenant, programme,
/// episode number and attendance code) and `tokens.txt` for the load generator.
package struct LiveBenchSeedCommand: AsyncCommand {
    package init() {}

    package struct Signature: CommandSignature {
        package init() {}
        @Option(name: "people") var people: Int?
        @Option(name: "out", help: "folder for info.txt and tokens.txt") var out: String?
    }

    package var help: String { "Seeds an episode on air and many civil servants for the Live Learning benchmark" }

    struct TokenRow: Encodable, Sendable {
        let id: UUID; let person_id: UUID; let name: String; let token_hash: String; let expires_at: Date
        let last_used_at: Date?; let created_at: Date
    }

    package func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = ContinuousClock.now
        let count = signature.people ?? 20_000
        let db = app.db
        let seeder = CatalogBenchSeeder(
            db: db, tenants: 0, coursesPerTenant: 0, people: 0, enrolments: 0, tokens: 0, passwordHash: "")
        let now = Date()
        let tenantID = UUID()
        try await seeder.insert(
            Tenant.schema,
            [
                CatalogBenchSeeder.TenantRow(
                    id: tenantID, slug: "bench-live", name: "Pusbang Bench Live", kind: "lembaga", description: "",
                    tagline: "", primary_color: "#0b4f8a", contact_email: "", contact_phone: "", address: "",
                    website: "", status: "active", is_master: false, created_at: now, updated_at: now)
            ])
        // Viewers come from everywhere; none needs a membership to claim.
        let people = (0..<count).map { i in
            CatalogBenchSeeder.PersonRow(
                id: UUID(), name: "Penonton \(i + 1)", email: "penonton\(i + 1)@bench.gotong.test", phone: "",
                home_tenant_id: tenantID, unit_kerja: "Unit \(i % 40 + 1)", jabatan: "Analis", password_hash: nil,
                email_verified_at: now, is_platform_admin: false, locale: "id", created_at: now, updated_at: now)
        }
        try await seeder.insert(Person.schema, people)
        let scope = TenantScope(tenantID: tenantID, db: db)
        let programme = try await Programmes.findOrMake("live-learning", in: scope, now: now)
        let episode = try await Episodes.make(
            number: 1, topic: "Etika ASN di media sosial", speakers: [.init(name: "Dr. Rina Kusuma, M.Si.")],
            startsAt: now.addingTimeInterval(-300), in: programme, on: db, now: now)
        var tokens: [String] = []
        var rows: [TokenRow] = []
        for person in people {
            let secret = SecretToken()
            tokens.append("gt_" + secret.plain)
            rows.append(
                TokenRow(
                    id: UUID(), person_id: person.id, name: "bench", token_hash: secret.hash,
                    expires_at: now.addingTimeInterval(7 * 86_400), last_used_at: nil, created_at: now))
        }
        try await seeder.insert(APIToken.schema, rows)
        let out = signature.out ?? "."
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "bench-live \(programme.slug) \(episode.number) \(episode.code)\n".write(
            toFile: out + "/info.txt", atomically: true, encoding: .utf8)
        try (tokens.joined(separator: "\n") + "\n").write(
            toFile: out + "/tokens.txt", atomically: true, encoding: .utf8)
        let seconds = (ContinuousClock.now - started).components.seconds
        context.console.print("seeded in \(seconds) s: \(count) people, one episode on air")
    }
}
