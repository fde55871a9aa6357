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

/// The assignment through the API, on both databases: authoring checks, drafts and hand-ins
/// against the server's clock (late, cut-off), files checked by their bytes, grading by score,
/// pass/fail and rubric, grades kept back until released, reopening, and completion.
@Suite("Assignment")
struct AssignmentTests {
    @Test(arguments: TestDatabase.all)
    func authorsAreToldWhatIsWrongWithTheSettings(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let f = try await LearningTests.fixture(given)
            let topic = try await LearningTests.section(f, "Tugas")
            func create(_ settings: [String: Any], completion: [String: Any]? = nil) async throws -> APIClient.Reply {
                var body: [String: Any] = ["type": "assignment", "title": "Tugas", "settings": settings]
                if let completion { body["completion"] = completion }
                return try await f.staff.call(.POST, "\(f.base)/sections/\(topic)/activities", body)
            }
            let badRubric = try await create(["rubric": "Isi | Baik: 10 | Cukup: 5\nSistematika | rapi"])
            #expect(badRubric.status == .unprocessableEntity)
            #expect(badRubric.fields == ["settings.rubric"])
            #expect(badRubric.messages.first?.hasPrefix("Rubrik baris 2:") == true)
            let rubricPassFail = try await create(["rubric": "Isi | Baik: 10 | Kurang: 0", "grading": "pass_fail"])
            #expect(rubricPassFail.fields == ["settings.rubric"])
            let cutoffFirst = try await create([
                "due_at": "2026-12-10T17:00:00+07:00", "cutoff_at": "2026-12-09T17:00:00+07:00",
            ])
            #expect(cutoffFirst.fields == ["settings.cutoff_at"])
            let passedNoMark = try await create([:], completion: ["passed": true])
            #expect(passedNoMark.status == .unprocessableEntity)
            #expect(passedNoMark.messages.first?.contains("nilai lulus") == true)
            let good = try await create(
                ["rubric": "Isi | Baik: 10 | Kurang: 0", "pass_percent": 60, "due_at": "2026-12-10T17:00:00+07:00"],
                completion: ["passed": true])
            #expect(good.status == .created, "\(String(decoding: good.body, as: UTF8.self))")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDraftIsKeptUntilHandedInAndLateOnesAreMarked(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            let due = time.current.addingTimeInterval(3600)
            let w = try await AssignmentWorld.make(
                app, settings: ["due_at": LocalDates.iso(due), "max_files": 2])
            let learner = w.f.learner
            let empty = try await learner.call(.GET, w.api + "/submission")
            #expect(empty.status == .ok)
            #expect((empty["rounds"] as? [Any])?.isEmpty == true)
            #expect(empty["editable"] as? Bool == true)
            // Handing in nothing is refused.
            let nothing = try await learner.call(.POST, w.api + "/submission/submit")
            #expect(nothing.status == .conflict)

            let saved = try await learner.call(.PUT, w.api + "/submission", ["text": "Rencana: rapat mingguan."])
            #expect(saved.latestRound?["status"] as? String == "draft")
            // A file is checked by its bytes: a "PDF" that is an executable is refused, nothing kept.
            let (fake, _) = try await learner.raw(
                .POST, w.api + "/submission/files?name=rencana.pdf", data: Data("MZ\u{90}\u{0}binary".utf8))
            #expect(fake.status == .unprocessableEntity)
            #expect(try await AssignmentFile.query(on: app.db).count() == 0)
            let (pdf, _) = try await learner.raw(
                .POST, w.api + "/submission/files?name=../../rencana%20aksi.pdf", data: AssignmentWorld.pdf)
            #expect(pdf.status == .ok)
            let files = try #require(pdf.latestRound?["files"] as? [[String: Any]])
            #expect(files.map { $0["name"] as? String } == ["rencana aksi.pdf"], "no folders from the sender")
            let (png, _) = try await learner.raw(
                .POST, w.api + "/submission/files?name=foto.png", data: AssignmentWorld.png)
            #expect(png.status == .ok)
            let (third, _) = try await learner.raw(
                .POST, w.api + "/submission/files?name=lagi.pdf", data: AssignmentWorld.pdf)
            #expect(third.status == .unprocessableEntity, "at most two files")
            // Taking one out deletes its bytes too.
            let pngID = try #require((png.latestRound?["files"] as? [[String: Any]])?.last?["id"] as? String)
            let key = try #require(try await AssignmentFile.find(UUID(uuidString: pngID), on: app.db)?.key)
            #expect(try await app.files.get(key) != nil)
            let removed = try await learner.call(.DELETE, w.api + "/submission/files/\(pngID)")
            #expect((removed.latestRound?["files"] as? [Any])?.count == 1)
            #expect(try await app.files.get(key) == nil)

            // Handed in after the due date: marked late, and completed ("submitted" by default).
            time.advance(7200)
            let done = try await learner.call(.POST, w.api + "/submission/submit")
            #expect(done.latestRound?["status"] as? String == "submitted")
            #expect(done.latestRound?["late"] as? Bool == true)
            #expect(done["editable"] as? Bool == false)
            #expect(try await w.progress(of: w.f.enrolled)?.completedAt != nil)
            // A second hand-in changes nothing; a change after it is refused with a reason.
            let again = try await learner.call(.POST, w.api + "/submission/submit")
            #expect(again.status == .ok)
            #expect(try await AssignmentSubmission.query(on: app.db).count() == 1)
            let changed = try await learner.call(.PUT, w.api + "/submission", ["text": "ubah"])
            #expect(changed.status == .conflict)
            #expect(changed.messages.first?.hasPrefix("Tugas sudah dikumpulkan") == true)
            #expect(try await AssignmentSubmission.query(on: app.db).first()?.text == "Rencana: rapat mingguan.")
        }
    }

    @Test(arguments: TestDatabase.all)
    func nothingIsTakenAfterTheCutoffUnlessReopened(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            let w = try await AssignmentWorld.make(
                app, settings: ["cutoff_at": LocalDates.iso(time.current.addingTimeInterval(60))])
            let (late, lateClient) = try await w.participant("Peserta Lambat")
            try await w.handIn(w.f.learner, text: "Tepat waktu")
            time.advance(120)
            let refused = try await lateClient.call(.PUT, w.api + "/submission", ["text": "terlambat"])
            #expect(refused.status == .conflict)
            #expect(refused.messages == ["Batas akhir pengumpulan sudah lewat; tugas tidak diterima lagi."])
            #expect(
                try await AssignmentSubmission.query(on: app.db).filter(\.$personID == late.requireID()).count() == 0)

            // The grader reopens the one handed in: a new round with the same text, taken after the cut-off.
            let list = try await w.f.staff.call(.GET, w.api + "/submissions")
            let rows = try #require(list["participants"] as? [[String: Any]])
            let first = try #require(
                rows.compactMap { $0["latest"] as? [String: Any] }.first?["id"] as? String)
            let reopened = try await w.f.staff.call(.POST, w.api + "/submissions/\(first)/reopen")
            #expect(reopened["round"] as? Int == 2)
            #expect(reopened["text"] as? String == "Tepat waktu")
            let twice = try await w.f.staff.call(.POST, w.api + "/submissions/\(first)/reopen")
            #expect(twice.status == .conflict, "only the latest round reopens")
            let revised = try await w.f.learner.call(.PUT, w.api + "/submission", ["text": "Diperbaiki"])
            #expect(revised.status == .ok)
            let resubmitted = try await w.f.learner.call(.POST, w.api + "/submission/submit")
            #expect(
                (resubmitted["rounds"] as? [[String: Any]])?.map { $0["text"] as? String } == [
                    "Tepat waktu", "Diperbaiki",
                ])
        }
    }

    @Test(arguments: TestDatabase.all)
    func gradesReachTheParticipantOnlyWhenReleased(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await AssignmentWorld.make(
                app, settings: ["pass_percent": 70], completion: ["passed": true])
            let round = try await w.handIn(w.f.learner, text: "Rencana aksi saya.")
            let staff = w.f.staff
            let bad = try await staff.call(.POST, w.api + "/submissions/\(round)/grade", ["score": 120])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.fields == ["score"])
            let graded = try await staff.call(
                .POST, w.api + "/submissions/\(round)/grade", ["score": 72.5, "feedback": "Baik, perjelas anggaran."])
            #expect(graded.status == .ok)
            #expect((graded["grade"] as? [String: Any])?["percent"] as? Double == 72.5)
            // One round, as its grader reads it: the grade before it is released.
            let shownToGrader = try await staff.call(.GET, w.api + "/submissions/\(round)")
            #expect(shownToGrader["text"] as? String == "Rencana aksi saya.")
            #expect((shownToGrader["grade"] as? [String: Any])?["percent"] as? Double == 72.5)
            // Kept back: the participant sees no grade, and is not complete.
            let mine = try await w.f.learner.call(.GET, w.api + "/submission")
            #expect(mine.latestRound?["grade"] is NSNull || mine.latestRound?["grade"] == nil)
            #expect(try await w.progress(of: w.f.enrolled)?.completedAt == nil)
            let released = try await staff.call(.POST, w.api + "/release-grades")
            #expect(released["released"] as? Int == 1)
            let shown = try await w.f.learner.call(.GET, w.api + "/submission")
            let grade = try #require(shown.latestRound?["grade"] as? [String: Any])
            #expect(grade["percent"] as? Double == 72.5)
            #expect(grade["passed"] as? Bool == true)
            #expect(grade["feedback"] as? String == "Baik, perjelas anggaran.")
            #expect(try await w.progress(of: w.f.enrolled)?.completedAt != nil)
            #expect(try await staff.call(.POST, w.api + "/release-grades")["released"] as? Int == 0)
            // A round graded, kept back and then reopened is still released by "release all".
            let (_, other) = try await w.participant("Peserta Kedua")
            let second = try await w.handIn(other, text: "Kedua")
            try await staff.call(.POST, w.api + "/submissions/\(second)/grade", ["score": 90])
            try await staff.call(.POST, w.api + "/submissions/\(second)/reopen")
            #expect(try await staff.call(.POST, w.api + "/release-grades")["released"] as? Int == 1)
            let seen = try await other.call(.GET, w.api + "/submission")
            #expect(
                ((seen["rounds"] as? [[String: Any]])?.first?["grade"] as? [String: Any])?["percent"] as? Double == 90)
            // A learner may not grade, list or release.
            #expect(try await w.f.learner.call(.GET, w.api + "/submissions").status == .forbidden)
            #expect(
                try await w.f.learner.call(.POST, w.api + "/submissions/\(round)/grade", ["score": 100]).status
                    == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRubricGivesTheGradeAndPassFailGivesAVerdict(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await AssignmentWorld.make(
                app,
                settings: [
                    "rubric": "Ketepatan isi | Kurang: 0 | Cukup: 5 | Baik: 10\nSistematika | Kurang: 0 | Baik: 2,5",
                    "pass_percent": 80,
                ])
            let round = try await w.handIn(w.f.learner, text: "Isi")
            let missing = try await w.f.staff.call(.POST, w.api + "/submissions/\(round)/grade", ["rubric_levels": [2]])
            #expect(missing.fields == ["rubric"])
            let outOfRange = try await w.f.staff.call(
                .POST, w.api + "/submissions/\(round)/grade", ["rubric_levels": [2, 5]])
            #expect(outOfRange.status == .unprocessableEntity)
            let graded = try await w.f.staff.call(
                .POST, w.api + "/submissions/\(round)/grade", ["rubric_levels": [2, 0], "release": true])
            let grade = try #require(graded["grade"] as? [String: Any])
            #expect(grade["percent"] as? Double == 80, "10 of 12.5 points")
            #expect(grade["passed"] as? Bool == true)
            #expect(grade["rubric_levels"] as? [Int] == [2, 0])
            let state = try #require(try await w.progress(of: w.f.enrolled)).state
            #expect(state.grade == 80)
            #expect(state.passed)

            let passFail = try await AssignmentWorld.make(app, settings: ["grading": "pass_fail"])
            let other = try await passFail.handIn(passFail.f.learner, text: "Isi")
            let verdict = try await passFail.f.staff.call(
                .POST, passFail.api + "/submissions/\(other)/grade", ["passed": false, "release": true])
            #expect((verdict["grade"] as? [String: Any])?["passed"] as? Bool == false)
            #expect((verdict["grade"] as? [String: Any])?["percent"] as? Double == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theZIPHoldsEveryHandInNamedByParticipantAsAnotherReaderSeesIt(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await AssignmentWorld.make(app)
            try await w.f.learner.call(.PUT, w.api + "/submission", ["text": "Teks peserta satu"])
            try await w.f.learner.raw(.POST, w.api + "/submission/files?name=laporan.pdf", data: AssignmentWorld.pdf)
            try await w.f.learner.raw(.POST, w.api + "/submission/files?name=laporan.pdf", data: AssignmentWorld.pdf)
            try await w.f.learner.call(.POST, w.api + "/submission/submit")
            let (siti, second) = try await w.participant("Siti / Aminah")
            try await w.handIn(second, text: "Teks kedua")
            let (_, drafting) = try await w.participant("Masih Draf")
            try await drafting.call(.PUT, w.api + "/submission", ["text": "belum"])

            // A reopened round still a draft does not hide the hand-in before it.
            let sitiRound = try #require(
                try await AssignmentSubmission.query(on: app.db).filter(\.$personID == siti.requireID()).first()?.id)
            #expect(try await w.f.staff.call(.POST, w.api + "/submissions/\(sitiRound)/reopen").status == .ok)
            let (zip, headers) = try await w.f.staff.raw(.GET, w.api + "/submissions/archive")
            #expect(zip.status == .ok)
            #expect(headers.contentType?.subType == "zip")
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID()).zip").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try zip.body.write(to: URL(fileURLWithPath: path))
            // Read by Python's zipfile, not by the library that wrote it.
            let listing = try Self.python(
                "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\n"
                    + "for i in sorted(z.infolist(), key=lambda i: i.filename): print(i.filename, i.file_size)",
                path)
            let me = "\(w.f.enrolled.name) (\(w.f.enrolled.email))"
            let size = AssignmentWorld.pdf.count
            #expect(
                Set(listing.split(separator: "\n").map(String.init)) == [
                    "\(me)/laporan (2).pdf \(size)", "\(me)/laporan.pdf \(size)",
                    "\(me)/teks.txt \("Teks peserta satu".utf8.count)",
                    "\(siti.name.replacingOccurrences(of: "/", with: "_")) (\(siti.email))/teks.txt 10",
                ], "drafts are left out; no slash from a name")
            #expect(!listing.contains("Masih Draf"))
            #expect(try await w.f.learner.call(.GET, w.api + "/submissions/archive").status == .forbidden)
        }
    }

    /// Runs a Python script with arguments, returning what it printed.
    static func python(_ script: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
