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

/// Curators see what they approve: the queue links each course's materials, which staff outside
/// the course open as a preview that records nothing.
@Suite("Curation preview")
struct CurationPreviewTests {
    @Test(arguments: TestDatabase.all)
    func aCuratorReadsTheMaterialsAndNothingIsRecorded(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course waiting for curation, with a timed page
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [.page("Bacaan", completion: .minSeconds(120))])
            built.course.curation = .pending
            try await built.course.save(on: app.db)
            let curator = try await given.browser(signedInAs: try await given.platformAdmin())

            // the queue links its materials
            let outline = LearningRoute.outline(tenant.routeSlug, built.course.routeSlug).path
            let queue = try await curator.get(CatalogRoute.curation.path).body.string
            #expect(queue.contains("href=\"\(outline)\""))
            #expect(queue.contains("Lihat isi materinya (pratinjau)"))

            // the outline and the page open as a preview: said so, no heartbeats, nothing stored
            let page = try await curator.get(outline)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Pratinjau: Anda melihat materi seperti peserta"))
            let step = try await curator.get(
                LearningRoute.activity(tenant.routeSlug, built.course.routeSlug, built.activities[0].routeID).path)
            #expect(step.status == .ok)
            #expect(step.body.string.contains("Isi Bacaan."))
            #expect(!step.body.string.contains("data-beat"))
            #expect(!step.body.string.contains("selesai-membaca"))
            #expect(try await ActivityProgress.query(on: app.db).count() == 0)
            // and the same through the API: no ticket, and a view records nothing
            let api = try await given.api(as: try await given.platformAdmin("Kurator API"))
            let id = built.activities[0].id!.uuidString
            let shown = try await api.call(.GET, "/api/v1/activities/\(id)")
            #expect(shown.status == .ok)
            #expect(shown["progress_ticket"] == nil || shown["progress_ticket"] is NSNull)
            #expect(try await api.call(.POST, "/api/v1/activities/\(id)/views").status == .ok)
            #expect(try await ActivityProgress.query(on: app.db).count() == 0)

            // while a learner's visit is recorded as before
            let learner = try await given.learner(enrolledIn: built)
            let mine = try await given.browser(signedInAs: learner).get(
                LearningRoute.activity(tenant.routeSlug, built.course.routeSlug, built.activities[0].routeID).path)
            #expect(mine.body.string.contains("data-beat"))
            #expect(!mine.body.string.contains("Pratinjau"))
            #expect(try await ActivityProgress.query(on: app.db).count() == 1)
        }
    }
}
