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
    /// An open course with no content yet, its coordinator (calling as `staff`), a trainer, and a
    /// learner (`enrolled`, calling as `learner`) who enrolled through the API.
    struct Fixture {
        let tenant: Tenant
        let course: Course
        let coordinator: Person
        let trainer: Person
        let enrolled: Person
        let staff: APIClient
        let learner: APIClient
        var courseID: UUID { course.id! }
        var base: String { "/api/v1/tenants/\(tenant.slug)/courses/\(courseID)" }
    }

    /// The fixture in a new tenant; `sequential` releases the activities step by step.
    static func fixture(_ given: Given, sequential: Bool = false) async throws -> Fixture {
        let tenant = try await given.tenant()
        let trainer = try await given.person("Pengajar Uji", in: tenant, roles: [.pengajar])
        let built = try await given.course(in: tenant, activities: [], trainers: [trainer])
        built.course.sequential = sequential
        try await built.course.save(on: given.app.db)
        let enrolled = try await given.person(in: tenant)
        let learner = try await given.api(as: enrolled)
        #expect(
            try await learner.call(.POST, "/api/v1/courses/\(built.course.requireID())/enrolments").status == .created)
        return Fixture(
            tenant: tenant, course: built.course, coordinator: built.coordinator, trainer: trainer, enrolled: enrolled,
            staff: try await given.api(as: built.coordinator), learner: learner)
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

    static func beat(
        _ client: APIClient, _ activity: String, ticket: String?, tab: String, seq: Int, seconds: Int,
        position: Double? = nil, duration: Double? = nil
    ) async throws -> APIClient.Reply {
        var body: [String: Any] = ["tab": tab, "seq": seq, "seconds": seconds]
        if let ticket { body["ticket"] = ticket }
        if let position { body["position"] = position }
        if let duration { body["duration"] = duration }
        return try await client.call(.POST, "/api/v1/activities/\(activity)/heartbeat", body)
    }

    // MARK: Authoring

    @Test(arguments: TestDatabase.all)
    func authorsBuildACourseOfEveryTypeAndMistakesAreListed(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let f = try await Self.fixture(Given(app))
            let topic = try await Self.section(f, "Topik 1: Membaca data")
            // MUT: one of each type
            _ = try await Self.activity(
                f, section: topic,
                [
                    "type": "page", "title": "Apa itu statistik",
                    "settings": ["body": "## Data\n\n<script>alert(1)</script>Angka yang *bermakna*."],
                ])
            _ = try await Self.activity(
                f, section: topic,
                [
                    "type": "link", "title": "Kanal BPS",
                    "settings": ["url": "https://www.youtube.com/@bpsstatistics", "description": "Video terbuka BPS."],
                ])
            let video = try await Self.activity(
                f, section: topic,
                [
                    "type": "video", "title": "Membaca grafik", "settings": ["url": "https://youtu.be/dQw4w9WgXcQ"],
                    "completion": ["min_seconds": 60],
                ])

            // A file activity without its file, an unknown type, an outside video with percent watched:
            // every problem at once, nothing written.
            let before = try await Activity.query(on: app.db).count()
            let noFile = try await f.staff.call(
                .POST, "\(f.base)/sections/\(topic)/activities", ["type": "file", "title": "Modul"])
            #expect(noFile.status == .unprocessableEntity)
            #expect(noFile.fields == ["settings.file"])
            let bad = try await f.staff.call(
                .POST, "\(f.base)/sections/\(topic)/activities",
                [
                    "type": "video", "title": "Video rusak",
                    "settings": ["url": "https://contoh.go.id/video", "warna": "merah"],
                    "completion": ["min_percent": 80],
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(bad.fields) == ["settings.url", "settings.warna", "completion"])
            #expect(bad.messages.contains { $0.contains("YouTube, Vimeo, Instagram, atau TikTok") })
            let unknown = try await f.staff.call(
                .POST, "\(f.base)/sections/\(topic)/activities", ["type": "kuis", "title": "Kuis"])
            #expect(unknown.fields == ["type"])
            #expect(try await Activity.query(on: app.db).count() == before)

            // validate: the structure in order, the page's script gone
            let list = try await f.staff.call(.GET, "\(f.base)/sections")
            let sections = try #require(list["sections"] as? [[String: Any]])
            let activities = try #require(sections.first?["activities"] as? [[String: Any]])
            #expect(activities.map { $0["type"] as? String } == ["page", "link", "video"])
            #expect(activities.map { $0["position"] as? Int } == [1, 2, 3])
            #expect((activities[2]["completion"] as? [String: Any])?["min_seconds"] as? Int == 60)
            let page = try await f.learner.call(
                .GET, "/api/v1/activities/\(try #require(activities[0]["id"] as? String))")
            let html = try #require((page["content"] as? [String: Any])?["html"] as? String)
            #expect(html.contains("<em>bermakna</em>") && !html.contains("<script"))

            // Moving the video first renumbers the rest.
            let moved = try await f.staff.call(.PATCH, "\(f.base)/activities/\(video)", ["position": 1])
            #expect(moved["position"] as? Int == 1)
            let after = try await f.staff.call(.GET, "\(f.base)/sections")
            let order = ((after["sections"] as? [[String: Any]])?.first?["activities"] as? [[String: Any]])?.map {
                $0["title"] as? String
            }
            #expect(order == ["Membaca grafik", "Apa itu statistik", "Kanal BPS"])

            // Learners cannot author.
            #expect(try await f.learner.call(.POST, "\(f.base)/sections", ["title": "Diretas"]).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func uploadsAreCheckedByTheirBytesAndVideosCanBeSought(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let f = try await Self.fixture(Given(app))
            let topic = try await Self.section(f, "Topik 1")
            let video = try await Self.activity(
                f, section: topic,
                ["type": "video", "title": "Sambutan", "settings": ["url": "https://vimeo.com/76979871"]])
            let upload = "\(f.base)/activities/\(video)/files/file"

            // An HTML page calling itself a video is refused, and so is too much.
            let (fake, _) = try await f.staff.raw(
                .PUT, upload + "?filename=sambutan.mp4", data: Data("<html><script>x</script>".utf8))
            #expect(fake.status == .unprocessableEntity)
            #expect(fake.messages.first?.contains("MP4, WEBM") == true)
            #expect(fake.fields == ["settings.file"])

            // A real MP4 header is accepted; the learner's player can seek (range requests).
            var mp4 = Data([0, 0, 0, 0x18]) + Data("ftypmp42".utf8)
            mp4 += Data((0..<4000).map { UInt8($0 % 251) })
            let (stored, _) = try await f.staff.raw(.PUT, upload + "?filename=Sambutan Kepala.mp4", data: mp4)
            #expect(stored.status == .ok)
            #expect((stored["settings"] as? [String: Any])?["file_name"] as? String == "Sambutan Kepala.mp4")
            let (part, headers) = try await f.learner.raw(
                .GET, "/api/v1/activities/\(video)/files/file", range: "bytes=100-199")
            #expect(part.status == .partialContent)
            #expect(part.body == mp4.subdata(in: 100..<200))
            #expect(headers.first(name: .contentRange) == "bytes 100-199/\(mp4.count)")
            #expect(headers.contentType?.subType == "mp4")
            // Only an uploaded video can report how much was watched.
            #expect(
                try await f.staff.call(.PATCH, "\(f.base)/activities/\(video)", ["completion": ["min_percent": 90]])
                    .status == .ok)

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
            #expect(
                !FileManager.default.fileExists(
                    atPath: files + CourseStructure.folder(of: try #require(UUID(uuidString: video)))))
        }
    }

    // MARK: Release and completion

    @Test(arguments: TestDatabase.all)
    func stepByStepReleaseSaysWhatToFinishFirstAndFinishingCompletesTheCourse(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: three activities, step by step; the third opens on a date in the future too
            let given = Given(app)
            let f = try await Self.fixture(given, sequential: true)
            let topic = try await Self.section(f, "Topik 1")
            let first = try await Self.activity(
                f, section: topic, ["type": "page", "title": "Pengantar", "settings": ["body": "Selamat datang."]])
            let second = try await Self.activity(
                f, section: topic,
                ["type": "page", "title": "Inti", "settings": ["body": "Isi."], "completion": ["min_seconds": 60]])
            let third = try await Self.activity(
                f, section: topic,
                [
                    "type": "link", "title": "Bacaan lanjutan", "settings": ["url": "https://bps.go.id"],
                    "opens_at": "2099-01-05",
                ])

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
            #expect(
                try await Self.beat(f.learner, second, ticket: ticket, tab: "a", seq: 1, seconds: 30)["completed"]
                    as? Bool == false)
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
            let enrolment = try await Enrolment.query(on: app.db).filter(\.$courseID == f.courseID).filter(
                \.$personID == f.enrolled.requireID()
            ).first()
            #expect(enrolment?.status == .completed)

            // Someone not in the course sees nothing of it.
            let outsider = try await given.api(as: try await given.person(in: try await given.tenant("Balai Lain")))
            #expect(try await outsider.call(.GET, "/api/v1/activities/\(first)").status == .forbidden)
            #expect(try await outsider.call(.GET, "/api/v1/courses/\(f.courseID)/outline").status == .forbidden)
        }
    }

    // MARK: Web

    @Test(arguments: TestDatabase.all)
    func theWebPagesWorkWithoutJavaScriptAndCountViews(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let f = try await Self.fixture(Given(app), sequential: true)
            let topic = try await Self.section(f, "Topik 1: Membaca data")
            let first = try await Self.activity(
                f, section: topic, ["type": "page", "title": "Pengantar", "settings": ["body": "Selamat **datang**."]])
            let second = try await Self.activity(
                f, section: topic,
                ["type": "video", "title": "Grafik", "settings": ["url": "https://youtu.be/dQw4w9WgXcQ"]])
            let browser = Browser(app)
            try await browser.signIn(f.enrolled.email)
            let base = LearningRoute.outline(f.tenant.routeSlug, f.course.routeSlug).path

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
            #expect(
                video.body.string.contains(
                    "data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\""))
            #expect(!video.body.string.contains("<iframe"))
            #expect(
                video.headers.first(name: "Content-Security-Policy")?.contains(
                    "frame-src https://www.youtube-nocookie.com") == true)
            #expect(try await Browser(app).get(base).status == .seeOther, "signed out: sent to sign in")

            // A reload within five minutes is the same visit: one view, not two. The API's
            // explicit view always counts.
            _ = try await browser.get("\(base)/\(first)")
            let learner = f.enrolled
            let stored = try await ActivityProgress.query(on: app.db).filter(\.$personID == learner.requireID())
                .filter(\.$activityID == UUID(uuidString: first)!).first()
            #expect(stored?.views == 1, "a reload is not a second view")
            _ = try await f.learner.call(.POST, "/api/v1/activities/\(first)/views")
            let again = try await ActivityProgress.query(on: app.db).filter(\.$personID == learner.requireID())
                .filter(\.$activityID == UUID(uuidString: first)!).first()
            #expect(again?.views == 2, "the API's view counts")

            // Deleting a topic asks first, and says what goes with it.
            let coordinator = Browser(app)
            try await coordinator.signIn(f.coordinator.email)
            let editor = "/t/\(f.tenant.slug)/kelola/pelatihan/\(f.courseID)/materi"
            let empty = try await Self.section(f, "Topik kosong")
            #expect(
                try await coordinator.get("\(editor)/topik/\(empty)/hapus").body.string.contains(
                    "Topik ini belum berisi materi."))
            #expect(
                try await coordinator.get("\(editor)/topik/\(topic)/hapus").body.string.contains("2 materi di dalamnya")
            )
        }
    }

    // MARK: Copies

    @Test(arguments: TestDatabase.all)
    func duplicatesAndNewTenantsGetTheCourseContent(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let f = try await Self.fixture(given)
            let topic = try await Self.section(f, "Topik 1")
            _ = try await Self.activity(
                f, section: topic, ["type": "page", "title": "Pengantar", "settings": ["body": "Teks."]])
            let admin = try await given.api(as: try await given.person("Admin Uji", in: f.tenant, roles: [.admin]))
            let copy = try await admin.call(.POST, "\(f.base)/duplicate")
            let copyID = try #require(copy["id"] as? String)
            let sections = try await admin.call(.GET, "/api/v1/tenants/\(f.tenant.slug)/courses/\(copyID)/sections")
            let list = try #require(sections["sections"] as? [[String: Any]])
            #expect(list.map { $0["title"] as? String } == ["Topik 1"])
            #expect((list.first?["activities"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Pengantar"])
            #expect((list.first?["id"] as? String) != topic)

            // A template course's content reaches every new tenant.
            let master = try await Tenant.master(on: app.db)
            let template = try #require(
                try await TenantScope(tenantID: master.requireID(), db: app.db).query(Course.self).first())
            let structure = app.learning.structure(of: template, on: app.db, files: app.files)
            let section = try await structure.addSection(title: "Orientasi")
            var change = ActivityChange()
            change.type = "page"; change.title = "Cara belajar";
            change.settings = ["body": .string("Langkah demi langkah.")]
            _ = try await structure.addActivity(to: section, change)
            let tenant = try await TenantProvisioner(db: app.db, cloners: app.tenantCloners)
                .provision(.init(slug: "bkn", name: "Badan Kepegawaian Negara", kind: .lembaga)).tenant
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            let cloned = try #require(try await scope.query(Course.self).filter(\.$slug == template.slug).first())
            let clonedSections = try await scope.query(CourseSection.self).filter(\.$courseID == cloned.requireID())
                .all()
            #expect(clonedSections.map(\.title) == ["Orientasi"])
            let clonedActivities = try await scope.query(Activity.self).filter(\.$courseID == cloned.requireID()).all()
            #expect(clonedActivities.map(\.title) == ["Cara belajar"])
            #expect(clonedActivities.first?.sectionID == clonedSections.first?.id)
        }
    }
}
