import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongIdentity
@testable import GotongCatalog
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Honest progress on a timed step and a video: the time left is shown, "Saya sudah selesai
/// membaca" counts the time since the view on a phone without JavaScript (never more than
/// passed on the server's clock, nor more than the rule asks), and a new video's default rule
/// depends on its source (watched to 90 % when uploaded, five minutes open when linked).
@Suite("Study timer and video rules")
struct StudyTimerTests {
    @Test(arguments: TestDatabase.all)
    func finishedReadingCountsTheTimeSinceTheViewUpToWhatTheRuleAsks(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a page that is done after 5 minutes, and a learner
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(
                in: tenant, activities: [.page("Bacaan", completion: .minSeconds(300)), .page("Penutup")])
            let learner = try await given.learner(enrolledIn: built)
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            let browser = try await given.browser(signedInAs: learner)
            let path = LearningRoute.activity(tenant.routeSlug, built.course.routeSlug, built.activities[0].routeID)
                .path
            let action = path + "/selesai-membaca"

            // when they open it, then it says how long is left and offers the button
            let page = try await browser.get(path).body.string
            #expect(page.contains("Tersisa sekitar 5 menit"))
            #expect(page.contains("action=\"\(action)\""))
            #expect(page.contains("Saya sudah selesai membaca"))
            let ticket = try Self.ticket(in: page)

            // when they press it at once, then nothing is credited: no time passed
            #expect(try await browser.post(action, form: ["ticket": ticket]).status == .seeOther)
            #expect(try await Self.progress(app, built.activities[0], of: learner)?.seconds == 0)

            // when they press it two minutes after the view, then two minutes count, and 3 are left
            time.advance(120)
            #expect(try await browser.post(action, form: ["ticket": ticket]).status == .seeOther)
            let after = try await browser.get(path).body.string
            #expect(after.contains("selesai setelah sekitar 3 menit lagi"), "the flash says what is left")
            #expect(after.contains("Tersisa sekitar 3 menit"))
            #expect(try await Self.progress(app, built.activities[0], of: learner)?.seconds == 120)
            #expect(try await Self.progress(app, built.activities[0], of: learner)?.completedAt == nil)

            // when a forged ticket, or another learner's, is sent, then nothing is credited
            time.advance(600)
            let other = try await given.learner(enrolledIn: built)
            let otherPage = try await given.browser(signedInAs: other).get(path).body.string
            for forged in [ticket + "x", try Self.ticket(in: otherPage)] {
                #expect(try await browser.post(action, form: ["ticket": forged]).status == .seeOther)
                #expect(try await Self.progress(app, built.activities[0], of: learner)?.seconds == 120)
            }
            #expect(try await browser.get(path).body.string.contains("terlalu lama terbuka"))

            // when they press it ten minutes later, then only what the rule still asks counts, and it is done
            let fresh = try Self.ticket(in: try await browser.get(path).body.string)
            time.advance(600)
            #expect(try await browser.post(action, form: ["ticket": fresh]).status == .seeOther)
            let done = try #require(try await Self.progress(app, built.activities[0], of: learner))
            #expect(done.seconds == 300)
            #expect(done.completedAt != nil)
            let finished = try await browser.get(path).body.string
            #expect(finished.contains("<p id=\"done-note\" class=\"ok\">"))
            #expect(!finished.contains("selesai-membaca"), "a finished step has no timer")

            // and a step without a time rule has no timer at all
            let second = LearningRoute.activity(
                tenant.routeSlug, built.course.routeSlug, built.activities[1].routeID
            ).path
            #expect(!(try await browser.get(second).body.string.contains("data-timer")))
        }
    }

    @Test
    func aFinishedReadingClaimIsBoundedByTheServerClockAndWhatOtherTabsCounted() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        func claim(_ seconds: Int, at offset: TimeInterval) -> Heartbeat {
            var beat = Heartbeat(
                ticket: ProgressTicket(
                    personID: UUID(), activityID: UUID(), courseID: UUID(), tenantID: UUID(), activityType: "page",
                    completion: .minSeconds(1800), expires: t0.addingTimeInterval(ProgressTicket.lifetime)),
                tab: "reading-1", seq: 1, seconds: seconds, video: nil, at: t0.addingTimeInterval(offset))
            beat.finishedReading = true
            return beat
        }
        // Half an hour after the view, a claim of 20 minutes counts 20 (a beat would count one).
        #expect(HeartbeatRules.credit(claim(1200, at: 1800), clock: nil).seconds == 1200)
        // Two minutes after the view, it counts two minutes, whatever it claims.
        #expect(HeartbeatRules.credit(claim(1200, at: 120), clock: nil).seconds == 120)
        // Time a tab already counted is not counted again.
        let counted = HeartbeatRules.Clock(tab: "tab-a", seq: 4, creditedAt: t0.addingTimeInterval(100))
        #expect(HeartbeatRules.credit(claim(1200, at: 120), clock: counted).seconds == 20)
        // An ordinary beat is still capped at one beat's worth.
        var beat = claim(1200, at: 1800)
        beat.finishedReading = false
        #expect(HeartbeatRules.credit(beat, clock: nil).seconds == Heartbeat.maxSeconds)
    }

    @Test(arguments: TestDatabase.all)
    func aNewVideoGetsTheRuleItsSourceCanKeep(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [.page("Pengantar")])
            let api = try await given.api(as: built.coordinator)
            let topic = try #require(built.activities.first?.sectionID)
            let activities = LearningAPIRoute.sectionActivities(
                tenant.routeSlug, .value(built.id), .value(SectionID(topic))
            ).path

            // through the API, a linked video without a rule is done after five minutes open
            let linked = try await api.call(
                .POST, activities,
                ["type": "video", "title": "Klip", "settings": ["url": "https://youtu.be/dQw4w9WgXcQ"]])
            #expect(linked.status == .created)
            #expect(linked["completion"] as? [String: Int] == ["min_seconds": 300])

            // through the form, "sesuai sumber" gives the same for a link, and 90 % watched for an upload
            let browser = try await given.browser(signedInAs: built.coordinator)
            let desk = TenantDesk.tenant(tenant.routeSlug)
            let new = LearningRoute.newActivity(desk, .value(built.id)).path
            let form = try await browser.get(new + "?jenis=video&topik=\(topic.uuidString)").body.string
            #expect(form.contains("value=\"default\" checked"), "the default by source is chosen")
            #expect(form.contains("name=\"completion_value_min_percent\""))
            #expect(form.contains("> %</div>") && form.contains("> menit</div>"), "each number has its unit")
            let fields = ["type": "video", "section": topic.uuidString, "completion": "default"]
            _ = try await browser.post(
                new, form: fields.merging(["title": "Tautan", "url": "https://vimeo.com/76979871"]) { $1 })
            let video = Data([0, 0, 0, 0x18]) + Data("ftypmp42".utf8) + Data(repeating: 7, count: 4096)
            _ = try await browser.upload(
                new, field: "file", filename: "kelas.mp4", contentType: "video/mp4", data: video,
                form: fields.merging(["title": "Unggahan"]) { $1 })
            let made = try await Activity.query(on: app.db).filter(\.$courseID == built.course.id!).all()
            #expect(made.first { $0.title == "Tautan" }?.completion == .minSeconds(300))
            #expect(made.first { $0.title == "Unggahan" }?.completion == CompletionRule(kind: "min_percent", value: 90))

            // and a rule picked by name keeps its own number, in its own unit
            _ = try await browser.post(
                new,
                form: fields.merging([
                    "title": "Dipilih", "url": "https://vimeo.com/76979871", "completion": "min_seconds",
                    "completion_value_min_seconds": "7", "completion_value_min_percent": "50",
                ]) { $1 })
            let picked = try await Activity.query(on: app.db).filter(\.$title == "Dipilih").first()
            #expect(picked?.completion == .minSeconds(420))

            // and the form of a linked video does not offer "percent watched", which it cannot keep
            let edit = LearningRoute.editActivity(desk, .value(built.id), try #require(picked).routeID).path
            #expect(!(try await browser.get(edit).body.string.contains("completion_value_min_percent")))
        }
    }

    static func ticket(in page: String) throws -> String {
        let marker = "name=\"ticket\" value=\""
        let start = try #require(page.range(of: marker)).upperBound
        let end = try #require(page[start...].firstIndex(of: "\""))
        return String(page[start..<end])
    }

    static func progress(_ app: Application, _ activity: Activity, of person: Person) async throws -> ActivityProgress?
    {
        try await ActivityProgress.query(on: app.db).filter(\.$activityID == activity.id!)
            .filter(\.$personID == person.id!).first()
    }
}
