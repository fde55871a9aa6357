import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongCatalog
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// The learner's outline and activity page through the server (their HTML is pinned by
/// ``PageSnapshotTests``), built from small fixtures instead of the demo.
@Suite("Learner pages")
struct LearnerPagesTests {
    @Test(arguments: TestDatabase.all)
    func theOutlineLeadsThroughTheCourseAndCountsWhatIsDone(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course of two pages and a learner enrolled in it
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [.page("Pengantar"), .page("Ringkasan")])
            let learner = try await given.learner(enrolledIn: built)
            let browser = Browser(app)
            try await browser.signIn(learner.email)
            let (t, c) = (tenant.routeSlug, built.course.routeSlug)
            let first = LearningRoute.activity(t, c, built.activities[0].routeID).path
            let second = LearningRoute.activity(t, c, built.activities[1].routeID).path

            // when they open the outline, then it links each step and nothing is done yet
            let outline = try await browser.get(LearningRoute.outline(t, c).path).body.string
            #expect(outline.contains("href=\"\(first)\""))
            #expect(outline.contains("href=\"\(second)\""))
            #expect(outline.contains("0% materi wajib selesai"))
            #expect(outline.contains("Lanjutkan: Pengantar"))

            // when they open the first page, then it is step 1 of 2, done on viewing, and leads on
            let page = try await browser.get(first)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("langkah 1 dari 2"))
            #expect(page.body.string.contains("<p id=\"done-note\" class=\"ok\">"), "viewed: done at once")
            #expect(page.body.string.contains("href=\"\(second)\" rel=\"next\""))
            #expect(!page.body.string.contains("rel=\"prev\""))

            // and the outline counts it
            let after = try await browser.get(LearningRoute.outline(t, c).path).body.string
            #expect(after.contains("50% materi wajib selesai"))
            #expect(after.contains("Lanjutkan: Ringkasan"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func someoneNotEnrolledIsRefusedAndAnotherTenantsCourseIsNotFound(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course, a member of its tenant who did not enrol, and a second tenant
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [.page("Pengantar")])
            let stranger = try await given.person(in: tenant)
            let other = try await given.tenant("Balai Lain")
            let browser = Browser(app)
            try await browser.signIn(stranger.email)

            // when they open the outline, then they are told to enrol, in their words (no API field names)
            let outline = try await browser.get(LearningRoute.outline(tenant.routeSlug, built.course.routeSlug).path)
            #expect(outline.status == .forbidden)
            #expect(
                outline.body.string.contains("Materi ini untuk peserta pelatihan. Daftar dulu di halaman pelatihan."))
            #expect(!outline.body.string.contains("course:"))

            // and the course does not exist under another tenant's address
            let elsewhere = try await browser.get(LearningRoute.outline(other.routeSlug, built.course.routeSlug).path)
            #expect(elsewhere.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func berikutnyaNeverLeadsToALockedStep(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a step-by-step course: a page done on viewing, one read for a minute, and a last one
            let given = Given(app)
            let f = try await LearningTests.fixture(given, sequential: true)
            let topic = try await LearningTests.section(f, "Topik 1")
            func page(_ title: String, _ completion: [String: Any]) async throws -> String {
                try await LearningTests.activity(
                    f, section: topic,
                    ["type": "page", "title": title, "settings": ["body": "Isi."], "completion": completion])
            }
            let opening = try await page("Pengantar", ["viewed": true])
            let timed = try await page("Bacaan Wajib", ["min_seconds": 60])
            let last = try await page("Penutup", ["viewed": true])
            let browser = try await given.browser(signedInAs: f.enrolled)
            let base = "/t/\(f.tenant.slug)/belajar/\(f.course.slug)"

            // when the learner opens the first page, its visit finishes it, so the next step is linked
            let first = try await browser.get("\(base)/\(opening)").body.string
            #expect(first.contains("href=\"\(base)/\(timed)\" rel=\"next\""))

            // when they open the timed page, then no link leads on to the locked one: it says what first
            let second = try await browser.get("\(base)/\(timed)").body.string
            #expect(!second.contains("href=\"\(base)/\(last)\" rel=\"next\""))
            #expect(second.contains("Langkah berikutnya belum terbuka. Selesaikan dulu “Bacaan Wajib”."))

            // staff see every step, so they are led on
            let staff = try await given.browser(signedInAs: f.trainer)
            #expect(
                try await staff.get("\(base)/\(timed)").body.string.contains("href=\"\(base)/\(last)\" rel=\"next\""))
        }
    }
}
