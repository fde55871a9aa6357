import Foundation
import Testing
import Vapor
@testable import Gotong
@testable import GotongAssessment
@testable import GotongPlatform

/// Quizzes' slots and questions are kept per process (``KeptQuizzes``) once an attempt has
/// read them; a change made afterwards must show in the next attempt all the same.
@Suite("Kept quizzes")
struct KeptQuizTests {
    @Test(arguments: TestDatabase.all)
    func aQuestionEditedAndASlotAddedShowInTheNextAttempt(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a learner's first attempt, which kept the quiz
            let w = try await QuizWorld.make(app)
            let learner = w.f.learner
            let first = try await learner.call(.POST, w.api + "/attempts")
            #expect(first.status == .created)
            let before = try #require(first["questions"] as? [[String: Any]])
            #expect(before.count == 4)
            #expect((before[0]["text_html"] as? String)?.contains("nilai dasar") == false)
            let attempt = try #require((first["attempt"] as? [String: Any])?["id"] as? String)
            #expect(try await learner.call(.POST, w.api + "/attempts/\(attempt)/finish").status == .ok)

            // when a trainer rewords the first question and adds a fifth one to the quiz
            let bank = "/api/v1/tenants/\(w.f.tenant.slug)/question-bank"
            var reworded = QuizWorld.bankQuestions[0]
            reworded["text"] = "Huruf A pertama pada nilai dasar BerAKHLAK?"
            reworded["category_id"] = w.category
            let edited = try await w.f.staff.call(.PUT, bank + "/questions/\(w.questions[0])", reworded)
            #expect(edited.status == .ok, "\(String(decoding: edited.body, as: UTF8.self))")
            var essay = QuizWorld.bankQuestions[4]
            essay["category_id"] = w.category
            let fifth = try #require(try await w.f.staff.call(.POST, bank + "/questions", essay)["id"] as? String)
            let coordinator = try await Given(app).browser(signedInAs: w.f.coordinator)
            let added = try await coordinator.post(
                w.activityPath + "/soal-kuis/tambah", form: ["category": w.category, "mark": "2", "pick_\(fifth)": "1"])
            #expect(added.status == .seeOther)

            // then the next attempt asks five questions, the first as reworded
            let second = try await learner.call(.POST, w.api + "/attempts")
            #expect(second.status == .created)
            let after = try #require(second["questions"] as? [[String: Any]])
            try #require(after.count == 5)
            #expect((after[0]["text_html"] as? String)?.contains("nilai dasar") == true)
            #expect(after[4]["kind"] as? String == "essay")
        }
    }
}
