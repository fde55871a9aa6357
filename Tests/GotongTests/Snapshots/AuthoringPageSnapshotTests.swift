import Foundation
import SnapshotTesting
import Testing
@testable import GotongCatalog
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// The authors' editor, the activity form, monitoring, the forum and each activity type's
/// view, from fixed models (see ``PageSnapshotTests``).
@Suite("Authoring and learning page snapshots")
struct AuthoringPageSnapshotTests {
    static let desk = TenantDesk.tenant(.value(TenantSlug(rawValue: "bppk")))
    static let courseID = CourseID(UUID(uuidString: "00000000-0000-4000-8000-0000000000C1")!)
    static let texts = PageSnapshotTests.texts[.id]!

    static func uuid(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", n))! }

    @Test func editorWithTwoSectionsAndAFailedRename() {
        typealias M = LearningAdminRoutes.EditorModel
        let items: [M.Item] = [
            .init(
                id: ActivityID(Self.uuid(11)), title: "Pengantar <1>", type: "Bacaan", rule: "Selesai bila dibuka",
                hidden: false, opens: nil, first: true, last: false),
            .init(
                id: ActivityID(Self.uuid(12)), title: "Video", type: "Video", rule: nil, hidden: true,
                opens: "1 Jan 2027 08.00 WIB", first: false, last: true),
        ]
        let model = M(
            desk: Self.desk, courseID: Self.courseID, courseTitle: "Pengadaan & Jasa",
            learnURL: "/t/bppk/belajar/pengadaan", sequential: true,
            sections: [
                .init(
                    id: SectionID(Self.uuid(1)), title: "Topik 1", hidden: false, first: true, last: false,
                    items: items, renameError: "Judul terlalu pendek.", typedTitle: "T"),
                .init(
                    id: SectionID(Self.uuid(2)), title: "Topik 2", hidden: true, first: false, last: true, items: [],
                    renameError: nil, typedTitle: "Topik 2"),
            ],
            types: [.init(value: "page", label: "Bacaan", selected: false)], sectionError: "Isi judul topik.")
        assertSnapshot(of: model.html(texts: Self.texts), as: .lines)
    }

    @Test func emptyEditorOfATemplate() {
        let model = LearningAdminRoutes.EditorModel(
            desk: .master, courseID: Self.courseID, courseTitle: "Templat", learnURL: nil, sequential: false,
            sections: [], types: [], sectionError: nil)
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[.en]!), as: .lines)
    }

    @Test func activityFormWithEveryKindOfFieldAndErrors() {
        typealias F = LearningAdminRoutes.ActivityFormModel.Field
        let fields: [F] = [
            .init(
                name: "body", label: "Isi", kind: .markdown, value: "**tebal** <i>", required: true, hint: "Markdown",
                error: "Isi wajib diisi.", accept: nil, min: nil, max: 20000),
            .init(
                name: "url", label: "Alamat", kind: .url, value: "https://x.go.id/?a=1&b=2", required: false,
                hint: "Alamat web", error: nil, accept: nil, min: nil, max: nil),
            .init(
                name: "file", label: "Berkas", kind: .file, value: "", required: true, hint: "PDF, maks. 20 MB",
                error: nil, accept: ".pdf", min: nil, max: nil),
            .init(
                name: "minutes", label: "Menit", kind: .number, value: "5", required: false, hint: nil, error: nil,
                accept: nil, min: 1, max: 600),
            .init(
                name: "caption", label: "Keterangan", kind: .text, value: "\"kutip\"", required: false, hint: nil,
                error: nil, accept: nil, min: nil, max: 200),
        ]
        let model = LearningAdminRoutes.ActivityFormModel(
            desk: Self.desk, courseID: Self.courseID, activityID: ActivityID(Self.uuid(11)), courseTitle: "Pengadaan",
            typeLabel: "Bacaan", type: "page", sectionID: SectionID(Self.uuid(1)), title: "P",
            titleError: "Judul terlalu pendek.", fields: fields,
            completions: [
                .init(kind: "none", label: "tidak wajib", unit: nil, value: "", range: nil, checked: false),
                .init(
                    kind: "min_seconds", label: "dibuka dan dipelajari minimal", unit: "menit", value: "3",
                    range: 1...1440, checked: true),
            ], completionError: "Isi angka menit.", hidden: true, opensAt: "2027-01-01",
            opensError: "Tanggal tidak dikenal.", formError: "Berkas tidak terbaca.")
        assertSnapshot(of: model.html(texts: Self.texts), as: .lines)
    }

    @Test func newActivityForm() {
        let model = LearningAdminRoutes.ActivityFormModel(
            desk: .master, courseID: Self.courseID, activityID: nil, courseTitle: "Templat", typeLabel: "Link",
            type: "link", sectionID: SectionID(Self.uuid(1)), title: "", titleError: nil, fields: [],
            completions: [
                .init(kind: "default", label: "by source", unit: nil, value: "", range: nil, checked: true),
                .init(
                    kind: "min_percent", label: "watched to at least", unit: "%", value: "90", range: 1...100,
                    checked: false),
            ],
            completionError: nil, hidden: false, opensAt: "", opensError: nil, formError: nil)
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[.en]!), as: .lines)
    }

    @Test func deleteConfirmation() {
        let model = LearningAdminRoutes.ConfirmModel(
            heading: "Hapus “Pengantar <1>”?", warning: "Kemajuan peserta ikut terhapus.",
            action: "/t/bppk/kelola/pelatihan/C1/materi/A1/hapus", back: "/t/bppk/kelola/pelatihan/C1/materi")
        assertSnapshot(of: model.html(texts: Self.texts), as: .lines)
    }

    @Test func monitoringWithTwoPagesAndALog() {
        typealias M = MonitoringRoutes.PageModel
        let model = M(
            courseTitle: "Pengadaan", courseURL: "/t/bppk/kelola/pelatihan/C1",
            remindURL: "/t/bppk/kelola/pelatihan/C1/pantau/pengingat", total: 60, shown: 30, recipients: 28,
            filters: [
                .init(label: "Semua", url: "?filter=all&urut=progress", selected: true),
                .init(label: "Belum mulai", url: "?filter=not_started&urut=progress", selected: false),
            ], sorts: [.init(label: "Kemajuan", url: "?filter=all&urut=progress", selected: true)],
            activities: ["Pengantar", "Video <1>"],
            rows: [
                .init(
                    personID: Self.uuid(21), name: "Siti", email: "siti@x.go.id", unit: "Keuangan", percent: 50,
                    minutes: 12,
                    lastSeen: "1 Des 2026", finished: false,
                    cells: [
                        .init(state: "yes", label: "selesai", minutes: 3),
                        .init(state: "open", label: "dibuka", minutes: 0, note: "ditonton 40 %"),
                    ]),
                .init(
                    personID: Self.uuid(22), name: "Budi", email: "budi@x.go.id", unit: "", percent: 100, minutes: 30,
                    lastSeen: "—",
                    finished: true, cells: []),
            ], page: 2, pages: 3, previousURL: "?filter=all&urut=progress", nextURL: "?filter=all&urut=progress&hal=3",
            csvURL: "/t/bppk/kelola/pelatihan/C1/pantau/csv?filter=all&urut=progress", filter: "all",
            filterLabel: "Semua", defaultMessage: "Ayo lanjutkan!", completionChart: "<svg id=\"c\"></svg>",
            funnelChart: "<svg id=\"f\"></svg>",
            log: [.init(when: "1 Des 2026", by: "Pengelola", filter: "Semua", recipients: 30, message: "Ayo <segera>")])
        assertSnapshot(of: model.html(texts: Self.texts, csrf: "tok"), as: .lines)
    }

    @Test func monitoringOfNobody() {
        let model = MonitoringRoutes.PageModel(
            courseTitle: "Pengadaan", courseURL: "/c", remindURL: "/c/r", total: 0, shown: 0, recipients: 0,
            filters: [], sorts: [],
            activities: [], rows: [], page: 1, pages: 1, previousURL: nil, nextURL: nil, csvURL: "/c/csv",
            filter: "all", filterLabel: "All", defaultMessage: "", completionChart: "", funnelChart: "", log: [])
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[.en]!), as: .lines)
    }

    @Test func forumListAndThread() {
        let list = ForumType.ListModel(
            descriptionHTML: "<p>Diskusikan.</p>",
            threads: [
                .init(
                    url: "/a/utas/T1", title: "Tanya <b>", author: "Siti", replies: 2, answered: true, when: "kemarin"),
                .init(url: "/a/utas/T2", title: "Lagi", author: "Budi", replies: 0, answered: false, when: "hari ini"),
            ], action: "/a/utas")
        assertSnapshot(of: list.html(texts: Self.texts, csrf: "tok"), as: .lines, named: "list")
        let empty = ForumType.ListModel(descriptionHTML: "", threads: [], action: "/a/utas")
        assertSnapshot(of: empty.html(texts: PageSnapshotTests.texts[.en]!, csrf: "tok"), as: .lines, named: "empty")
        let thread = ForumType.ThreadModel(
            courseTitle: "Pengadaan", activityTitle: "Diskusi", activityURL: "/a", title: "Tanya <b>",
            posts: [
                .init(id: "P1", author: "Siti", when: "kemarin", html: "<p>Apa?</p>", isAnswer: false, isFirst: true),
                .init(id: "P2", author: "Budi", when: "tadi", html: "<p>Ini.</p>", isAnswer: true, isFirst: false),
                .init(id: "P3", author: "Ani", when: "baru", html: "<p>Atau?</p>", isAnswer: false, isFirst: false),
            ], replyAction: "/a/utas/T1/balas", answerAction: "/a/utas/T1/jawaban", canMarkAnswer: true)
        assertSnapshot(of: thread.html(texts: Self.texts, csrf: "tok"), as: .lines, named: "thread")
    }

    @Test func eachActivityTypesView() {
        let t = Self.texts
        assertSnapshot(of: PageType.Model(html: "<h2>Isi</h2>").html(texts: t), as: .lines, named: "page")
        let link = LinkType.Model(
            url: "https://jdih.go.id/?a=1&b=2", host: "jdih.go.id", descriptionHTML: "<p>Baca.</p>")
        assertSnapshot(of: link.html(texts: t), as: .lines, named: "link")
        let file = FileType.Model(
            url: "/a/berkas/file", name: "Modul \"1\".pdf", kind: "PDF", size: "1,2 MB", descriptionHTML: "")
        assertSnapshot(of: file.html(texts: t), as: .lines, named: "file")
        let upload = VideoType.Model(
            title: "Video", fileURL: "/a/berkas/file", fileType: "video/mp4", resume: 42.5, embed: nil,
            descriptionHTML: "<p>Tonton.</p>")
        assertSnapshot(of: upload.html(texts: t), as: .lines, named: "video-file")
        let embedded = VideoType.Model(
            title: "APBN <5 menit>", fileURL: nil, fileType: nil, resume: 0,
            embed: VideoEmbed("https://www.youtube.com/watch?v=dQw4w9WgXcQ"), descriptionHTML: "")
        assertSnapshot(of: embedded.html(texts: PageSnapshotTests.texts[.en]!), as: .lines, named: "video-embed")
    }

    @Test func courseFinishedWithCoursesToLearnNext() {
        var enrolled = CataloguePageSnapshotTests.card
        enrolled.standing = .enrolled
        let model = CourseFinishedModel(
            courseTitle: "Etika <ASN>", tenantName: "BPPK", jp: 12, completedOn: "4 Des 2026",
            outlineURL: "/t/bppk/belajar/etika", next: [CataloguePageSnapshotTests.card, enrolled])
        assertSnapshot(of: model.html(texts: Self.texts), as: .lines)
        let none = CourseFinishedModel(
            courseTitle: "Etika", tenantName: "BPPK", jp: 2, completedOn: "4 Des 2026", outlineURL: "/e", next: [])
        assertSnapshot(of: none.html(texts: PageSnapshotTests.texts[.en]!), as: .lines)
    }
}
