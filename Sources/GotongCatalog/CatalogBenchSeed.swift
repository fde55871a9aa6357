import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// `gotong bench-seed`: fills an empty, migrated database with a marketplace at national scale
/// for `scripts/bench-catalog` — tenants, published and curated courses with trainers, people
/// with memberships, enrolments, API tokens — and writes the files the load generator reads.
/// Rows go in by bulk SQL inserts; the demo data is not used.
package struct CatalogBenchSeedCommand: AsyncCommand {
    package init() {}

    package struct Signature: CommandSignature {
        package init() {}
        @Option(name: "tenants") var tenants: Int?
        @Option(name: "courses", help: "courses per tenant") var courses: Int?
        @Option(name: "people") var people: Int?
        @Option(name: "enrolments") var enrolments: Int?
        @Option(name: "tokens") var tokens: Int?
        @Option(name: "template-courses", help: "top the master template up to this many courses") var templateCourses:
            Int?
        @Option(name: "out", help: "folder for courses.txt, tokens.txt and learner.txt") var out: String?
    }

    package var help: String { "Seeds a large marketplace for benchmarks (empty database only)" }

    package func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = ContinuousClock.now
        let seeder = CatalogBenchSeeder(
            db: app.db, tenants: signature.tenants ?? 1000, coursesPerTenant: signature.courses ?? 20,
            people: signature.people ?? 200_000, enrolments: signature.enrolments ?? 1_000_000,
            tokens: signature.tokens ?? 2000,
            passwordHash: try await BcryptHasher(app: app).hash(CatalogBenchSeeder.learnerPassword)
        )
        let files = try await seeder.seed()
        let templates = try await seeder.topUpTemplates(to: signature.templateCourses ?? 20)
        context.console.print("template courses: \(templates)")
        let admin = Person(
            name: "Admin Bench", email: "admin@bench.gotong.test",
            passwordHash: try await BcryptHasher(app: app).hash(CatalogBenchSeeder.learnerPassword),
            emailVerifiedAt: Date(), isPlatformAdmin: true)
        try await admin.create(on: app.db)
        let out = signature.out ?? "."
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try files.courses.joined(separator: "\n").appending("\n").write(
            toFile: out + "/courses.txt", atomically: true, encoding: .utf8)
        try files.tokens.joined(separator: "\n").appending("\n").write(
            toFile: out + "/tokens.txt", atomically: true, encoding: .utf8)
        try "\(files.learner) \(CatalogBenchSeeder.learnerPassword)\n".write(
            toFile: out + "/learner.txt", atomically: true, encoding: .utf8)
        try "\(admin.email) \(CatalogBenchSeeder.learnerPassword)\n".write(
            toFile: out + "/admin.txt", atomically: true, encoding: .utf8)
        let elapsed = ContinuousClock.now - started
        context.console.print(
            String(
                format: "seeded in %.1f s",
                Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
    }
}

package struct CatalogBenchSeeder {
    package static let learnerPassword = "bench-sandi-2026"
    let db: any Database
    let tenants: Int
    let coursesPerTenant: Int
    let people: Int
    let enrolments: Int
    let tokens: Int
    let passwordHash: String

    package init(
        db: any Database, tenants: Int, coursesPerTenant: Int, people: Int, enrolments: Int, tokens: Int,
        passwordHash: String
    ) {
        self.db = db
        self.tenants = tenants
        self.coursesPerTenant = coursesPerTenant
        self.people = people
        self.enrolments = enrolments
        self.tokens = tokens
        self.passwordHash = passwordHash
    }

    struct Files { var courses: [String]; var tokens: [String]; var learner: String }

    package struct TenantRow: Encodable, Sendable {
        let id: UUID; let slug: String; let name: String; let kind: String; let description: String; let tagline: String
        let primary_color: String; let contact_email: String; let contact_phone: String; let address: String;
        let website: String
        let status: String; let is_master: Bool; let created_at: Date; let updated_at: Date

        package init(
            id: UUID, slug: String, name: String, kind: String, description: String, tagline: String,
            primary_color: String, contact_email: String, contact_phone: String, address: String, website: String,
            status: String, is_master: Bool, created_at: Date, updated_at: Date
        ) {
            self.id = id
            self.slug = slug
            self.name = name
            self.kind = kind
            self.description = description
            self.tagline = tagline
            self.primary_color = primary_color
            self.contact_email = contact_email
            self.contact_phone = contact_phone
            self.address = address
            self.website = website
            self.status = status
            self.is_master = is_master
            self.created_at = created_at
            self.updated_at = updated_at
        }
    }
    package struct PersonRow: Encodable, Sendable {
        package let id: UUID; package let name: String; package let email: String; package let phone: String;
        package let home_tenant_id: UUID; package let unit_kerja: String
        package let jabatan: String; package let password_hash: String?; package let email_verified_at: Date;
        package let is_platform_admin: Bool; package let locale: String
        package let created_at: Date; package let updated_at: Date

        package init(
            id: UUID, name: String, email: String, phone: String, home_tenant_id: UUID, unit_kerja: String,
            jabatan: String, password_hash: String?, email_verified_at: Date, is_platform_admin: Bool, locale: String,
            created_at: Date, updated_at: Date
        ) {
            self.id = id
            self.name = name
            self.email = email
            self.phone = phone
            self.home_tenant_id = home_tenant_id
            self.unit_kerja = unit_kerja
            self.jabatan = jabatan
            self.password_hash = password_hash
            self.email_verified_at = email_verified_at
            self.is_platform_admin = is_platform_admin
            self.locale = locale
            self.created_at = created_at
            self.updated_at = updated_at
        }
    }
    package struct MembershipRow: Encodable, Sendable {
        let id: UUID; let tenant_id: UUID; let person_id: UUID; let role: String; let created_at: Date

        package init(id: UUID, tenant_id: UUID, person_id: UUID, role: String, created_at: Date) {
            self.id = id
            self.tenant_id = tenant_id
            self.person_id = person_id
            self.role = role
            self.created_at = created_at
        }
    }
    private struct CourseRow: Encodable {
        let id: UUID; let tenant_id: UUID; let slug: String; let title: String; let summary: String;
        let description: String
        let tags: String; let competency_type: String; let jp: Int; let delivery_method: String; let micro_minutes: Int?
        let level: String; let language: String; let audience: String; let audience_tenants: String;
        let enrolment_mode: String
        let status: String; let curation: String; let curation_reason: String; let curated_at: Date; let featured: Bool
        let enrolled_count: Int; let published_at: Date; let created_at: Date; let updated_at: Date
    }
    private struct StaffRow: Encodable {
        let id: UUID; let tenant_id: UUID; let course_id: UUID; let person_id: UUID; let role: String
    }
    package struct EnrolmentRow: Encodable, Sendable {
        let id: UUID; let tenant_id: UUID; let course_id: UUID; let person_id: UUID; let status: String;
        let assigned: Bool
        let reason: String; let requested_at: Date; let enrolled_at: Date; let completed_at: Date?; let updated_at: Date

        package init(
            id: UUID, tenant_id: UUID, course_id: UUID, person_id: UUID, status: String, assigned: Bool, reason: String,
            requested_at: Date, enrolled_at: Date, completed_at: Date?, updated_at: Date
        ) {
            self.id = id
            self.tenant_id = tenant_id
            self.course_id = course_id
            self.person_id = person_id
            self.status = status
            self.assigned = assigned
            self.reason = reason
            self.requested_at = requested_at
            self.enrolled_at = enrolled_at
            self.completed_at = completed_at
            self.updated_at = updated_at
        }
    }

    static let subjects = [
        "Pengelolaan", "Pelayanan", "Pelatihan", "Penyusunan", "Analisis", "Kepemimpinan", "Manajemen", "Literasi",
        "Pengawasan", "Perencanaan", "Evaluasi", "Penguatan", "Pengembangan", "Digitalisasi", "Tata Kelola",
    ]
    static let topics = [
        "Keuangan Negara", "Kinerja ASN", "Publik", "Anggaran", "Data Statistik", "Arsip Digital",
        "Barang Milik Negara",
        "Risiko", "SDM Aparatur", "Pengadaan Barang dan Jasa", "Kebijakan Publik", "Pajak Daerah",
        "Kesehatan Masyarakat",
        "Pendidikan Dasar", "Infrastruktur Desa", "Pengaduan Masyarakat", "Keamanan Informasi", "Inovasi Daerah",
    ]
    static let kinds = ["kementerian", "lembaga", "pemda"]
    static let colors = ["#0b4f8a", "#8a1538", "#1b6e3a", "#5a2d82", "#a84c00", "#00606b"]

    func seed() async throws -> Files {
        var rng = SystemRandomNumberGenerator()
        let now = Date()
        // Tenants.
        let tenantRows = (0..<tenants).map { i in
            TenantRow(
                id: UUID(), slug: String(format: "inst-%04d", i), name: "Pusdiklat Instansi \(i + 1)",
                kind: Self.kinds[i % 3],
                description: "", tagline: "Belajar untuk melayani", primary_color: Self.colors[i % Self.colors.count],
                contact_email: "", contact_phone: "", address: "", website: "", status: "active", is_master: false,
                created_at: now, updated_at: now)
        }
        try await insert(Tenant.schema, tenantRows)
        // People: learners spread over tenants, plus one trainer per tenant.
        let learnerRows = (0..<people).map { i in
            PersonRow(
                id: UUID(), name: "Peserta \(i + 1)", email: "peserta\(i + 1)@bench.gotong.test", phone: "",
                home_tenant_id: tenantRows[i % tenants].id, unit_kerja: "Unit \(i % 40 + 1)", jabatan: "Analis",
                password_hash: i == 0 ? passwordHash : nil, email_verified_at: now, is_platform_admin: false,
                locale: "id",
                created_at: now, updated_at: now)
        }
        let trainerRows = tenantRows.enumerated().map { i, t in
            PersonRow(
                id: UUID(), name: "Widyaiswara \(["Ahmad", "Budi", "Citra", "Dewi", "Eko"][i % 5]) \(i + 1)",
                email: "pengajar\(i + 1)@bench.gotong.test", phone: "", home_tenant_id: t.id, unit_kerja: "Widyaiswara",
                jabatan: "Widyaiswara", password_hash: nil, email_verified_at: now, is_platform_admin: false,
                locale: "id",
                created_at: now, updated_at: now)
        }
        try await insert(Person.schema, learnerRows + trainerRows)
        try await insert(
            Membership.schema,
            learnerRows.map {
                MembershipRow(
                    id: UUID(), tenant_id: $0.home_tenant_id, person_id: $0.id, role: "peserta", created_at: now)
            }
                + trainerRows.map {
                    MembershipRow(
                        id: UUID(), tenant_id: $0.home_tenant_id, person_id: $0.id, role: "pengajar", created_at: now)
                })

        // Enrolments per course, decided before the courses are written so seat counts agree.
        let courseCount = tenants * coursesPerTenant
        var courseIDs = (0..<courseCount).map { _ in UUID() }
        var enrolledCount = [Int](repeating: 0, count: courseCount)
        var plan: [(person: Int, course: Int, completed: Bool)] = []
        plan.reserveCapacity(enrolments)
        // The /saya person: exactly 30 courses.
        for c in 0..<min(30, courseCount) { plan.append((0, c * max(1, courseCount / 30) % courseCount, c % 3 == 0)) }
        var perPerson = [Set<Int>](repeating: [], count: people)
        for entry in plan { perPerson[0].insert(entry.course) }
        while plan.count < enrolments, people > 1 {
            let person = Int.random(in: 1..<people, using: &rng)
            let course = Int.random(in: 0..<courseCount, using: &rng)
            if perPerson[person].insert(course).inserted {
                plan.append((person, course, Int.random(in: 0..<4, using: &rng) == 0))
            }
        }
        for entry in plan where !entry.completed { enrolledCount[entry.course] += 1 }

        // Courses: every one published and in the marketplace; a tenth only for the tenant's own people.
        var courseRows: [CourseRow] = []
        var listed: [String] = []
        courseRows.reserveCapacity(courseCount)
        let competencies = Course.CompetencyType.allCases.map(\.rawValue)
        let methods = ["mandiri", "mandiri", "blended", "sinkron", "klasikal", "mikro"]
        for t in 0..<tenants {
            for k in 0..<coursesPerTenant {
                let index = t * coursesPerTenant + k
                let subject = Self.subjects[(t + k) % Self.subjects.count],
                    topic = Self.topics[(t * 7 + k) % Self.topics.count]
                let method = methods[(index / 3 + t) % methods.count]
                let own = index % 10 == 9
                let slug = "pelatihan-\(k + 1)"
                let row = CourseRow(
                    id: courseIDs[index], tenant_id: tenantRows[t].id, slug: slug, title: "\(subject) \(topic)",
                    summary:
                        "Pelatihan \(subject.lowercased()) \(topic.lowercased()) bagi aparatur \(tenantRows[t].name).",
                    description: "## Tujuan\n\nPeserta mampu menerapkan \(subject.lowercased()) \(topic.lowercased()).",
                    tags: "\(topic.lowercased()), angkatan \(k % 5 + 1)", competency_type: competencies[index % 3],
                    jp: [2, 4, 8, 12, 16, 24, 40][index % 7],
                    delivery_method: method, micro_minutes: method == "mikro" ? 10 : nil,
                    level: ["dasar", "menengah", "lanjut"][index % 3],
                    language: index % 25 == 0 ? "en" : "id", audience: own ? "own" : "all", audience_tenants: "",
                    enrolment_mode: "open",
                    status: "published", curation: "approved", curation_reason: "", curated_at: now, featured: k < 2,
                    enrolled_count: enrolledCount[index], published_at: now.addingTimeInterval(-Double(index) * 60),
                    created_at: now, updated_at: now)
                courseRows.append(row)
                if !own { listed.append("\(tenantRows[t].slug) \(slug) \(row.id.uuidString)") }
            }
        }
        try await insert(Course.schema, courseRows)
        try await insert(
            CourseStaff.schema,
            courseRows.enumerated().map { i, c in
                StaffRow(
                    id: UUID(), tenant_id: c.tenant_id, course_id: c.id,
                    person_id: trainerRows[i / coursesPerTenant].id, role: "pengajar")
            })
        // The plan's course indexes may point at a course only for its own tenant's people;
        // that is a realistic mix (people keep what their institution gave them).
        let enrolmentRows = plan.map { e in
            EnrolmentRow(
                id: UUID(), tenant_id: courseRows[e.course].tenant_id, course_id: courseIDs[e.course],
                person_id: learnerRows[e.person].id, status: e.completed ? "completed" : "enrolled", assigned: false,
                reason: "", requested_at: now, enrolled_at: now, completed_at: e.completed ? now : nil, updated_at: now)
        }
        try await insert(Enrolment.schema, enrolmentRows)
        courseIDs.removeAll()

        // Tokens for people who enrol during the benchmark.
        var tokenLines: [String] = []
        for i in 0..<min(tokens, max(0, people - 1)) {
            let (_, secret) = try await APIToken.create(for: learnerRows[people - 1 - i].id, name: "bench", on: db)
            tokenLines.append(secret)
        }
        try await CatalogState.bump(on: db)
        return Files(courses: listed, tokens: tokenLines, learner: learnerRows.first?.email ?? "")
    }

    /// Adds template courses to the master template until it holds `count`, so provisioning is
    /// measured with a realistic template.
    /// Returns how many template courses the master template holds.
    @discardableResult
    func topUpTemplates(to count: Int) async throws -> Int {
        let master = try await Tenant.master(on: db)
        let existing = try await TenantScope(tenantID: master.requireID(), db: db).query(Course.self).count()
        guard existing < count else { return existing }
        let courses = (existing..<count).map { i -> Course in
            let c = Course(
                tenantID: master.id!, slug: "templat-\(i + 1)",
                title: "\(Self.subjects[i % Self.subjects.count]) \(Self.topics[i % Self.topics.count])")
            c.summary = "Pelatihan templat \(i + 1)."
            c.description = "## Tujuan\n\nTemplat untuk disesuaikan instansi."
            return c
        }
        try await courses.create(on: db)
        return count
    }

    /// Bulk insert in one transaction, in statements under the databases' bind limits.
    package func insert<Row: Encodable & Sendable>(_ table: String, _ rows: [Row]) async throws {
        try await db.bulkInsert(table, rows)
    }
}
