import Foundation
import Testing
import Vapor
@testable import Gotong
@testable import GotongAssessment
@testable import GotongPlatform
@testable import GotongTenancy

/// The question bank's pages as a trainer uses them: a Moodle file previewed (nothing written),
/// confirmed once (a second confirmation writes nothing), browsed, exported; categories made
/// and refused with a reason; and closed to learners.
@Suite("Question bank pages")
struct BankPageTests {
    static let gift = """
        $CATEGORY: $course$/top/Latsar CPNS

        ::JP::Satu JP sama dengan 45 menit.{TRUE}

        Kurung tidak ditutup {=a ~b

        ::BerAKHLAK::[html]<p>Huruf <b>A</b> pertama?</p><script>alert(1)</script>{=Akuntabel ~Amanah}
        """

    func count(_ app: Application, _ tenant: Tenant) async throws -> Int {
        try await TenantScope(tenantID: tenant.requireID(), db: app.db).query(QuestionRecord.self).count()
    }

    @Test(arguments: TestDatabase.all)
    func aTrainerPreviewsConfirmsOnceBrowsesAndExports(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let trainer = try await given.browser(signedInAs: try await given.person(in: tenant, roles: [.pengajar]))
            let bank = AssessmentRoute.bank(tenant.routeSlug).path

            let empty = try await trainer.get(bank)
            #expect(empty.status == .ok)
            #expect(empty.body.string.contains("Bank soal masih kosong"))

            // The preview lists what will be imported and what will not, and writes no question.
            let preview = try await trainer.upload(
                AssessmentRoute.importQuestions(tenant.routeSlug).path, field: "file", filename: "soal.txt",
                contentType: "text/plain", data: Data(Self.gift.utf8))
            #expect(preview.status == .ok)
            let page = preview.body.string
            #expect(page.contains("2 soal dapat diimpor"))
            #expect(page.contains("Kurung { jawaban tidak ditutup dengan }."))
            #expect(page.contains("Impor 2 soal, lewati 1 yang bermasalah"))
            #expect(try await count(app, tenant) == 0)
            let confirm = try #require(page.firstMatch(of: /action="([^"]+\/impor\/[^"]+)"/)?.output.1)

            let done = try await trainer.post(String(confirm))
            #expect(done.status == .seeOther)
            #expect(try await count(app, tenant) == 2)
            let again = try await trainer.post(String(confirm))
            #expect(again.status == .seeOther)
            #expect(try await count(app, tenant) == 2)

            // The bank lists the category; its page lists the questions; a question shows safely.
            let listed = try await trainer.get(bank).body.string
            #expect(listed.contains("Latsar CPNS"))
            let folder = try #require(listed.firstMatch(of: /href="([^"]+\?kategori=[^"]+)"/)?.output.1)
            let questions = try await trainer.get(String(folder).replacingOccurrences(of: "&amp;", with: "&")).body
                .string
            #expect(questions.contains("BerAKHLAK") && questions.contains("Pilihan ganda"))
            let link = try #require(questions.firstMatch(of: /href="([^"]+\/soal\/[^"]+)"/)?.output.1)
            let shown = try await trainer.get(String(link)).body.string
            #expect(shown.contains("Akuntabel"))
            #expect(!shown.contains("<script>alert(1)"))

            let exported = try await trainer.get(
                AssessmentRoute.export(tenant.routeSlug).path(query: ["format": "gift"]))
            #expect(exported.status == .ok)
            #expect(GIFTReader.read(exported.body.string).items.count == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func categoriesAreMadeOrRefusedWithAReason(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let coordinator = try await given.browser(
                signedInAs: try await given.person(in: tenant, roles: [.pengelola]))
            let path = AssessmentRoute.addCategory(tenant.routeSlug).path
            #expect(try await coordinator.post(path, form: ["name": "Regulasi", "parent": ""]).status == .seeOther)
            let twice = try await coordinator.post(path, form: ["name": "Regulasi", "parent": ""])
            #expect(twice.status == .conflict)
            #expect(twice.body.string.contains("Kategori &quot;Regulasi&quot; sudah ada di sini."))
            let blank = try await coordinator.post(path, form: ["name": "  ", "parent": ""])
            #expect(blank.status == .unprocessableEntity)
            #expect(blank.body.string.contains("Tulis nama kategori."))
            #expect(try await coordinator.post(path, form: ["name": "x", "parent": "bukan-id"]).status == .badRequest)
        }
    }

    @Test(arguments: TestDatabase.all)
    func learnersDoNotReachTheBank(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let learner = try await given.browser(signedInAs: try await given.person(in: tenant, roles: [.peserta]))
            #expect(try await learner.get(AssessmentRoute.bank(tenant.routeSlug).path).status == .forbidden)
            #expect(try await learner.get(AssessmentRoute.export(tenant.routeSlug).path).status == .forbidden)
        }
    }
}
