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

/// A type defined outside the Learning module (``PollType``, in this folder) works end to end
/// once it is named to `configure`: authoring with its own completion rule, release dates,
/// answering on the page and through the API, completion, monitoring and the learner's API.
@Suite("Open activity contract")
struct OpenActivityContractTests {
    @Test(arguments: TestDatabase.all)
    func aPollDefinedOutsideLearningWorksEndToEnd(db: TestDatabase) async throws {
        try await withGotong(db, activityTypes: [PollType()]) { app, _ in
            // given a course with a poll, authored through the API with the type's own rule
            let given = Given(app)
            let f = try await LearningTests.fixture(given)
            let topic = try await LearningTests.section(f, "Pendapat")
            let tooFew = try await f.staff.call(
                .POST, "\(f.base)/sections/\(topic)/activities",
                ["type": "poll", "title": "Satu pilihan", "settings": ["question": "Setuju?", "choices": "Ya"]])
            #expect(tooFew.status == .unprocessableEntity)
            #expect(String(decoding: tooFew.body, as: UTF8.self).contains("settings.choices"))
            let notOffered = try await f.staff.call(
                .POST, "\(f.base)/sections/\(topic)/activities",
                [
                    "type": "poll", "title": "Salah syarat", "completion": ["min_percent": 50],
                    "settings": ["question": "Setuju?", "choices": "Ya; Tidak"],
                ])
            #expect(notOffered.status == .unprocessableEntity, "a rule the poll does not offer")
            let tomorrow = LocalDates.formValue(Date().addingTimeInterval(2 * 86_400))
            let poll = try await LearningTests.activity(
                f, section: topic,
                [
                    "type": "poll", "title": "Jajak pendapat materi", "completion": ["answered": true],
                    "settings": ["question": "Materi mana paling berguna?", "choices": "Anggaran; Statistik; Etika"],
                    "opens_at": tomorrow,
                ])
            let course = try #require(try await Course.find(f.courseID, on: app.db))
            let page = "/t/\(f.tenant.slug)/belajar/\(course.slug)/\(poll)"
            let learner = try await given.browser(signedInAs: f.enrolled)

            // The editor offers the poll's rule by its own label.
            let coordinator = try await given.browser(signedInAs: f.coordinator)
            let manage = "/t/\(f.tenant.slug)/kelola/pelatihan/\(f.courseID)"
            let editor = try await coordinator.get("\(manage)/materi/\(poll)")
            #expect(editor.body.string.contains("peserta menjawab"), "\(editor.status)")

            // when it is not released yet, nobody answers
            let early = try await f.learner.call(.POST, "/api/v1/activities/\(poll)/answers", ["choice": 1])
            #expect(early.status == .locked)
            #expect(
                try await f.staff.call(
                    .PATCH, "\(f.base)/activities/\(poll)", ["opens_at": NSNull()]
                ).status == .ok)

            // when the learner answers on the page, then the poll is complete
            let shown = try await learner.get(page)
            #expect(shown.status == .ok)
            #expect(shown.body.string.contains("Materi mana paling berguna?"))
            #expect(shown.body.string.contains("selesai bila menjawab"))
            let answered = try await learner.post(page + "/jawab", form: ["choice": "2"])
            #expect(answered.status == .seeOther)
            let learnerID = try f.enrolled.requireID()
            let pollID = try #require(UUID(uuidString: poll))
            let stored = try #require(
                try await ActivityProgress.query(on: app.db).filter(\.$activityID == pollID)
                    .filter(\.$personID == learnerID).first())
            #expect(stored.state.pollChoice == 2)
            #expect(stored.completedAt != nil)

            // and the API answers too, checks the choice, and shows the type's facts
            let wrong = try await f.learner.call(.POST, "/api/v1/activities/\(poll)/answers", ["choice": 9])
            #expect(wrong.status == .unprocessableEntity)
            let again = try await f.learner.call(.POST, "/api/v1/activities/\(poll)/answers", ["choice": 3])
            #expect(again.status == .ok)
            #expect(again["choice"] as? Int == 3)
            let read = try await f.learner.call(.GET, "/api/v1/activities/\(poll)")
            let progress = try #require(read["progress"] as? [String: Any])
            #expect(progress["completed"] as? Bool == true)
            #expect((progress["facts"] as? [String: Any])?["poll_choice"] as? Double == 3)

            // and the coordinator sees the answer in the monitoring table and its API
            let monitor = try await coordinator.get("\(manage)/pantau")
            #expect(monitor.body.string.contains("dijawab: 3"))
            let table = try await f.staff.call(.GET, "\(f.base)/monitoring")
            let rows = try #require(table["participants"] as? [[String: Any]])
            let cells = rows.compactMap { $0["activities"] as? [[String: Any]] }.flatMap { $0 }
            let cell = try #require(
                cells.first { $0["activity_id"] as? String == poll && $0["completed"] as? Bool == true })
            #expect((cell["facts"] as? [String: Any])?["poll_choice"] as? Double == 3)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTypesChoiceSettingIsAListOfItsWordsAndNothingElse(db: TestDatabase) async throws {
        try await withGotong(db, activityTypes: [PollType()]) { app, _ in
            let given = Given(app)
            let f = try await LearningTests.fixture(given)
            let topic = try await LearningTests.section(f, "Pendapat")
            let settings: [String: Any] = ["question": "Setuju?", "choices": "Ya; Tidak", "layout": "grid"]
            let refused = try await f.staff.call(
                .POST, "\(f.base)/sections/\(topic)/activities",
                ["type": "poll", "title": "Tata letak", "settings": settings])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.fields == ["settings.layout"])
            #expect(refused.messages == ["Pilih salah satu: list, buttons."])
            var good = settings
            good["layout"] = "buttons"
            let poll = try await LearningTests.activity(
                f, section: topic, ["type": "poll", "title": "Tata letak", "settings": good])
            let activityID = try #require(UUID(uuidString: poll))
            #expect(try await Activity.find(activityID, on: app.db)?.settings.string("layout") == "buttons")

            // The editor shows the words by their labels, the stored one chosen, and takes a change.
            let coordinator = try await given.browser(signedInAs: f.coordinator)
            let form = "/t/\(f.tenant.slug)/kelola/pelatihan/\(f.courseID)/materi/\(poll)"
            let page = try await coordinator.get(form).body.string
            #expect(page.contains(#"<select id="f-layout" name="layout""#))
            #expect(page.contains(#"<option value="buttons" selected>Tombol</option>"#))
            #expect(page.contains(#"<option value="list">Daftar</option>"#))
            let saved = try await coordinator.post(
                form,
                form: [
                    "title": "Tata letak", "question": "Setuju?", "choices": "Ya; Tidak", "layout": "list",
                    "completion": "none",
                ])
            #expect(saved.status == .seeOther)
            #expect(try await Activity.find(activityID, on: app.db)?.settings.string("layout") == "list")
            let bad = try await coordinator.post(
                form, form: ["title": "Tata letak", "question": "Setuju?", "choices": "Ya; Tidak", "layout": "x"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Pilih salah satu: list, buttons."))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTypesMomentSettingIsReadAsJakartaTimeInTheFormAndWithItsZoneInTheAPI(db: TestDatabase) async throws {
        try await withGotong(db, activityTypes: [PollType()]) { app, _ in
            let given = Given(app)
            let f = try await LearningTests.fixture(given)
            let topic = try await LearningTests.section(f, "Pendapat")
            var settings: [String: Any] = ["question": "Setuju?", "choices": "Ya; Tidak", "closes_at": "besok sore"]
            let refused = try await f.staff.call(
                .POST, "\(f.base)/sections/\(topic)/activities",
                ["type": "poll", "title": "Batas", "settings": settings])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.fields == ["settings.closes_at"])
            settings["closes_at"] = "2026-12-10T17:00:00+07:00"
            let poll = try await LearningTests.activity(
                f, section: topic, ["type": "poll", "title": "Batas", "settings": settings])
            let activityID = try #require(UUID(uuidString: poll))
            let stored = try #require(try await Activity.find(activityID, on: app.db)?.settings)
            #expect(stored.string("closes_at") == "2026-12-10T10:00:00Z", "kept in UTC")
            #expect(stored.date("closes_at") == Date(timeIntervalSince1970: 1_796_896_800))

            // The editor shows it in Jakarta time, and reads a changed one as Jakarta time.
            let coordinator = try await given.browser(signedInAs: f.coordinator)
            let form = "/t/\(f.tenant.slug)/kelola/pelatihan/\(f.courseID)/materi/\(poll)"
            let page = try await coordinator.get(form).body.string
            #expect(
                page.contains(
                    #"<input id="f-closes_at" name="closes_at" type="datetime-local" value="2026-12-10T17:00""#))
            let saved = try await coordinator.post(
                form,
                form: [
                    "title": "Batas", "question": "Setuju?", "choices": "Ya; Tidak", "closes_at": "2026-12-11T08:30",
                    "completion": "none",
                ])
            #expect(saved.status == .seeOther)
            #expect(
                try await Activity.find(activityID, on: app.db)?.settings.string("closes_at") == "2026-12-11T01:30:00Z")
            let bad = try await coordinator.post(
                form,
                form: [
                    "title": "Batas", "question": "Setuju?", "choices": "Ya; Tidak", "closes_at": "2026-13-40T99:00",
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Tulis tanggal dan jam"))
            let cleared = try await coordinator.post(
                form,
                form: [
                    "title": "Batas", "question": "Setuju?", "choices": "Ya; Tidak", "closes_at": "",
                    "completion": "none",
                ])
            #expect(cleared.status == .seeOther)
            #expect(try await Activity.find(activityID, on: app.db)?.settings["closes_at"] == nil)
        }
    }
}
