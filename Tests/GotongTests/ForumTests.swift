import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Every forum action, taken through the web pages and the API as each role that may use it:
/// starting a thread, replying, and marking (and clearing) the answer.
@Suite("Forum actions")
struct ForumTests {
    @Test(arguments: TestDatabase.all)
    func learnersStartAndReplyAndTrainersMarkTheAnswerThroughTheAPI(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup
            let given = Given(app)
            let f = try await LearningTests.fixture(given)
            let topic = try await LearningTests.section(f, "Diskusi")
            let forum = try await LearningTests.activity(f, section: topic, ["type": "forum", "title": "Tanya jawab"])
            let trainer = try await given.api(as: f.trainer)

            // MUT: a learner opens a thread, the trainer and the learner reply
            let started = try await f.learner.call(
                .POST, "/api/v1/activities/\(forum)/threads", ["title": "Apa itu median?", "body": "Mohon penjelasan."])
            #expect(started.status == .created, "\(String(decoding: started.body, as: UTF8.self))")
            let thread = try #require((started["thread"] as? [String: Any])?["id"] as? String)
            let reply = try await f.staff.call(
                .POST, "/api/v1/activities/\(forum)/threads/\(thread)/replies",
                ["body": "Nilai **tengah** data terurut."])
            #expect(reply.status == .created, "\(String(decoding: reply.body, as: UTF8.self))")
            let again = try await f.learner.call(
                .POST, "/api/v1/activities/\(forum)/threads/\(thread)/replies", ["body": "Terima kasih."])
            #expect(again.status == .created)

            // validate: both replies stored, counted, rendered
            let detail = try await f.learner.call(.GET, "/api/v1/activities/\(forum)/threads/\(thread)")
            let posts = try #require(detail["posts"] as? [[String: Any]])
            #expect(posts.count == 3)
            #expect((posts[1]["html"] as? String)?.contains("<strong>tengah</strong>") == true)
            #expect((detail["thread"] as? [String: Any])?["replies"] as? Int == 2)
            let list = try await f.learner.call(.GET, "/api/v1/activities/\(forum)/threads")
            #expect(((list["threads"] as? [[String: Any]])?.first?["replies"] as? Int) == 2)

            // A learner may not mark the answer; the trainer may, and may clear it again.
            let answerID = try #require(posts[1]["id"] as? String)
            #expect(
                try await f.learner.call(
                    .POST, "/api/v1/activities/\(forum)/threads/\(thread)/answer", ["post_id": answerID]
                ).status == .forbidden)
            let marked = try await trainer.call(
                .POST, "/api/v1/activities/\(forum)/threads/\(thread)/answer", ["post_id": answerID])
            #expect(marked.status == .ok)
            #expect((marked["thread"] as? [String: Any])?["answer_post_id"] as? String == answerID)
            let notAPost = try await trainer.call(
                .POST, "/api/v1/activities/\(forum)/threads/\(thread)/answer", ["post_id": UUID().uuidString])
            #expect(notAPost.status == .unprocessableEntity)
            let cleared = try await trainer.call(.POST, "/api/v1/activities/\(forum)/threads/\(thread)/answer", [:])
            #expect(cleared.status == .ok)
            #expect((cleared["thread"] as? [String: Any])?["answer_post_id"] == nil)

            // Posting completed the learner's "posted" activity.
            let learnerID = try f.enrolled.requireID()
            let progress = try await ActivityProgress.query(on: app.db)
                .filter(\.$activityID == #require(UUID(uuidString: forum))).filter(\.$personID == learnerID).first()
            #expect(progress?.completedAt != nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theForumPagesStartReplyAndMarkTheAnswer(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup
            let f = try await LearningTests.fixture(Given(app))
            let topic = try await LearningTests.section(f, "Diskusi")
            let forum = try await LearningTests.activity(f, section: topic, ["type": "forum", "title": "Tanya jawab"])
            let course = try #require(try await Course.find(f.courseID, on: app.db))
            let base = "/t/\(f.tenant.slug)/belajar/\(course.slug)/\(forum)"
            let learner = Browser(app), coordinator = Browser(app)
            try await learner.signIn(f.enrolled.email)
            try await coordinator.signIn(f.coordinator.email)

            // MUT: start a thread and reply through the forms
            let started = try await learner.post(
                base + "/utas", form: ["title": "Cara membaca tabel", "body": "Kolom mana dulu?"])
            #expect(started.status == .seeOther)
            let threadURL = try #require(started.headers.first(name: .location))
            #expect(threadURL.hasPrefix(base + "/utas/"))
            // a refused thread is shown again with what was typed, the error at its field
            let short = try await learner.post(base + "/utas", form: ["title": "Ya", "body": "Isi yang panjang ini."])
            #expect(short.status == .unprocessableEntity)
            #expect(short.body.string.contains("value=\"Ya\""))
            #expect(short.body.string.contains(">Isi yang panjang ini.</textarea>"), "the body is kept")
            #expect(short.body.string.contains("aria-describedby=\"thread-title-error\" aria-invalid=\"true\""))
            #expect(try await ForumThread.query(on: app.db).count() == 1, "nothing written")
            let replied = try await coordinator.post(threadURL + "/balas", form: ["body": "Mulai dari judul kolom."])
            #expect(replied.status == .seeOther)
            // a refused reply is shown again at once with its reason at the field, what was typed kept
            let empty = try await learner.post(threadURL + "/balas", form: ["body": "   "])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("Tulis pesannya (paling banyak"))
            let long = String(repeating: "panjang ", count: 1300)
            let tooLong = try await learner.post(threadURL + "/balas", form: ["body": long])
            #expect(tooLong.status == .unprocessableEntity)
            #expect(tooLong.body.string.contains("panjang panjang panjang"), "what was typed is kept")
            #expect(tooLong.body.string.contains("aria-invalid=\"true\""))

            // validate: the page shows both posts and the refusal of the empty one
            let page = try await learner.get(threadURL)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Mulai dari judul kolom."))
            let threadID = try #require(UUID(uuidString: String(threadURL.split(separator: "/").last ?? "")))
            let thread = try #require(try await ForumThread.find(threadID, on: app.db))
            #expect(thread.replies == 1)

            // Marking the answer: the coordinator may, the learner may not.
            let reply = try #require(
                try await ForumPost.query(on: app.db).filter(\.$threadID == threadID).sort(\.$createdAt).all().last)
            #expect(
                try await learner.post(threadURL + "/jawaban", form: ["post_id": reply.id!.uuidString]).status
                    == .forbidden)
            #expect(
                try await coordinator.post(threadURL + "/jawaban", form: ["post_id": reply.id!.uuidString]).status
                    == .seeOther)
            #expect(try await ForumThread.find(threadID, on: app.db)?.answerPostID == reply.id)
        }
    }
}
