import Foundation
import SnapshotTesting
import Testing
@testable import GotongPlatform
@testable import GotongTenancy

/// Tenancy's pages other than the front page and standard pages (those are in
/// `PageSnapshotTests.swift`): a suspended tenant, the institutions, the editor and the audit
/// log, rendered from fixed models and compared with the HTML stored in `__Snapshots__` (see
/// `docs/rendering.md`).
@Suite("Tenancy administration and closed-tenant page snapshots")
struct TenancyAdminPageSnapshotTests {
    static let bppk = Param<TenantSlug>.value(TenantSlug(rawValue: "bppk"))

    @Test(arguments: Language.allCases)
    func suspendedTenant(language: Language) {
        let page = TenantResolver.SuspendedModel(name: "BPPK <Kemenkeu> & \"Mitra\"")
        assertSnapshot(of: page.html(texts: PageSnapshotTests.texts[language]!), as: .lines, named: language.rawValue)
    }

    @Test func institutionsAfterAFailedCreate() {
        let page = PlatformAdminRoutes.TenantsModel(
            rows: [
                .init(slug: Self.bppk, name: "BPPK <Kemenkeu>", kind: "Kementerian", active: true, created: "1 Des"),
                .init(
                    slug: .value(TenantSlug(rawValue: "lan-ri")), name: "LAN & Mitra", kind: "Lembaga", active: false,
                    created: "2 Des"),
            ], total: 2,
            kinds: [
                .init(value: "kementerian", label: "Kementerian", selected: false),
                .init(value: "lembaga", label: "Lembaga", selected: true),
            ],
            values: ["name": "Balai \"Baru\"", "slug": "Balai Baru", "kind": "lembaga"],
            errors: ["slug": "Alamat hanya huruf kecil, angka dan tanda hubung."], query: "ba<")
        assertSnapshot(of: page.html(texts: PageSnapshotTests.texts[.id]!, csrf: "tok\"en"), as: .lines)
    }

    @Test func nextStepsOfANewInstitution() {
        let page = TenantCreatedModel(
            name: "Balai <Baru>", storefrontURL: "/t/balai-baru", deskURL: "/t/balai-baru/kelola",
            tools: [
                .init(label: "Pelatihan", url: "/t/balai-baru/kelola/pelatihan"), .init(label: "Anggota", url: "/a"),
            ])
        assertSnapshot(of: page.html(texts: PageSnapshotTests.texts[.id]!), as: .lines)
    }

    static let values = [
        "name": "BPPK <Kemenkeu>", "tagline": "Corporate & university", "description": "Baris satu\nbaris \"dua\"",
        "welcome": "", "primary_color": "#0b5", "contact_email": "diklat@bppk.go.id", "contact_phone": "",
        "address": "Jakarta", "website": "https://bppk.go.id/?a=1&b=2",
    ]

    @Test func tenantEditorWithErrors() {
        let page = TenantEditor.Model(
            desk: .tenant(Self.bppk),
            tools: [
                .init(label: "Pelatihan", url: "/t/bppk/kelola/pelatihan"),
                .init(label: "Anggota", url: "/t/bppk/kelola/anggota"),
                .init(label: "Impor akun", url: "/t/bppk/kelola/impor"),
                .init(label: "Log audit", url: "/t/bppk/kelola/audit"),
            ], values: Self.values, openMembership: true,
            errors: ["primary_color": "Warna kurang kontras.", "logo": "Logo <terlalu> besar."],
            pages: [.init(key: "tentang", title: "Tentang & Sejarah", body: "<p>Isi</p>")],
            categories: [
                .init(
                    id: CategoryID(UUID(uuidString: "ABABABAB-1111-2222-3333-444444444444")!), name: "Teknis \"Inti\"")
            ])
        assertSnapshot(of: page.html(texts: PageSnapshotTests.texts[.id]!), as: .lines)
    }

    @Test func masterTemplateEditor() {
        let page = TenantEditor.Model(
            desk: .master, tools: [.init(label: "Pelatihan templat", url: "/admin/master/pelatihan")],
            values: Self.values, openMembership: false, errors: [:], pages: [], categories: [])
        assertSnapshot(of: page.html(texts: PageSnapshotTests.texts[.id]!), as: .lines)
    }

    @Test func platformAuditWithANextPage() {
        let page = AuditPage.Model(
            rows: [
                .init(
                    when: "1 Des 2026 10.00", actor: "Siti <admin>", action: "Membuat instansi", subject: "bppk",
                    detail: "12.3 ms & \"cepat\"", ip: "10.0.0.1", tenant: "BPPK"),
                .init(
                    when: "30 Nov 2026 09.00", actor: "Budi", action: "Masuk", subject: "budi@x.go.id", detail: "",
                    ip: "10.0.0.2", tenant: "—"),
            ], page: 1, hasNext: true, showTenant: true, nextPage: 2)
        assertSnapshot(of: page.html(texts: PageSnapshotTests.texts[.id]!), as: .lines)
    }

    @Test func tenantAuditLastPage() {
        let page = AuditPage.Model(
            rows: [
                .init(
                    when: "1 Des 2026 10.00", actor: "Siti", action: "Mengubah profil", subject: "bppk", detail: "",
                    ip: "10.0.0.1", tenant: "—")
            ], page: 3, hasNext: false, showTenant: false, nextPage: 4)
        assertSnapshot(of: page.html(texts: PageSnapshotTests.texts[.en]!), as: .lines)
    }
}
