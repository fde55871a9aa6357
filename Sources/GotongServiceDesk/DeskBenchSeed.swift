import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// `gotong bench-seed-desk`: fills an empty, migrated database for `scripts/bench-desk`: one
/// local government with its desk on, `--units` work units (20) with an officer each and a rule
/// per category, its administrator (with an API token), and `--cases` citizens' cases (100,000)
/// spread over the past year: the older ones mostly done or refused, the recent ones in every
/// open stage, many overdue, each with its first message, step and reporter. Writes
/// `admin.txt` and `officer.txt` (email and password), `token.txt` and `case.txt` (a case's
/// number) for the script.
package struct DeskBenchSeedCommand: AsyncCommand {
    package init() {}

    package struct Signature: CommandSignature {
        package init() {}
        @Option(name: "cases") var cases: Int?
        @Option(name: "units") var units: Int?
        @Option(name: "out", help: "folder for the files the script reads") var out: String?
    }

    package var help: String { "Seeds a service desk with many cases for the service desk's benchmark" }

    /// The WhatsApp account the benchmark's deliveries are for, and its app secret.
    static let hookAccount = "106540352242922"
    static let hookSecret = "bench-app-secret-2026"

    struct CaseRow: Encodable, Sendable {
        let id: UUID, tenant_id: UUID, number: String, kind: String, channel: String, category_id: UUID
        let text: String, location: String, latitude: Double?, longitude: Double?, privacy: String, status: String
        let contact_masked: String, secret_hash: String, stage_started_at: Date, due_at: Date?, created_at: Date
        let updated_at: Date, closed_at: Date?, rating: Int?, source_hash: String, unit_id: UUID?
        let assignee_id: UUID?, paused_from: String?, paused_left: Double?, escalation: Int
        let verify_seconds: Double?, close_seconds: Double?
    }

    struct MessageRow: Encodable, Sendable {
        let id: UUID, tenant_id: UUID, case_id: UUID, direction: String, channel: String, body: String
        let author_id: UUID?, created_at: Date
    }

    struct EventRow: Encodable, Sendable {
        let id: UUID, tenant_id: UUID, case_id: UUID, status_from: String?, status_to: String, actor_id: UUID?
        let note: String, at: Date
    }

    struct ReporterRow: Encodable, Sendable {
        let id: UUID, tenant_id: UUID, case_id: UUID, name: String, email: String, phone: String, nik: String,
            handle: String
    }

    struct TokenRow: Encodable, Sendable {
        let id: UUID, person_id: UUID, name: String, token_hash: String, expires_at: Date, last_used_at: Date?
        let created_at: Date
    }

    package func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = ContinuousClock.now
        let db = app.db
        let now = Date()
        let password = "bench-sandi-2026"
        let hash = try await BcryptHasher(app: app).hash(password)
        let tenant = Tenant(slug: "bench-desk", name: "Pemerintah Kota Bench", kind: .pemda)
        try await tenant.create(on: db)
        let scope = TenantScope(tenantID: try tenant.requireID(), db: db)
        let settings = try await DeskSetup.enable(scope, now: now)
        let calendar = try await DeskSetup.calendar(settings, scope)
        let categories = try await DeskSetup.categories(scope)
        let admin = Person(
            name: "Admin Layanan Bench", email: "admin@bench-desk.gotong.test", passwordHash: hash,
            emailVerifiedAt: now)
        try await admin.create(on: db)
        try await Membership(tenantID: scope.tenantID, personID: admin.id!, role: .admin).create(on: db)
        let structure = Units(scope: scope, now: now)
        var units: [(unit: UUID, officer: UUID)] = []
        for n in 1...(signature.units ?? 20) {
            let unit = try await structure.addUnit(named: "Unit Layanan \(n)")
            let officer = Person(
                name: "Petugas Unit \(n)", email: "petugas\(n)@bench-desk.gotong.test", passwordHash: hash,
                emailVerifiedAt: now)
            try await officer.create(on: db)
            try await Membership(tenantID: scope.tenantID, personID: officer.id!, role: .peserta).create(on: db)
            _ = try await structure.addStaff(email: officer.email, unit: unit.id, role: .petugas)
            _ = try await structure.addRule(
                unit: unit.id, category: categories[n % categories.count].id, keyword: "unit\(n)")
            units.append((unit.id!, officer.id!))
        }
        let token = SecretToken()
        try await db.bulkInsert(
            APIToken.schema,
            [
                TokenRow(
                    id: UUID(), person_id: admin.id!, name: "bench", token_hash: token.hash,
                    expires_at: now.addingTimeInterval(7 * 86_400), last_used_at: nil, created_at: now)
            ])
        let sample = try await seedCases(
            signature.cases ?? 100_000, scope: scope, units: units, categories: categories.map { $0.id! },
            calendar: calendar, settings: settings, now: now)
        // WhatsApp connected (when a credentials key is configured), for the webhook intake.
        var hook = ""
        if let sealer = Sealer.of(app) {
            try await Channels.connect(
                .whatsapp, .init(account: Self.hookAccount, appSecret: Self.hookSecret, accessToken: "bench-token"),
                in: scope, sealer: sealer, now: now)
            hook = "\(Self.hookAccount) \(Self.hookSecret)"
        }
        let out = signature.out ?? "."
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (file, text) in [
            ("admin.txt", "\(admin.email) \(password)"), ("officer.txt", "petugas1@bench-desk.gotong.test \(password)"),
            ("token.txt", "gt_" + token.plain), ("case.txt", sample), ("hook.txt", hook),
        ] {
            try (text + "\n").write(toFile: out + "/" + file, atomically: true, encoding: .utf8)
        }
        let seconds = (ContinuousClock.now - started).components.seconds
        context.console.print("seeded in \(seconds) s: \(signature.cases ?? 100_000) cases in \(units.count) units")
    }

    /// The cases, a year of them, in chunks; returns the number of an open case of unit 1.
    private func seedCases(
        _ count: Int, scope: TenantScope, units: [(unit: UUID, officer: UUID)], categories: [UUID],
        calendar: WorkingCalendar, settings: DeskSettings, now: Date
    ) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        var sequences: [Int: Int] = [:]
        var sample = ""
        let open: [DeskCase.Status] = [.baru, .diverifikasi, .diteruskan, .ditindaklanjuti, .menungguWarga]
        let channels = DeskCase.Channel.allCases
        for chunkStart in stride(from: 0, to: count, by: 5000) {
            var cases: [CaseRow] = [], messages: [MessageRow] = [], events: [EventRow] = []
            var reporters: [ReporterRow] = []
            for i in chunkStart..<min(count, chunkStart + 5000) {
                // Oldest first, so each year's numbers follow the days.
                let created = now.addingTimeInterval(-365 * 86_400 * Double(count - i) / Double(count))
                let year = Intake.year(of: created, in: calendar)
                let sequence = (sequences[year] ?? 0) + 1
                sequences[year] = sequence
                let number = CaseNumber(year: year, sequence: sequence).description
                let age = now.timeIntervalSince(created) / 86_400
                let status: DeskCase.Status =
                    age > 30 && Int.random(in: 0..<100, using: &generator) < 95
                    ? (Int.random(in: 0..<10, using: &generator) == 0 ? .ditolak : .selesai)
                    : open.randomElement(using: &generator)!
                let (unit, officer) = units.randomElement(using: &generator)!
                let id = UUID()
                let due: Date? =
                    status.isClosed || status == .menungguWarga || status == .ditindaklanjuti
                    ? nil
                    : calendar.adding(
                        workingDays: status == .baru ? settings.verifyDays : settings.planDays, to: created)
                // Closed within two to twenty days; verified in the first one to five.
                let closed = status.isClosed
                    ? created.addingTimeInterval(Double(Int.random(in: 2...20, using: &generator)) * 86_400) : nil
                let verified = status == .baru
                    ? nil : created.addingTimeInterval(Double(Int.random(in: 1...5, using: &generator)) * 86_400)
                let text = "Laporan warga nomor \(i + 1): jalan rusak, lampu padam, atau antrean layanan yang lama."
                cases.append(
                    CaseRow(
                        id: id, tenant_id: scope.tenantID, number: number, kind: "aduan",
                        channel: channels[i % channels.count].rawValue, category_id: categories[i % categories.count],
                        text: text, location: "Kelurahan \(i % 150 + 1)", latitude: nil, longitude: nil,
                        privacy: i % 10 == 0 ? "anonymous" : "public", status: status.rawValue,
                        contact_masked: i % 10 == 0 ? "" : "0812****\(String(format: "%04d", i % 10_000))",
                        secret_hash: SecretToken.hash("\(id):bench"), stage_started_at: created, due_at: due,
                        created_at: created, updated_at: closed ?? created, closed_at: closed,
                        rating: status == .selesai ? Int.random(in: 1...5, using: &generator) : nil, source_hash: "",
                        unit_id: status == .baru && i % 3 == 0 ? nil : unit, assignee_id: i % 4 == 0 ? officer : nil,
                        paused_from: status == .menungguWarga ? DeskCase.Status.diverifikasi.rawValue : nil,
                        paused_left: status == .menungguWarga ? 8 * 3600 : nil, escalation: 0,
                        verify_seconds: verified.map { calendar.workingSeconds(from: created, to: $0) },
                        close_seconds: closed.map { calendar.workingSeconds(from: created, to: $0) }))
                messages.append(
                    MessageRow(
                        id: UUID(), tenant_id: scope.tenantID, case_id: id, direction: "in",
                        channel: channels[i % channels.count].rawValue, body: text, author_id: nil, created_at: created
                    ))
                events.append(
                    EventRow(
                        id: UUID(), tenant_id: scope.tenantID, case_id: id, status_from: nil, status_to: "baru",
                        actor_id: nil, note: "", at: created))
                reporters.append(
                    ReporterRow(
                        id: UUID(), tenant_id: scope.tenantID, case_id: id, name: "Warga \(i + 1)", email: "",
                        phone: "0812" + String(format: "%08d", i), nik: "", handle: ""))
                if sample.isEmpty, unit == units[0].unit, !status.isClosed, age < 10 { sample = number }
            }
            try await scope.db.bulkInsert(DeskCase.schema, cases)
            try await scope.db.bulkInsert(DeskMessage.schema, messages)
            try await scope.db.bulkInsert(DeskEvent.schema, events)
            try await scope.db.bulkInsert(DeskReporter.schema, reporters)
        }
        for (year, last) in sequences {
            try await scope.db.sql.raw(
                """
                INSERT INTO \(ident: CaseNumbers.table) (id, tenant_id, year, \(ident: "last")) \
                VALUES (\(bind: UUID()), \(bind: scope.tenantID), \(bind: year), \(bind: last))
                """
            ).run()
        }
        return sample
    }
}
