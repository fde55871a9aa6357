import Foundation
import SnapshotTesting
import Testing
@testable import GotongPlatform

/// The frame around every page (``LayoutHTML``), from fixed contexts: a guest, a learner with
/// unread notifications and institutions, a platform administrator in a tenant they manage, in
/// both languages. Its fixed parts are kept per language and a tenant's heading per tenant
/// (``FrameCache``); the snapshots hold what a page shows either way.
@Suite("Frame snapshots")
struct FrameSnapshotTests {
    static let links = FrameLinks(
        catalogue: "/katalog", myCourses: "/saya", notifications: "/notifikasi", profile: "/profil",
        platformAdmin: "/admin", curation: "/admin/kurasi", signIn: "/masuk", signOut: "/keluar",
        register: "/daftar", language: { "/bahasa/\($0.rawValue)" }, storefront: { "/t/\($0)" },
        desk: { "/t/\($0)/kelola" }, courses: { "/t/\($0)/kelola/pelatihan" })

    static func brand(
        name: String = "BPPK <Kemenkeu>", canManage: Bool, canManageCourses: Bool
    )
        -> LayoutContext.TenantBrand
    {
        .init(
            slug: "bppk", name: name, tagline: "Belajar & \"berkembang\"", color: "#1d4ed8",
            logoURL: canManage ? "/berkas/logo.png" : nil, canManage: canManage, canManageCourses: canManageCourses)
    }

    static func frame(_ l: LayoutContext, _ language: Language, cache: FrameCache = FrameCache()) -> String {
        let texts = PageSnapshotTests.texts[language]!
        return LayoutHTML.head(l, texts: texts, links: links, cache: cache) + "…\n"
            + cache.parts(texts, links: links).foot
    }

    @Test(arguments: Language.allCases)
    func aGuest(language: Language) {
        let l = LayoutContext(
            title: "Katalog <pelatihan>", next: "/katalog%3Fq%3D%22a%22", csrf: "", person: nil, tenants: [],
            tenant: nil, flashes: [], hasTenants: false)
        assertSnapshot(of: Self.frame(l, language), as: .lines, named: language.rawValue)
    }

    @Test(arguments: Language.allCases)
    func aLearnerWithUnreadNotesAndInstitutions(language: Language) {
        let l = LayoutContext(
            title: "Pelatihan saya", next: "/saya", csrf: "tok\"en",
            person: .init(name: "Siti", email: "siti@bppk.go.id", isPlatformAdmin: false, unread: 3),
            tenants: [
                .init(slug: "bppk", name: "BPPK", color: "#1d4ed8"),
                .init(slug: "bps", name: "BPS & <x>", color: "#0f0"),
            ],
            tenant: Self.brand(canManage: false, canManageCourses: true),
            flashes: [.init(kind: .error, text: "Gagal <disimpan> & \"coba\" lagi")], hasTenants: true)
        assertSnapshot(of: Self.frame(l, language), as: .lines, named: language.rawValue)
    }

    @Test func anAdministratorWithManyUnreadInATenantTheyManage() {
        let l = LayoutContext(
            title: "Kelola", next: "/t/bppk/kelola", csrf: "token",
            person: .init(name: "Admin", email: "admin@lan.go.id", isPlatformAdmin: true, unread: 150), tenants: [],
            tenant: Self.brand(canManage: true, canManageCourses: true),
            flashes: [.init(kind: .success, text: "Tersimpan.")], hasTenants: false)
        assertSnapshot(of: Self.frame(l, .id), as: .lines)
    }

    /// A kept heading is found by the tenant's values: a renamed tenant or a person with other
    /// rights gets its own, at once.
    @Test func aTenantsKeptHeadingFollowsItsValues() {
        let cache = FrameCache()
        let texts = PageSnapshotTests.texts[.id]!
        let before = cache.tenantHead(Self.brand(canManage: false, canManageCourses: false), texts, links: Self.links)
        let renamed = cache.tenantHead(
            Self.brand(name: "BPPK Baru", canManage: false, canManageCourses: false), texts, links: Self.links)
        let manager = cache.tenantHead(Self.brand(canManage: true, canManageCourses: true), texts, links: Self.links)
        #expect(before.contains("BPPK &lt;Kemenkeu&gt;") && !before.contains("/kelola"))
        #expect(renamed.contains("BPPK Baru") && !renamed.contains("Kemenkeu"))
        #expect(manager.contains("href=\"/t/bppk/kelola\""))
        let english = cache.tenantHead(
            Self.brand(canManage: true, canManageCourses: true), PageSnapshotTests.texts[.en]!, links: Self.links)
        #expect(english != manager)
    }
}
