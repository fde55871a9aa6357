import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Demo courses: a few per institution, published and curated, with trainers, a prerequisite,
/// a small quota, an approval course and one assigned to the demo learner, so every path of the
/// marketplace can be tried at once.
package enum CatalogDemo {
    struct Sample {
        let tenant: String
        let title: String
        let summary: String
        let tags: [String]
        let competency: Course.CompetencyType
        let method: Course.DeliveryMethod
        let jp: Int
        var micro: Int? = nil
        var mode: Course.EnrolmentMode = .open
        var quota: Int? = nil
        var audience: Course.Audience = .all
        var startsInDays: Int? = nil
        var prerequisite: String? = nil
        var featured = false
    }

    static let samples: [Sample] = [
        .init(
            tenant: "lan", title: "Pelayanan Publik Prima",
            summary: "Standar pelayanan, maklumat layanan dan pengelolaan pengaduan masyarakat.",
            tags: ["pelayanan", "pengaduan"], competency: .sosialKultural, method: .mandiri, jp: 12, featured: true),
        .init(
            tenant: "lan", title: "Pengelolaan Kinerja ASN",
            summary: "Menyusun sasaran kinerja pegawai, dialog kinerja dan umpan balik berkelanjutan.",
            tags: ["SKP", "kinerja"], competency: .manajerial, method: .blended, jp: 24, mode: .approval, quota: 30,
            startsInDays: 21),
        .init(
            tenant: "lan", title: "Orientasi Belajar di Gotong",
            summary: "Sepuluh menit mengenal cara belajar, mendaftar dan melihat JP Anda.",
            tags: ["orientasi"], competency: .sosialKultural, method: .mikro, jp: 1, micro: 10),
        .init(
            tenant: "bppk", title: "Pengelolaan Keuangan Negara",
            summary: "Siklus APBN dari perencanaan sampai pertanggungjawaban.",
            tags: ["APBN", "keuangan"], competency: .teknis, method: .mandiri, jp: 16, featured: true),
        .init(
            tenant: "bppk", title: "Penyusunan Anggaran Berbasis Kinerja",
            summary: "Praktik menyusun RKA-K/L yang terukur.",
            tags: ["anggaran", "RKA"], competency: .teknis, method: .sinkron, jp: 20, quota: 2, startsInDays: 14,
            prerequisite: "Pengelolaan Keuangan Negara"),
        .init(
            tenant: "bppk", title: "Literasi Pajak untuk ASN",
            summary: "Kewajiban pajak pribadi ASN dalam lima belas menit.",
            tags: ["pajak"], competency: .teknis, method: .mikro, jp: 1, micro: 15),
        .init(
            tenant: "bps", title: "Statistik Dasar untuk ASN",
            summary: "Membaca tabel, grafik dan indikator resmi dengan benar.",
            tags: ["statistik", "data"], competency: .teknis, method: .mandiri, jp: 8, featured: true),
        .init(
            tenant: "bps", title: "Analisis Data dengan Spreadsheet",
            summary: "Mengolah data layanan menjadi informasi untuk keputusan.",
            tags: ["data", "spreadsheet"], competency: .teknis, method: .sinkron, jp: 10, quota: 40, startsInDays: 30),
        .init(
            tenant: "bpsdm-jabar", title: "Kepemimpinan Pengawas",
            summary: "Pelatihan kepemimpinan bagi pejabat pengawas di lingkungan Pemprov Jawa Barat.",
            tags: ["kepemimpinan"], competency: .manajerial, method: .klasikal, jp: 40, audience: .own, startsInDays: 45
        ),
        .init(
            tenant: "bpsdm-jabar", title: "Literasi Digital ASN",
            summary: "Keamanan data, etika bermedia sosial dan menangkal hoaks.",
            tags: ["digital", "hoaks"], competency: .sosialKultural, method: .mandiri, jp: 6, mode: .assigned,
            featured: true),
    ]

    package static func seed(on db: any Database, now: Date = Date()) async throws {
        let workflow = CourseWorkflow(db: db, now: now)
        var byTitle: [String: Course] = [:]
        for sample in samples {
            guard let tenant = try await Tenant.find(slug: sample.tenant, on: db) else { continue }
            var change = CourseChange()
            change.title = sample.title
            change.summary = sample.summary
            change.description =
                """
                    ## Tujuan\n\nSetelah pelatihan ini peserta mampu menerapkan **\(sample.title.lowercased())** \
                    dalam pekerjaannya.\n\n- Materi singkat dan bertahap\n- Latihan dari kasus nyata\n
                    """
            change.tags = sample.tags
            change.competencyType = sample.competency.rawValue
            change.deliveryMethod = sample.method.rawValue
            change.jp = sample.jp
            change.microMinutes = .some(sample.micro)
            change.enrolmentMode = sample.mode.rawValue
            change.quota = .some(sample.quota)
            change.audience = sample.audience.rawValue
            change.featured = sample.featured
            if let days = sample.startsInDays {
                change.startsAt = .some(now.addingTimeInterval(Double(days) * 86_400))
                change.endsAt = .some(now.addingTimeInterval(Double(days + 5) * 86_400))
                change.enrolClosesAt = .some(now.addingTimeInterval(Double(days - 1) * 86_400))
            }
            change.trainers = ["pengajar@\(sample.tenant).gotong.test"]
            change.coordinators = ["pengelola@\(sample.tenant).gotong.test"]
            if let pre = sample.prerequisite, let required = byTitle[pre] { change.prerequisites = [required.slug] }
            let course = try await workflow.create(in: try tenant.typedID(), change)
            try await workflow.publish(course)
            _ = try await workflow.approve(course)
            byTitle[sample.title] = course
        }
        // The demo learner: one course done, one in progress, one required with a due date.
        guard let learner = try await Person.find(email: "asn@gotong.test", on: db),
            let admin = try await Person.find(email: "admin@bpsdm-jabar.gotong.test", on: db)
        else { return }
        let viewer = CatalogViewer(
            tenantIDs: Set(try await TenantLink.memberships(of: learner.requireID(), on: db).map(\.id)))
        if let done = byTitle["Orientasi Belajar di Gotong"] {
            let outcome = try await EnrolmentService(db: db, now: now).enrol(learner, in: done, viewer: viewer)
            outcome.enrolment.status = .completed
            outcome.enrolment.completedAt = now
            try await outcome.enrolment.save(on: db)
        }
        if let course = byTitle["Pengelolaan Keuangan Negara"] {
            _ = try await EnrolmentService(db: db, now: now).enrol(learner, in: course, viewer: viewer)
        }
        if let course = byTitle["Literasi Digital ASN"] {
            _ = try await CourseAssignment(db: db, course: course, now: now)
                .assign(.list(learner.email), due: now.addingTimeInterval(14 * 86_400), by: admin.typedID())
        }
    }
}

/// Two template courses in the master template, cloned as drafts into every new tenant: an
/// orientation on learning with Gotong (the studies' remedy for learners new to an LMS) and the
/// ASN core values.
package struct CreateTemplateCourses: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        let master = try await Tenant.master(on: db)
        let masterID = try master.requireID()
        let orientation = Course(tenantID: masterID, slug: "orientasi-belajar", title: "Orientasi Belajar Daring")
        orientation.summary = "Cara belajar, mendaftar dan melihat kemajuan di platform ini."
        orientation.deliveryMethod = .mikro
        orientation.microMinutes = 10
        orientation.jp = 1
        orientation.competencyType = .sosialKultural
        orientation.tags = "orientasi"
        let values = Course(tenantID: masterID, slug: "nilai-dasar-berakhlak", title: "Nilai Dasar ASN BerAKHLAK")
        values.summary = "Berorientasi pelayanan, Akuntabel, Kompeten, Harmonis, Loyal, Adaptif, Kolaboratif."
        values.jp = 6
        values.competencyType = .sosialKultural
        values.tags = "BerAKHLAK, nilai dasar"
        // Written with SQL-free Fluent creates but without the catalogue middleware's bump:
        // template courses are drafts and never in the marketplace.
        try await [orientation, values].create(on: db)
    }

    package func revert(on db: any Database) async throws {
        let master = try await Tenant.master(on: db)
        try await Course.query(on: db).filter(\.$tenantID == master.requireID()).delete()
    }
}
