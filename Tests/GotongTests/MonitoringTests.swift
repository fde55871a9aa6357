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

@Suite("Coordinator monitoring")
struct MonitoringTests {
    @Test(arguments: TestDatabase.all)
    func theTableFiltersAndRemindersReachEveryoneInTheFilter(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: two learners in a course of a reading and a video link; one finishes the reading
            let given = Given(app)
            let f = try await LearningTests.fixture(given)
            let topic = try await LearningTests.section(f, "Topik 1")
            let reading = try await LearningTests.activity(
                f, section: topic, ["type": "page", "title": "Bacaan", "settings": ["body": "Teks."]])
            _ = try await LearningTests.activity(
                f, section: topic,
                ["type": "video", "title": "Video", "settings": ["url": "https://youtu.be/dQw4w9WgXcQ"]])
            let secondPerson = try await given.person(in: f.tenant)
            let second = try await given.api(as: secondPerson)
            #expect(try await second.call(.POST, "/api/v1/courses/\(f.courseID)/enrolments").status == .created)
            #expect(
                try await f.learner.call(.POST, "/api/v1/activities/\(reading)/views")["completed"] as? Bool == true)

            // MUT + validate: everyone, then those who have not opened the videos
            let all = try await f.staff.call(.GET, "\(f.base)/monitoring")
            #expect(all["total"] as? Int == 2)
            let columns = try #require(all["activities"] as? [[String: Any]])
            #expect(columns.map { $0["reached"] as? Int } == [1, 0])
            let rows = try #require(all["participants"] as? [[String: Any]])
            #expect(rows.map { $0["percent"] as? Int } == [0, 50], "lowest progress first")
            let lagging = try await f.staff.call(.GET, "\(f.base)/monitoring?filter=belum_buka_video")
            #expect(lagging["shown"] as? Int == 2)
            let idle = try await f.staff.call(.GET, "\(f.base)/monitoring?filter=belum_mulai")
            #expect(
                (idle["participants"] as? [[String: Any]])?.map { $0["email"] as? String } == [secondPerson.email])
            #expect(try await f.staff.call(.GET, "\(f.base)/monitoring?urut=acak").status == .unprocessableEntity)
            #expect(try await f.learner.call(.GET, "\(f.base)/monitoring").status == .forbidden)

            // A reminder to those who have not started: one recipient, their own name filled in, logged.
            let sent = try await f.staff.call(
                .POST, "\(f.base)/monitoring/reminders",
                ["filter": "belum_mulai", "message": "Yth. {nama}, mulai {pelatihan} minggu ini."])
            #expect(sent.status == .created)
            #expect(sent["recipients"] as? Int == 1)
            #expect(
                try await LearningTestsNotifications.texts(second).contains(
                    "Pengingat: Yth. \(secondPerson.name), mulai \(f.course.title) minggu ini."))
            #expect(try await LearningTestsNotifications.texts(f.learner).allSatisfy { !$0.contains("minggu ini") })
            #expect(try await Reminder.query(on: app.db).count() == 1)
            #expect(try await ReminderRecipient.query(on: app.db).count() == 1)
            // Inactive for a week: the one who never came, not the one who read just now.
            let inactive = try await f.staff.call(
                .POST, "\(f.base)/monitoring/reminders",
                ["filter": "tidak_aktif_7_hari", "message": "Halo, kami menunggu Anda."])
            #expect(inactive["recipients"] as? Int == 1)
            // Nobody has finished, so a reminder to those who have not finished reaches both.
            #expect(
                try await f.staff.call(
                    .POST, "\(f.base)/monitoring/reminders", ["filter": "belum_selesai", "message": "Ayo selesaikan."])[
                        "recipients"] as? Int == 2)
            let page1 = try await f.staff.call(.GET, "\(f.base)/monitoring?filter=belum_buka_video")
            #expect(page1["shown"] as? Int == 2)

            // The web page and its CSV: the same people, a spreadsheet-safe file.
            let browser = Browser(app)
            try await browser.signIn(f.coordinator.email)
            let monitor = "/t/\(f.tenant.slug)/kelola/pelatihan/\(f.courseID)/pantau"
            let page = try await browser.get("\(monitor)?filter=belum_mulai")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("<svg"))
            let csv = try await browser.get("\(monitor)/csv")
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(
                csv.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 3,
                "a header and two participants")
        }
    }
}

enum LearningTestsNotifications {
    static func texts(_ client: APIClient) async throws -> [String] {
        (try await client.call(.GET, "/api/v1/me/notifications")["notifications"] as? [[String: Any]])?.compactMap {
            $0["text"] as? String
        } ?? []
    }
}
