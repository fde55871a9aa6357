import Foundation
import SnapshotTesting
import Testing
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongTenancy

/// Identity's pages (signing in and out, registering, the mailed links' form, the profile, a
/// tenant's members and imports), rendered from fixed models and compared with the HTML
/// stored in `__Snapshots__` (see `docs/rendering.md`).
@Suite("Identity page snapshots")
struct IdentityPageSnapshotTests {
    typealias R = IdentityRoutes
    static let bppk = Param<TenantSlug>.value(TenantSlug(rawValue: "bppk"))

    static func html(_ page: some PageBody, _ language: Language, csrf: String = "token") -> String {
        page.html(texts: PageSnapshotTests.texts[language]!, csrf: csrf)
    }

    @Test(arguments: Language.allCases)
    func signInAfterAFailure(language: Language) {
        let page = R.SignInModel(
            next: "/t/bppk/pelatihan?q=a&b=\"c\"", email: "siti<@>bppk.go.id", error: "Email atau sandi salah.")
        assertSnapshot(of: Self.html(page, language, csrf: "tok\"en"), as: .lines, named: language.rawValue)
    }

    @Test(arguments: Language.allCases)
    func signOut(language: Language) {
        assertSnapshot(of: Self.html(R.SignOutModel(), language), as: .lines, named: language.rawValue)
    }

    @Test(arguments: Language.allCases)
    func forgottenPassword(language: Language) {
        assertSnapshot(of: Self.html(R.ForgotModel(), language), as: .lines, named: language.rawValue)
    }

    @Test(arguments: Language.allCases)
    func registerWithErrors(language: Language) {
        let page = R.RegisterModel(
            values: [
                "name": "Siti <Aminah>", "email": "siti@", "nip": "1990", "unit_kerja": "Biro \"Umum\"",
                "jabatan": "Analis & Perencana",
            ],
            errors: [
                "name": "Nama <wajib>.", "email": "Email tidak sah.", "nip": "NIP harus 18 angka.",
                "password": "Sandi terlalu pendek.", "password_confirmation": "Sandi tidak sama.",
            ])
        assertSnapshot(of: Self.html(page, language), as: .lines, named: language.rawValue)
    }

    @Test func registerEmpty() {
        assertSnapshot(of: Self.html(R.RegisterModel(values: [:], errors: [:]), .id), as: .lines)
    }

    @Test(arguments: Language.allCases)
    func activateAccount(language: Language) {
        let page = R.SetPasswordModel(token: "Ab_cd-12", activation: true, email: "siti&budi@x.go.id", errors: [:])
        assertSnapshot(of: Self.html(page, language), as: .lines, named: language.rawValue)
    }

    @Test func resetPasswordWithErrors() {
        let page = R.SetPasswordModel(
            token: "Ab_cd-12", activation: false, email: "siti@x.go.id",
            errors: ["password": "Sandi <terlalu> pendek.", "password_confirmation": "Sandi tidak sama."])
        assertSnapshot(of: Self.html(page, .id), as: .lines)
    }

    static let profile = R.ProfileModel(
        values: [
            "name": "Siti <Aminah>", "email": "siti@bppk.go.id", "phone": "0812", "nip": "199001012020012001",
            "unit_kerja": "Biro \"Umum\"", "jabatan": "Analis & Perencana",
        ],
        errors: ["nip": "NIP sudah dipakai.", "days": "Paling lama 365 hari."],
        tokens: [
            .init(
                id: APITokenID(UUID(uuidString: "CDCDCDCD-1111-2222-3333-444444444444")!), name: "Skrip <laporan>",
                created: "1 Des 2026", lastUsed: "—", expires: "1 Jan 2027", expired: false),
            .init(
                id: APITokenID(UUID(uuidString: "EFEFEFEF-1111-2222-3333-444444444444")!), name: "Lama",
                created: "1 Jan 2026", lastUsed: "2 Jan 2026", expires: "1 Feb 2026", expired: true),
        ],
        newToken: "gtk_abc&def",
        homeTenants: [
            .init(value: "A1", label: "BPPK <Kemenkeu>", selected: true),
            .init(value: "B2", label: "LAN", selected: false),
        ],
        institutions: [.init(name: "BPPK <Kemenkeu>", url: "/t/bppk"), .init(name: "LAN", url: "/t/lan")],
        languages: [
            .init(value: "id", label: "Bahasa Indonesia", selected: false),
            .init(value: "en", label: "English", selected: true),
        ],
        lifetimes: [.init(days: 30, selected: false), .init(days: 90, selected: true)])

    @Test(arguments: Language.allCases)
    func profileWithTokensAndErrors(language: Language) {
        assertSnapshot(of: Self.html(Self.profile, language), as: .lines, named: language.rawValue)
    }

    @Test func profileOfANewcomer() {
        var page = Self.profile
        page.errors = [:]
        page.tokens = []
        page.newToken = nil
        page.homeTenants = []
        page.institutions = []
        assertSnapshot(of: Self.html(page, .id), as: .lines)
    }

    @Test func membersOnAMiddlePage() {
        let page = MemberRoutes.MembersModel(
            rows: [
                .init(
                    name: "Siti <Aminah>", email: "siti@x.go.id", nip: "1990****2001", unit: "Biro \"Umum\"",
                    roles: "Administrator, Peserta"),
                .init(name: "Budi", email: "budi@x.go.id", nip: "", unit: "", roles: "Peserta"),
            ], total: 120, page: 2, pages: 3, tenant: Self.bppk)
        assertSnapshot(of: Self.html(page, .id), as: .lines)
    }

    @Test func importPreview() {
        let page = MemberRoutes.ImportModel(
            tenant: Self.bppk, importID: ImportID(UUID(uuidString: "12121212-1111-2222-3333-444444444444")!),
            filename: "peserta <2026> & \"baru\".csv",
            report: .init(totalRows: 10, newPeople: 3, existingPeople: 7, newMemberships: 4, committed: false),
            problems: [], columns: "nama,email,nip")
        assertSnapshot(of: Self.html(page, .id), as: .lines)
    }

    @Test func importWithProblems() {
        let page = MemberRoutes.ImportModel(
            tenant: Self.bppk, importID: nil, filename: nil, report: nil,
            problems: [
                .init(row: 2, column: "email", message: "Email <tidak> sah."),
                .init(row: 5, column: "nip", message: "NIP & nama \"berbeda\"."),
            ], columns: "nama,email,nip", problemCount: 250)
        assertSnapshot(of: Self.html(page, .id), as: .lines)
    }
}
