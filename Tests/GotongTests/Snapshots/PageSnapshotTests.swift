import Foundation
import SnapshotTesting
import Testing
@testable import Gotong
@testable import GotongCatalog
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Each page written in Swift, rendered from a fixed model and compared with the HTML stored
/// in `__Snapshots__` (review a changed snapshot like code: delete the file and run again to
/// record the new one). Behaviour tests take the same pages through the server.
@Suite("Page snapshots")
struct PageSnapshotTests {
    static let texts: [Language: Texts] = {
        let localizer = try! Localizer.load(from: GotongModules.resources())
        return Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, Texts(localizer, $0)) })
    }()

    static let outline = LearningRoutes.OutlineModel(
        courseTitle: "Dasar-Dasar Pengadaan <Barang> & Jasa", courseURL: "/t/bppk/pelatihan/dasar-pengadaan",
        percent: 40, nextURL: "/t/bppk/belajar/dasar-pengadaan/A1", nextTitle: "Video: \"Prinsip\" pengadaan",
        completed: false,
        sections: [
            .init(
                title: "Topik 1 — Pengantar",
                items: [
                    .init(
                        title: "Selamat datang", url: "/t/bppk/belajar/dasar-pengadaan/A0", type: "Halaman",
                        completed: true, locked: nil, minutes: 3),
                    .init(
                        title: "Video: \"Prinsip\" pengadaan", url: "/t/bppk/belajar/dasar-pengadaan/A1",
                        type: "Video", completed: false, locked: nil, minutes: nil),
                ]),
            .init(
                title: "Topik 2 — Latihan",
                items: [
                    .init(
                        title: "Diskusi kasus", url: "/t/bppk/belajar/dasar-pengadaan/A2", type: "Forum",
                        completed: false, locked: "Terbuka setelah “Video” selesai", minutes: nil)
                ]),
        ], isEmpty: false, sequential: true)

    static let activity = LearningRoutes.ActivityModel(
        courseTitle: "Dasar-Dasar Pengadaan", outlineURL: "/t/bppk/belajar/dasar-pengadaan",
        sectionTitle: "Topik 1 — Pengantar", title: "Video: \"Prinsip\" pengadaan", type: "Video",
        bodyHTML: "<p>Isi materi.</p>", locked: nil, completed: false, rule: "Selesai bila ditonton 80 %",
        beatURL: "/api/v1/activities/A1/heartbeat", ticket: "tiket.ab&cd",
        previousURL: "/t/bppk/belajar/dasar-pengadaan/A0",
        nextURL: "/t/bppk/belajar/dasar-pengadaan/A2", position: 2, count: 3)

    @Test(arguments: Language.allCases)
    func learnerOutline(language: Language) {
        assertSnapshot(
            of: Self.outline.html(texts: Self.texts[language]!), as: .lines, named: language.rawValue)
    }

    @Test(arguments: Language.allCases)
    func activityPage(language: Language) {
        assertSnapshot(
            of: Self.activity.html(texts: Self.texts[language]!), as: .lines, named: language.rawValue)
    }

    @Test func lockedActivityWithoutBodyOrNeighbours() {
        let locked = LearningRoutes.ActivityModel(
            courseTitle: "Kursus", outlineURL: "/t/a/belajar/k", sectionTitle: "", title: "Terkunci", type: "Halaman",
            bodyHTML: nil, locked: "Terbuka 1 Januari 2027", completed: false, rule: nil, beatURL: nil, ticket: nil,
            previousURL: nil, nextURL: nil, position: 1, count: 1)
        assertSnapshot(of: locked.html(texts: Self.texts[.id]!), as: .lines)
    }

    @Test func emptyCourseOutline() {
        let empty = LearningRoutes.OutlineModel(
            courseTitle: "Kursus", courseURL: "/t/a/pelatihan/k", percent: 0, nextURL: nil, nextTitle: nil,
            completed: false, sections: [], isEmpty: true, sequential: false)
        assertSnapshot(of: empty.html(texts: Self.texts[.id]!), as: .lines)
    }
}

/// The storefront and `/saya`, from fixed models.
@Suite("Catalogue page snapshots")
struct CataloguePageSnapshotTests {
    static let card = CourseCard(
        url: "/t/bppk/pelatihan/anggaran", title: "Penganggaran <Berbasis> Kinerja", summary: "Menyusun RKA-K/L.",
        tenantName: "BPPK", tenantColor: "#0b5", jp: 20, method: "Daring mandiri", competency: "Teknis",
        microMinutes: nil, open: true)

    @Test func storefrontOfAMemberWithCourses() {
        let model = StorefrontRoutes.StorefrontModel(
            name: "BPPK Kemenkeu", description: "Pelatihan keuangan negara.", welcome: "Selamat datang!",
            kind: "Kementerian", contactEmail: "diklat@bppk.go.id", contactPhone: nil, address: "Jakarta",
            website: nil, categories: [.init(name: "Anggaran", url: "/t/bppk/pelatihan?kategori=anggaran", count: 3)],
            pages: [.init(url: "/t/bppk/halaman/tentang", title: "Tentang")],
            offers: [("Live Learning", [.init(url: "/t/bppk/live/ngopi", title: "Ngobrol Pintar <ASN>")])],
            roles: ["Peserta"], joinURL: nil,
            allCoursesURL: "/t/bppk/pelatihan", featured: [Self.card], newest: [])
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[.id]!), as: .lines)
    }

    @Test func storefrontOfAStrangerWhoMayJoinAndNoCourses() {
        let model = StorefrontRoutes.StorefrontModel(
            name: "Balai Baru", description: nil, welcome: nil, kind: "Lembaga", contactEmail: nil, contactPhone: nil,
            address: nil, website: nil, categories: [], pages: [], offers: [], roles: [], joinURL: "/t/baru/gabung",
            allCoursesURL: "/t/baru/pelatihan", featured: [], newest: [])
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[.en]!, csrf: "tok\"en"), as: .lines)
    }

    @Test func notificationsWithOneUnread() {
        let model = CatalogRoutes.NotificationsModel(
            rows: [
                .init(
                    text: "Pendaftaran <disetujui>", link: "/t/bppk/pelatihan/anggaran", when: "2026-12-01",
                    unread: true),
                .init(text: "Pengingat tenggat", link: "/t/bps/belajar/statistik", when: "2026-11-20", unread: false),
            ], hasUnread: true)
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[.id]!, csrf: "tok"), as: .lines)
    }

    @Test func noNotifications() {
        let model = CatalogRoutes.NotificationsModel(rows: [], hasUnread: false)
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[.en]!), as: .lines)
    }

    @Test(arguments: Language.allCases)
    func myCourses(language: Language) {
        let overdue = CatalogRoutes.MyCourseRow(
            url: "/t/bppk/pelatihan/anggaran", title: "Penganggaran", tenantName: "BPPK", tenantColor: "#0b5", jp: 20,
            status: "enrolled", statusText: "Terdaftar", due: "2026-11-30", overdue: true, finished: nil, percent: 40,
            nextTitle: "Video 2", nextURL: "/t/bppk/belajar/anggaran/A2")
        let done = CatalogRoutes.MyCourseRow(
            url: "/t/bps/pelatihan/statistik", title: "Statistik Dasar", tenantName: "BPS", tenantColor: "#15a", jp: 12,
            status: "completed", statusText: "Selesai", due: nil, overdue: false, finished: "2026-10-02")
        let justEnrolled = CatalogRoutes.MyCourseRow(
            url: "/t/lan/pelatihan/etika", title: "Etika ASN", tenantName: "LAN", tenantColor: "#a31", jp: 4,
            status: "enrolled", statusText: "Terdaftar", due: nil, overdue: false, finished: nil, percent: 0,
            nextTitle: "Pengantar", nextURL: "/t/lan/belajar/etika/A0")
        let model = CatalogRoutes.MyCoursesModel(
            required: [overdue], inProgress: [justEnrolled], finished: [done],
            notifications: [
                .init(
                    text: "Pendaftaran disetujui", link: "/t/bppk/pelatihan/anggaran", when: "2026-12-01", unread: true)
            ],
            jpThisYear: 12, ledgerURL: "/saya/jp", certificatesURL: "/saya/sertifikat")
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[language]!), as: .lines, named: language.rawValue)
    }
}

/// The catalogue, a tenant's course list and a course's page, from fixed models.
@Suite("Marketplace page snapshots")
struct MarketplacePageSnapshotTests {
    static let card = CataloguePageSnapshotTests.card

    @Test func catalogueWithAFilterAndTwoPages() {
        let link = { (label: String, selected: Bool) in
            CatalogRoutes.FacetLink(label: label, count: 4, url: "/katalog?q=x&f=\(label)", selected: selected)
        }
        let model = CatalogRoutes.CatalogModel(
            q: "anggaran \"kinerja\"", total: 21, results: [Self.card], tenants: [link("BPPK", true)],
            competencies: [link("Teknis", false)], methods: [link("Daring mandiri", false)],
            languages: [link("Indonesia", false)], jpRanges: [link("1–8 JP", false)],
            open: link("Sedang dibuka", false),
            sorts: [link("Relevan", true), link("Terbaru", false)], page: 1, pages: 2, previousURL: nil,
            nextURL: "/katalog?q=anggaran&hal=2", hidden: [.init(name: "tenant", value: "bppk")], hasFilters: true)
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[.id]!), as: .lines)
    }

    @Test func tenantCoursesInACategory() {
        let model = CatalogRoutes.TenantCoursesModel(
            category: "Anggaran", allURL: "/t/bppk/pelatihan", isAll: false, total: 1,
            categories: [.init(name: "Anggaran", url: "/t/bppk/pelatihan?kategori=anggaran", count: 1, selected: true)],
            courses: [Self.card], page: 1, pages: 1, previousURL: nil, nextURL: nil)
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[.id]!), as: .lines)
    }

    @Test(arguments: Language.allCases)
    func coursePageOfAnEnrolledLearner(language: Language) {
        let model = CatalogRoutes.CourseModel(
            id: "7C4A1F0E-3B2D-4E5F-8A9B-0C1D2E3F4A5B", slug: "anggaran", title: "Penganggaran <Berbasis> Kinerja",
            summary: "Menyusun RKA-K/L.", coverURL: "/t/bppk/pelatihan/anggaran/sampul",
            descriptionHTML: "<p>Deskripsi <strong>aman</strong>.</p>", tags: ["anggaran", "kinerja"],
            category: "Anggaran", competency: "Teknis", method: "Daring mandiri", microMinutes: nil, jp: 20,
            minutes: 900, level: "Dasar", language: "Indonesia", audience: "Semua ASN", mode: "Terbuka",
            trainers: ["Ibu Widya"], coordinators: ["Pak Pengelola"], prerequisites: [Self.card],
            missingPrerequisites: [], enrolOpens: "2026-11-01", enrolCloses: nil, starts: nil, ends: nil,
            alwaysOpen: false, quota: 40, seatsLeft: 12, enrolled: 28, status: "Terbit", isPublished: true,
            inMarketplace: true, canManage: false, myStatus: "enrolled", myStatusText: "Anda terdaftar",
            learnURL: "/t/bppk/belajar/anggaran", myDue: "2026-12-31", canEnrol: false, canWithdraw: true,
            enrolBlocked: nil, signInURL: nil, enrolLabel: "Daftar")
        let page = CoursePage(model: model, tenantSlug: "bppk", tenantName: "BPPK Kemenkeu")
        assertSnapshot(
            of: page.html(texts: PageSnapshotTests.texts[language]!), as: .lines, named: language.rawValue)
    }
}

/// The front page and a tenant's standard page, from fixed models.
@Suite("Tenancy page snapshots")
struct TenancyPageSnapshotTests {
    @Test(arguments: Language.allCases)
    func frontPage(language: Language) {
        let model = HomeRoutes.HomeModel(tenants: [
            .init(
                url: "/t/bppk", name: "BPPK <Kemenkeu>", kind: "Kementerian", tagline: "Corporate university",
                color: "#0b5"),
            .init(url: "/t/lan", name: "LAN", kind: "Lembaga", tagline: "", color: "#a31"),
        ])
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[language]!), as: .lines, named: language.rawValue)
    }

    @Test func standardPage() {
        let model = TenantPagesRoutes.PageModel(
            title: "Tentang kami", paragraphs: ["Balai pelatihan <resmi>.", "Alamat: Jl. Veteran & Merdeka."])
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[.id]!), as: .lines)
    }
}
