import Foundation
import SnapshotTesting
import Testing
@testable import GotongCatalog
@testable import GotongPlatform
@testable import GotongTenancy

/// A desk's course management pages and the curator's queue, from fixed models (see
/// ``PageSnapshotTests`` for how a snapshot is reviewed and recorded).
@Suite("Course management page snapshots")
struct CourseAdminPageSnapshotTests {
    static let desk = TenantDesk.tenant(.value(TenantSlug(rawValue: "bppk")))
    static let courseID = CourseID(UUID(uuidString: "00000000-0000-4000-8000-0000000000C1")!)
    static let texts = PageSnapshotTests.texts[.id]!

    @Test func courseListWithAQuotaAndRequests() {
        let model = CourseAdminRoutes.ListModel(
            desk: Self.desk, back: "/t/bppk/kelola", isTemplate: false,
            rows: [
                .init(
                    id: Self.courseID, title: "Pengadaan <Barang> & Jasa", status: "Terbit", curation: "Disetujui",
                    enrolled: 12, quota: 30, pending: 2),
                .init(
                    id: CourseID(UUID(uuidString: "00000000-0000-4000-8000-0000000000C2")!), title: "Draf",
                    status: "Draf", curation: "—", enrolled: 0, quota: nil, pending: 0),
            ])
        assertSnapshot(of: model.html(texts: Self.texts), as: .lines)
    }

    @Test func emptyTemplateList() {
        let model = CourseAdminRoutes.ListModel(
            desk: .master, back: "/admin/master", isTemplate: true, rows: [])
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[.en]!), as: .lines)
    }

    static func form(courseID: CourseID?, errors: [String: String]) -> CourseAdminRoutes.FormModel {
        CourseAdminRoutes.FormModel(
            desk: Self.desk, courseID: courseID,
            values: ["title": "Pengadaan \"Dasar\"", "slug": "pengadaan", "jp": "20", "language": "id"],
            errors: errors,
            choices: [
                "language": [
                    .init(value: "id", label: "Bahasa Indonesia", selected: true),
                    .init(value: "en", label: "English", selected: false),
                ],
                "category": [.init(value: "", label: "—", selected: true)],
            ],
            featured: true, sequential: false, statusText: "Draf", curation: "Ditolak",
            curationReason: courseID == nil ? nil : "Deskripsi <kurang>", canPublish: true, canSubmit: true,
            canArchive: false, isTemplate: false, publicURL: courseID == nil ? nil : "/t/bppk/pelatihan/pengadaan",
            tools: courseID == nil
                ? []
                : [
                    .init(label: "Isi materi", url: "/t/bppk/kelola/pelatihan/C1/materi", isPrimary: true),
                    .init(label: "Pantau", url: "/t/bppk/kelola/pelatihan/C1/pantau", isPrimary: false),
                ])
    }

    @Test func courseFormOfAnExistingCourse() {
        assertSnapshot(of: Self.form(courseID: Self.courseID, errors: [:]).html(texts: Self.texts), as: .lines)
    }

    @Test func newCourseFormWithErrors() {
        let model = Self.form(courseID: nil, errors: ["jp": "Isi JP 1–1000.", "slug": "Alamat sudah dipakai."])
        assertSnapshot(of: model.html(texts: Self.texts), as: .lines)
    }

    @Test func participantsInEveryState() {
        func row(_ n: Int, _ status: String, reason: String? = nil) -> CourseAdminRoutes.ParticipantsModel.Row {
            .init(
                id: EnrolmentID(UUID(uuidString: "00000000-0000-4000-8000-00000000000\(n)")!), name: "Peserta \(n)",
                email: "p\(n)@bppk.go.id", unit: "Unit <\(n)>", statusText: status, assigned: n == 2,
                due: n == 2 ? "31 Des 2026" : nil, reason: reason, requested: "1 Des 2026")
        }
        let model = CourseAdminRoutes.ParticipantsModel(
            desk: Self.desk, courseTitle: "Pengadaan", courseID: Self.courseID,
            pending: [row(1, "Menunggu"), row(4, "Menunggu")],
            enrolled: [row(2, "Terdaftar")], waiting: [], others: [row(3, "Ditolak", reason: "Kuota penuh")],
            quota: 30, seatsLeft: 29, enrolledCount: 1)
        assertSnapshot(of: model.html(texts: Self.texts), as: .lines)
    }

    @Test func assignmentWithAReportAndProblems() {
        let model = CourseAdminRoutes.AssignModel(
            desk: Self.desk, courseID: Self.courseID, courseTitle: "Pengadaan", units: ["Keuangan", "Umum & SDM"],
            values: ["unit_kerja": "Umum & SDM", "due_at": "2026-12-31", "people": "a@b.go.id"],
            problems: ["Baris 2: NIP tidak dikenal"],
            report: .init(people: 3, newly_enrolled: 1, already_enrolled: 1, already_completed: 1), published: false)
        assertSnapshot(of: model.html(texts: Self.texts), as: .lines)
    }

    @Test func curationQueue() {
        var row = CurationRoutes.QueueModel.Row(
            id: Self.courseID, title: "Pengadaan", summary: "Ringkas <b>", tenantName: "BPPK",
            url: "/t/bppk/pelatihan/pengadaan", jp: 20, method: "Daring mandiri", competency: "Teknis",
            published: "1 Des 2026")
        row.contentURL = "/t/bppk/belajar/pengadaan"
        let model = CurationRoutes.QueueModel(rows: [row], recent: [row])
        assertSnapshot(of: model.html(texts: Self.texts), as: .lines)
    }

    @Test func emptyCurationQueue() {
        let model = CurationRoutes.QueueModel(rows: [], recent: [])
        assertSnapshot(of: model.html(texts: PageSnapshotTests.texts[.en]!), as: .lines)
    }
}
