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

@Suite("Learning inside a course")
struct LearningTests {
    /// The demo's open BPS course, with a coordinator and an enrolled learner.
    struct Fixture {
        let courseID: UUID
        let staff: APIClient
        let learner: APIClient
        var base: String { "/api/v1/tenants/bps/courses/\(courseID)" }
    }

    static func fixture(_ app: Application, sequential: Bool = false) async throws -> Fixture {
        let course = try #require(try await Course.query(on: app.db).filter(\.$title == "Statistik Dasar untuk ASN").first())
        course.sequential = sequential
        try await course.save(on: app.db)
        let staff = try await APIClient.signIn(app, "pengelola@bps.gotong.test")
        let learner = try await APIClient.signIn(app, "peserta1@bps.gotong.test")
        #expect(try await learner.call(.POST, "/api/v1/courses/\(course.requireID())/enrolments").status == .created)
        return Fixture(courseID: try course.requireID(), staff: staff, learner: learner)
    }

    /// Adds a section and returns its id.
    static func section(_ f: Fixture, _ title: String) async throws -> String {
        let reply = try await f.staff.call(.POST, "\(f.base)/sections", ["title": title])
        #expect(reply.status == .created)
        return try #require(reply["id"] as? String)
    }

    static func activity(_ f: Fixture, section: String, _ body: [String: Any]) async throws -> String {
        let reply = try await f.staff.call(.POST, "\(f.base)/sections/\(section)/activities", body)
        #expect(reply.status == .created, "\(String(decoding: reply.body, as: UTF8.self))")
        return try #require(reply["id"] as? String)
    }

    static func beat(_ client: APIClient, _ activity: String, ticket: String?, tab: String, seq: Int, seconds: Int,
                     position: Double? = nil, duration: Double? = nil) async throws -> APIClient.Reply {
        var body: [String: Any] = ["tab": tab, "seq": seq, "seconds": seconds]
        if let ticket { body["ticket"] = ticket }
        if let position { body["position"] = position }
        if let duration { body["duration"] = duration }
        return try await client.call(.POST, "/api/v1/activities/\(activity)/heartbeat", body)
    }

    // MARK: Authoring

    @Test(arguments: TestDatabase.all)
    func authorsBuildACourseOfEveryTypeAndMistakesAreListed(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let f = try await Self.fixture(app)
            let topic = try await Self.section(f, "Topik 1: Membaca data")
            // MUT: one of each type
            _ = try await Self.activity(f, section: topic, ["type": "page", "title": "Apa itu statistik", "settings": ["body": "## Data\n\n<script>alert(1)</script>Angka yang *bermakna*."]])
            _ = try await Self.activity(f, section: topic, ["type": "link", "title": "Kanal BPS", "settings": ["url": "https://www.youtube.com/@bpsstatistics", "description": "Video terbuka BPS."]])
            let video = try await Self.activity(f, section: topic, ["type": "video", "title": "Membaca grafik", "settings": ["url": "https://youtu.be/dQw4w9WgXcQ"], "completion": ["min_seconds": 60]])

            // A file activity without its file, an unknown type, an outside video with percent watched:
            // every problem at once, nothing written.
            let before = try await Activity.query(on: app.db).count()
            let noFile = try await f.staff.call(.POST, "\(f.base)/sections/\(topic)/activities", ["type": "file", "title": "Modul"])
            #expect(noFile.status == .unprocessableEntity)
            #expect(noFile.fields == ["settings.file"])
            let bad = try await f.staff.call(.POST, "\(f.base)/sections/\(topic)/activities",
                                             ["type": "video", "title": "Video rusak", "settings": ["url": "https://contoh.go.id/video", "warna": "merah"], "completion": ["min_percent": 80]])
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(bad.fields) == ["settings.url", "settings.warna", "completion"])
            #expect(bad.messages.contains { $0.contains("YouTube, Vimeo, Instagram, atau TikTok") })
            let unknown = try await f.staff.call(.POST, "\(f.base)/sections/\(topic)/activities", ["type": "kuis", "title": "Kuis"])
            #expect(unknown.fields == ["type"])
            #expect(try await Activity.query(on: app.db).count() == before)

            // validate: the structure in order, the page's script gone
            let list = try await f.staff.call(.GET, "\(f.base)/sections")
            let sections = try #require(list["sections"] as? [[String: Any]])
            let activities = try #require(sections.first?["activities"] as? [[String: Any]])
            #expect(activities.map { $0["type"] as? String } == ["page", "link", "video"])
            #expect(activities.map { $0["position"] as? Int } == [1, 2, 3])
            #expect((activities[2]["completion"] as? [String: Any])?["min_seconds"] as? Int == 60)
            let page = try await f.learner.call(.GET, "/api/v1/activities/\(try #require(activities[0]["id"] as? String))")
            let html = try #require((page["content"] as? [String: Any])?["html"] as? String)
            #expect(html.contains("<em>bermakna</em>") && !html.contains("<script"))

            // Moving the video first renumbers the rest.
            let moved = try await f.staff.call(.PATCH, "\(f.base)/activities/\(video)", ["position": 1])
            #expect(moved["position"] as? Int == 1)
            let after = try await f.staff.call(.GET, "\(f.base)/sections")
            let order = ((after["sections"] as? [[String: Any]])?.first?["activities"] as? [[String: Any]])?.map { $0["title"] as? String }
            #expect(order == ["Membaca grafik", "Apa itu statistik", "Kanal BPS"])

            // Learners cannot author.
            #expect(try await f.learner.call(.POST, "\(f.base)/sections", ["title": "Diretas"]).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func uploadsAreCheckedByTheirBytesAndVideosCanBeSought(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let f = try await Self.fixture(app)
            let topic = try await Self.section(f, "Topik 1")
            let video = try await Self.activity(f, section: topic, ["type": "video", "title": "Sambutan", "settings": ["url": "https://vimeo.com/76979871"]])
            let upload = "\(f.base)/activities/\(video)/files/file"

            // An HTML page calling itself a video is refused, and so is too much.
            let (fake, _) = try await f.staff.raw(.PUT, upload + "?filename=sambutan.mp4", data: Data("<html><script>x</script>".utf8))
            #expect(fake.status == .unprocessableEntity)
            #expect(fake.messages.first?.contains("MP4, WEBM") == true)
            #expect(fake.fields == ["settings.file"])

            // A real MP4 header is accepted; the learner's player can seek (range requests).
            var mp4 = Data([0, 0, 0, 0x18]) + Data("ftypmp42".utf8)
            mp4 += Data((0..<4000).map { UInt8($0 % 251) })
            let (stored, _) = try await f.staff.raw(.PUT, upload + "?filename=Sambutan Kepala.mp4", data: mp4)
            #expect(stored.status == .ok)
            #expect((stored["settings"] as? [String: Any])?["file_name"] as? String == "Sambutan Kepala.mp4")
            let (part, headers) = try await f.learner.raw(.GET, "/api/v1/activities/\(video)/files/file", range: "bytes=100-199")
            #expect(part.status == .partialContent)
            #expect(part.body == mp4.subdata(in: 100..<200))
            #expect(headers.first(name: .contentRange) == "bytes 100-199/\(mp4.count)")
            #expect(headers.contentType?.subType == "mp4")
            // Only an uploaded video can report how much was watched.
            #expect(try await f.staff.call(.PATCH, "\(f.base)/activities/\(video)", ["completion": ["min_percent": 90]]).status == .ok)

            // A replaced file is deleted from storage; deleting the activity sweeps its folder.
            let files = app.gotong.dataDirectory + "/files/"
            let first = try #require((stored["settings"] as? [String: Any])?["file"] as? String)
            #expect(FileManager.default.fileExists(atPath: files + first))
            let (again, _) = try await f.staff.raw(.PUT, upload + "?filename=Sambutan baru.mp4", data: mp4)
            #expect(again.status == .ok)
            let second = try #require((again["settings"] as? [String: Any])?["file"] as? String)
            #expect(second != first)
            #expect(!FileManager.default.fileExists(atPath: files + first))
            #expect(FileManager.default.fileExists(atPath: files + second))
            #expect(try await f.staff.call(.DELETE, "\(f.base)/activities/\(video)").status == .noContent)
            #expect(!FileManager.default.fileExists(atPath: files + CourseStructure.folder(of: try #require(UUID(uuidString: video)))))
        }
    }

    // MARK: Release and completion

    @Test(arguments: TestDatabase.all)
    func stepByStepReleaseSaysWhatToFinishFirstAndFinishingCompletesTheCourse(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            // setup: three activities, step by step; the third opens on a date in the future too
            let f = try await Self.fixture(app, sequential: true)
            let topic = try await Self.section(f, "Topik 1")
            let first = try await Self.activity(f, section: topic, ["type": "page", "title": "Pengantar", "settings": ["body": "Selamat datang."]])
            let second = try await Self.activity(f, section: topic, ["type": "page", "title": "Inti", "settings": ["body": "Isi."], "completion": ["min_seconds": 60]])
            let third = try await Self.activity(f, section: topic, ["type": "link", "title": "Bacaan lanjutan", "settings": ["url": "https://bps.go.id"],
                                                                    "opens_at": "2099-01-05"])

            let (clock, time) = ServerClock.manual()
            app.clock = clock

            // MUT + validate: the second is locked until the first is viewed
            let locked = try await f.learner.call(.GET, "/api/v1/activities/\(second)")
            #expect(locked.status == .locked)
            #expect((locked["detail"] as? String)?.contains("Selesaikan dulu “Pengantar”") == true)
            #expect((locked["waiting_for"] as? [String: Any])?["title"] as? String == "Pengantar")
            #expect(try await f.learner.call(.POST, "/api/v1/activities/\(first)/views")["completed"] as? Bool == true)
            let open = try await f.learner.call(.GET, "/api/v1/activities/\(second)")
            #expect(open.status == .ok)
            let ticket = try #require(open["progress_ticket"] as? String)

            // Time on material completes the second: two beats of 30 s, 30 s apart.
            time.advance(30)
            #expect(try await Self.beat(f.learner, second, ticket: ticket, tab: "a", seq: 1, seconds: 30)["completed"] as? Bool == false)
            time.advance(30)
            let done = try await Self.beat(f.learner, second, ticket: ticket, tab: "a", seq: 2, seconds: 30)
            #expect(done["seconds"] as? Int == 60)
            #expect(done["completed"] as? Bool == true)

            // The third waits for its date, and says so.
            let dated = try await f.learner.call(.GET, "/api/v1/activities/\(third)")
            #expect(dated.status == .locked)
            #expect((dated["detail"] as? String)?.contains("5 Jan 2099") == true)
            let outline = try await f.learner.call(.GET, "/api/v1/courses/\(f.courseID)/outline")
            #expect(outline["percent"] as? Int == 66)

            // Finishing every required activity finishes the course (the third needs a view).
            let link = try #require(try await Activity.find(UUID(uuidString: third), on: app.db))
            link.opensAt = nil
            try await link.save(on: app.db)
            _ = try await f.learner.call(.POST, "/api/v1/activities/\(third)/views")
            let progress = try await f.learner.call(.GET, "/api/v1/me/courses/\(f.courseID)/progress")
            #expect(progress["percent"] as? Int == 100)
            #expect(progress["completed_at"] as? String != nil)
            let person = try #require(try await Person.find(email: "peserta1@bps.gotong.test", on: app.db))
            let enrolment = try await Enrolment.query(on: app.db).filter(\.$courseID == f.courseID).filter(\.$personID == person.requireID()).first()
            #expect(enrolment?.status == .completed)

            // Someone not in the course sees nothing of it.
            let outsider = try await APIClient.signIn(app, "peserta2@bppk.gotong.test")
            #expect(try await outsider.call(.GET, "/api/v1/activities/\(first)").status == .forbidden)
            #expect(try await outsider.call(.GET, "/api/v1/courses/\(f.courseID)/outline").status == .forbidden)
        }
    }

    // MARK: Heartbeats

    @Test(arguments: TestDatabase.all)
    func heartbeatsCountEachMinuteOnceAcrossTabsRetriesAndGaps(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let f = try await Self.fixture(app)
            let topic = try await Self.section(f, "Topik 1")
            let page = try await Self.activity(f, section: topic, ["type": "page", "title": "Bacaan", "settings": ["body": "Teks."], "completion": ["min_seconds": 600]])
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            let ticket = try #require(try await f.learner.call(.GET, "/api/v1/activities/\(page)")["progress_ticket"] as? String)

            // The first beat, 30 s after the page was shown, counts its 30 s; a retry of it counts nothing.
            time.advance(30)
            #expect(try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-a", seq: 1, seconds: 30)["credited"] as? Int == 30)
            let retry = try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-a", seq: 1, seconds: 30)
            #expect(retry["credited"] as? Int == 0)
            #expect(retry["duplicate"] as? Bool == true)
            // A second tab at the same moment counts nothing: no time passed since the first was credited.
            let other = try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-b", seq: 1, seconds: 30)
            #expect(other["credited"] as? Int == 0)
            // Forty beats in a moment, each claiming a minute, count nothing either.
            for seq in 2...41 {
                #expect(try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-b", seq: seq, seconds: 60)["credited"] as? Int == 0)
            }
            // Ten seconds later a beat claiming 30 counts the 10 that passed.
            time.advance(10)
            #expect(try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-b", seq: 42, seconds: 30)["credited"] as? Int == 10)
            // A gap (the laptop slept an hour) counts at most 60 s.
            time.advance(3600)
            let gap = try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-b", seq: 43, seconds: 3600)
            #expect(gap["credited"] as? Int == 60)
            let otherCredit = 10
            // A forged or foreign ticket is refused.
            #expect(try await Self.beat(f.learner, page, ticket: ticket + "x", tab: "t", seq: 1, seconds: 30).status == .unauthorized)
            let other2 = try await Self.activity(f, section: topic, ["type": "page", "title": "Lain", "settings": ["body": "x"]])
            #expect(try await Self.beat(f.learner, other2, ticket: ticket, tab: "t", seq: 1, seconds: 30).status == .unauthorized)
            // Bad input writes nothing.
            let bad = try await Self.beat(f.learner, page, ticket: ticket, tab: "", seq: 0, seconds: -1, position: 1e308, duration: -1)
            #expect(Set(bad.fields) == ["tab", "seq", "seconds", "position"])

            let progress = try await f.learner.call(.GET, "/api/v1/me/courses/\(f.courseID)/progress")
            let row = (progress["activities"] as? [[String: Any]])?.first { $0["id"] as? String == page }
            #expect(row?["seconds"] as? Int == 30 + otherCredit + 60)

            // Where a video's playback is, is stored with the time (the same tab, moved to another activity).
            let clip = try await Self.activity(f, section: topic, ["type": "page", "title": "Klip", "settings": ["body": "x"]])
            let clipTicket = try #require(try await f.learner.call(.GET, "/api/v1/activities/\(clip)")["progress_ticket"] as? String)
            // One beat at once, claiming the whole video played, moves playback only a little.
            let claimed = try await Self.beat(f.learner, clip, ticket: clipTicket, tab: "tab-b", seq: 44, seconds: 60, position: 100, duration: 100)
            #expect(claimed["video_percent"] as? Int == 5)
            time.advance(30)
            let watched = try await Self.beat(f.learner, clip, ticket: clipTicket, tab: "tab-b", seq: 45, seconds: 30, position: 50, duration: 100)
            #expect(watched["video_percent"] as? Int == 50)
            let stored = try await ActivityProgress.query(on: app.db).filter(\.$activityID == UUID(uuidString: clip)!).first()
            #expect(stored?.videoFurthest == 50)
            #expect(stored?.videoPercent == 50)
            #expect(stored?.seconds == 30)
        }
    }

    @Test(arguments: TestDatabase.all)
    func simultaneousBeatsOfManyTabsNeverExceedWallClockTime(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let f = try await Self.fixture(app)
            let topic = try await Self.section(f, "Topik 1")
            let page = try await Self.activity(f, section: topic, ["type": "page", "title": "Bacaan", "settings": ["body": "Teks."]])
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            let ticket = try #require(try await f.learner.call(.GET, "/api/v1/activities/\(page)")["progress_ticket"] as? String)
            // setup: one credited beat, 30 s after the page was shown
            time.advance(30)
            #expect(try await Self.beat(f.learner, page, ticket: ticket, tab: "first", seq: 1, seconds: 30)["credited"] as? Int == 30)

            // MUT: 40 tabs beat at once, each claiming 30 s, while no time passes
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask { _ = try await Self.beat(f.learner, page, ticket: ticket, tab: "tab-\(i)", seq: 1, seconds: 30) }
                }
                try await group.waitForAll()
            }

            // validate: the first beat's 30 s and nothing more
            let progress = try await ActivityProgress.query(on: app.db).filter(\.$activityID == UUID(uuidString: page)!).first()
            #expect(try #require(progress).seconds == 30)
        }
    }

    @Test(arguments: TestDatabase.all)
    func batchesWrittenAtOnceBySeveralServersTakeTurns(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let f = try await Self.fixture(app)
            let topic = try await Self.section(f, "Topik 1")
            let page = try await Self.activity(f, section: topic, ["type": "page", "title": "Bacaan", "settings": ["body": "Teks."]])
            let text = try #require(try await f.learner.call(.GET, "/api/v1/activities/\(page)")["progress_ticket"] as? String)
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
                        let beat = Heartbeat(ticket: ticket, tab: "server-\(i)", seq: 1, seconds: 30, video: nil, at: now)
                        _ = try await HeartbeatRecorder.write([beat], on: app.db)
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
        try await withGotong(db, seedDemo: true) { app, _ in
            let f = try await Self.fixture(app)
            let topic = try await Self.section(f, "Topik 1")
            let page = try await Self.activity(f, section: topic, ["type": "page", "title": "Bacaan", "settings": ["body": "Teks."],
                                                                   "completion": ["min_seconds": 30]])
            let key = try await app.secretKeys.key(ProgressTicket.keyName, on: app.db)
            var tickets: [ProgressTicket] = []
            for (i, email) in ["peserta1@bps.gotong.test", "peserta2@bps.gotong.test", "asn@gotong.test"].enumerated() {
                let client = i == 0 ? f.learner : try await APIClient.signIn(app, email)
                if i > 0 { #expect(try await client.call(.POST, "/api/v1/courses/\(f.courseID)/enrolments").status == .created) }
                let text = try #require(try await client.call(.GET, "/api/v1/activities/\(page)")["progress_ticket"] as? String)
                tickets.append(try #require(ProgressTicket.verify(text, with: key)))
            }

            // MUT: one batch in which the first two read for 30 s (the rule) and the third for 10 s;
            // the course check hears of all three, 30 s after their pages were shown
            let now = Date().addingTimeInterval(30)
            let beats = zip(tickets, [30, 30, 10]).map { Heartbeat(ticket: $0, tab: "t", seq: 1, seconds: $1, video: nil, at: now) }
            let (_, finished) = try await HeartbeatRecorder.write(beats, on: app.db)
            #expect(finished.count == 2)
            let third = CourseCompletion.Key(tenantID: tickets[2].tenantID, courseID: f.courseID, personID: tickets[2].personID)
            try await app.learning.completion.activitiesCompleted(finished + [third])

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
        for answer in [LearningAPIRoutes.HeartbeatResponse(credited: 30, seconds: 1_234_567, video_percent: 100, completed: true, duplicate: false),
                       .init(credited: 0, seconds: 0, video_percent: 0, completed: false, duplicate: true)] {
            let response = answer.response
            #expect(response.headers.contentType == .json)
            let body = try #require(response.body.data)
            #expect(try JSONDecoder().decode(LearningAPIRoutes.HeartbeatResponse.self, from: body) == answer)
            let written = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let encoded = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(answer)) as? [String: Any])
            #expect(Set(written.keys) == Set(encoded.keys))
        }
    }

    @Test
    func videoProgressAdvancesOnlyByWhatCouldHaveBeenWatched() {
        // Watching 30 s moves the furthest point at most 2 × 30 + 5 s; jumping to the end does not count.
        let jump = HeartbeatRules.furthest(10, report: .init(position: 590, duration: 600), seconds: 30)
        #expect(jump == 75)
        let steady = HeartbeatRules.furthest(75, report: .init(position: 100, duration: 600), seconds: 30)
        #expect(steady == 100)
        #expect(HeartbeatRules.furthest(100, report: .init(position: 20, duration: 600), seconds: 30) == 100, "going back keeps the furthest point")
        #expect(HeartbeatRules.percent(furthest: 300, duration: 600) == 50)
        #expect(HeartbeatRules.percent(furthest: 599.5, duration: 600) == 100)
    }

    @Test
    func creditRules() {
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        func beat(_ tab: String, _ seq: Int, _ seconds: Int, at offset: TimeInterval) -> Heartbeat {
            Heartbeat(ticket: ProgressTicket(personID: UUID(), activityID: UUID(), courseID: UUID(), tenantID: UUID(), completion: .none,
                                             expires: t0.addingTimeInterval(ProgressTicket.lifetime)),
                      tab: tab, seq: seq, seconds: seconds, video: nil, at: t0.addingTimeInterval(offset))
        }
        // The page (its ticket) was shown at t0.
        let first = HeartbeatRules.credit(beat("a", 1, 30, at: 30), clock: nil)
        #expect(first.seconds == 30)
        #expect(HeartbeatRules.credit(beat("a", 2, 30, at: 10), clock: nil).seconds == 10, "no more than passed since the page was shown")
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
        let ticket = ProgressTicket(personID: UUID(), activityID: UUID(), courseID: UUID(), tenantID: UUID(),
                                    completion: .minSeconds(120), expires: Date().addingTimeInterval(60))
        let text = ticket.signed(with: key)
        #expect(ProgressTicket.verify(text, with: key) == ticket)
        #expect(ProgressTicket.verify(text, with: SymmetricKey(size: .bits256)) == nil)
        #expect(ProgressTicket.verify(text.replacingOccurrences(of: "min_seconds.120", with: "min_seconds.1"), with: key) == nil)
        #expect(ProgressTicket.verify(text, with: key, now: Date().addingTimeInterval(120)) == nil)
    }

    @Test
    func socialVideoAddressesBecomeLightPlayers() {
        #expect(VideoEmbed("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10")?.embedURL == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1")
        #expect(VideoEmbed("https://youtu.be/dQw4w9WgXcQ")?.platform == "youtube")
        #expect(VideoEmbed("https://vimeo.com/76979871")?.embedURL == "https://player.vimeo.com/video/76979871?autoplay=1")
        #expect(VideoEmbed("https://www.instagram.com/reel/C1a2b3c4/")?.embedURL == "https://www.instagram.com/reel/C1a2b3c4/embed")
        #expect(VideoEmbed("https://www.tiktok.com/@bps_statistics/video/7234567890123456789")?.embedURL == "https://www.tiktok.com/embed/v2/7234567890123456789")
        #expect(VideoEmbed("https://contoh.go.id/video.mp4") == nil)
        #expect(VideoEmbed("https://www.youtube.com/watch?v=\"><script>") == nil)
    }

    // MARK: Web

    @Test(arguments: TestDatabase.all)
    func theWebPagesWorkWithoutJavaScriptAndCountViews(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let f = try await Self.fixture(app, sequential: true)
            let topic = try await Self.section(f, "Topik 1: Membaca data")
            let first = try await Self.activity(f, section: topic, ["type": "page", "title": "Pengantar", "settings": ["body": "Selamat **datang**."]])
            let second = try await Self.activity(f, section: topic, ["type": "video", "title": "Grafik", "settings": ["url": "https://youtu.be/dQw4w9WgXcQ"]])
            let browser = Browser(app)
            try await browser.signIn("peserta1@bps.gotong.test")
            let base = "/t/bps/belajar/statistik-dasar-untuk-asn"

            let outline = try await browser.get(base).body.string
            #expect(outline.contains("Topik 1: Membaca data"))
            #expect(outline.contains("Selesaikan dulu “Pengantar”"))
            #expect(try await browser.get("\(base)/\(second)").status == .locked)
            let page = try await browser.get("\(base)/\(first)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("<strong>datang</strong>"))
            #expect(page.body.string.contains("data-ticket="))
            // The view was recorded by the page itself: the video is open now, as a light placeholder.
            let video = try await browser.get("\(base)/\(second)")
            #expect(video.status == .ok)
            #expect(video.body.string.contains("data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\""))
            #expect(!video.body.string.contains("<iframe"))
            #expect(video.headers.first(name: "Content-Security-Policy")?.contains("frame-src https://www.youtube-nocookie.com") == true)
            #expect(try await Browser(app).get(base).status == .seeOther, "signed out: sent to sign in")

            // A reload within five minutes is the same visit: one view, not two. The API's
            // explicit view always counts.
            _ = try await browser.get("\(base)/\(first)")
            let learner = try #require(try await Person.query(on: app.db).filter(\.$email == "peserta1@bps.gotong.test").first())
            let stored = try await ActivityProgress.query(on: app.db).filter(\.$personID == learner.requireID())
                .filter(\.$activityID == UUID(uuidString: first)!).first()
            #expect(stored?.views == 1, "a reload is not a second view")
            _ = try await f.learner.call(.POST, "/api/v1/activities/\(first)/views")
            let again = try await ActivityProgress.query(on: app.db).filter(\.$personID == learner.requireID())
                .filter(\.$activityID == UUID(uuidString: first)!).first()
            #expect(again?.views == 2, "the API's view counts")

            // Deleting a topic asks first, and says what goes with it.
            let coordinator = Browser(app)
            try await coordinator.signIn("pengelola@bps.gotong.test")
            let editor = "/t/bps/kelola/pelatihan/\(f.courseID)/materi"
            let empty = try await Self.section(f, "Topik kosong")
            #expect(try await coordinator.get("\(editor)/topik/\(empty)/hapus").body.string.contains("Topik ini belum berisi materi."))
            #expect(try await coordinator.get("\(editor)/topik/\(topic)/hapus").body.string.contains("2 materi di dalamnya"))
        }
    }

    // MARK: Copies

    @Test(arguments: TestDatabase.all)
    func duplicatesAndNewTenantsGetTheCourseContent(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let f = try await Self.fixture(app)
            let topic = try await Self.section(f, "Topik 1")
            _ = try await Self.activity(f, section: topic, ["type": "page", "title": "Pengantar", "settings": ["body": "Teks."]])
            let admin = try await APIClient.signIn(app, "admin@bps.gotong.test")
            let copy = try await admin.call(.POST, "\(f.base)/duplicate")
            let copyID = try #require(copy["id"] as? String)
            let sections = try await admin.call(.GET, "/api/v1/tenants/bps/courses/\(copyID)/sections")
            let list = try #require(sections["sections"] as? [[String: Any]])
            #expect(list.map { $0["title"] as? String } == ["Topik 1"])
            #expect((list.first?["activities"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Pengantar"])
            #expect((list.first?["id"] as? String) != topic)

            // A template course's content reaches every new tenant.
            let master = try await Tenant.master(on: app.db)
            let template = try #require(try await TenantScope(tenantID: master.requireID(), db: app.db).query(Course.self).first())
            let structure = app.learning.structure(of: template, on: app.db, files: app.files)
            let section = try await structure.addSection(title: "Orientasi")
            var change = ActivityChange()
            change.type = "page"; change.title = "Cara belajar"; change.settings = ["body": .string("Langkah demi langkah.")]
            _ = try await structure.addActivity(to: section, change)
            let tenant = try await TenantProvisioner(db: app.db, cloners: app.tenantCloners)
                .provision(.init(slug: "bkn", name: "Badan Kepegawaian Negara", kind: .lembaga)).tenant
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            let cloned = try #require(try await scope.query(Course.self).filter(\.$slug == template.slug).first())
            let clonedSections = try await scope.query(CourseSection.self).filter(\.$courseID == cloned.requireID()).all()
            #expect(clonedSections.map(\.title) == ["Orientasi"])
            let clonedActivities = try await scope.query(Activity.self).filter(\.$courseID == cloned.requireID()).all()
            #expect(clonedActivities.map(\.title) == ["Cara belajar"])
            #expect(clonedActivities.first?.sectionID == clonedSections.first?.id)
        }
    }
}

@Suite("Coordinator monitoring")
struct MonitoringTests {
    @Test(arguments: TestDatabase.all)
    func theTableFiltersAndRemindersReachEveryoneInTheFilter(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            // setup: two learners in a course of a reading and a video link; one finishes the reading
            let f = try await LearningTests.fixture(app)
            let topic = try await LearningTests.section(f, "Topik 1")
            let reading = try await LearningTests.activity(f, section: topic, ["type": "page", "title": "Bacaan", "settings": ["body": "Teks."]])
            _ = try await LearningTests.activity(f, section: topic, ["type": "video", "title": "Video", "settings": ["url": "https://youtu.be/dQw4w9WgXcQ"]])
            let second = try await APIClient.signIn(app, "peserta2@bps.gotong.test")
            #expect(try await second.call(.POST, "/api/v1/courses/\(f.courseID)/enrolments").status == .created)
            #expect(try await f.learner.call(.POST, "/api/v1/activities/\(reading)/views")["completed"] as? Bool == true)

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
            #expect((idle["participants"] as? [[String: Any]])?.map { $0["email"] as? String } == ["peserta2@bps.gotong.test"])
            #expect(try await f.staff.call(.GET, "\(f.base)/monitoring?urut=acak").status == .unprocessableEntity)
            #expect(try await f.learner.call(.GET, "\(f.base)/monitoring").status == .forbidden)

            // A reminder to those who have not started: one recipient, their own name filled in, logged.
            let sent = try await f.staff.call(.POST, "\(f.base)/monitoring/reminders",
                                              ["filter": "belum_mulai", "message": "Yth. {nama}, mulai {pelatihan} minggu ini."])
            #expect(sent.status == .created)
            #expect(sent["recipients"] as? Int == 1)
            #expect(try await LearningTestsNotifications.texts(second).contains("Pengingat: Yth. Peserta Dua BPS, mulai Statistik Dasar untuk ASN minggu ini."))
            #expect(try await LearningTestsNotifications.texts(f.learner).allSatisfy { !$0.contains("minggu ini") })
            #expect(try await Reminder.query(on: app.db).count() == 1)
            #expect(try await ReminderRecipient.query(on: app.db).count() == 1)
            // Inactive for a week: the one who never came, not the one who read just now.
            let inactive = try await f.staff.call(.POST, "\(f.base)/monitoring/reminders", ["filter": "tidak_aktif_7_hari", "message": "Halo, kami menunggu Anda."])
            #expect(inactive["recipients"] as? Int == 1)
            // Nobody has finished, so a reminder to those who have not finished reaches both.
            #expect(try await f.staff.call(.POST, "\(f.base)/monitoring/reminders", ["filter": "belum_selesai", "message": "Ayo selesaikan."])["recipients"] as? Int == 2)
            let page1 = try await f.staff.call(.GET, "\(f.base)/monitoring?filter=belum_buka_video")
            #expect(page1["shown"] as? Int == 2)

            // The web page and its CSV: the same people, a spreadsheet-safe file.
            let browser = Browser(app)
            try await browser.signIn("pengelola@bps.gotong.test")
            let page = try await browser.get("/t/bps/kelola/pelatihan/\(f.courseID)/pantau?filter=belum_mulai")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("<svg"))
            let csv = try await browser.get("/t/bps/kelola/pelatihan/\(f.courseID)/pantau/csv")
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 3, "a header and two participants")
        }
    }
}

enum LearningTestsNotifications {
    static func texts(_ client: APIClient) async throws -> [String] {
        (try await client.call(.GET, "/api/v1/me/notifications")["notifications"] as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []
    }
}
