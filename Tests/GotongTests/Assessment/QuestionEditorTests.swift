import Foundation
import Testing
import Vapor
@testable import Gotong
@testable import GotongAssessment
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Writing questions on the web: every kind written, read back into its form and saved again
/// unchanged; a form the bank refuses comes back with what was typed and the reason; a change
/// is a new version; deleting refuses a question in use; learners are kept out.
@Suite("Question editor")
struct QuestionEditorTests {
    /// One form per kind, as a trainer fills it in.
    static let forms: [QuestionKind: [String: String]] = [
        .multipleChoice: [
            "text": "Nilai dasar ASN yang pertama?", "single": "on", "shuffle": "on",
            "answer_0": "Berorientasi pelayanan",
            "grade_0": "100", "feedback_0": "Tepat.", "answer_1": "Amanah", "grade_1": "0", "answer_3": "Adaptif",
        ],
        .trueFalse: ["text": "Satu JP 45 menit.", "correct": "true", "feedback_false": "Satu JP 45 menit."],
        .shortAnswer: [
            "name": "Pembina", "text": "Pembina pelatihan ASN?", "answer_0": "LAN", "grade_0": "100",
            "answer_1": "Lembaga Administrasi*", "grade_1": "100",
        ],
        .numerical: ["text": "Berapa JP setahun?", "answer_0": "20", "tolerance_0": "0,5", "grade_0": "100"],
        .matching: [
            "text": "Jodohkan.", "item_0": "Inflasi", "match_0": "persen", "item_1": "Penduduk", "match_1": "jiwa",
            "match_2": "meter",
        ],
        .essay: ["text": "Refleksikan pelatihan ini.", "lines": "1e300", "grader_info": "Nilai isi, bukan panjang."],
    ]

    @Test func everyKindReadsBackIntoItsFormUnchanged() throws {
        for (kind, values) in Self.forms {
            var problems = ProblemList()
            let question = QuestionEditorForm.read(values, kind: kind, problems: &problems)
            #expect(problems.isEmpty, "\(kind)")
            #expect(QuestionCheck.problems(of: question).isEmpty, "\(kind): \(QuestionCheck.problems(of: question))")
            var again = ProblemList()
            let values = QuestionEditorForm.values(of: question)
            #expect(QuestionEditorForm.read(values, kind: kind, problems: &again) == question)
        }
        var problems = ProblemList()
        let essay = QuestionEditorForm.read(Self.forms[.essay]!, kind: .essay, problems: &problems)
        #expect(
            essay.body == .essay(Essay(lines: 40, graderInfo: "Nilai isi, bukan panjang.")), "a huge height is capped")
        let numerical = QuestionEditorForm.read(Self.forms[.numerical]!, kind: .numerical, problems: &problems)
        #expect(numerical.body == .numerical(Numerical(answers: [NumericAnswer(20, tolerance: 0.5, fraction: 1)])))
        #expect(QuestionEditorForm.lines(-.infinity) == 15)
        // What the form does not show is kept from the question being changed.
        let imported = [
            Question(
                name: "HTML", text: "<p>Huruf <b>A</b>?</p>", format: .html,
                body: .multipleChoice(
                    MultipleChoice(single: true, answers: [.init("A", fraction: 1), .init("B", fraction: 0)]))),
            Question(
                name: "Esai", text: "Tulis.", body: .essay(Essay(lines: 10, template: "Pendahuluan:", graderInfo: ""))),
            Question(
                name: "Jodoh", text: "Jodohkan.",
                body: .matching(Matching(shuffle: false, pairs: [.init("a", "1"), .init("b", "2")]))),
        ]
        for question in imported {
            var kept = ProblemList()
            let values = QuestionEditorForm.values(of: question)
            #expect(QuestionEditorForm.read(values, kind: question.kind, base: question, problems: &kept) == question)
        }
        #expect(QuestionEditorForm.lines(-5) == 3)
    }

    @Test(arguments: TestDatabase.all)
    func aTrainerWritesChangesAndDeletesQuestions(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let trainer = try await given.browser(signedInAs: try await given.person(in: tenant, roles: [.pengajar]))
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            let category = try await QuestionBank(scope).addCategory("Latsar", parent: nil).requireID()
            let bank = try await trainer.get(
                AssessmentRoute.bank(tenant.routeSlug).path(query: ["kategori": category.uuidString]))
            #expect(bank.body.string.contains("jenis=matching"))
            let path = AssessmentRoute.newQuestion(tenant.routeSlug).path
            let form = try await trainer.get(path + "?kategori=\(category)&jenis=multichoice")
            #expect(form.status == .ok)
            #expect(form.body.string.contains(#"name="grade_3""#), "four rows to start")

            // No right answer: refused with the bank's reason, the typed text kept, nothing written.
            var wrong = Self.forms[.multipleChoice]!
            wrong["grade_0"] = "0"
            wrong["kind"] = "multichoice"
            wrong["category"] = category.uuidString
            let refused = try await trainer.post(path, form: wrong)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Berorientasi pelayanan"))
            #expect(try await scope.query(QuestionRecord.self).count() == 0)
            var notNumber = wrong
            notNumber["grade_0"] = "seratus"
            let nan = try await trainer.post(path, form: notNumber)
            #expect(nan.body.string.contains("&quot;seratus&quot; bukan angka."))

            for (kind, values) in Self.forms {
                var posted = values
                posted["kind"] = kind.rawValue
                posted["category"] = category.uuidString
                let made = try await trainer.post(path, form: posted)
                #expect(made.status == .seeOther, "\(kind): \(made.body.string.prefix(300))")
            }
            let records = try await scope.query(QuestionRecord.self).all()
            #expect(Set(records.map(\.kind)) == Set(QuestionKind.allCases.map(\.rawValue)))
            let mc = try #require(records.first { $0.kind == "multichoice" })
            #expect(mc.name == "Nilai dasar ASN yang pertama?", "the name from the text")

            // Changing: the form shows it, a save is the next version.
            let id = try mc.requireID()
            let edit = try await trainer.get(
                AssessmentRoute.editQuestion(tenant.routeSlug, .value(QuestionID(id))).path)
            #expect(edit.body.string.contains(#"value="Berorientasi pelayanan""#))
            var changed = QuestionEditorForm.values(of: try mc.question())
            changed["answer_1"] = "Akuntabel"
            changed["category"] = category.uuidString
            let saved = try await trainer.post(
                AssessmentRoute.editQuestion(tenant.routeSlug, .value(QuestionID(id))).path, form: changed)
            #expect(saved.status == .seeOther)
            let after = try #require(try await scope.find(QuestionRecord.self, id))
            #expect(after.version == 2)
            guard case .multipleChoice(let body) = try after.question().body else { Issue.record("kind"); return }
            #expect(body.answers.map(\.text) == ["Berorientasi pelayanan", "Akuntabel", "Adaptif"])

            // Deleting: refused while a quiz asks it, done when not.
            let given2 = try await given.course(in: tenant, activities: [])
            let structure = app.learning.structure(of: given2.course, on: app.db, files: app.files)
            let section = try await structure.addSection(title: "Tes")
            var quiz = ActivityChange()
            quiz.type = "quiz"
            quiz.title = "Tes"
            let activity = try await structure.addActivity(to: section, quiz)
            try await QuizSlot(
                tenantID: scope.tenantID, activityID: try activity.requireID(), position: 1, questionID: id,
                categoryID: nil, count: 1, mark: 1
            ).create(on: app.db)
            let inUse = try await trainer.post(
                AssessmentRoute.deleteQuestion(tenant.routeSlug, .value(QuestionID(id))).path)
            #expect(inUse.status == .seeOther)
            #expect(try await scope.find(QuestionRecord.self, id) != nil)
            let free = try #require(records.first { $0.kind == "essay" }?.id)
            _ = try await trainer.post(AssessmentRoute.deleteQuestion(tenant.routeSlug, .value(QuestionID(free))).path)
            #expect(try await scope.find(QuestionRecord.self, free) == nil)

            // Learners are kept out.
            let learner = try await given.browser(signedInAs: try await given.person(in: tenant))
            #expect(try await learner.get(path + "?kategori=\(category)").status == .forbidden)
            #expect(try await learner.post(path, form: wrong).status == .forbidden)
        }
    }
}
