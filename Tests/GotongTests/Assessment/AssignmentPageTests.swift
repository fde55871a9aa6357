import Fluent
import Foundation
import Testing
import Vapor
@testable import Gotong
@testable import GotongAssessment
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// The assignment on the web, on both databases: the participant's draft and hand-in with a
/// file, a refused form shown again with what was typed, graders stepping through submissions
/// with a rubric and a feedback file, release, reopen, the gradebook, and who may reach what.
@Suite("Assignment pages")
struct AssignmentPageTests {
    @Test(arguments: TestDatabase.all)
    func aParticipantDraftsHandsInAndSeesTheReleasedGradeAndFeedback(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await AssignmentWorld.make(
                app, settings: ["rubric": "Isi | Kurang: 0 | Baik: 10\nBahasa | Kurang: 0 | Baik: 10"])
            let learner = try await w.given.browser(signedInAs: w.f.enrolled)
            let page = try await learner.get(w.activityPath)
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("<strong>satu halaman</strong>"))
            #expect(html.contains("Belum dikumpulkan."))
            #expect(html.contains("Rubrik penilaian"), "the criteria are known before handing in")
            #expect(html.contains("Kurang (0) · Baik (10)"))
            #expect(html.contains(#"enctype="multipart/form-data""#))
            #expect(html.contains(#"name="go" value="kumpulkan""#))

            // A file of the wrong kind: the form comes back with the text typed, nothing is written.
            let refused = try await learner.upload(
                w.activityPath + "/tugas", field: "file", filename: "virus.pdf", contentType: "application/pdf",
                data: Data("MZ not a pdf".utf8), form: ["text": "Draf pertama saya", "go": "simpan"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Draf pertama saya"))
            #expect(refused.body.string.contains("Jenis PDF"))
            #expect(try await AssignmentFile.query(on: app.db).count() == 0)

            let saved = try await learner.upload(
                w.activityPath + "/tugas", field: "file", filename: "rencana.pdf", contentType: "application/pdf",
                data: AssignmentWorld.pdf, form: ["text": "Draf pertama saya", "go": "simpan"])
            #expect(saved.status == .seeOther)
            let draft = try await learner.get(w.activityPath).body.string
            #expect(draft.contains("Draf pertama saya"))
            #expect(draft.contains("rencana.pdf"))
            let fileID = try #require(try await AssignmentFile.query(on: app.db).first()?.requireID())
            let download = try await learner.get(w.activityPath + "/tugas/berkas/\(fileID)")
            #expect(download.status == .ok)
            #expect(
                download.headers.first(name: .contentDisposition)
                    == #"attachment; filename="rencana.pdf"; filename*=UTF-8''rencana.pdf"#)
            #expect(
                HTTPHeaders.attachment("Laporan Ñ \"1\".pdf")
                    == #"attachment; filename="Laporan _ _1_.pdf"; filename*=UTF-8''Laporan%20%C3%91%20%221%22.pdf"#)
            #expect(try await learner.get(w.activityPath + "/tugas").status == .ok)

            let handed = try await learner.upload(
                w.activityPath + "/tugas", field: "file", filename: "", contentType: "application/octet-stream",
                data: Data(), form: ["text": "Versi akhir", "go": "kumpulkan"])
            #expect(handed.status == .seeOther)
            // A second press of "Kumpulkan" (a double tap on a slow phone) is not an error.
            let again = try await learner.upload(
                w.activityPath + "/tugas", field: "file", filename: "", contentType: "application/octet-stream",
                data: Data(), form: ["text": "Versi akhir", "go": "kumpulkan"])
            #expect(again.status == .seeOther)
            let after = try await learner.get(w.activityPath).body.string
            #expect(after.contains("Tugas dikumpulkan."))
            #expect(!after.contains("Tugas sudah dikumpulkan dan tidak dapat diubah"))
            #expect(after.contains("Dikumpulkan"))
            #expect(!after.contains(#"value="kumpulkan""#), "no form once handed in")
            // The draft page sends a handed-in participant back; a file cannot be taken out.
            #expect(try await learner.get(w.activityPath + "/tugas").status == .seeOther)
            let remove = try await learner.post(w.activityPath + "/tugas/berkas/\(fileID)/hapus")
            #expect(remove.status == .seeOther)
            #expect(try await AssignmentFile.query(on: app.db).count() == 1)

            // The trainer grades with the rubric and a feedback file, then releases.
            let trainer = try await w.given.browser(signedInAs: w.f.trainer)
            let list = try await trainer.get(w.activityPath + "/penilaian")
            #expect(list.status == .ok)
            #expect(list.body.string.contains(w.f.enrolled.name))
            let round = try #require(try await AssignmentSubmission.query(on: app.db).first()?.requireID())
            let gradePage = try await trainer.get(w.activityPath + "/penilaian/\(round)")
            #expect(gradePage.body.string.contains("Versi akhir"))
            #expect(gradePage.body.string.contains(#"name="level_1" value="1""#))
            let incomplete = try await trainer.upload(
                w.activityPath + "/penilaian/\(round)", field: "feedback_file", filename: "catatan.pdf",
                contentType: "application/pdf", data: AssignmentWorld.pdf,
                form: ["level_0": "1", "feedback": "Bagus"])
            #expect(incomplete.status == .unprocessableEntity)
            #expect(incomplete.body.string.contains("Pilih satu tingkat untuk setiap kriteria"))
            let graded = try await trainer.upload(
                w.activityPath + "/penilaian/\(round)", field: "feedback_file", filename: "catatan.pdf",
                contentType: "application/pdf", data: AssignmentWorld.pdf,
                form: ["level_0": "1", "level_1": "0", "feedback": "Isi bagus; perbaiki bahasa."])
            #expect(graded.status == .seeOther)
            #expect(try await learner.get(w.activityPath).body.string.contains("nilai akan tampil setelah diumumkan"))
            #expect(try await trainer.post(w.activityPath + "/penilaian/umumkan").status == .seeOther)
            let shown = try await learner.get(w.activityPath).body.string
            #expect(shown.contains("Nilai Anda: 50"))
            #expect(shown.contains("Isi bagus; perbaiki bahasa."))
            #expect(shown.contains("catatan.pdf"))
            let grades = try await learner.get("/t/\(w.f.tenant.slug)/belajar/\(w.f.course.slug)/nilai").body.string
            #expect(grades.contains("Rencana aksi"))
            #expect(grades.contains("50"))
            #expect(grades.contains("Isi bagus; perbaiki bahasa."))
            let book = try await trainer.get("/t/\(w.f.tenant.slug)/kelola/pelatihan/\(w.f.courseID)/nilai").body.string
            #expect(book.contains("Rencana aksi"))

            // Reopened: the participant has the form again with the text, and the earlier round kept.
            #expect(try await trainer.post(w.activityPath + "/penilaian/\(round)/buka-kembali").status == .seeOther)
            let reopened = try await learner.get(w.activityPath).body.string
            #expect(reopened.contains(#"value="kumpulkan""#))
            #expect(reopened.contains("Pengumpulan sebelumnya"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func gradersStepThroughSubmissionsOneAfterAnother(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await AssignmentWorld.make(app)
            try await w.handIn(w.f.learner, text: "Satu")
            let (_, second) = try await w.participant("Zulkifli Kedua")
            try await w.handIn(second, text: "Dua")
            let board = try await AssignmentSubmission.query(on: app.db).all()
            let coordinator = try await w.given.browser(signedInAs: w.f.coordinator)
            // In name order: "Peserta Uji …" before "Zulkifli Kedua …".
            let first = try #require(board.first { $0.text == "Satu" }?.id)
            let next = try #require(board.first { $0.text == "Dua" }?.id)
            let saved = try await coordinator.upload(
                w.activityPath + "/penilaian/\(first)", field: "feedback_file", filename: "", contentType: "text/plain",
                data: Data(), form: ["score": "88", "go": "berikutnya"])
            #expect(saved.status == .seeOther)
            #expect(saved.headers.first(name: .location) == w.activityPath + "/penilaian/\(next)")
            let last = try await coordinator.upload(
                w.activityPath + "/penilaian/\(next)", field: "feedback_file", filename: "", contentType: "text/plain",
                data: Data(), form: ["score": "72,5", "go": "berikutnya", "release": "on"])
            #expect(
                last.headers.first(name: .location) == w.activityPath + "/penilaian", "all graded: back to the list")
            let graded = try await AssignmentSubmission.query(on: app.db).all()
            #expect(Set(graded.compactMap(\.percent)) == [88, 72.5])
            #expect(graded.filter(\.isReleased).count == 1)
            let zip = try await coordinator.get(w.activityPath + "/penilaian/unduh")
            #expect(zip.status == .ok)
            #expect(zip.headers.contentType?.subType == "zip")
        }
    }

    @Test(arguments: TestDatabase.all)
    func nobodyReachesAnothersWorkOrTheGradingWithoutTheRole(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await AssignmentWorld.make(app)
            try await w.f.learner.raw(.POST, w.api + "/submission/files?name=milik.pdf", data: AssignmentWorld.pdf)
            try await w.f.learner.call(.POST, w.api + "/submission/submit")
            let round = try #require(try await AssignmentSubmission.query(on: app.db).first()?.requireID())
            let file = try #require(try await AssignmentFile.query(on: app.db).first()?.requireID())
            let (other, otherAPI) = try await w.participant("Peserta Lain")
            let browser = try await w.given.browser(signedInAs: other)
            #expect(try await browser.get(w.activityPath + "/tugas/berkas/\(file)").status == .notFound)
            #expect(try await otherAPI.call(.GET, w.api + "/submission-files/\(file)").status == .notFound)
            #expect(try await otherAPI.call(.DELETE, w.api + "/submission/files/\(file)").status == .notFound)
            for path in ["/penilaian", "/penilaian/unduh", "/penilaian/\(round)"] {
                #expect(try await browser.get(w.activityPath + path).status == .forbidden, "\(path)")
            }
            #expect(try await browser.post(w.activityPath + "/penilaian/umumkan").status == .forbidden)
            #expect(try await browser.post(w.activityPath + "/penilaian/\(round)/buka-kembali").status == .forbidden)
            // Staff of another tenant reach nothing of this one.
            let elsewhere = try await AssignmentWorld.make(app)
            let outsider = try await w.given.browser(signedInAs: elsewhere.f.coordinator)
            #expect(try await outsider.get(w.activityPath + "/penilaian").status != .ok)
            #expect(try await elsewhere.f.staff.call(.GET, w.api + "/submissions").status != .ok)
            #expect(try await elsewhere.f.staff.call(.GET, elsewhere.api + "/submissions/\(round)").status == .notFound)
            #expect(
                try await elsewhere.f.staff.call(.GET, elsewhere.api + "/submission-files/\(file)").status == .notFound)
            // The owner still has their file.
            #expect(try await w.f.learner.raw(.GET, w.api + "/submission-files/\(file)").0.status == .ok)
        }
    }
}
