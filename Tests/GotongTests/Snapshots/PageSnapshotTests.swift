import Foundation
import SnapshotTesting
import Testing
@testable import Gotong
@testable import GotongLearning
@testable import GotongPlatform

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
