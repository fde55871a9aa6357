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
        // The demo's catalogue: an index with some work in it, so that searches overlap its building.
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
        try await withGotong(db) { app, _ in
            // setup: an institution with a coordinator, an administrator, a trainer and a course
            // whose title shares a word with the new one; the platform's curator; a learner elsewhere
            let given = Given(app)
            let bppk = try await given.tenant("BPPK Uji")
            let coordinator = try await given.api(as: try await given.person(in: bppk, roles: [.pengelola]))
            let admin = try await given.api(as: try await given.person(in: bppk, roles: [.admin]))
            let trainer = try await given.person("Widyaiswara BPPK", in: bppk, roles: [.pengajar])
            _ = try await given.course(in: bppk, "Pengelolaan Keuangan Negara", activities: [])
            let curator = try await given.api(as: try await given.platformAdmin())
            let learner = try await given.api(as: try await given.person(in: try await given.tenant()))
            let courses = "/api/v1/tenants/\(bppk.slug)/courses"

            // MUT: create, submit, publish, curate
            let created = try await coordinator.call(
                .POST, courses,
                [
                    "title": "Pengelolaan Barang Milik Negara", "summary": "Penatausahaan BMN",
                    "tags": ["BMN", "aset"],
                    "competency_type": "teknis", "jp": 12, "delivery_method": "mandiri", "enrolment_mode": "open",
                    "quota": 100,
                    "enrol_opens_at": "2020-01-01", "trainers": [trainer.email],
                ])
            #expect(created.status == .created)
            let id = try #require(created["id"] as? String)
            #expect(created["status"] as? String == "draft")
            #expect(created["slug"] as? String == "pengelolaan-barang-milik-negara")
            #expect(
                !Self.titles(try await learner.call(.GET, "/api/v1/catalog?q=kelola")).contains(
                    "Pengelolaan Barang Milik Negara"))

            #expect(
                try await coordinator.call(.POST, "\(courses)/\(id)/publish").status == .forbidden)
            #expect(
                try await coordinator.call(.POST, "\(courses)/\(id)/submit")["status"] as? String
                    == "submitted")
            #expect(
                try await Self.notifications(admin).contains {
                    $0.contains("Pengelolaan Barang Milik Negara") && $0.contains("diajukan")
                })
            let published = try await admin.call(.POST, "\(courses)/\(id)/publish")
            #expect(published["status"] as? String == "published")
            #expect(published["curation"] as? String == "pending")
            // On the storefront at once, in the marketplace only after curation.
            let storefront = try await learner.call(.GET, courses)
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
                .PATCH, "\(courses)/\(id)",
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
            #expect(hit["tenant_name"] as? String == bppk.name)
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
        try await withGotong(db) { app, _ in
            // setup: a coordinator, a learner and a course of their institution
            let given = Given(app)
            let bppk = try await given.tenant()
            let coordinator = try await given.api(as: try await given.person(in: bppk, roles: [.pengelola]))
            let learner = try await given.person(in: bppk)
            let existing = try await given.course(in: bppk, "Pengelolaan Keuangan Negara", activities: []).course
            let courses = "/api/v1/tenants/\(bppk.slug)/courses"
            let before = try await Course.query(on: app.db).count()
            let reply = try await coordinator.call(
                .POST, courses,
                [
                    "title": "X", "competency_type": "rahasia", "jp": 0, "delivery_method": "mikro", "quota": -3,
                    "enrol_opens_at": "2026-12-10", "enrol_closes_at": "2026-12-01", "starts_at": "besok",
                    "audience": "listed",
                    "trainers": [learner.email], "prerequisites": ["tidak-ada"],
                ])
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.fields == ["starts_at"], "unreadable dates are reported first, before the rest is checked")
            let second = try await coordinator.call(
                .POST, courses,
                [
                    "title": "X", "competency_type": "rahasia", "jp": 0, "delivery_method": "mikro", "quota": -3,
                    "enrol_opens_at": "2026-12-10", "enrol_closes_at": "2026-12-01", "audience": "listed",
                    "trainers": [learner.email], "prerequisites": ["tidak-ada"],
                ])
            #expect(second.status == .unprocessableEntity)
            #expect(
                Set(second.fields) == [
                    "title", "competency_type", "jp", "micro_minutes", "quota", "enrol_closes_at",
                    "audience_tenants", "trainers", "prerequisites",
                ])
            #expect(second.messages.contains { $0.contains(learner.email) })
            #expect(try await Course.query(on: app.db).count() == before)

            // Control characters (NUL, which PostgreSQL refuses) never reach the database.
            let nul = try await coordinator.call(
                .POST, courses,
                [
                    "title": "Uji\u{0}Karakter", "summary": "a\u{0}b", "description": "baris\u{0}satu\nbaris dua",
                    "category": "x\u{0}y",
                ])
            #expect(nul.status == .unprocessableEntity)
            #expect(nul.fields == ["category"])
            let saved = try await coordinator.call(
                .POST, courses,
                ["title": "Uji\u{0}Karakter", "summary": "a\u{0}b", "description": "baris\u{0}satu\nbaris dua"])
            #expect(saved.status == .created)
            #expect(saved["summary"] as? String == "ab")
            #expect(saved["description"] as? String == "barissatu\nbaris dua")

            let english = try await coordinator.call(
                .POST, "\(courses)?lang=en", ["title": existing.title, "slug": existing.slug])
            #expect(english.status == .conflict)
            #expect(english.fields == ["slug"])
        }
    }
}
