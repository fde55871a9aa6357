import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongCatalog
@testable import GotongCredentials
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// The JP ledger: a finished course credits its JP to the person's year, exactly once, however
/// often or however many at once hear of the completion.
@Suite("JP ledger")
struct LedgerTests {
    @Test(arguments: TestDatabase.all)
    func aFinishedCourseCreditsItsJPOnceToItsYear(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course of one page and a learner; jobs run when the test runs them
            app.jobs.startsWorker = false
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, "Etika Pelayanan", activities: [.page("Satu")])
            let learner = try await given.learner(enrolledIn: built)
            let person = PersonID(try learner.requireID())
            let ledger = JPLedger(db: app.db)

            // when the learner finishes the course and the jobs run
            let browser = try await given.browser(signedInAs: learner)
            let page = LearningRoute.activity(tenant.routeSlug, built.course.routeSlug, built.activities[0].routeID)
            #expect(try await browser.get(page.path).status == .ok)
            let thisYear = LocalDates.year(of: app.clock.now())
            #expect(try await ledger.year(thisYear, of: person).entries.isEmpty)
            await JobQueue.runDue(app)

            // then the year holds one verified entry with the course's JP, title and provider
            let year = try await ledger.year(thisYear, of: person)
            #expect(year.entries.count == 1)
            let entry = try #require(year.entries.first)
            #expect(entry.jp == built.course.jp)
            #expect(entry.title == built.course.title && entry.title.hasPrefix("Etika Pelayanan"))
            #expect(entry.provider == tenant.name)
            #expect(entry.source == .course && entry.status == .verified)
            #expect(entry.competencyType == built.course.competencyType.rawValue)
            #expect(year.totalJP == built.course.jp)
            #expect(year.reachedTarget == (built.course.jp >= 20))

            // and hearing the completion again, sixteen times at once, credits nothing more
            let event = CourseCompletion.Event(
                tenant: TenantID(try tenant.requireID()), course: CourseID(try built.course.requireID()),
                person: person, completedAt: entry.completedAt)
            let credited = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<16 { group.addTask { try await JPLedger(db: app.db).credit(event) } }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(credited == 0)
            #expect(try await LedgerEntry.query(on: app.db).filter(\.$personID == person.rawValue).count() == 1)

            // and the API gives the year as the person's own, with its total against the target
            let api = try await given.api(as: learner)
            let mine = try await api.call(.GET, CredentialsAPIRoute.myLedger.path)
            #expect(mine.status == .ok)
            #expect(mine["year"] as? Int == thisYear)
            #expect(mine["target_jp"] as? Int == 20)
            #expect(mine["total_jp"] as? Int == built.course.jp)
            let entries = try #require(mine["entries"] as? [[String: Any]])
            #expect(entries.count == 1)
            #expect(entries.first?["title"] as? String == built.course.title)
            #expect(entries.first?["jp"] as? Int == built.course.jp)
            #expect(entries.first?["source"] as? String == "course")
            #expect(entries.first?["course_id"] as? String == built.course.id?.uuidString)
            let past = try await api.call(.GET, CredentialsAPIRoute.myLedger.path + "?year=2001")
            #expect(past["year"] as? Int == 2001)
            #expect(past["total_jp"] as? Int == 0)
            #expect((past["entries"] as? [Any])?.isEmpty == true)

            // and another person sees only their own year
            let other = try await given.person(in: tenant)
            let theirs = try await given.api(as: other).call(.GET, CredentialsAPIRoute.myLedger.path)
            #expect(theirs["total_jp"] as? Int == 0)
            #expect((theirs["entries"] as? [Any])?.isEmpty == true)

            // and without a token there is no ledger
            let anonymous = try await app.testing().performTest(
                request: .init(
                    method: .GET, url: .init(string: CredentialsAPIRoute.myLedger.path), headers: [:], body: .init()))
            #expect(anonymous.status == .unauthorized)
        }
    }

    /// The year is read by the shared reader of whole numbers in an address
    /// (`WholeNumber`, tested for hostile input there): refused outside 2000–2100.
    @Test(arguments: ["abc", "1999", "2101", "-2026", "2026.5", String(repeating: "9", count: 40)])
    func aYearThatIsNotOneIsRefusedNamingIt(year: String) async throws {
        try await withGotong(.sqlite) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let api = try await given.api(as: try await given.person(in: tenant))
            let refused = try await api.call(
                .GET,
                CredentialsAPIRoute.myLedger.path + "?year="
                    + (year.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            #expect(refused.status == .badRequest)
            #expect(refused.fields == ["year"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func completionsHeardAtOnceCountOnce(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course and a learner who never finished it (the credit is the ledger's own rule)
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [.page("Satu")])
            let learner = try await given.learner(enrolledIn: built)
            let event = CourseCompletion.Event(
                tenant: TenantID(try tenant.requireID()), course: CourseID(try built.course.requireID()),
                person: PersonID(try learner.requireID()), completedAt: app.clock.now())

            // when sixteen hear of the same completion at once
            let credited = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<16 { group.addTask { try await JPLedger(db: app.db).credit(event) } }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }

            // then exactly one credited it
            #expect(credited == 1)
            #expect(try await LedgerEntry.query(on: app.db).count() == 1)
        }
    }

    @Test func aYearIsTheCalendarYearInWesternIndonesianTime() throws {
        let utc = ISO8601DateFormatter()
        // 23.30 WIB on 31 December counts for that year; 00.30 WIB on 1 January for the next
        #expect(LocalDates.year(of: try #require(utc.date(from: "2026-12-31T16:30:00Z"))) == 2026)
        #expect(LocalDates.year(of: try #require(utc.date(from: "2026-12-31T17:30:00Z"))) == 2027)
        #expect(LocalDates.year(of: try #require(utc.date(from: "2027-01-01T00:00:00Z"))) == 2027)
    }
}
