import Foundation
import Testing
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

@Suite("Catalogue search (no database)")
struct CatalogSearchTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let tenantIDs = ["anri": UUID(), "bppk": UUID(), "bps": UUID()]

    static func entry(
        _ title: String, tenant: String = "bppk", summary: String = "", tags: [String] = [], trainers: [String] = [],
        competency: Course.CompetencyType = .teknis, method: Course.DeliveryMethod = .mandiri, jp: Int = 8,
        audience: Course.Audience = .all, tenantID: UUID? = nil, enrolled: Int = 0, age: TimeInterval = 0,
        opens: Date? = nil, mode: Course.EnrolmentMode = .open, language: String = "id", startsAt: Date? = nil
    ) -> CatalogEntry {
        CatalogEntry(
            courseID: UUID(), tenantID: tenantID ?? tenantIDs[tenant, default: UUID()], tenantSlug: tenant,
            tenantName: "Instansi \(tenant.uppercased())",
            tenantColor: "#0b4f8a", slug: CourseChange.slugify(title), title: title, summary: summary, tags: tags,
            trainers: trainers, competencyType: competency, deliveryMethod: method, microMinutes: nil, jp: jp,
            language: language, audience: audience, audienceTenantIDs: [], enrolmentMode: mode, enrolOpensAt: opens,
            enrolClosesAt: nil, startsAt: startsAt, endsAt: nil, enrolledCount: enrolled,
            publishedAt: now.addingTimeInterval(-age))
    }

    static func titles(
        _ index: CatalogIndex, _ configure: (inout CatalogQuery) -> Void, viewer: CatalogViewer = .anonymous
    ) -> [String] {
        var query = CatalogQuery()
        configure(&query)
        return index.search(query, viewer: viewer, now: now).hits.map(\.title)
    }

    @Test(arguments: [
        ("kelola", "Pengelolaan Kinerja"), ("layanan", "Pelayanan Publik"), ("latih", "Pelatihan Dasar CPNS"),
        ("PELAYANAN", "Pelayanan Publik"), ("pélayanan", "Pelayanan Publik"), ("kinerja", "Pengelolaan Kinerja"),
        ("tulis", "Menulis Naskah Dinas"), ("pakai", "Pemakaian Aplikasi Srikandi"), ("susun", "Penyusunan Anggaran"),
        ("bangun", "Pembangunan Desa"), ("kirim", "Pengiriman Surat Elektronik"),
    ])
    func indonesianWordFormsFindTheirCourses(word: String, expected: String) {
        // setup
        let index = CatalogIndex(
            entries: [
                "Pengelolaan Kinerja", "Pelayanan Publik", "Pelatihan Dasar CPNS", "Menulis Naskah Dinas",
                "Pemakaian Aplikasi Srikandi",
                "Penyusunan Anggaran", "Pembangunan Desa", "Pengiriman Surat Elektronik", "Statistik Dasar",
            ].map { Self.entry($0) }, version: 1)
        // MUT
        let found = Self.titles(index) { $0.text = word }
        // validate
        #expect(found.contains(expected), "\(word) should find \(expected), found \(found)")
        #expect(!found.contains("Statistik Dasar"))
    }

    @Test func everyWordMustMatchAndTitleOutranksSummary() {
        let index = CatalogIndex(
            entries: [
                Self.entry("Literasi Digital", summary: "Pelayanan publik yang aman"),
                Self.entry("Pelayanan Publik Prima", summary: "Standar layanan"),
                Self.entry("Pelayanan Kesehatan"),
            ], version: 1)
        #expect(Self.titles(index) { $0.text = "pelayanan publik" } == ["Pelayanan Publik Prima", "Literasi Digital"])
        #expect(Self.titles(index) { $0.text = "layanan kesehatan" } == ["Pelayanan Kesehatan"])
        #expect(Self.titles(index) { $0.text = "astronomi" }.isEmpty)
    }

    @Test func tagsAndTrainerNamesAreSearched() {
        let index = CatalogIndex(
            entries: [
                Self.entry("Kursus A", tags: ["APBN"]), Self.entry("Kursus B", trainers: ["Dr. Wahyuni Saputri"]),
                Self.entry("Kursus C"),
            ], version: 1)
        #expect(Self.titles(index) { $0.text = "apbn" } == ["Kursus A"])
        #expect(Self.titles(index) { $0.text = "wahyuni" } == ["Kursus B"])
    }

    @Test func facetCountsIgnoreTheirOwnFilterButApplyTheOthers() {
        let index = CatalogIndex(
            entries: [
                Self.entry("Pengelolaan Arsip", tenant: "anri", competency: .teknis, method: .mandiri, jp: 4),
                Self.entry("Pengelolaan Risiko", tenant: "bppk", competency: .manajerial, method: .mandiri, jp: 16),
                Self.entry("Pengelolaan Kinerja", tenant: "bppk", competency: .manajerial, method: .klasikal, jp: 30),
                Self.entry("Statistik Dasar", tenant: "bps", competency: .teknis, method: .mandiri, jp: 8),
            ], version: 1)
        var query = CatalogQuery()
        query.text = "kelola"
        query.competencyTypes = [.manajerial]
        let result = index.search(query, viewer: .anonymous, now: Self.now)
        #expect(result.total == 2)
        // The competency facet counts the word's matches of every competency type…
        #expect(result.competencyTypes.first { $0.value == "teknis" }?.count == 1)
        #expect(result.competencyTypes.first { $0.value == "manajerial" }?.count == 2)
        // …while the other facets count only managerial matches.
        #expect(result.deliveryMethods.first { $0.value == "mandiri" }?.count == 1)
        #expect(result.deliveryMethods.first { $0.value == "klasikal" }?.count == 1)
        #expect(result.tenants.map(\.value) == ["bppk"])
        #expect(result.jpRanges.map(\.count) == [0, 0, 1, 1, 0])

        query.jpMin = 21
        #expect(index.search(query, viewer: .anonymous, now: Self.now).hits.map(\.title) == ["Pengelolaan Kinerja"])
    }

    @Test func restrictedCoursesShowOnlyToTheirPeople() {
        let own = UUID()
        let index = CatalogIndex(
            entries: [
                Self.entry("Kepemimpinan Pengawas", audience: .own, tenantID: own), Self.entry("Literasi Digital"),
            ], version: 1)
        #expect(Self.titles(index) { _ in } == ["Literasi Digital"])
        #expect(
            Set(Self.titles(index, { _ in }, viewer: CatalogViewer(tenantIDs: [own]))) == [
                "Kepemimpinan Pengawas", "Literasi Digital",
            ])
    }

    @Test func openNowSortsAndPages() {
        let index = CatalogIndex(
            entries: [
                Self.entry("Lama", enrolled: 50, age: 300),
                Self.entry("Baru", enrolled: 5, age: 10),
                Self.entry(
                    "Belum dibuka", age: 100, opens: Self.now.addingTimeInterval(86_400),
                    startsAt: Self.now.addingTimeInterval(2 * 86_400)),
                Self.entry("Penugasan", age: 200, mode: .assigned, startsAt: Self.now.addingTimeInterval(86_400)),
            ], version: 1)
        #expect(
            Self.titles(index) {
                $0.openOnly = true; $0.sort = .newest
            } == ["Baru", "Lama"])
        #expect(Self.titles(index) { $0.sort = .popular }.first == "Lama")
        #expect(Array(Self.titles(index) { $0.sort = .soon }.prefix(2)) == ["Penugasan", "Belum dibuka"])
        let page2 = index.search(
            {
                var q = CatalogQuery(); q.perPage = 3; q.page = 2; q.sort = .newest; return q
            }(), viewer: .anonymous, now: Self.now)
        #expect(page2.pages == 2 && page2.hits.map(\.title) == ["Lama"])
    }

    @Test func markdownIsRenderedWithoutScript() {
        let html = SafeMarkdown.html(
            """
            ## Tujuan
            **Tebal** <script>alert(1)</script> <img src=x onerror=alert(2)>
            [aman](https://lan.go.id) [jahat](javascript:alert(3)) [kutip](https://a.b/"onmouseover="alert(4))
            ![gambar](https://evil.example/x.png)
            """)
        #expect(html.contains("<h2>Tujuan</h2>"))
        #expect(html.contains("<strong>Tebal</strong>"))
        #expect(html.contains(#"<a href="https://lan.go.id" rel="nofollow noopener">aman</a>"#))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.lowercased().contains("href=\"javascript"))
        #expect(!html.contains("onmouseover=\""))
        // Raw HTML shows as text: no element carries a handler.
        #expect(html.range(of: #"<[a-z][^>]*\son[a-z]+="#, options: .regularExpression) == nil)
        #expect(html.contains("&lt;script&gt;"))
    }
}
