import Foundation
import Testing
import Vapor
@testable import Gotong
@testable import GotongAssessment
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Categories renamed and deleted, through the API and the bank page: a name taken by a sibling
/// is refused, a category holding questions or drawn from by a quiz is not deleted.
@Suite("Question bank categories")
struct BankCategoryTests {
    @Test(arguments: TestDatabase.all)
    func categoriesAreRenamedAndOnlyEmptyUnusedOnesDeleted(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let person = try await given.person(in: tenant, roles: [.pengajar])
            let api = try await given.api(as: person)
            let base = "/api/v1/tenants/\(tenant.slug)/question-bank/categories"
            let first = try #require(try await api.call(.POST, base, ["name": "Latsar"])["id"] as? String)
            let second = try #require(try await api.call(.POST, base, ["name": "PKA"])["id"] as? String)
            let taken = try await api.call(.PATCH, base + "/\(second)", ["name": "Latsar"])
            #expect(taken.status == .conflict)
            let twoLines = try await api.call(.PATCH, base + "/\(second)", ["name": "PKA\n$CATEGORY: lain"])
            #expect(twoLines.status == .unprocessableEntity)
            let empty = try await api.call(.PATCH, base + "/\(second)", ["name": "  "])
            #expect(empty.status == .unprocessableEntity)
            let renamed = try await api.call(.PATCH, base + "/\(second)", ["name": "Pelatihan Kepemimpinan"])
            #expect(renamed["name"] as? String == "Pelatihan Kepemimpinan")

            // Holding a question: refused, the question kept.
            let question = try await api.call(
                .POST, "/api/v1/tenants/\(tenant.slug)/question-bank/questions",
                ["category_id": first, "kind": "truefalse", "name": "JP", "text": "Satu JP 45 menit.", "correct": true])
            #expect(question.status == .created)
            let holding = try await api.call(.DELETE, base + "/\(first)")
            #expect(holding.status == .conflict)
            #expect(holding.messages.first?.hasPrefix("Kategori ini masih berisi soal") == true)

            // Drawn from by a quiz: refused.
            let built = try await given.course(in: tenant, activities: [])
            let structure = app.learning.structure(of: built.course, on: app.db, files: app.files)
            var quiz = ActivityChange()
            quiz.type = "quiz"
            quiz.title = "Tes"
            let activity = try await structure.addActivity(to: try await structure.addSection(title: "Tes"), quiz)
            try await QuizSlot(
                tenantID: try tenant.requireID(), activityID: try activity.requireID(), position: 1, questionID: nil,
                categoryID: UUID(uuidString: second), count: 1, mark: 1
            ).create(on: app.db)
            #expect(try await api.call(.DELETE, base + "/\(second)").status == .conflict)

            // On the page: renamed, and an empty one deleted.
            let browser = try await given.browser(signedInAs: person)
            let third = try #require(try await api.call(.POST, base, ["name": "Kosong"])["id"] as? String)
            let page = "/t/\(tenant.slug)/kelola/bank-soal/kategori/\(third)"
            #expect(try await browser.post(page + "/ubah-nama", form: ["name": "Cadangan"]).status == .seeOther)
            let folders = try await api.call(.GET, base)
            #expect(
                (folders["categories"] as? [[String: Any]])?.contains { $0["name"] as? String == "Cadangan" } == true)
            #expect(try await browser.post(page + "/hapus").status == .seeOther)
            #expect(try await api.call(.DELETE, base + "/\(third)").status == .notFound)
            // Learners are kept out.
            let learner = try await given.api(as: try await given.person(in: tenant))
            #expect(try await learner.call(.PATCH, base + "/\(first)", ["name": "X"]).status == .forbidden)
            #expect(try await learner.call(.DELETE, base + "/\(first)").status == .forbidden)
        }
    }
}
