import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Reminders and assignments say something true to each person: no "sebelum —" for someone
/// without a deadline, no "selesaikan" to someone who has finished, no second "ditugaskan" for
/// the same assignment.
@Suite("Reminders that say something true")
struct ReminderTruthTests {
    static func row(due: Date?, percent: Int = 40, status: Enrolment.Status = .enrolled) -> CourseMonitor.Row {
        CourseMonitor.Row(
            enrolmentID: UUID(), personID: UUID(), name: "Budi", email: "b@x.id", unit: "", status: status, dueAt: due,
            completedAt: nil, cells: [], lastSeen: nil, percent: percent)
    }

    @Test func aSentenceNamingADeadlineIsLeftOutForSomeoneWithout() {
        let course = Course()
        course.title = "Etika ASN"
        let template = "Yth. {nama}, Anda di {persen}. Mohon selesaikan sebelum {tenggat}. Terima kasih!"
        let without = ReminderService.fill(
            template, row: Self.row(due: nil), course: course, language: .id, noDue: "tanpa tenggat")
        #expect(without == "Yth. Budi, Anda di 40%. Terima kasih!")
        let due = Date(timeIntervalSince1970: 1_800_000_000)
        let with = ReminderService.fill(template, row: Self.row(due: due), course: course, language: .id, noDue: "-")
        #expect(with.hasPrefix("Yth. Budi, Anda di 40%. Mohon selesaikan sebelum "))
        #expect(with.contains(LocalDates.dayID.string(from: due)))
        #expect(!with.contains("{") && !with.contains("—"))
        // every sentence names the deadline: the word for none stands in
        #expect(
            ReminderService.fill(
                "Tenggat: {tenggat}", row: Self.row(due: nil), course: course, language: .id,
                noDue: "tanpa tenggat") == "Tenggat: tanpa tenggat")
        // lines are sentences too, and joining the sentences gives the text back
        let lines = "Halo {nama}\nTenggat {tenggat}\nSalam"
        #expect(ReminderService.sentences(of: lines).joined() == lines)
        #expect(
            ReminderService.fill(lines, row: Self.row(due: nil), course: course, language: .id, noDue: "-")
                == "Halo Budi\nSalam")
    }

    @Test(arguments: TestDatabase.all)
    func aReminderSkipsWhoeverHasFinished(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course of one page and two learners, one of whom has read it (finished)
            let given = Given(app)
            let built = try await given.course(in: try await given.tenant(), activities: [.page("Bacaan")])
            let done = try await given.learner(enrolledIn: built)
            _ = try await given.learner(enrolledIn: built)
            let tenant = try #require(try await Tenant.find(built.course.tenantID, on: app.db))
            let reader = try await given.browser(signedInAs: done)
            let page = LearningRoute.activity(tenant.routeSlug, built.course.routeSlug, built.activities[0].routeID)
            #expect(try await reader.get(page.path).status == .ok)

            // when the coordinator reminds everyone shown by the default filter
            let coordinator = try await given.api(as: built.coordinator)
            let base = "/api/v1/tenants/\(tenant.slug)/courses/\(built.id.rawValue)"
            let sent = try await coordinator.call(
                .POST, "\(base)/monitoring/reminders", ["filter": "semua", "message": "Ayo selesaikan {pelatihan}."])

            // then only the one who has not finished is reminded
            #expect(sent.status == .created)
            #expect(sent["recipients"] as? Int == 1)
            let doneID = try done.requireID()
            #expect(try await PersonNotification.query(on: app.db).filter(\.$personID == doneID).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func assigningAgainDoesNotTellPeopleAgain(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course assigned to one person
            let given = Given(app)
            let tenant = try await given.tenant()
            let person = try await given.person(in: tenant)
            let built = try await given.course(in: tenant, activities: [], enrolment: .assigned)
            let admin = try await given.person(in: tenant, roles: [.admin])
            let assignment = CourseAssignment(db: app.db, course: built.course)
            let due = Date().addingTimeInterval(14 * 86_400)
            let first = try await assignment.assign(.list(person.email), due: due, by: admin.typedID())
            #expect(first.1.count == 1)

            // when the same assignment is made again, then nobody hears of it twice
            let again = try await assignment.assign(.list(person.email), due: due, by: admin.typedID())
            #expect(again.0.already_enrolled == 1)
            #expect(again.1.isEmpty)

            // but a new deadline is news
            let later = try await assignment.assign(
                .list(person.email), due: due.addingTimeInterval(7 * 86_400), by: admin.typedID())
            #expect(later.1.count == 1)
            let personID = try person.requireID()
            #expect(try await PersonNotification.query(on: app.db).filter(\.$personID == personID).count() == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aReminderGoesOnlyToThePeopleTicked(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given three learners who have not finished
            let given = Given(app)
            let built = try await given.course(in: try await given.tenant(), activities: [.page("Bacaan")])
            var learners: [Person] = []
            for _ in 0..<3 { learners.append(try await given.learner(enrolledIn: built)) }
            let tenant = try #require(try await Tenant.find(built.course.tenantID, on: app.db))
            let browser = try await given.browser(signedInAs: built.coordinator)
            let monitoring = LearningRoute.monitoring(tenant.routeSlug, built.course.routeID).path
            let page = try await browser.get(monitoring).body.string
            #expect(page.contains("name=\"people[]\" form=\"remind-form\" value=\"\(learners[0].id!.uuidString)\""))

            // when two are ticked, then only they are reminded, and the log says whom
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            let body = [
                "filter=semua", "message=Ayo%20selesaikan.", "_csrf=\(Browser.csrf)",
                "people%5B%5D=\(learners[0].id!.uuidString)", "people%5B%5D=\(learners[2].id!.uuidString)",
            ].joined(separator: "&")
            let sent = try await browser.send(
                .POST, LearningRoute.remind(tenant.routeSlug, built.course.routeID).path, headers: headers,
                body: ByteBuffer(string: body))
            #expect(sent.status == .seeOther)
            for (i, learner) in learners.enumerated() {
                let count = try await PersonNotification.query(on: app.db).filter(\.$personID == learner.id!).count()
                #expect(count == (i == 1 ? 0 : 1), "learner \(i)")
            }
            #expect(try await browser.get(monitoring).body.string.contains("peserta yang dicentang"))
        }
    }
}
