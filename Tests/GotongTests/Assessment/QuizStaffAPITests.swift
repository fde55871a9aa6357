import Fluent
import Foundation
import Testing
import Vapor
@testable import Gotong
@testable import GotongAssessment
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// The trainers' side of a quiz through the API, on both databases: slots read, added (fixed and
/// at random), moved and removed; results with each question's statistics; regrading; essays
/// graded, a comment too long refused rather than cut; learners kept out of all of it.
@Suite("Quiz staff API")
struct QuizStaffAPITests {
    @Test(arguments: TestDatabase.all)
    func trainersKeepTheQuizThroughTheAPI(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await QuizWorld.make(app, essay: true)
            let staff = w.f.staff
            let listed = try await staff.call(.GET, w.api + "/slots")
            let slots = try #require(listed["slots"] as? [[String: Any]])
            #expect(slots.count == 5)
            #expect(slots.first?["question_name"] as? String == "Nilai A")
            // Refused input: nothing to add, a bad random count, a bad direction.
            #expect(try await staff.call(.POST, w.api + "/slots", [:]).status == .unprocessableEntity)
            let tooManyIDs = try await staff.call(
                .POST, w.api + "/slots", ["question_ids": (0...200).map { _ in UUID().uuidString }])
            #expect(tooManyIDs.fields == ["question_ids"])
            let badRandom = try await staff.call(
                .POST, w.api + "/slots", ["category_id": w.category, "random": -1])
            #expect(badRandom.fields == ["random"])
            let added = try await staff.call(
                .POST, w.api + "/slots", ["category_id": w.category, "random": 2, "mark": 1.5])
            let after = try #require(added["slots"] as? [[String: Any]])
            #expect(after.count == 6)
            #expect(after.last?["count"] as? Int == 2)
            #expect(after.last?["mark"] as? Double == 1.5)
            let last = try #require(after.last?["id"] as? String)
            let moved = try await staff.call(.POST, w.api + "/slots/\(last)/move", ["direction": "up"])
            #expect((moved["slots"] as? [[String: Any]])?[4]["id"] as? String == last)
            #expect(
                try await staff.call(.POST, w.api + "/slots/\(last)/move", ["direction": "sideways"]).status
                    == .unprocessableEntity)
            let removed = try await staff.call(.DELETE, w.api + "/slots/\(last)")
            #expect((removed["slots"] as? [[String: Any]])?.count == 5)

            // A learner answers the first question right and the essay, and hands in.
            let learner = w.f.learner
            let started = try await learner.call(.POST, w.api + "/attempts")
            let attempt = try #require((started["attempt"] as? [String: Any])?["id"] as? String)
            try await learner.call(.POST, w.api + "/attempts/\(attempt)/answers", QuizWorld.rightAnswers[0])
            try await learner.call(
                .POST, w.api + "/attempts/\(attempt)/answers", ["slot": 4, "response": ["text": "Refleksi saya."]])
            try await learner.call(.POST, w.api + "/attempts/\(attempt)/finish")
            #expect(try await learner.call(.GET, w.api + "/results").status == .forbidden)
            #expect(try await learner.call(.GET, w.api + "/slots").status == .forbidden)

            let results = try await staff.call(.GET, w.api + "/results")
            let questions = try #require(results["questions"] as? [[String: Any]])
            #expect(questions.first?["facility"] as? Double == 100)
            let frequencies = try #require(questions.first?["frequencies"] as? [[String: Any]])
            #expect(frequencies.first?["count"] as? Int == 1)
            #expect(frequencies.first?["right"] as? Bool == true)
            #expect((results["attempts"] as? [[String: Any]])?.first?["needs_grading"] as? Bool == true)

            // Essays: points beyond the mark, a comment too long, and points for a question the
            // server marks are refused, nothing saved.
            let notEssay = try await staff.call(
                .POST, w.api + "/attempts/\(attempt)/grades", ["grades": [["slot": 0, "points": "0"]]])
            #expect(notEssay.status == .unprocessableEntity)
            let tooMany = try await staff.call(
                .POST, w.api + "/attempts/\(attempt)/grades", ["grades": [["slot": 4, "points": "3"]]])
            #expect(tooMany.status == .unprocessableEntity)
            let long = String(repeating: "a", count: EssayGrade.maxComment + 1)
            let tooLong = try await staff.call(
                .POST, w.api + "/attempts/\(attempt)/grades", ["grades": [["slot": 4, "points": "2", "comment": long]]])
            #expect(tooLong.status == .unprocessableEntity)
            #expect(try await w.attempt(of: w.f.enrolled.requireID())?.needsGrading == true)
            let graded = try await staff.call(
                .POST, w.api + "/attempts/\(attempt)/grades",
                ["grades": [["slot": 4, "points": "1,5", "comment": "Cukup."]]])
            #expect(graded.status == .ok, "\(String(decoding: graded.body, as: UTF8.self).prefix(300))")
            #expect((graded["attempt"] as? [String: Any])?["needs_grading"] as? Bool == false)
            #expect((graded["attempt"] as? [String: Any])?["score"] as? Double == 3.5)

            let regraded = try await staff.call(.POST, w.api + "/regrade")
            #expect(regraded["regraded"] as? Int == 1)
        }
    }
}
