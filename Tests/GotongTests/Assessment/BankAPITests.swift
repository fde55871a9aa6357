import Foundation
import Testing
import Vapor
@testable import Gotong
@testable import GotongAssessment
@testable import GotongPlatform
@testable import GotongTenancy

/// The question bank through the JSON API: import with a dry run, export that re-imports to the
/// same questions, questions written and refused, and who may do it.
@Suite("Question bank API")
struct BankAPITests {
    static let gift = """
        $CATEGORY: $course$/top/Latsar CPNS/Nilai Dasar

        ::BerAKHLAK A::Huruf A pertama pada BerAKHLAK adalah {=Akuntabel#Tepat. ~Amanah ~Adaptif}

        ::JP::Satu JP sama dengan 45 menit.{TRUE#Satu JP 45 menit.#Benar.}

        $CATEGORY: $course$/top/Latsar CPNS/Regulasi

        ::PP::Nomor PP manajemen PNS (2020)? {#17}

        ::Lembaga::Lembaga pembina pelatihan ASN {=LAN =Lembaga Administrasi Negara}
        """

    func bankBase(_ tenant: Tenant) -> String { "/api/v1/tenants/\(tenant.slug)/question-bank" }

    @Test(arguments: TestDatabase.all)
    func aTrainerPreviewsThenImportsAndTheExportReimportsToTheSameQuestions(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let trainer = try await given.api(as: try await given.person("Widyaiswara", in: tenant, roles: [.pengajar]))
            let base = bankBase(tenant)

            // A dry run reports and writes nothing.
            let (preview, _) = try await trainer.raw(
                .POST, base + "/import?format=gift&dry_run=true", data: Data(Self.gift.utf8))
            #expect(preview.status == .ok)
            #expect(preview["questions"] as? Int == 4)
            #expect(
                preview["by_kind"] as? [String: Int] == [
                    "multichoice": 1, "truefalse": 1, "numerical": 1, "shortanswer": 1,
                ])
            #expect((preview["items"] as? [[String: Any]])?.compactMap { $0["line"] as? Int } == [3, 5, 9, 11])
            #expect(preview["committed"] as? Bool == false)
            let empty = try await trainer.call(.GET, base + "/categories")
            #expect((empty["categories"] as? [Any])?.isEmpty == true)

            // Importing makes the categories and the questions.
            let (imported, _) = try await trainer.raw(.POST, base + "/import?format=gift", data: Data(Self.gift.utf8))
            #expect(imported.status == .created)
            #expect(imported["committed"] as? Bool == true)
            #expect(imported["new_categories"] as? Int == 3)
            let categories = try await trainer.call(.GET, base + "/categories")["categories"] as? [[String: Any]] ?? []
            #expect(
                categories.map { $0["path"] as? [String] ?? [] } == [
                    ["Latsar CPNS"], ["Latsar CPNS", "Nilai Dasar"], ["Latsar CPNS", "Regulasi"],
                ])
            #expect(categories.map { $0["questions"] as? Int } == [0, 2, 2])

            // Both exports read back to the questions the bank holds.
            let stored = try await QuestionBank(TenantScope(tenantID: tenant.requireID(), db: app.db)).exportItems(
                from: nil)
            for format in QuestionFormat.allCases {
                let (file, headers) = try await trainer.raw(.GET, base + "/export?format=\(format.rawValue)")
                #expect(file.status == .ok)
                #expect(headers.first(name: .contentDisposition)?.contains("bank-soal-\(tenant.slug)") == true)
                let again = format.read(file.body)
                #expect(again.problems == [])
                #expect(again.items.map(\.question) == stored.map(\.question))
                #expect(again.items.map(\.category) == stored.map(\.category))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFileWithProblemsWritesNothingUnlessTheGoodOnesAreAskedFor(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let admin = try await given.api(as: try await given.person(in: tenant, roles: [.admin]))
            let base = bankBase(tenant)
            let file = Data("Baik {T}\n\nRusak {=a ~b\n\nJuga baik {F}\n".utf8)

            let (refused, _) = try await admin.raw(.POST, base + "/import?format=gift", data: file)
            #expect(refused.status == .unprocessableEntity)
            let problems = refused["problems"] as? [[String: Any]] ?? []
            #expect(problems.map { $0["line"] as? Int } == [3])
            #expect(problems.first?["message"] as? String == "Kurung { jawaban tidak ditutup dengan }.")
            #expect(refused["committed"] as? Bool == false)
            let none = try await admin.call(.GET, base + "/categories")
            #expect((none["categories"] as? [Any])?.isEmpty == true)

            let (partial, _) = try await admin.raw(.POST, base + "/import?format=gift&skip_invalid=true", data: file)
            #expect(partial.status == .created)
            #expect(partial["questions"] as? Int == 2)
            let categories = try await admin.call(.GET, base + "/categories")["categories"] as? [[String: Any]] ?? []
            #expect(categories.map { $0["name"] as? String } == ["Umum"])

            // Not XML at all: one problem at its line, nothing written.
            let (broken, _) = try await admin.raw(
                .POST, base + "/import?format=moodlexml",
                data: Data("<quiz>\n<question type=\"truefalse\">\n</quiz>".utf8))
            #expect(broken.status == .unprocessableEntity)
            #expect(
                (broken["problems"] as? [[String: Any]])?.first?["code"] as? String == "moodlexml.problem.malformed")
        }
    }

    @Test(arguments: TestDatabase.all)
    func questionsAreWrittenCheckedVersionedAndDeleted(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let coordinator = try await given.api(as: try await given.person(in: tenant, roles: [.pengelola]))
            let base = bankBase(tenant)
            let category = try await coordinator.call(.POST, base + "/categories", ["name": "Regulasi"])
            #expect(category.status == .created)
            let categoryID = try #require(category["id"] as? String)
            let duplicate = try await coordinator.call(.POST, base + "/categories", ["name": "Regulasi"])
            #expect(duplicate.status == .conflict)

            var question: [String: Any] = [
                "category_id": categoryID, "kind": "numerical", "name": "JP", "text": "Berapa JP minimal setahun?",
                "answers": [["value": 20, "tolerance": 0, "fraction": 1, "feedback": "PP 17/2020."]],
            ]
            let made = try await coordinator.call(.POST, base + "/questions", question)
            #expect(made.status == .created)
            #expect(made["version"] as? Int == 1)
            let id = try #require(made["id"] as? String)

            // A question no one can answer right is refused, with the reason, and nothing changes.
            question["answers"] = [["value": 20, "fraction": 0.5]]
            let refused = try await coordinator.call(.PUT, base + "/questions/\(id)", question)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.messages == ["Tidak ada jawaban yang bernilai penuh (100%)."])
            let wrongType = try await coordinator.call(
                .POST, base + "/questions", ["category_id": categoryID, "kind": "essay", "name": 5, "text": "x"])
            #expect(wrongType.status == .unprocessableEntity)
            #expect(wrongType.fields == ["name"])

            question["answers"] = [["value": 20, "fraction": 1], ["value": 19, "tolerance": 1, "fraction": 0.5]]
            let saved = try await coordinator.call(.PUT, base + "/questions/\(id)", question)
            #expect(saved.status == .ok)
            #expect(saved["version"] as? Int == 2)
            let listed = try await coordinator.call(.GET, base + "/questions?category=\(categoryID)")
            #expect((listed["questions"] as? [[String: Any]])?.count == 1)
            #expect(try await coordinator.call(.DELETE, base + "/questions/\(id)").status == .noContent)
            #expect(try await coordinator.call(.GET, base + "/questions/\(id)").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyTheTenantsBankKeepersReachItAndNothingCrossesTenants(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let (tenant, other) = (try await given.tenant(), try await given.tenant())
            let trainer = try await given.api(as: try await given.person(in: tenant, roles: [.pengajar]))
            let learner = try await given.api(as: try await given.person(in: tenant, roles: [.peserta]))
            let otherTrainer = try await given.api(as: try await given.person(in: other, roles: [.pengajar]))
            let base = bankBase(tenant)
            let category = try await trainer.call(.POST, base + "/categories", ["name": "Umum"])
            let categoryID = try #require(category["id"] as? String)
            let made = try await trainer.call(
                .POST, base + "/questions",
                ["category_id": categoryID, "kind": "essay", "name": "Esai", "text": "Jelaskan."])
            let id = try #require(made["id"] as? String)

            #expect(try await learner.call(.GET, base + "/categories").status == .forbidden)
            #expect(try await learner.raw(.GET, base + "/export").0.status == .forbidden)
            #expect(try await otherTrainer.call(.GET, base + "/questions/\(id)").status == .forbidden)
            // The other tenant's own bank does not hold this tenant's records.
            let otherBase = bankBase(other)
            #expect(try await otherTrainer.call(.GET, otherBase + "/questions/\(id)").status == .notFound)
            #expect(
                try await otherTrainer.call(.GET, otherBase + "/questions?category=\(categoryID)").status == .notFound)
            #expect(
                try await otherTrainer.call(
                    .POST, otherBase + "/questions",
                    ["category_id": categoryID, "kind": "essay", "name": "x", "text": "y"]
                ).status == .notFound)
            #expect(
                try await otherTrainer.raw(.GET, otherBase + "/export?category=\(categoryID)").0.status == .notFound)
            // Hostile parameters are refused by the shared readers.
            #expect(
                try await trainer.raw(.POST, base + "/import?format=docx", data: Data("x".utf8)).0.status == .badRequest
            )
            #expect(try await trainer.call(.GET, base + "/questions?category=1").status == .badRequest)
            #expect(
                try await trainer.raw(.POST, base + "/import?format=gift", data: Data()).0.status
                    == .unprocessableEntity)
        }
    }
}
