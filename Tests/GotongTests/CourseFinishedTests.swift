import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Finishing a course is an event: the last step leads to a page with what was earned and what
/// to learn next, and course cards everywhere say where the person stands ("Sudah terdaftar").
@Suite("Finishing a course")
struct CourseFinishedTests {
    @Test(arguments: TestDatabase.all)
    func theLastStepLeadsToAPageOfWhatWasEarnedAndWhatIsNext(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course of two pages, another course of the same kind, and a learner
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, "Etika ASN", activities: [.page("Satu"), .page("Dua")])
            let other = try await given.course(in: tenant, "Pelayanan Publik", activities: [.page("Pengantar")])
            let learner = try await given.learner(enrolledIn: built)
            let browser = try await given.browser(signedInAs: learner)
            let (t, c) = (tenant.routeSlug, built.course.routeSlug)
            let finished = LearningRoute.finished(t, c).path

            // when they have done only the first step, then there is no finished page yet
            let first = try await browser.get(LearningRoute.activity(t, c, built.activities[0].routeID).path)
            #expect(!first.body.string.contains(finished))
            let early = try await browser.get(finished)
            #expect(early.status == .seeOther)
            #expect(early.headers.first(name: .location) == LearningRoute.outline(t, c).path)

            // when they open the last step, then it leads to the finished page
            let last = try await browser.get(LearningRoute.activity(t, c, built.activities[1].routeID).path)
            #expect(last.body.string.contains("href=\"\(finished)\""))
            #expect(last.body.string.contains("Pelatihan selesai: lihat hasil belajar Anda"))
            #expect(try await browser.get(LearningRoute.outline(t, c).path).body.string.contains(finished))

            // and the page says what was earned and offers the other course, not this one
            let page = try await browser.get(finished)
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Selamat, Anda menyelesaikan pelatihan ini"))
            #expect(html.contains("\(built.course.jp) JP"))
            #expect(html.contains(other.course.title))
            #expect(!html.contains("class=\"card-title\" href=\"/t/\(tenant.slug)/pelatihan/\(built.course.slug)\""))

            // and the catalogue's card of the finished course says so
            let catalogue = try await browser.get(CatalogRoute.catalogue.path).body.string
            #expect(catalogue.contains("Sudah selesai"))
            #expect(!(try await Browser(app).get(CatalogRoute.catalogue.path).body.string.contains("Sudah selesai")))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCourseFinishedByTimeIsRecordedWhenThePageIsOpened(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course of one timed page, finished by "Saya sudah selesai membaca" (a
            // heartbeat, whose course check waits in the job queue)
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [.page("Bacaan", completion: .minSeconds(60))])
            let learner = try await given.learner(enrolledIn: built)
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            let browser = try await given.browser(signedInAs: learner)
            let (t, c) = (tenant.routeSlug, built.course.routeSlug)
            let path = LearningRoute.activity(t, c, built.activities[0].routeID).path
            let ticket = try StudyTimerTests.ticket(in: try await browser.get(path).body.string)
            time.advance(90)
            _ = try await browser.post(path + "/selesai-membaca", form: ["ticket": ticket])

            // when they open the finished page before the job ran, then it is recorded at once
            let page = try await browser.get(LearningRoute.finished(t, c).path)
            #expect(page.status == .ok)
            let enrolment = try await Enrolment.query(on: app.db).filter(\.$personID == learner.id!).first()
            #expect(enrolment?.status == .completed)
        }
    }

    @Test(arguments: TestDatabase.all)
    func cardsSayWhereThePersonStands(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, "Kepemimpinan", activities: [.page("Satu")])
            let learner = try await given.learner(enrolledIn: built)
            let browser = try await given.browser(signedInAs: learner)
            // the catalogue, the storefront and the institution's course list, as a member
            for path in [
                CatalogRoute.catalogue.path, TenancyRoute.pages(tenant.routeSlug).path,
                CatalogRoute.tenantCourses(tenant.routeSlug).path,
            ] {
                let html = try await browser.get(path).body.string
                #expect(html.contains("Sudah terdaftar"), "\(path)")
                #expect(!html.contains("Pendaftaran dibuka"), "\(path): the only course is one they are in")
            }
            // and a visitor is invited as before
            let visitor = try await Browser(app).get(TenancyRoute.pages(tenant.routeSlug).path).body.string
            #expect(!visitor.contains("Sudah terdaftar"))
        }
    }
}
