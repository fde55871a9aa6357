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

/// Seats, waiting lists, approval, windows, prerequisites and removal.
extension CatalogTests {
    @Test(arguments: TestDatabase.all)
    func twoHundredRacingRequestsFillFiftySeatsExactly(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: a 50-seat course and 200 people
            let tenant = try await Given(app).tenant()
            var change = CourseChange()
            change.title = "Sensus Ekonomi untuk Petugas"
            change.quota = .some(50)
            let course = try await CourseWorkflow(db: app.db).create(in: try tenant.typedID(), change)
            try await CourseWorkflow(db: app.db).publish(course)
            let people = (1...200).map { Person(name: "Petugas \($0)", email: "petugas\($0)@bps.go.id") }
            try await people.create(on: app.db)

            // MUT: 200 requests, four in flight at any moment. Each holds a pooled connection while
            // it waits its turn for the course's row; four is what one event loop's pool has, so
            // no request waits for a connection. 200 queued at once waited over 30 s for one when
            // the whole suite shared the two cores with PostgreSQL (connectionRequestTimeout).
            // Four at once still race every time for the same seats.
            let inFlight = 4
            let outcomes = try await withThrowingTaskGroup(of: Enrolment.Status.self) { group in
                var all: [Enrolment.Status] = []
                for (index, person) in people.enumerated() {
                    if index >= inFlight, let status = try await group.next() { all.append(status) }
                    group.addTask {
                        try await EnrolmentService(db: app.db).enrol(person, in: course, viewer: .anonymous).enrolment
                            .status
                    }
                }
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
        try await withGotong(db) { app, _ in
            // given a one-seat course, two of its institution's learners and one from elsewhere
            let given = Given(app)
            let bps = try await given.tenant()
            let courses = "/api/v1/tenants/\(bps.slug)/courses"
            let admin = try await given.api(as: try await given.person(in: bps, roles: [.admin]))
            let created = try await admin.call(.POST, courses, ["title": "Survei Harga Konsumen", "quota": 1])
            let id = try #require(created["id"] as? String)
            _ = try await admin.call(.POST, "\(courses)/\(id)/publish")
            let first = try await given.api(as: try await given.person(in: bps))
            let second = try await given.api(as: try await given.person(in: bps))
            let third = try await given.api(as: try await given.person(in: try await given.tenant()))

            // when they ask for it in turn, then the first has the seat and the others wait

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
                try await admin.call(.PATCH, "\(courses)/\(id)", ["quota": 2])["seats_left"] as? Int
                    == 0)
            let thirds = try await third.call(.GET, "/api/v1/me/courses")
            #expect(
                (thirds["courses"] as? [[String: Any]])?.first { $0["title"] as? String == "Survei Harga Konsumen" }?[
                    "status"] as? String == "enrolled")
        }
    }

    @Test(arguments: TestDatabase.all)
    func approvalModeAsksACoordinator(db: TestDatabase) async throws {
        try await withGotong(db) { app, mailer in
            // As when SMTP is configured: notifications go out by mail too.
            app.notificationMails = true
            // given a course taken on a coordinator's approval, and two learners of other institutions
            let given = Given(app)
            let lan = try await given.tenant()
            let built = try await given.course(in: lan, "Pengelolaan Kinerja ASN", activities: [], enrolment: .approval)
            let id = try built.course.requireID()
            let learnerPerson = try await given.person(in: try await given.tenant())
            let learner = try await given.api(as: learnerPerson)
            let other = try await given.api(as: try await given.person(in: try await given.tenant()))
            let coordinator = try await given.api(as: built.coordinator)
            let enrolments = "/api/v1/tenants/\(lan.slug)/courses/\(id)/enrolments"

            let asked = try await learner.call(.POST, "/api/v1/courses/\(id)/enrolments")
            #expect(asked.status == .accepted)
            #expect(asked["status"] as? String == "pending")
            let enrolmentID = try #require(asked["id"] as? String)
            // The course's coordinator is told a request is waiting.
            #expect(
                try await Self.notifications(coordinator).contains {
                    $0.contains("meminta bergabung") && $0.contains("Pengelolaan Kinerja ASN")
                })
            let pending = try await coordinator.call(.GET, "\(enrolments)?status=pending")
            #expect(
                (pending["enrolments"] as? [[String: Any]])?.map { $0["email"] as? String } == [learnerPerson.email])
            #expect(try await learner.call(.POST, "\(enrolments)/\(enrolmentID)/approve").status == .forbidden)

            #expect(
                try await coordinator.call(.POST, "\(enrolments)/\(enrolmentID)/approve")["status"] as? String
                    == "enrolled")
            #expect(
                try await Self.notifications(learner).contains {
                    $0.contains("disetujui") && $0.contains("Pengelolaan Kinerja ASN")
                })
            #expect(
                try await coordinator.call(.POST, "\(enrolments)/\(enrolmentID)/approve").status == .conflict)
            var mailed: Mail?
            // Mail goes out through the jobs table: allow a busy test run time to get to it.
            for _ in 0..<600 where mailed == nil {
                mailed = mailer.outbox.first { $0.to == learnerPerson.email && $0.subject.contains("disetujui") }
                if mailed == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(mailed?.body.contains("http://gotong.test/t/\(lan.slug)/pelatihan/\(built.course.slug)") == true)

            let otherID = try #require(try await other.call(.POST, "/api/v1/courses/\(id)/enrolments")["id"] as? String)
            let noReason = try await coordinator.call(.POST, "\(enrolments)/\(otherID)/reject", ["reason": ""])
            #expect(noReason.status == .unprocessableEntity)
            let rejected = try await coordinator.call(
                .POST, "\(enrolments)/\(otherID)/reject", ["reason": "Khusus pejabat fungsional tahun ini."])
            #expect(rejected["status"] as? String == "rejected")
            #expect(
                try await Self.notifications(other).contains { $0.contains("Khusus pejabat fungsional tahun ini.") })
        }
    }

    @Test(arguments: TestDatabase.all)
    func windowsAndPrerequisitesSayWhatIsMissing(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given an advanced course that needs a basic one, and a learner of another institution
            let given = Given(app)
            let bppk = try await given.tenant()
            let basicCourse = try await given.course(in: bppk, "Pengelolaan Keuangan Negara", activities: []).course
            let advanced = try await given.course(
                in: bppk, "Penyusunan Anggaran", activities: [], prerequisites: [basicCourse]
            ).course.requireID()
            let bps = try await given.tenant()
            let person = try await given.person(in: bps)
            let learner = try await given.api(as: person)

            // when they ask for the advanced one, then they are told what to finish first
            let blocked = try await learner.call(.POST, "/api/v1/courses/\(advanced)/enrolments")
            #expect(blocked.status == .conflict)
            #expect(blocked.messages.first?.contains(basicCourse.title) == true)

            // Finishing the prerequisite opens the way.
            let basic = try basicCourse.requireID()
            #expect(try await learner.call(.POST, "/api/v1/courses/\(basic)/enrolments").status == .created)
            let row = try #require(
                try await Enrolment.query(on: app.db).filter(\.$courseID == basic).filter(
                    \.$personID == person.requireID()
                ).first())
            row.status = .completed
            row.completedAt = Date()
            try await row.save(on: app.db)
            #expect(try await learner.call(.POST, "/api/v1/courses/\(advanced)/enrolments").status == .created)

            // An enrolment window that has not opened names its date.
            let admin = try await given.api(as: try await given.person(in: bps, roles: [.admin]))
            let courses = "/api/v1/tenants/\(bps.slug)/courses"
            let later = try #require(
                try await admin.call(.POST, courses, ["title": "Susenas 2027", "enrol_opens_at": "2099-01-05"])["id"]
                    as? String)
            _ = try await admin.call(.POST, "\(courses)/\(later)/publish")
            let early = try await learner.call(.POST, "/api/v1/courses/\(later)/enrolments")
            #expect(early.status == .conflict)
            #expect(early.messages.first?.contains("2099-01-05") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func removalNeedsAReasonAndStands(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: a learner (of another institution) in an open course
            let given = Given(app)
            let bps = try await given.tenant()
            let built = try await given.course(in: bps, activities: [])
            let id = try built.course.requireID()
            let learner = try await given.api(as: try await given.person(in: try await given.tenant()))
            let coordinator = try await given.api(as: built.coordinator)
            let enrolments = "/api/v1/tenants/\(bps.slug)/courses/\(id)/enrolments"
            let enrolmentID = try #require(
                try await learner.call(.POST, "/api/v1/courses/\(id)/enrolments")["id"] as? String)
            let seatsTaken = try #require(try await Course.find(id, on: app.db)).enrolledCount

            // MUT: removal without, then with a reason
            let bare = try await coordinator.call(
                .POST, "\(enrolments)/\(enrolmentID)/remove", ["reason": " "])
            #expect(bare.status == .unprocessableEntity)
            #expect(bare.fields == ["reason"])
            let removed = try await coordinator.call(
                .POST, "\(enrolments)/\(enrolmentID)/remove", ["reason": "Terdaftar ganda dengan akun lain."])
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
