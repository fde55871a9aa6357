import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongAssessment
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// The quiz as learners and trainers use it, through the API and the pages: starting once,
/// answers kept as given, marking, the server's clock, handing in twice, review options,
/// regrading and essays.
@Suite("Quiz")
struct QuizTests {
    @Test(arguments: TestDatabase.all)
    func aLearnerStartsOnceAnswersAndPasses(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await QuizWorld.make(app, settings: ["pass_percent": 70])
            let learner = w.f.learner

            // Starting twice gives the same attempt (a double tap, a retry).
            let first = try await learner.call(.POST, w.api + "/attempts")
            #expect(first.status == .created)
            let again = try await learner.call(.POST, w.api + "/attempts")
            #expect(again.status == .ok)
            let attempt = try #require((first["attempt"] as? [String: Any])?["id"] as? String)
            #expect((again["attempt"] as? [String: Any])?["id"] as? String == attempt)
            let shown = try #require(first["questions"] as? [[String: Any]])
            #expect(shown.count == 4)
            #expect(shown[0]["choices"] as? [[String: Any]] != nil)
            // The key is not shown while answering.
            #expect(!String(decoding: first.body, as: UTF8.self).contains("fraction"))

            for answer in QuizWorld.rightAnswers {
                let saved = try await learner.call(.POST, w.api + "/attempts/\(attempt)/answers", answer)
                #expect(saved.status == .ok)
            }
            // Changing one's mind replaces the answer.
            try await learner.call(
                .POST, w.api + "/attempts/\(attempt)/answers", ["slot": 3, "response": ["text": "19"]])
            try await learner.call(
                .POST, w.api + "/attempts/\(attempt)/answers", ["slot": 3, "response": ["text": "20"]])
            let bad = try await learner.call(
                .POST, w.api + "/attempts/\(attempt)/answers", ["slot": 9, "response": [:]])
            #expect(bad.status == .unprocessableEntity)

            let finished = try await learner.call(.POST, w.api + "/attempts/\(attempt)/finish")
            #expect(finished.status == .ok)
            let summary = try #require(finished["attempt"] as? [String: Any])
            #expect(summary["state"] as? String == "finished")
            #expect(summary["percent"] as? Double == 100)
            #expect(summary["score"] as? Double == 8)
            // Handing in again is harmless, and nothing can change afterwards.
            #expect(try await learner.call(.POST, w.api + "/attempts/\(attempt)/finish").status == .ok)
            let late = try await learner.call(
                .POST, w.api + "/attempts/\(attempt)/answers", ["slot": 0, "response": ["choices": [1]]])
            #expect(late.status == .conflict)
            #expect(try await w.attempt(of: w.f.enrolled.requireID())?.score == 8)

            let progress = try #require(try await w.progress(of: w.f.enrolled.requireID()))
            #expect(progress.completedAt != nil)
            #expect(progress.state.passed)
            #expect(progress.state.grade == 100)
            // Another learner cannot read it.
            let other = try await Given(app).api(as: try await Given(app).person(in: w.f.tenant))
            #expect(try await other.call(.GET, w.api + "/attempts/\(attempt)").status != .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theServersClockClosesAnAttemptAndLateAnswersAreRefused(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            app.jobs.startsWorker = false
            let w = try await QuizWorld.make(app, settings: ["time_limit": 10])
            let learner = w.f.learner
            let started = try await learner.call(.POST, w.api + "/attempts")
            let attempt = try #require((started["attempt"] as? [String: Any])?["id"] as? String)
            #expect((started["attempt"] as? [String: Any])?["seconds_left"] as? Int == 600)
            try await learner.call(.POST, w.api + "/attempts/\(attempt)/answers", QuizWorld.rightAnswers[0])

            // A slow network: 10 s late still counts.
            time.advance(605)
            let slow = try await learner.call(.POST, w.api + "/attempts/\(attempt)/answers", QuizWorld.rightAnswers[1])
            #expect(slow.status == .ok)
            // A minute late does not, and closes the attempt with what was saved.
            time.advance(60)
            let late = try await learner.call(.POST, w.api + "/attempts/\(attempt)/answers", QuizWorld.rightAnswers[2])
            #expect(late.status == .conflict)
            #expect(late.messages == ["Waktu pengerjaan sudah habis; jawaban ini tidak disimpan."])
            let closed = try #require(try await w.attempt(of: w.f.enrolled.requireID()))
            #expect(closed.state == .finished)
            #expect(closed.finishedBy == "timer")
            #expect(closed.score == 4)
            #expect(closed.finishedAt == closed.deadline)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAttemptLeftAloneIsClosedByTheJobAtItsDeadline(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            app.jobs.startsWorker = false
            let w = try await QuizWorld.make(app, settings: ["time_limit": 5, "pass_percent": 50])
            let started = try await w.f.learner.call(.POST, w.api + "/attempts")
            let attempt = try #require((started["attempt"] as? [String: Any])?["id"] as? String)
            for answer in QuizWorld.rightAnswers.prefix(3) {
                try await w.f.learner.call(.POST, w.api + "/attempts/\(attempt)/answers", answer)
            }
            // The learner never comes back. Before the deadline the job has nothing to do.
            time.advance(120)
            _ = await JobQueue.runDue(app)
            #expect(try await w.attempt(of: w.f.enrolled.requireID())?.state == .open)
            time.advance(300)
            #expect(await JobQueue.runDue(app) >= 1)
            let closed = try #require(try await w.attempt(of: w.f.enrolled.requireID()))
            #expect(closed.state == .finished)
            #expect(closed.finishedBy == "timer")
            #expect(closed.percent == 75)
            let progress = try #require(try await w.progress(of: w.f.enrolled.requireID()))
            #expect(progress.state.passed)
            #expect(progress.completedAt != nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func onTheWebAnswersAreKeptAsGivenAndHandedInOnce(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await QuizWorld.make(app, settings: ["review": "full"])
            let browser = try await Given(app).browser(signedInAs: w.f.enrolled)
            let front = try await browser.get(w.activityPath)
            #expect(front.body.string.contains("Mulai mengerjakan"))
            let started = try await browser.post(w.activityPath + "/mulai")
            let page = try #require(started.headers.first(name: .location))
            #expect(try await browser.post(w.activityPath + "/mulai").headers.first(name: .location) == page)
            let attemptPage = try await browser.get(page)
            #expect(attemptPage.status == .ok)
            #expect(attemptPage.body.string.contains("data-ticket="))
            #expect(attemptPage.body.readableBytes < 50_000)

            // The script sends one question's answer at a time, with the attempt's ticket.
            let ticket = try #require(attemptPage.body.string.firstMatch(of: /data-ticket="([^"]+)"/)?.output.1)
            let one = try await Self.saveWithTicket(app, String(ticket), ["slot": 0, "response": ["choices": [0]]])
            #expect(one.status == .ok)
            // Without the script, the whole form is posted by a button.
            let all = try await browser.post(
                page, form: ["p1": "1", "q1": "1", "p2": "1", "q2": "LAN", "p3": "1", "q3": "20", "go": "q3"])
            #expect(all.status == .seeOther)
            #expect(all.headers.first(name: .location)?.hasSuffix("#q3") == true)
            // Coming back (a closed tab) shows every answer as it was given.
            let back = try await browser.get(page).body.string
            #expect(back.contains(#"name="q0" value="0" checked"#))
            #expect(back.contains(#"value="LAN""#))

            let confirm = try await browser.get(page + "/selesai")
            #expect(confirm.body.string.contains("Semua 4 soal sudah dijawab"))
            #expect(try await browser.post(page + "/selesai").status == .seeOther)
            #expect(try await browser.post(page + "/selesai").status == .seeOther)
            let attempt = try #require(try await w.attempt(of: w.f.enrolled.requireID()))
            #expect(attempt.percent == 75)
            let review = try await browser.get(page + "/hasil").body.string
            #expect(review.contains("Skor 6 dari 8"))
            #expect(review.contains("Jawaban yang benar:"))
            // A late answer from a forgotten tab changes nothing.
            let late = try await Self.saveWithTicket(app, String(ticket), ["slot": 1, "response": ["choices": [0]]])
            #expect(late.status == .conflict)
            #expect(try await w.attempt(of: w.f.enrolled.requireID())?.percent == 75)
        }
    }

    /// Saves an answer as the attempt page's script does: JSON, the ticket in a header, no session.
    static func saveWithTicket(
        _ app: Application, _ ticket: String, _ body: [String: Any]
    ) async throws
        -> TestingHTTPResponse
    {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: "X-Attempt-Ticket", value: ticket)
        return try await app.testing().performTest(
            request: .init(
                method: .POST, url: "/api/v1/quiz-answers", headers: headers,
                body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))))
    }

    @Test(arguments: TestDatabase.all)
    func aTicketSavesOnlyItsAttemptAndOnlyInTime(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            app.jobs.startsWorker = false
            let w = try await QuizWorld.make(app, settings: ["time_limit": 5])
            let started = try await w.f.learner.call(.POST, w.api + "/attempts")
            let ticket = try #require(started["answer_ticket"] as? String)
            #expect((started["answers_url"] as? String)?.hasSuffix("/api/v1/quiz-answers") == true)
            #expect(try await Self.saveWithTicket(app, ticket, QuizWorld.rightAnswers[0]).status == .ok)
            // A changed ticket, a made-up one, or a question the attempt does not have.
            var forged = Array(ticket)
            forged[10] = forged[10] == "A" ? "B" : "A"
            #expect(
                try await Self.saveWithTicket(app, String(forged), QuizWorld.rightAnswers[1]).status == .unauthorized)
            #expect(try await Self.saveWithTicket(app, "x.y", QuizWorld.rightAnswers[1]).status == .unauthorized)
            #expect(
                try await Self.saveWithTicket(app, ticket, ["slot": 4, "response": [:]]).status == .unprocessableEntity)
            #expect(
                try await Self.saveWithTicket(app, ticket, ["slot": 0, "response": ["choices": Array(0..<500)]]).status
                    == .unprocessableEntity)
            #expect(try await Self.saveWithTicket(app, ticket, ["slot": "nol"]).status == .unprocessableEntity)
            // Past the deadline the answer is refused and the attempt closed with what was saved.
            time.advance(5 * 60 + 20)
            let late = try await Self.saveWithTicket(app, ticket, QuizWorld.rightAnswers[1])
            #expect(late.status == .conflict)
            let closed = try #require(try await w.attempt(of: w.f.enrolled.requireID()))
            #expect(closed.state == .finished)
            #expect(closed.score == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func answersSentAtTheSameMomentAreAllKeptInBatches(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await QuizWorld.make(app)
            let started = try await w.f.learner.call(.POST, w.api + "/attempts")
            let ticket = try #require(started["answer_ticket"] as? String)
            // Every question answered five times at once (retries and changes of mind): the
            // last answer of each question must be one of those sent, and every call succeeds.
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for slot in 0..<4 {
                    for round in 0..<5 {
                        group.addTask {
                            try await Self.saveWithTicket(
                                app, ticket, ["slot": slot, "response": ["text": "\(slot)-\(round)", "choices": [0]]]
                            ).status
                        }
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.count == 20 && statuses.allSatisfy { $0 == .ok })
            let attempt = try #require(try await w.attempt(of: w.f.enrolled.requireID()))
            let answers = try await QuizAnswer.query(on: app.db).filter(\.$attemptID == attempt.requireID()).all()
            #expect(answers.map(\.slot).sorted() == [0, 1, 2, 3])
            for answer in answers {
                #expect(answer.response.text?.hasPrefix("\(answer.slot)-") == true)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aQuestionAQuizUsesIsNotDeleted(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await QuizWorld.make(app)
            let bank = "/api/v1/tenants/\(w.f.tenant.slug)/question-bank/questions/"
            let refused = try await w.f.staff.call(.DELETE, bank + w.questions[0])
            #expect(refused.status == .conflict)
            #expect(
                refused.messages == ["Soal ini dipakai kuis atau sudah dikerjakan peserta, jadi tidak dapat dihapus."])
            // Out of the quiz, but drawn by an attempt: still kept for that attempt's review.
            try await w.f.learner.call(.POST, w.api + "/attempts")
            let coordinator = try await Given(app).browser(signedInAs: w.f.coordinator)
            let slot = try #require(
                try await QuizSlot.query(on: app.db).filter(\.$questionID == UUID(uuidString: w.questions[0])).first())
            #expect(
                try await coordinator.post(w.activityPath + "/soal-kuis/\(slot.requireID())/hapus").status == .seeOther)
            #expect(try await w.f.staff.call(.DELETE, bank + w.questions[0]).status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFixedKeyIsRegradedAndEssaysAreGradedByHand(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await QuizWorld.make(app, settings: ["pass_percent": 50], essay: true)
            let started = try await w.f.learner.call(.POST, w.api + "/attempts")
            let attempt = try #require((started["attempt"] as? [String: Any])?["id"] as? String)
            // True/false answered "false"; the essay written.
            try await w.f.learner.call(.POST, w.api + "/attempts/\(attempt)/answers", QuizWorld.rightAnswers[0])
            try await w.f.learner.call(
                .POST, w.api + "/attempts/\(attempt)/answers", ["slot": 1, "response": ["choices": [1]]])
            try await w.f.learner.call(
                .POST, w.api + "/attempts/\(attempt)/answers", ["slot": 4, "response": ["text": "Saya belajar."]])
            let finished = try await w.f.learner.call(.POST, w.api + "/attempts/\(attempt)/finish")
            #expect((finished["attempt"] as? [String: Any])?["needs_grading"] as? Bool == true)
            let person = try w.f.enrolled.requireID()
            #expect(try await w.progress(of: person)?.state.grade == -1)

            // The trainer grades the essay: 1.5 of 2 points.
            let coordinator = try await Given(app).browser(signedInAs: w.f.coordinator)
            let grade = w.activityPath + "/kuis/\(attempt)/nilai"
            #expect(try await coordinator.get(grade).body.string.contains("Saya belajar."))
            let refused = try await coordinator.post(grade, form: ["points_4": "3", "comment_4": "x"])
            #expect(refused.status == .unprocessableEntity)
            #expect(
                try await coordinator.post(grade, form: ["points_4": "1,5", "comment_4": "Baik."]).status == .seeOther)
            var marked = try #require(try await w.attempt(of: person))
            #expect(!marked.needsGrading)
            #expect(marked.score == 3.5)
            #expect(try await w.progress(of: person)?.state.passed == false)

            // The key of the true/false question was wrong: fixed in the bank, then regraded.
            let bank = "/api/v1/tenants/\(w.f.tenant.slug)/question-bank/questions/\(w.questions[1])"
            let fixed = try await w.f.staff.call(
                .PUT, bank,
                [
                    "category_id": w.category, "kind": "truefalse", "name": "JP",
                    "text": "Satu JP sama dengan 45 menit.", "correct": false,
                ])
            #expect(fixed.status == .ok)
            #expect(try await coordinator.post(w.activityPath + "/hasil-kuis/nilai-ulang").status == .seeOther)
            marked = try #require(try await w.attempt(of: person))
            #expect(marked.score == 5.5)
            let progress = try #require(try await w.progress(of: person))
            #expect(progress.state.passed)
            #expect(progress.completedAt != nil)
            let results = try await coordinator.get(w.activityPath + "/hasil-kuis").body.string
            #expect(results.contains("tingkat kemudahan 100%"))
            #expect(results.contains("Baik.") == false)
        }
    }

    @Test(arguments: TestDatabase.all)
    func randomSlotsDrawDifferentQuestionsAndAttemptsAreLimited(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let w = try await QuizWorld.make(app, settings: ["attempts": 1])
            let coordinator = try await Given(app).browser(signedInAs: w.f.coordinator)
            let added = try await coordinator.post(
                w.activityPath + "/soal-kuis/tambah", form: ["category": w.category, "random": "2", "mark": "1"])
            #expect(added.status == .seeOther)
            let started = try await w.f.learner.call(.POST, w.api + "/attempts")
            let shown = try #require(started["questions"] as? [[String: Any]])
            // Four fixed questions, and the random slot finds none left to draw that is not in the quiz.
            #expect(shown.count == 4)
            let attempt = try #require((started["attempt"] as? [String: Any])?["id"] as? String)
            try await w.f.learner.call(.POST, w.api + "/attempts/\(attempt)/finish")
            let refused = try await w.f.learner.call(.POST, w.api + "/attempts")
            #expect(refused.status == .conflict)
            #expect(refused.messages == ["Kesempatan mengerjakan sudah habis."])
        }
    }
}
