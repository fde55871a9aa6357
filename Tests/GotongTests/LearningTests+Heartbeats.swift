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

/// Time on material and video progress: heartbeats, and what they may credit.
extension LearningTests {
    // MARK: Heartbeats

    @Test(arguments: TestDatabase.all)
    func heartbeatsCountEachMinuteOnceAcrossTabsRetriesAndGaps(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let f = try await Self.fixture(Given(app))
            let topic = try await Self.section(f, "Topik 1")
            let page = try await Self.activity(
                f, section: topic,
                ["type": "page", "title": "Bacaan", "settings": ["body": "Teks."], "completion": ["min_seconds": 600]])
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            let ticket = try #require(
                try await f.learner.call(.GET, "/api/v1/activities/\(page)")["progress_ticket"] as? String)

            // The first beat, 30 s after the page was shown, counts its 30 s; a retry of it counts nothing.
            time.advance(30)
            #expect(
                try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-a", seq: 1, seconds: 30)["credited"]
                    as? Int == 30)
            let retry = try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-a", seq: 1, seconds: 30)
            #expect(retry["credited"] as? Int == 0)
            #expect(retry["duplicate"] as? Bool == true)
            // A second tab at the same moment counts nothing: no time passed since the first was credited.
            let other = try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-b", seq: 1, seconds: 30)
            #expect(other["credited"] as? Int == 0)
            // Forty beats in a moment, each claiming a minute, count nothing either.
            for seq in 2...41 {
                #expect(
                    try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-b", seq: seq, seconds: 60)[
                        "credited"] as? Int == 0)
            }
            // Ten seconds later a beat claiming 30 counts the 10 that passed.
            time.advance(10)
            #expect(
                try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-b", seq: 42, seconds: 30)["credited"]
                    as? Int == 10)
            // A gap (the laptop slept an hour) counts at most 60 s.
            time.advance(3600)
            let gap = try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-b", seq: 43, seconds: 3600)
            #expect(gap["credited"] as? Int == 60)
            let otherCredit = 10
            // A forged or foreign ticket is refused.
            #expect(
                try await Self.beat(f.learner, page, ticket: ticket + "x", tab: "t", seq: 1, seconds: 30).status
                    == .unauthorized)
            let other2 = try await Self.activity(
                f, section: topic, ["type": "page", "title": "Lain", "settings": ["body": "x"]])
            #expect(
                try await Self.beat(f.learner, other2, ticket: ticket, tab: "t", seq: 1, seconds: 30).status
                    == .unauthorized)
            // Bad input writes nothing.
            let bad = try await Self.beat(
                f.learner, page, ticket: ticket, tab: "", seq: 0, seconds: -1, position: 1e308, duration: -1)
            #expect(Set(bad.fields) == ["tab", "seq", "seconds", "position"])

            let progress = try await f.learner.call(.GET, "/api/v1/me/courses/\(f.courseID)/progress")
            let row = (progress["activities"] as? [[String: Any]])?.first { $0["id"] as? String == page }
            #expect(row?["seconds"] as? Int == 30 + otherCredit + 60)

            // A page has no playback: positions sent with its beats are not its to keep.
            #expect(
                try await ActivityProgress.query(on: app.db).filter(\.$activityID == UUID(uuidString: page)!).first()?
                    .stateJSON == "{}")
            // Where a video's playback is, is stored with the time (the same tab, moved to another activity).
            let clip = try await Self.activity(
                f, section: topic,
                ["type": "video", "title": "Klip", "settings": ["url": "https://youtu.be/dQw4w9WgXcQ"]])
            let clipTicket = try #require(
                try await f.learner.call(.GET, "/api/v1/activities/\(clip)")["progress_ticket"] as? String)
            // One beat at once, claiming the whole video played, moves playback only a little.
            let claimed = try await Self.beat(
                f.learner, clip, ticket: clipTicket, tab: "tab-b", seq: 44, seconds: 60, position: 100, duration: 100)
            #expect(claimed["video_percent"] as? Int == 5)
            time.advance(30)
            let watched = try await Self.beat(
                f.learner, clip, ticket: clipTicket, tab: "tab-b", seq: 45, seconds: 30, position: 50, duration: 100)
            #expect(watched["video_percent"] as? Int == 50)
            let stored = try await ActivityProgress.query(on: app.db).filter(\.$activityID == UUID(uuidString: clip)!)
                .first()
            #expect(stored?.state.videoFurthest == 50)
            #expect(stored?.state.videoPercent == 50)
            #expect(stored?.seconds == 30)
        }
    }

    @Test(arguments: TestDatabase.all)
    func simultaneousBeatsOfManyTabsNeverExceedWallClockTime(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let f = try await Self.fixture(Given(app))
            let topic = try await Self.section(f, "Topik 1")
            let page = try await Self.activity(
                f, section: topic, ["type": "page", "title": "Bacaan", "settings": ["body": "Teks."]])
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            let ticket = try #require(
                try await f.learner.call(.GET, "/api/v1/activities/\(page)")["progress_ticket"] as? String)
            // setup: one credited beat, 30 s after the page was shown
            time.advance(30)
            #expect(
                try await Self.beat(f.learner, page, ticket: ticket, tab: "first", seq: 1, seconds: 30)["credited"]
                    as? Int == 30)

            // MUT: 40 tabs beat at once, each claiming 30 s, while no time passes
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        _ = try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-\(i)", seq: 1, seconds: 30)
                    }
                }
                try await group.waitForAll()
            }

            // validate: the first beat's 30 s and nothing more
            let progress = try await ActivityProgress.query(on: app.db).filter(\.$activityID == UUID(uuidString: page)!)
                .first()
            #expect(try #require(progress).seconds == 30)
        }
    }

    @Test(arguments: TestDatabase.all)
    func batchesWrittenAtOnceBySeveralServersTakeTurns(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let f = try await Self.fixture(Given(app))
            let topic = try await Self.section(f, "Topik 1")
            let page = try await Self.activity(
                f, section: topic, ["type": "page", "title": "Bacaan", "settings": ["body": "Teks."]])
            let text = try #require(
                try await f.learner.call(.GET, "/api/v1/activities/\(page)")["progress_ticket"] as? String)
            let key = try await app.secretKeys.key(ProgressTicket.keyName, on: app.db)
            let ticket = try #require(ProgressTicket.verify(text, with: key))
            // Exactly 30 s after the page was shown: a `Date()` read later would let the later
            // batches credit the second or so the test took to get here.
            let now = ticket.issuedAt.addingTimeInterval(30)

            // MUT: twelve batches written at the same moment, as twelve server processes would,
            // each with a beat of another tab of the same learner claiming 30 s
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        let beat = Heartbeat(
                            ticket: ticket, tab: "server-\(i)", seq: 1, seconds: 30, video: nil, at: now)
                        _ = try await HeartbeatRecorder.write([beat], types: app.learning.types, on: app.db)
                    }
                }
                try await group.waitForAll()
            }

            // validate: one batch credited its 30 s; every later one saw that clock and added
            // nothing, because no time passed between them
            let progress = try await ActivityProgress.query(on: app.db).filter(\.$activityID == ticket.activityID).all()
            #expect(progress.count == 1)
            #expect(progress.first?.seconds == 30)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBatchThatCompletesAnActivityForManyFinishesEachOnesCourse(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: a course of one reading that needs 30 s, and three learners of it, one from another tenant
            let given = Given(app)
            let f = try await Self.fixture(given)
            let topic = try await Self.section(f, "Topik 1")
            let page = try await Self.activity(
                f, section: topic,
                [
                    "type": "page", "title": "Bacaan", "settings": ["body": "Teks."],
                    "completion": ["min_seconds": 30],
                ])
            let key = try await app.secretKeys.key(ProgressTicket.keyName, on: app.db)
            var tickets: [ProgressTicket] = []
            let others = [try await given.person(in: f.tenant), try await given.person(in: try await given.tenant())]
            for (i, person) in ([f.enrolled] + others).enumerated() {
                let client = i == 0 ? f.learner : try await given.api(as: person)
                if i > 0 {
                    #expect(try await client.call(.POST, "/api/v1/courses/\(f.courseID)/enrolments").status == .created)
                }
                let text = try #require(
                    try await client.call(.GET, "/api/v1/activities/\(page)")["progress_ticket"] as? String)
                tickets.append(try #require(ProgressTicket.verify(text, with: key)))
            }

            // MUT: one batch in which the first two read for 30 s (the rule) and the third for 10 s;
            // the course check hears of all three, 30 s after their pages were shown
            let now = Date().addingTimeInterval(30)
            let beats = zip(tickets, [30, 30, 10]).map {
                Heartbeat(ticket: $0, tab: "t", seq: 1, seconds: $1, video: nil, at: now)
            }
            let (_, finished) = try await HeartbeatRecorder.write(beats, types: app.learning.types, on: app.db)
            #expect(finished.count == 2)
            let third = CourseCompletion.Key(
                tenantID: tickets[2].tenantID, courseID: f.courseID, personID: tickets[2].personID)
            try await app.learning.completion.activitiesCompleted(finished + [third], now: app.clock.now())

            // validate: the two who finished the only required activity finished the course
            let enrolments = try await Enrolment.query(on: app.db).filter(\.$courseID == f.courseID)
                .filter(\.$personID ~~ tickets.map(\.personID)).all()
            let status = Dictionary(uniqueKeysWithValues: enrolments.map { ($0.personID, $0.status) })
            #expect(status[tickets[0].personID] == .completed)
            #expect(status[tickets[1].personID] == .completed)
            #expect(status[tickets[2].personID] == .enrolled)
        }
    }

    @Test
    func heartbeatAnswersAreTheJSONTheEncoderWrites() throws {
        for answer in [
            LearningAPIRoutes.HeartbeatResponse(
                credited: 30, seconds: 1_234_567, video_percent: 100, completed: true, duplicate: false),
            .init(credited: 0, seconds: 0, video_percent: 0, completed: false, duplicate: true),
        ] {
            let response = answer.response
            #expect(response.headers.contentType == .json)
            let body = try #require(response.body.data)
            #expect(try JSONDecoder().decode(LearningAPIRoutes.HeartbeatResponse.self, from: body) == answer)
            let written = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let encoded = try #require(
                try JSONSerialization.jsonObject(with: JSONEncoder().encode(answer)) as? [String: Any])
            #expect(Set(written.keys) == Set(encoded.keys))
        }
    }

    @Test
    func videoProgressAdvancesOnlyByWhatCouldHaveBeenWatched() {
        // Watching 30 s moves the furthest point at most 2 × 30 + 5 s; jumping to the end does not count.
        let jump = VideoProgress.furthest(10, report: .init(position: 590, duration: 600), seconds: 30)
        #expect(jump == 75)
        let steady = VideoProgress.furthest(75, report: .init(position: 100, duration: 600), seconds: 30)
        #expect(steady == 100)
        #expect(
            VideoProgress.furthest(100, report: .init(position: 20, duration: 600), seconds: 30) == 100,
            "going back keeps the furthest point")
        #expect(VideoProgress.percent(furthest: 300, duration: 600) == 50)
        #expect(VideoProgress.percent(furthest: 599.5, duration: 600) == 100)
    }

    @Test
    func creditRules() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        func beat(_ tab: String, _ seq: Int, _ seconds: Int, at offset: TimeInterval) -> Heartbeat {
            Heartbeat(
                ticket: ProgressTicket(
                    personID: UUID(), activityID: UUID(), courseID: UUID(), tenantID: UUID(), activityType: "page",
                    completion: .none,
                    expires: t0.addingTimeInterval(ProgressTicket.lifetime)),
                tab: tab, seq: seq, seconds: seconds, video: nil, at: t0.addingTimeInterval(offset))
        }
        // The page (its ticket) was shown at t0.
        let first = HeartbeatRules.credit(beat("a", 1, 30, at: 30), clock: nil)
        #expect(first.seconds == 30)
        #expect(
            HeartbeatRules.credit(beat("a", 2, 30, at: 10), clock: nil).seconds == 10,
            "no more than passed since the page was shown")
        // Beats sent faster than time passes count only the time that passed.
        #expect(HeartbeatRules.credit(beat("a", 2, 60, at: 30.5), clock: first.clock).seconds == 0)
        // Queued beats of one tab sent together after a dropped connection all count, up to the time that passed.
        let queued1 = HeartbeatRules.credit(beat("a", 2, 30, at: 95), clock: first.clock)
        let queued2 = HeartbeatRules.credit(beat("a", 3, 30, at: 95), clock: queued1.clock)
        let queued3 = HeartbeatRules.credit(beat("a", 4, 30, at: 95), clock: queued2.clock)
        #expect([queued1.seconds, queued2.seconds, queued3.seconds] == [Int]([30, 30, 5]))
        #expect(!queued1.duplicate && !queued3.duplicate)
        // Another tab counts only what no tab has counted yet.
        let other = HeartbeatRules.credit(beat("b", 1, 30, at: 105), clock: queued3.clock)
        #expect(other.seconds == 10)
        #expect(HeartbeatRules.credit(beat("b", 1, 30, at: 150), clock: other.clock).duplicate)
        // After a long silence a beat counts at most one beat's worth.
        #expect(HeartbeatRules.credit(beat("b", 2, 3600, at: 5000), clock: other.clock).seconds == Heartbeat.maxSeconds)
    }

    @Test
    func ticketsAreSignedAndExpire() {
        let key = SymmetricKey(size: .bits256)
        let ticket = ProgressTicket(
            personID: UUID(), activityID: UUID(), courseID: UUID(), tenantID: UUID(), activityType: "page",
            completion: .minSeconds(120), expires: Date().addingTimeInterval(60))
        let text = ticket.signed(with: key)
        #expect(ProgressTicket.verify(text, with: key) == ticket)
        #expect(ProgressTicket.verify(text, with: SymmetricKey(size: .bits256)) == nil)
        #expect(
            ProgressTicket.verify(text.replacingOccurrences(of: "min_seconds.120", with: "min_seconds.1"), with: key)
                == nil)
        #expect(ProgressTicket.verify(text, with: key, now: Date().addingTimeInterval(120)) == nil)
    }

    @Test
    func socialVideoAddressesBecomeLightPlayers() {
        #expect(
            VideoEmbed("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10")?.embedURL
                == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1")
        #expect(VideoEmbed("https://youtu.be/dQw4w9WgXcQ")?.platform == "youtube")
        #expect(
            VideoEmbed("https://vimeo.com/76979871")?.embedURL == "https://player.vimeo.com/video/76979871?autoplay=1")
        #expect(
            VideoEmbed("https://www.instagram.com/reel/C1a2b3c4/")?.embedURL
                == "https://www.instagram.com/reel/C1a2b3c4/embed")
        #expect(
            VideoEmbed("https://www.tiktok.com/@bps_statistics/video/7234567890123456789")?.embedURL
                == "https://www.tiktok.com/embed/v2/7234567890123456789")
        #expect(VideoEmbed("https://contoh.go.id/video.mp4") == nil)
        #expect(VideoEmbed("https://www.youtube.com/watch?v=\"><script>") == nil)
    }
}
