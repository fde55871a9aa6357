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

/// Copies of a course (duplicates, every new tenant's clone of the master template) share the
/// original's uploaded files by key. A file belongs to every activity that names it and leaves
/// the store only with the last of them (issue 12, item 3).
@Suite("Files shared by copies")
struct FileOwnershipTests {
    // MARK: Helpers

    /// A small MP4 (its header is what the upload check reads); `fill` tells one from another.
    static func mp4(_ fill: UInt8) -> Data {
        Data([0, 0, 0, 0x18]) + Data("ftypmp42".utf8) + Data(repeating: fill, count: 2000)
    }

    static func pdf(_ text: String) -> Data { Data("%PDF-1.4\n\(text)\n%%EOF\n".utf8) }

    /// Uploads `data` as the activity's file and returns the key it was stored under.
    static func upload(
        _ client: APIClient, course base: String, activity: String, _ data: Data, name: String
    ) async throws -> String {
        let (reply, _) = try await client.raw(
            .PUT, "\(base)/activities/\(activity)/files/file?filename=\(name)", data: data)
        #expect(reply.status == .ok, "\(String(decoding: reply.body, as: UTF8.self))")
        return try #require((reply["settings"] as? [String: Any])?["file"] as? String)
    }

    /// The activity's file as the file route serves it, or nil when it answers otherwise.
    static func download(_ client: APIClient, _ activity: String) async throws -> Data? {
        let (reply, _) = try await client.raw(.GET, "/api/v1/activities/\(activity)/files/file")
        return reply.status == .ok ? reply.body : nil
    }

    /// The ids of a course's activities, in order.
    static func activities(_ client: APIClient, course base: String) async throws -> [String] {
        let list = try await client.call(.GET, "\(base)/sections")
        return (list["sections"] as? [[String: Any]] ?? []).flatMap {
            ($0["activities"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
    }

    static func isStored(_ app: Application, _ key: String) async throws -> Bool {
        try await app.files.get(key) != nil
    }

    /// The learning fixture's course with a topic of uploaded videos (one per fill), and its
    /// duplicate made by the tenant's administrator.
    struct Copied {
        let f: LearningTests.Fixture
        let admin: APIClient
        let topic: String
        let videos: [String]
        let keys: [String]
        let copyBase: String
        let copies: [String]
    }

    static func courseAndDuplicate(_ given: Given, fills: [UInt8]) async throws -> Copied {
        let f = try await LearningTests.fixture(given)
        let topic = try await LearningTests.section(f, "Topik 1")
        var videos: [String] = [], keys: [String] = []
        for fill in fills {
            let video = try await LearningTests.activity(
                f, section: topic,
                ["type": "video", "title": "Video \(fill)", "settings": ["url": "https://vimeo.com/76979871"]])
            keys.append(try await upload(f.staff, course: f.base, activity: video, mp4(fill), name: "video\(fill).mp4"))
            videos.append(video)
        }
        let admin = try await given.api(as: try await given.person("Admin Uji", in: f.tenant, roles: [.admin]))
        let copyID = try #require(try await admin.call(.POST, "\(f.base)/duplicate")["id"] as? String)
        let copyBase = "/api/v1/tenants/\(f.tenant.slug)/courses/\(copyID)"
        let copies = try await activities(admin, course: copyBase)
        #expect(copies.count == fills.count)
        return Copied(f: f, admin: admin, topic: topic, videos: videos, keys: keys, copyBase: copyBase, copies: copies)
    }

    // MARK: Replacing

    @Test(arguments: TestDatabase.all)
    func aDuplicateThatReplacesItsFileLeavesTheOriginalItsOwn(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup
            let c = try await Self.courseAndDuplicate(Given(app), fills: [1])
            #expect(
                try await Self.download(c.admin, c.copies[0]) == Self.mp4(1), "the copy starts with the original's file"
            )
            // MUT
            _ = try await Self.upload(c.admin, course: c.copyBase, activity: c.copies[0], Self.mp4(2), name: "baru.mp4")
            // validate
            #expect(try await Self.download(c.f.learner, c.videos[0]) == Self.mp4(1))
            #expect(try await Self.download(c.admin, c.copies[0]) == Self.mp4(2))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aNewTenantThatReplacesItsFileLeavesTheMasterAndOtherTenantsTheirs(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: a module in a master template course, and two tenants cloned from it
            let master = try await Tenant.master(on: app.db)
            let template = try #require(
                try await TenantScope(tenantID: master.requireID(), db: app.db).query(Course.self).first())
            let structure = app.learning.structure(of: template, on: app.db, files: app.files)
            var change = ActivityChange()
            change.type = "file"; change.title = "Modul orientasi"
            change.files["file"] = try await ReceivedFile.holding(
                ByteBuffer(data: Self.pdf("modul induk")), filename: "modul.pdf", app: app)
            let module = try await structure.addActivity(to: try await structure.addSection(title: "Orientasi"), change)
            let key = module.settings.string("file")
            let provisioner = TenantProvisioner(db: app.db, cloners: app.tenantCloners)
            var clones: [(slug: String, base: String, activity: String)] = []
            for (slug, name) in [("bkn", "Badan Kepegawaian Negara"), ("bnn", "Badan Narkotika Nasional")] {
                let tenant = try await provisioner.provision(.init(slug: slug, name: name, kind: .lembaga)).tenant
                let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
                let course = try #require(try await scope.query(Course.self).filter(\.$slug == template.slug).first())
                let activity = try #require(
                    try await scope.query(Activity.self).filter(\.$courseID == course.requireID()).first())
                #expect(activity.settings.string("file") == key, "the clone names the master's file")
                clones.append(
                    (
                        slug, "/api/v1/tenants/\(slug)/courses/\(try course.requireID())",
                        try activity.requireID().uuidString
                    ))
            }
            let given = Given(app)
            let admin = try await given.api(as: try await given.platformAdmin())
            let moduleID = try module.requireID().uuidString

            // MUT: the first new tenant replaces its module
            _ = try await Self.upload(
                admin, course: clones[0].base, activity: clones[0].activity, Self.pdf("modul bkn"),
                name: "modul-bkn.pdf")

            // validate
            #expect(try await Self.download(admin, moduleID) == Self.pdf("modul induk"), "the master keeps its file")
            #expect(
                try await Self.download(admin, clones[1].activity) == Self.pdf("modul induk"),
                "so does the other tenant")
            #expect(try await Self.download(admin, clones[0].activity) == Self.pdf("modul bkn"))

            // The file goes with its last use, in whichever tenant that is.
            try await structure.deleteActivity(module)
            #expect(try await Self.download(admin, clones[1].activity) == Self.pdf("modul induk"))
            #expect(
                try await admin.call(.DELETE, "\(clones[1].base)/activities/\(clones[1].activity)").status == .noContent
            )
            #expect(try await !Self.isStored(app, key))
        }
    }

    // MARK: Deleting

    @Test(arguments: TestDatabase.all)
    func deletingTheOriginalActivityAndItsSectionLeavesTheCopiesTheirFiles(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup
            let c = try await Self.courseAndDuplicate(Given(app), fills: [1, 2])
            // MUT
            #expect(try await c.f.staff.call(.DELETE, "\(c.f.base)/activities/\(c.videos[0])").status == .noContent)
            #expect(try await c.f.staff.call(.DELETE, "\(c.f.base)/sections/\(c.topic)").status == .noContent)
            // validate
            #expect(try await Self.download(c.admin, c.copies[0]) == Self.mp4(1))
            #expect(try await Self.download(c.admin, c.copies[1]) == Self.mp4(2))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFileLeavesTheStoreWithItsLastUse(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup
            let c = try await Self.courseAndDuplicate(Given(app), fills: [1])
            let shared = c.keys[0]

            // MUT: the original replaces its file; the copy still names the old one
            let own = try await Self.upload(
                c.f.staff, course: c.f.base, activity: c.videos[0], Self.mp4(2), name: "baru.mp4")
            #expect(try await Self.isStored(app, shared))
            // The original's section goes, and with it the file only the original named.
            #expect(try await c.f.staff.call(.DELETE, "\(c.f.base)/sections/\(c.topic)").status == .noContent)
            #expect(try await !Self.isStored(app, own))
            #expect(try await Self.isStored(app, shared))
            // The copy, the last to name the first file, goes too.
            #expect(try await c.admin.call(.DELETE, "\(c.copyBase)/activities/\(c.copies[0])").status == .noContent)

            // validate: nothing is left, not even the original's folder
            #expect(try await !Self.isStored(app, shared))
            let folder =
                app.gotong.dataDirectory + "/files/"
                + CourseStructure.folder(of: try #require(UUID(uuidString: c.videos[0])))
            #expect(!FileManager.default.fileExists(atPath: folder))
            #expect(try await FileReference.query(on: app.db).filter(\.$key ~~ [shared, own]).count() == 0)
        }
    }

    // MARK: Existing databases and concurrency

    @Test(arguments: TestDatabase.all)
    func filesNamedBeforeTheMigrationGetTheirUses(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: a course and its duplicate as they were before uses were recorded
            let c = try await Self.courseAndDuplicate(Given(app), fills: [1])
            try await CreateFileReferences().revert(on: app.db)
            // MUT
            try await CreateFileReferences().prepare(on: app.db)
            // validate: both activities use the file, so the copy's replacement leaves it
            let owners = try await FileReference.query(on: app.db).filter(\.$key == c.keys[0]).all(\.$ownerID)
            #expect(Set(owners.map(\.uuidString)) == Set([c.videos[0].uppercased(), c.copies[0].uppercased()]))
            _ = try await Self.upload(c.admin, course: c.copyBase, activity: c.copies[0], Self.mp4(2), name: "baru.mp4")
            #expect(try await Self.download(c.f.learner, c.videos[0]) == Self.mp4(1))
        }
    }

    /// A copy that read the original just before the original dropped a file names that file;
    /// the file must not be deleted while that copy is still being written. (On SQLite the two
    /// cannot overlap: it has one writer at a time.)
    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func aFileIsNotDeletedUnderACopyInFlight(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: a video, and a page that a copy in flight will have name its file
            let f = try await LearningTests.fixture(Given(app))
            let topic = try await LearningTests.section(f, "Topik 1")
            let video = try await LearningTests.activity(
                f, section: topic,
                ["type": "video", "title": "Video", "settings": ["url": "https://vimeo.com/76979871"]])
            let key = try await Self.upload(f.staff, course: f.base, activity: video, Self.mp4(1), name: "video.mp4")
            let page = try #require(
                UUID(
                    uuidString: try await LearningTests.activity(
                        f, section: topic, ["type": "page", "title": "Halaman", "settings": ["body": "Teks."]])))
            let course = try #require(try await Course.find(f.courseID, on: app.db))
            // The original's use is gone and committed.
            try await FileReferences(db: app.db).remove(
                owners: [try #require(UUID(uuidString: video))], tenantID: course.tenantID)
            let (started, signal) = AsyncStream.makeStream(of: Void.self)

            // MUT: a copy holds the copy lock and names the file, then commits a moment later
            async let copy: Void = app.db.transaction { tx in
                let references = FileReferences(db: tx)
                try await references.holdForCopying()
                try await references.add([key], tenantID: course.tenantID, ownerID: page)
                signal.yield()
                try await Task.sleep(for: .milliseconds(300))
            }
            var wait = started.makeAsyncIterator()
            _ = await wait.next()
            await FileReferences(db: app.db).deleteUnused([key], from: app.files)
            try await copy

            // validate
            #expect(try await Self.isStored(app, key))
        }
    }
}
