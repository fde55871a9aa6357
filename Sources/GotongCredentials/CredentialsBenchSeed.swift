import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// `gotong bench-seed-credentials`: fills an empty, migrated database for
/// `scripts/bench-credentials`: one institution that is home to `--members` people in 200
/// work units, each with a year of ledger entries (0 to 6, of 2 to 8 JP, a few waiting), and
/// an administrator; then issues `--certificates` certificates through the issuer, one after
/// another as completions would, and prints how many a second. Writes `admin.txt`,
/// `codes.txt` (the certificates' codes) and `info.txt` (the tenant's slug and the year).
package struct CredentialsBenchSeedCommand: AsyncCommand {
    package init() {}

    package struct Signature: CommandSignature {
        package init() {}
        @Option(name: "members") var members: Int?
        @Option(name: "certificates") var certificates: Int?
        @Option(name: "out", help: "folder for admin.txt, codes.txt and info.txt") var out: String?
    }

    package var help: String { "Seeds an institution with a year of JP records for the credentials benchmark" }

    struct LedgerRow: Encodable, Sendable {
        let id: UUID; let person_id: UUID; let source: String; let tenant_id: UUID?; let course_id: UUID?
        let title: String; let provider: String; let competency_type: String; let jp: Int; let year: Int
        let completed_at: Date; let status: String; let created_at: Date; let started_at: Date?; let kind: String
        let certificate_number: String; let decided_by: String; let reason: String
    }

    package func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = ContinuousClock.now
        let members = signature.members ?? 100_000
        let certificates = min(signature.certificates ?? 2000, members)
        let db = app.db
        let password = try await BcryptHasher(app: app).hash(CatalogBenchSeeder.learnerPassword)
        let seeder = CatalogBenchSeeder(
            db: db, tenants: 0, coursesPerTenant: 0, people: 0, enrolments: 0, tokens: 0, passwordHash: password)
        let now = app.clock.now()
        let year = LocalDates.year(of: now)
        let tenantID = UUID()
        try await seeder.insert(
            Tenant.schema,
            [
                CatalogBenchSeeder.TenantRow(
                    id: tenantID, slug: "bench-jp", name: "BKPSDM Bench JP", kind: "pemda", description: "",
                    tagline: "",
                    primary_color: "#0b4f8a", contact_email: "", contact_phone: "", address: "", website: "",
                    status: "active", is_master: false, created_at: now, updated_at: now)
            ])
        let people = (0..<members).map { i in
            CatalogBenchSeeder.PersonRow(
                id: UUID(), name: "Pegawai \(i + 1)", email: "pegawai\(i + 1)@bench-jp.gotong.test", phone: "",
                home_tenant_id: tenantID, unit_kerja: "Unit Kerja \(i % 200 + 1)", jabatan: "Analis",
                password_hash: nil, email_verified_at: now, is_platform_admin: false, locale: "id", created_at: now,
                updated_at: now)
        }
        let admin = CatalogBenchSeeder.PersonRow(
            id: UUID(), name: "Admin Kepegawaian", email: "admin@bench-jp.gotong.test", phone: "",
            home_tenant_id: tenantID, unit_kerja: "Bagian Kepegawaian", jabatan: "Admin", password_hash: password,
            email_verified_at: now, is_platform_admin: false, locale: "id", created_at: now, updated_at: now)
        try await seeder.insert(Person.schema, people + [admin])
        try await seeder.insert(
            Membership.schema,
            [
                CatalogBenchSeeder.MembershipRow(
                    id: UUID(), tenant_id: tenantID, person_id: admin.id, role: "admin", created_at: now)
            ])
        // A year of records: person i has i % 7 entries of 2–8 JP (so about half reach 20), one in
        // twenty waiting for verification.
        var entries: [LedgerRow] = []
        for (i, person) in people.enumerated() {
            for n in 0..<(i % 7) {
                let day = now.addingTimeInterval(-Double((i * 7 + n * 31) % 300) * 86_400)
                entries.append(
                    LedgerRow(
                        id: UUID(), person_id: person.id, source: "external", tenant_id: nil, course_id: nil,
                        title: "Pelatihan \(n + 1)", provider: "Penyelenggara \(n % 5 + 1)", competency_type: "teknis",
                        jp: 2 + (i + n) % 7, year: year, completed_at: day,
                        status: (i + n) % 20 == 0 ? "pending" : "verified", created_at: day, started_at: day,
                        kind: "pelatihan", certificate_number: "", decided_by: "", reason: ""))
            }
        }
        try await seeder.insert(LedgerEntry.schema, entries)
        let seeded = ContinuousClock.now - started
        context.console.print(String(format: "seeded in %.1f s (%d ledger entries)", seeded.seconds, entries.count))

        // Certificates, issued the way completions issue them: one at a time, each numbered.
        let course = Course(tenantID: tenantID, slug: "etika-asn", title: "Etika dan Integritas ASN")
        course.status = .published
        course.publishedAt = now
        course.jp = 20
        try await course.create(on: db)
        let issuer = CertificateIssuer(db: db)
        let issuing = ContinuousClock.now
        var codes: [String] = []
        for person in people.prefix(certificates) {
            let event = CourseCompletion.Event(
                tenant: TenantID(tenantID), course: CourseID(course.id!), person: PersonID(person.id), completedAt: now)
            if let issued = try await issuer.issue(event, now: now) {
                codes.append(issued.verificationCode.rawValue.description)
            }
        }
        let took = (ContinuousClock.now - issuing).seconds
        context.console.print(
            String(
                format: "issued %d certificates in %.1f s: %.0f a second", codes.count, took, Double(codes.count) / took
            ))

        let out = signature.out ?? "."
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "\(admin.email) \(CatalogBenchSeeder.learnerPassword)\n".write(
            toFile: out + "/admin.txt", atomically: true, encoding: .utf8)
        try codes.joined(separator: "\n").appending("\n").write(
            toFile: out + "/codes.txt", atomically: true, encoding: .utf8)
        try "bench-jp \(year)\n".write(toFile: out + "/info.txt", atomically: true, encoding: .utf8)
    }
}

extension Duration {
    /// The duration in seconds, with its fraction.
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
