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

@Suite("Courses, marketplace and enrolment")
struct CatalogTests {
    static func courseID(_ app: Application, _ title: String) async throws -> UUID {
        try #require(try await Course.query(on: app.db).filter(\.$title == title).first()).requireID()
    }

    static func titles(_ reply: APIClient.Reply) -> [String] {
        (reply["results"] as? [[String: Any]])?.compactMap { $0["title"] as? String } ?? []
    }

    static func notifications(_ client: APIClient) async throws -> [String] {
        (try await client.call(.GET, "/api/v1/me/notifications")["notifications"] as? [[String: Any]])?.compactMap {
            $0["text"] as? String
        } ?? []
    }

    @Test(arguments: TestDatabase.all)
    func manyFirstSearchesAtOnceAllGetTheIndex(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            // given: a process that has not built its marketplace index yet
            let search = CatalogSearch()

            // when: hundreds of searches arrive at once, so that some read the catalogue's
            // version only after another one has built the index
            let versions = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<300 { group.addTask { try await search.index(on: app.db).version } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }

            // then: every search was served the one index (none found it missing and trapped)
            #expect(versions.count == 300)
            #expect(Set(versions).count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func courseGoesFromDraftThroughCurationIntoTheMarketplace(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            // setup
            let coordinator = try await APIClient.signIn(app, "pengelola@bppk.gotong.test")
            let admin = try await APIClient.signIn(app, "admin@bppk.gotong.test")
            let curator = try await APIClient.signIn(app, DemoData.platformAdminEmail)
            let learner = try await APIClient.signIn(app, "peserta1@bps.gotong.test")

            // MUT: create, submit, publish, curate
            let created = try await coordinator.call(
                .POST, "/api/v1/tenants/bppk/courses",
                [
                    "title": "Pengelolaan Barang Milik Negara", "summary": "Penatausahaan BMN",
                    "tags": ["BMN", "aset"],
                    "competency_type": "teknis", "jp": 12, "delivery_method": "mandiri", "enrolment_mode": "open",
                    "quota": 100,
                    "enrol_opens_at": "2020-01-01", "trainers": ["pengajar@bppk.gotong.test"],
                ])
            #expect(created.status == .created)
            let id = try #require(created["id"] as? String)
            #expect(created["status"] as? String == "draft")
            #expect(created["slug"] as? String == "pengelolaan-barang-milik-negara")
            #expect(
                !Self.titles(try await learner.call(.GET, "/api/v1/catalog?q=kelola")).contains(
                    "Pengelolaan Barang Milik Negara"))

            #expect(
                try await coordinator.call(.POST, "/api/v1/tenants/bppk/courses/\(id)/publish").status == .forbidden)
            #expect(
                try await coordinator.call(.POST, "/api/v1/tenants/bppk/courses/\(id)/submit")["status"] as? String
                    == "submitted")
            #expect(
                try await Self.notifications(admin).contains {
                    $0.contains("Pengelolaan Barang Milik Negara") && $0.contains("diajukan")
                })
            let published = try await admin.call(.POST, "/api/v1/tenants/bppk/courses/\(id)/publish")
            #expect(published["status"] as? String == "published")
            #expect(published["curation"] as? String == "pending")
            // On the storefront at once, in the marketplace only after curation.
            let storefront = try await learner.call(.GET, "/api/v1/tenants/bppk/courses")
            #expect((storefront["courses"] as? [[String: Any]])?.contains { $0["id"] as? String == id } == true)
            #expect(
                !Self.titles(try await learner.call(.GET, "/api/v1/catalog?q=kelola")).contains(
                    "Pengelolaan Barang Milik Negara"))
            #expect(try await admin.call(.POST, "/api/v1/curation/courses/\(id)/approve").status == .forbidden)

            let noReason = try await curator.call(.POST, "/api/v1/curation/courses/\(id)/reject", ["reason": " "])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.fields == ["reason"])
            let rejected = try await curator.call(
                .POST, "/api/v1/curation/courses/\(id)/reject", ["reason": "Lengkapi deskripsi dan tujuan."])
            #expect(rejected["curation"] as? String == "rejected")
            #expect(try await Self.notifications(admin).contains { $0.contains("Lengkapi deskripsi dan tujuan.") })
            // Editing a rejected course offers it to the curator again.
            let edited = try await coordinator.call(
                .PATCH, "/api/v1/tenants/bppk/courses/\(id)",
                ["description": "## Tujuan\n\nPeserta mampu menatausahakan BMN."])
            #expect(edited["curation"] as? String == "pending")
            #expect(
                try await curator.call(.POST, "/api/v1/curation/courses/\(id)/approve")["curation"] as? String
                    == "approved")

            // validate: found by another word form, with its institution, on both databases
            let found = try await learner.call(
                .GET, "/api/v1/catalog?q=kelola%20barang&competency_type=teknis&open=true")
            #expect(Self.titles(found) == ["Pengelolaan Barang Milik Negara"])
            let hit = try #require((found["results"] as? [[String: Any]])?.first)
            #expect(hit["tenant_name"] as? String == "BPPK Kementerian Keuangan")
            #expect(
                Self.titles(try await learner.call(.GET, "/api/v1/catalog?q=penatausahaan")) == [
                    "Pengelolaan Barang Milik Negara"
                ], "the summary is searched")
            #expect(
                Self.titles(try await learner.call(.GET, "/api/v1/catalog?q=mampu")).isEmpty, "the description is not")
            #expect(Self.titles(try await learner.call(.GET, "/api/v1/catalog?q=tata%20usaha")).isEmpty)
            #expect(
                Self.titles(try await learner.call(.GET, "/api/v1/catalog?q=Widyaiswara%20BPPK%20aset")) == [
                    "Pengelolaan Barang Milik Negara"
                ])
        }
    }

    @Test(arguments: TestDatabase.all)
    func badCourseInputListsEveryProblemAndWritesNothing(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let coordinator = try await APIClient.signIn(app, "pengelola@bppk.gotong.test")
            let before = try await Course.query(on: app.db).count()
            let reply = try await coordinator.call(
                .POST, "/api/v1/tenants/bppk/courses",
                [
                    "title": "X", "competency_type": "rahasia", "jp": 0, "delivery_method": "mikro", "quota": -3,
                    "enrol_opens_at": "2026-12-10", "enrol_closes_at": "2026-12-01", "starts_at": "besok",
                    "audience": "listed",
                    "trainers": ["peserta1@bppk.gotong.test"], "prerequisites": ["tidak-ada"],
                ])
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.fields == ["starts_at"], "unreadable dates are reported first, before the rest is checked")
            let second = try await coordinator.call(
                .POST, "/api/v1/tenants/bppk/courses",
                [
                    "title": "X", "competency_type": "rahasia", "jp": 0, "delivery_method": "mikro", "quota": -3,
                    "enrol_opens_at": "2026-12-10", "enrol_closes_at": "2026-12-01", "audience": "listed",
                    "trainers": ["peserta1@bppk.gotong.test"], "prerequisites": ["tidak-ada"],
                ])
            #expect(second.status == .unprocessableEntity)
            #expect(
                Set(second.fields) == [
                    "title", "competency_type", "jp", "micro_minutes", "quota", "enrol_closes_at",
                    "audience_tenants", "trainers", "prerequisites",
                ])
            #expect(second.messages.contains { $0.contains("peserta1@bppk.gotong.test") })
            #expect(try await Course.query(on: app.db).count() == before)

            // Control characters (NUL, which PostgreSQL refuses) never reach the database.
            let nul = try await coordinator.call(
                .POST, "/api/v1/tenants/bppk/courses",
                [
                    "title": "Uji\u{0}Karakter", "summary": "a\u{0}b", "description": "baris\u{0}satu\nbaris dua",
                    "category": "x\u{0}y",
                ])
            #expect(nul.status == .unprocessableEntity)
            #expect(nul.fields == ["category"])
            let saved = try await coordinator.call(
                .POST, "/api/v1/tenants/bppk/courses",
                ["title": "Uji\u{0}Karakter", "summary": "a\u{0}b", "description": "baris\u{0}satu\nbaris dua"])
            #expect(saved.status == .created)
            #expect(saved["summary"] as? String == "ab")
            #expect(saved["description"] as? String == "barissatu\nbaris dua")

            let english = try await coordinator.call(
                .POST, "/api/v1/tenants/bppk/courses?lang=en",
                ["title": "Pengelolaan Keuangan Negara", "slug": "pengelolaan-keuangan-negara"])
            #expect(english.status == .conflict)
            #expect(english.fields == ["slug"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func twoHundredSimultaneousRequestsFillFiftySeatsExactly(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            // setup: a 50-seat course and 200 people
            let tenant = try #require(try await Tenant.find(slug: "bps", on: app.db))
            var change = CourseChange()
            change.title = "Sensus Ekonomi untuk Petugas"
            change.quota = .some(50)
            let course = try await CourseWorkflow(db: app.db).create(in: try tenant.typedID(), change)
            try await CourseWorkflow(db: app.db).publish(course)
            let people = (1...200).map { Person(name: "Petugas \($0)", email: "petugas\($0)@bps.go.id") }
            try await people.create(on: app.db)

            // MUT: 200 requests at once
            let outcomes = try await withThrowingTaskGroup(of: Enrolment.Status.self) { group in
                for person in people {
                    group.addTask {
                        try await EnrolmentService(db: app.db).enrol(person, in: course, viewer: .anonymous).enrolment
                            .status
                    }
                }
                var all: [Enrolment.Status] = []
                for try await status in group { all.append(status) }
                return all
            }

            // validate
            #expect(outcomes.filter { $0 == .enrolled }.count == 50)
            #expect(outcomes.filter { $0 == .waiting }.count == 150)
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            let courseID = try course.requireID()
            #expect(
                try await scope.query(Enrolment.self).filter(\.$courseID == courseID).filter(\.$status == .enrolled)
                    .count() == 50)
            #expect(
                try await scope.query(Enrolment.self).filter(\.$courseID == courseID).filter(\.$status == .waiting)
                    .count() == 150)
            #expect(try await scope.find(Course.self, courseID)?.enrolledCount == 50)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFreedSeatGoesToTheFirstPersonWaiting(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let admin = try await APIClient.signIn(app, "admin@bps.gotong.test")
            let created = try await admin.call(
                .POST, "/api/v1/tenants/bps/courses", ["title": "Survei Harga Konsumen", "quota": 1])
            let id = try #require(created["id"] as? String)
            _ = try await admin.call(.POST, "/api/v1/tenants/bps/courses/\(id)/publish")
            let first = try await APIClient.signIn(app, "peserta1@bps.gotong.test")
            let second = try await APIClient.signIn(app, "peserta2@bps.gotong.test")
            let third = try await APIClient.signIn(app, "asn@gotong.test")

            #expect(try await first.call(.POST, "/api/v1/courses/\(id)/enrolments").status == .created)
            let waiting = try await second.call(.POST, "/api/v1/courses/\(id)/enrolments")
            #expect(waiting.status == .accepted)
            #expect(waiting["status"] as? String == "waiting")
            #expect(try await third.call(.POST, "/api/v1/courses/\(id)/enrolments")["status"] as? String == "waiting")
            // Asking again changes nothing.
            #expect(try await first.call(.POST, "/api/v1/courses/\(id)/enrolments").status == .ok)

            #expect(
                try await first.call(.DELETE, "/api/v1/courses/\(id)/enrolments/me")["status"] as? String == "withdrawn"
            )
            let mine = try await second.call(.GET, "/api/v1/me/courses")
            #expect(
                (mine["courses"] as? [[String: Any]])?.first { $0["title"] as? String == "Survei Harga Konsumen" }?[
                    "status"] as? String == "enrolled")
            #expect(
                try await Self.notifications(second).contains {
                    $0.contains("Survei Harga Konsumen") && $0.contains("kursi")
                })
            #expect(try await third.call(.GET, "/api/v1/me/courses").body.count > 0)
            let course = try #require(try await Course.find(UUID(uuidString: id), on: app.db))
            #expect(course.enrolledCount == 1)

            // Raising the quota fills the new seat from the waiting list.
            #expect(
                try await admin.call(.PATCH, "/api/v1/tenants/bps/courses/\(id)", ["quota": 2])["seats_left"] as? Int
                    == 0)
            let thirds = try await third.call(.GET, "/api/v1/me/courses")
            #expect(
                (thirds["courses"] as? [[String: Any]])?.first { $0["title"] as? String == "Survei Harga Konsumen" }?[
                    "status"] as? String == "enrolled")
        }
    }

    @Test(arguments: TestDatabase.all)
    func approvalModeAsksACoordinator(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, mailer in
            // As when SMTP is configured: notifications go out by mail too.
            app.notificationMails = true
            let id = try await Self.courseID(app, "Pengelolaan Kinerja ASN")
            let learner = try await APIClient.signIn(app, "asn@gotong.test")
            let other = try await APIClient.signIn(app, "peserta1@bppk.gotong.test")
            let coordinator = try await APIClient.signIn(app, "pengelola@lan.gotong.test")

            let asked = try await learner.call(.POST, "/api/v1/courses/\(id)/enrolments")
            #expect(asked.status == .accepted)
            #expect(asked["status"] as? String == "pending")
            let enrolmentID = try #require(asked["id"] as? String)
            // The course's coordinator is told a request is waiting.
            #expect(
                try await Self.notifications(coordinator).contains {
                    $0.contains("meminta bergabung") && $0.contains("Pengelolaan Kinerja ASN")
                })
            let pending = try await coordinator.call(
                .GET, "/api/v1/tenants/lan/courses/\(id)/enrolments?status=pending")
            #expect((pending["enrolments"] as? [[String: Any]])?.map { $0["email"] as? String } == ["asn@gotong.test"])
            #expect(
                try await learner.call(.POST, "/api/v1/tenants/lan/courses/\(id)/enrolments/\(enrolmentID)/approve")
                    .status == .forbidden)

            #expect(
                try await coordinator.call(
                    .POST, "/api/v1/tenants/lan/courses/\(id)/enrolments/\(enrolmentID)/approve")["status"] as? String
                    == "enrolled")
            #expect(
                try await Self.notifications(learner).contains {
                    $0.contains("disetujui") && $0.contains("Pengelolaan Kinerja ASN")
                })
            #expect(
                try await coordinator.call(.POST, "/api/v1/tenants/lan/courses/\(id)/enrolments/\(enrolmentID)/approve")
                    .status == .conflict)
            var mailed: Mail?
            // Mail goes out through the jobs table: allow a busy test run time to get to it.
            for _ in 0..<600 where mailed == nil {
                mailed = mailer.outbox.first { $0.to == "asn@gotong.test" && $0.subject.contains("disetujui") }
                if mailed == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(mailed?.body.contains("http://gotong.test/t/lan/pelatihan/pengelolaan-kinerja-asn") == true)

            let otherID = try #require(try await other.call(.POST, "/api/v1/courses/\(id)/enrolments")["id"] as? String)
            let noReason = try await coordinator.call(
                .POST, "/api/v1/tenants/lan/courses/\(id)/enrolments/\(otherID)/reject", ["reason": ""])
            #expect(noReason.status == .unprocessableEntity)
            let rejected = try await coordinator.call(
                .POST, "/api/v1/tenants/lan/courses/\(id)/enrolments/\(otherID)/reject",
                ["reason": "Khusus pejabat fungsional tahun ini."])
            #expect(rejected["status"] as? String == "rejected")
            #expect(
                try await Self.notifications(other).contains { $0.contains("Khusus pejabat fungsional tahun ini.") })
        }
    }

    @Test(arguments: TestDatabase.all)
    func windowsAndPrerequisitesSayWhatIsMissing(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let learner = try await APIClient.signIn(app, "peserta1@bps.gotong.test")
            let advanced = try await Self.courseID(app, "Penyusunan Anggaran Berbasis Kinerja")
            let blocked = try await learner.call(.POST, "/api/v1/courses/\(advanced)/enrolments")
            #expect(blocked.status == .conflict)
            #expect(blocked.messages.first?.contains("Pengelolaan Keuangan Negara") == true)

            // Finishing the prerequisite opens the way.
            let basic = try await Self.courseID(app, "Pengelolaan Keuangan Negara")
            #expect(try await learner.call(.POST, "/api/v1/courses/\(basic)/enrolments").status == .created)
            let person = try #require(try await Person.find(email: "peserta1@bps.gotong.test", on: app.db))
            let row = try #require(
                try await Enrolment.query(on: app.db).filter(\.$courseID == basic).filter(
                    \.$personID == person.requireID()
                ).first())
            row.status = .completed
            row.completedAt = Date()
            try await row.save(on: app.db)
            #expect(try await learner.call(.POST, "/api/v1/courses/\(advanced)/enrolments").status == .created)

            // An enrolment window that has not opened names its date.
            let admin = try await APIClient.signIn(app, "admin@bps.gotong.test")
            let later = try #require(
                try await admin.call(
                    .POST, "/api/v1/tenants/bps/courses", ["title": "Susenas 2027", "enrol_opens_at": "2099-01-05"])[
                        "id"] as? String)
            _ = try await admin.call(.POST, "/api/v1/tenants/bps/courses/\(later)/publish")
            let early = try await learner.call(.POST, "/api/v1/courses/\(later)/enrolments")
            #expect(early.status == .conflict)
            #expect(early.messages.first?.contains("2099-01-05") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func removalNeedsAReasonAndStands(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            // setup: a learner in an open course
            let id = try await Self.courseID(app, "Statistik Dasar untuk ASN")
            let learner = try await APIClient.signIn(app, "peserta1@bppk.gotong.test")
            let coordinator = try await APIClient.signIn(app, "pengelola@bps.gotong.test")
            let enrolmentID = try #require(
                try await learner.call(.POST, "/api/v1/courses/\(id)/enrolments")["id"] as? String)
            let seatsTaken = try #require(try await Course.find(id, on: app.db)).enrolledCount

            // MUT: removal without, then with a reason
            let bare = try await coordinator.call(
                .POST, "/api/v1/tenants/bps/courses/\(id)/enrolments/\(enrolmentID)/remove", ["reason": " "])
            #expect(bare.status == .unprocessableEntity)
            #expect(bare.fields == ["reason"])
            let removed = try await coordinator.call(
                .POST, "/api/v1/tenants/bps/courses/\(id)/enrolments/\(enrolmentID)/remove",
                ["reason": "Terdaftar ganda dengan akun lain."])
            #expect(removed["status"] as? String == "removed")

            // validate: told why, and cannot simply enrol again
            #expect(try await Self.notifications(learner).contains { $0.contains("Terdaftar ganda dengan akun lain.") })
            let again = try await learner.call(.POST, "/api/v1/courses/\(id)/enrolments")
            #expect(again.status == .conflict)
            #expect(again.messages.first?.contains("Terdaftar ganda dengan akun lain.") == true)
            #expect(try await Course.find(id, on: app.db)?.enrolledCount == seatsTaken - 1)
        }
    }

}
