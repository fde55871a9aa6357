import Fluent
import Foundation
import NIOCore
import Testing
import Vapor
@testable import Gotong
@testable import GotongAssessment
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

extension WalkRecords {
    /// Assessment's records of a walk: a question bank with a category, a question and a
    /// pending import; the quiz's slot and a learner's attempt; a learner's handed-in
    /// assignment with its file.
    static func addAssessment(
        to records: inout WalkRecords, _ app: Application, slug: String?, n: Int, step: inout String
    ) async throws {
        let db = app.db
        let tenantID = records.tenantID
        let activities = records.activities
        let mark = RouteWalk.marker(slug ?? "master")
        step = "question bank"
        let bank = QuestionBank(TenantScope(tenantID: tenantID, db: db))
        let folder = try await bank.addCategory("Bank \(mark) \(n)", parent: nil)
        let question = try await bank.add(
            Question(name: "Soal \(mark)", text: "Rahasia \(mark)?", body: .trueFalse(TrueFalse(correct: true))),
            to: try folder.requireID(), by: nil)
        let pendingFile = PendingQuestionImport(
            tenantID: tenantID, createdBy: UUID(), format: .gift, filename: "rw-\(n).gift",
            content: Data("::Impor \(mark)::Rahasia \(mark) {T}\n".utf8), categoryID: nil)
        try await pendingFile.create(on: db)
        step = "quiz slot"
        let quizID = try #require(activities["quiz"])
        let slot = QuizSlot(
            tenantID: tenantID, activityID: quizID, position: 1, questionID: try question.requireID(), categoryID: nil,
            count: 1, mark: 1)
        try await slot.create(on: db)
        var attemptID: UUID?
        if let slug {
            step = "quiz attempt (API)"
            let learner = try #require(try await Person.find(email: "peserta1@\(slug).gotong.test", on: db))
            let started = try await RouteWalk.api(
                app, person: learner, .POST, "/api/v1/activities/\(quizID)/attempts", [:])
            #expect(started.status == .created, "fixture attempt: \(started.status) \(started.body.prefix(300))")
            attemptID = ((started.json["attempt"] as? [String: Any])?["id"] as? String).flatMap(UUID.init(uuidString:))
        }
        var submissionID: UUID?, assignmentFileID: UUID?
        if let slug {
            step = "assignment hand-in"
            let learner = try #require(try await Person.find(email: "peserta1@\(slug).gotong.test", on: db))
            let assignment = try #require(activities["assignment"])
            let submission = Submissions(
                activity: try #require(try await Activity.find(assignment, on: db)),
                settings: AssignmentSettings(ActivitySettings()), db: db, progress: app.learning.progressStore(on: db),
                files: app.files)
            let file = try await ReceivedFile.holding(
                ByteBuffer(string: "%PDF-1.4\n% \(mark)\n%%EOF\n"), filename: "tugas-\(mark).pdf", app: app)
            let round = try await submission.saveDraft(
                of: try learner.requireID(), text: "Jawaban \(mark)", uploads: [file], now: Date())
            try await submission.submit(of: try learner.requireID(), now: Date())
            submissionID = try round.requireID()
            assignmentFileID = try await AssignmentFile.query(on: db).filter(\.$submissionID == round.requireID())
                .first()?.requireID()
        }
        records.bank = BankRecords(
            categoryID: try folder.requireID(), questionID: try question.requireID(),
            importID: try pendingFile.requireID(), quizSlotID: try slot.requireID(), attemptID: attemptID,
            submissionID: submissionID, assignmentFileID: assignmentFileID)
    }
}
