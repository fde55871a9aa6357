import Fluent
import GotongAssessment
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongLiveLearning
import GotongServiceDesk
import GotongPublicInfo
import GotongPlatform
import GotongTenancy
import Vapor

/// The demo platform seeded on first start: LAN as operator and three institutions, each with a
/// few people in every role, so a newcomer can try everything at once.
enum DemoData {
    struct Institution {
        let slug: String
        let name: String
        let kind: Tenant.Kind
        let tagline: String
        let color: String
        let description: String
    }

    static let platformAdminEmail = "admin@lan.go.id"

    static let institutions: [Institution] = [
        .init(
            slug: "lan", name: "Lembaga Administrasi Negara", kind: .lembaga,
            tagline: "Pengembangan kompetensi ASN untuk birokrasi kelas dunia",
            color: "#8a1538", description: "Pusat pembelajaran ASN nasional yang dikelola LAN."),
        .init(
            slug: "bppk", name: "BPPK Kementerian Keuangan", kind: .kementerian,
            tagline: "Corporate university Kementerian Keuangan",
            color: "#0b4f8a", description: "Badan Pendidikan dan Pelatihan Keuangan."),
        .init(
            slug: "bps", name: "Pusdiklat Badan Pusat Statistik", kind: .lembaga,
            tagline: "Statistik berkualitas untuk Indonesia maju",
            color: "#a84c00", description: "Pusat Pendidikan dan Pelatihan BPS."),
        .init(
            slug: "bpsdm-jabar", name: "BPSDM Provinsi Jawa Barat", kind: .pemda,
            tagline: "Aparatur Jabar juara lahir batin",
            color: "#1b7f3b", description: "Badan Pengembangan Sumber Daya Manusia Provinsi Jawa Barat."),
    ]

    /// People in every tenant: (email prefix, name, role).
    static let staff: [(String, String, Role)] = [
        ("admin", "Admin", .admin),
        ("pengelola", "Koordinator Pelatihan", .pengelola),
        ("pengajar", "Widyaiswara", .pengajar),
        ("peserta1", "Peserta Satu", .peserta),
        ("peserta2", "Peserta Dua", .peserta),
    ]

    /// Whether the platform holds no institutions yet.
    static func isEmpty(_ db: any Database) async throws -> Bool {
        let tenants = try await Tenant.listed(on: db).count()
        let people = try await Person.query(on: db).count()
        return tenants == 0 && people == 0
    }

    /// Seeds the demo platform; every account gets `password`.
    static func seed(_ app: Application, password: String) async throws {
        let db = app.db
        let hash = try await BcryptHasher(app: app).hash(password)
        let provisioner = TenantProvisioner(db: db, cloners: app.tenantCloners)
        var tenantIDs: [String: UUID] = [:]
        for institution in institutions {
            let tenant = try await provisioner.provision(
                .init(slug: institution.slug, name: institution.name, kind: institution.kind)
            ).tenant
            tenant.tagline = institution.tagline
            tenant.primaryColor = institution.color
            tenant.description = institution.description
            tenant.contactEmail = "pelatihan@\(institution.slug).go.id"
            try await tenant.save(on: db)
            tenantIDs[institution.slug] = try tenant.requireID()
        }
        let now = Date()
        let ids = tenantIDs
        try await db.lockingTransaction { tx in
            let admin = Person(
                name: "Administrator Platform LAN", email: platformAdminEmail, passwordHash: hash,
                emailVerifiedAt: now, isPlatformAdmin: true)
            admin.homeTenantID = ids["lan"]
            try await admin.create(on: tx)
            var sequence = 1
            for institution in institutions {
                let tenantID = ids[institution.slug]!
                for (prefix, title, role) in staff {
                    let person = Person(
                        name: "\(title) \(institution.slug.uppercased())",
                        email: "\(prefix)@\(institution.slug).gotong.test",
                        nip: demoNIP(sequence), homeTenantID: tenantID,
                        unitKerja: "Unit Pelatihan \(institution.slug.uppercased())",
                        jabatan: title, passwordHash: hash, emailVerifiedAt: now
                    )
                    sequence += 1
                    try await person.create(on: tx)
                    try await Membership(tenantID: tenantID, personID: try person.requireID(), role: role).create(
                        on: tx)
                }
            }
            // One learner of two institutions, to show moving between storefronts with one account.
            let learner = Person(
                name: "Siti Rahmawati", email: "asn@gotong.test", nip: demoNIP(sequence),
                homeTenantID: ids["bpsdm-jabar"],
                unitKerja: "Dinas Komunikasi dan Informatika", jabatan: "Analis Kebijakan", passwordHash: hash,
                emailVerifiedAt: now)
            try await learner.create(on: tx)
            for slug in ["bppk", "bpsdm-jabar"] {
                try await Membership(tenantID: ids[slug]!, personID: try learner.requireID(), role: .peserta).create(
                    on: tx)
            }
        }
        try await CatalogDemo.seed(on: db, now: now)
        try await LearningDemo.seed(app, on: db)
        try await AssessmentDemo.seed(app, on: db)
        try await LiveLearningDemo.seed(app, on: db)
        try await ServiceDeskDemo.seed(app, on: db)
        try await PublicInfoDemo.seed(app, on: db)
    }

    /// A valid NIP: born 1990-01-15, CPNS from 2015-03, alternating gender, running sequence.
    static func demoNIP(_ sequence: Int) -> String {
        "19900115" + "201503" + (sequence % 2 == 0 ? "2" : "1") + String(format: "%03d", sequence % 1000)
    }
}
