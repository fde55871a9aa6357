import Foundation
import SnapshotTesting
import Testing
@testable import GotongPlatform

/// The platform's own pages (a message, the error page, the jobs page), rendered from fixed
/// models and compared with the HTML stored in `__Snapshots__` (see `docs/rendering.md`).
@Suite("Platform page snapshots")
struct PlatformPageSnapshotTests {
    @Test(arguments: Language.allCases)
    func messageWithLinks(language: Language) {
        let page = MessagePage(
            heading: "Tautan <tidak> berlaku", text: "Minta tautan baru & coba lagi \"segera\".",
            links: [
                .init(url: "/masuk", label: "layout.signin"), .init(url: "/lupa-sandi", label: "identity.forgot.title"),
            ])
        assertSnapshot(of: page.html(texts: PageSnapshotTests.texts[language]!), as: .lines, named: language.rawValue)
    }

    @Test(arguments: Language.allCases)
    func errorPage(language: Language) {
        let page = ErrorPage(code: 404, heading: "Tidak ditemukan", detail: "Halaman <x> & \"y\" tidak ada.")
        assertSnapshot(of: page.html(texts: PageSnapshotTests.texts[language]!), as: .lines, named: language.rawValue)
    }

    @Test func jobsWithAFailedOne() {
        let id = JobID(UUID(uuidString: "0F0F0F0F-1111-2222-3333-444444444444")!)
        let page = JobsPage.Model(
            counts: [.init(status: "Menunggu", count: 2), .init(status: "Gagal", count: 1)],
            rows: [
                .init(
                    id: id, kind: "mail.send", status: "Gagal", attempts: 5, runAt: "1 Des 2026 10.00",
                    error: "SMTP <550> & \"ditolak\"", failed: true),
                .init(
                    id: id, kind: "reminder", status: "Menunggu", attempts: 0, runAt: "2 Des 2026 08.00", error: "",
                    failed: false),
            ])
        assertSnapshot(of: page.html(texts: PageSnapshotTests.texts[.id]!, csrf: "tok\"en"), as: .lines)
    }

    @Test func noJobs() {
        let page = JobsPage.Model(counts: [.init(status: "Menunggu", count: 0)], rows: [])
        assertSnapshot(of: page.html(texts: PageSnapshotTests.texts[.id]!), as: .lines)
    }
}
