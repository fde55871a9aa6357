import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongAssessment
@testable import GotongCatalog
@testable import GotongCredentials
@testable import GotongEvaluation
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// The evaluation desk: the form builder (and the lock on an answered form), a course's setup
/// checked, and the results of levels 1 and 2 counted right.
@Suite("Evaluation desk")
struct EvaluationDeskTests {
    @Test(arguments: TestDatabase.all)
    func aCoordinatorBuildsAFormThatIsLockedOnceAnswered(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            app.jobs.startsWorker = false
            let given = Given(app)
            let e = try await EvaluationTests.evaluated(app, given, required: false)
            let coordinator = try await given.browser(signedInAs: e.built.coordinator)
            let forms = EvaluationRoute.forms(e.slug).path
            let list = try await coordinator.get(forms)
            #expect(list.status == .ok && list.body.string.contains("Evaluasi Penyelenggaraan Pelatihan"))
            let blank = try await coordinator.post(forms, form: ["title": " ", "purpose": "course"])
            #expect(blank.status == .unprocessableEntity && blank.body.string.contains("Isi judul formulir."))
            let made = try await coordinator.post(forms, form: ["title": "Evaluasi Singkat", "purpose": "course"])
            #expect(made.status == .seeOther)
            let form = try #require(
                try await EvaluationForm.query(on: app.db).filter(\.$title == "Evaluasi Singkat").first())
            let page = EvaluationRoute.form(e.slug, .value(EvaluationFormID(form.id!))).path
            // its title and introduction change, and an empty title is refused
            let retitled = try await coordinator.post(page, form: ["title": "Evaluasi Singkat", "intro": "Tiga menit."])
            #expect(retitled.status == .seeOther)
            #expect(try await EvaluationForm.find(form.id, on: app.db)?.intro == "Tiga menit.")
            let untitled = try await coordinator.post(page, form: ["title": "", "intro": "x"])
            #expect(untitled.status == .unprocessableEntity && untitled.body.string.contains("Isi judul formulir."))
            let add = EvaluationRoute.addItem(e.slug, .value(EvaluationFormID(form.id!))).path

            // questions are added, checked, moved and removed
            let oneChoice = try await coordinator.post(
                add, form: ["prompt": "Pilih", "kind": "single", "choices": "Ya"])
            #expect(
                oneChoice.status == .unprocessableEntity && oneChoice.body.string.contains("Tulis 2 sampai 20 pilihan"))
            #expect(
                try await coordinator.post(add, form: ["prompt": "Pertanyaan A", "kind": "likert5", "required": "1"])
                    .status == .seeOther)
            #expect(
                try await coordinator.post(
                    add,
                    form: ["prompt": "Pertanyaan B", "kind": "single", "choices": "Ya\r\n\r\nTidak", "required": "1"]
                ).status == .seeOther)
            #expect(try await coordinator.post(add, form: ["prompt": "Saran", "kind": "long"]).status == .seeOther)
            var items = try await EvaluationItem.query(on: app.db).filter(\.$formID == form.id!).sort(\.$position).all()
            #expect(items.map(\.prompt) == ["Pertanyaan A", "Pertanyaan B", "Saran"])
            #expect(items[1].choices == ["Ya", "Tidak"] && !items[2].required)
            let b = Param<EvaluationItemID>.value(EvaluationItemID(items[1].id!))
            let formParam = Param<EvaluationFormID>.value(EvaluationFormID(form.id!))
            #expect(
                try await coordinator.post(EvaluationRoute.moveItem(e.slug, formParam, b, .value(.up)).path).status
                    == .seeOther)
            let saran = Param<EvaluationItemID>.value(EvaluationItemID(items[2].id!))
            #expect(
                try await coordinator.post(EvaluationRoute.removeItem(e.slug, formParam, saran).path).status
                    == .seeOther)
            items = try await EvaluationItem.query(on: app.db).filter(\.$formID == form.id!).sort(\.$position).all()
            #expect(items.map(\.prompt) == ["Pertanyaan B", "Pertanyaan A"])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "evaluation.form.update").count() >= 4)

            // the course uses it; a form of the wrong purpose or weeks out of range are refused
            let setup = EvaluationRoute.course(e.slug, .value(e.built.id)).path
            let wrong = try await coordinator.post(
                setup, form: ["course_form": e.trainerForm.id!.uuidString, "follow_up_weeks": "60"])
            #expect(wrong.status == .unprocessableEntity)
            #expect(
                wrong.body.string.contains("Pilih formulir dari daftar.")
                    && wrong.body.string.contains("Isi jumlah pekan"))
            #expect(try await coordinator.post(setup, form: ["course_form": form.id!.uuidString]).status == .seeOther)

            // once answered, its questions stay; a copy can be changed
            try await EvaluationTests.finish(app, e)
            let learner = try await given.browser(signedInAs: e.learner)
            var fields = ["form_id": form.id!.uuidString]
            fields[AnswerSheet.field(items[0])] = "2"
            fields[AnswerSheet.field(items[1])] = "5"
            #expect(try await learner.post(e.page, form: fields).status == .seeOther)
            #expect(try await coordinator.post(add, form: ["prompt": "Baru", "kind": "short"]).status == .seeOther)
            #expect(try await EvaluationItem.query(on: app.db).filter(\.$formID == form.id!).count() == 2)
            #expect(try await coordinator.get(page).body.string.contains("sudah dijawab peserta"))
            #expect(try await coordinator.post(EvaluationRoute.copyForm(e.slug, formParam).path).status == .seeOther)
            let copy = try #require(
                try await EvaluationForm.query(on: app.db).filter(\.$title == "Salinan Evaluasi Singkat").first())
            #expect(try await EvaluationItem.query(on: app.db).filter(\.$formID == copy.id!).count() == 2)

            // learners keep out; another tenant's administrator does not find the form
            #expect(try await learner.get(forms).status == .forbidden)
            let elsewhere = try await given.tenant("Balai Lain")
            let stranger = try await given.browser(
                signedInAs: try await given.person("Admin Lain", in: elsewhere, roles: [.admin]))
            #expect(
                try await stranger.get(EvaluationRoute.form(elsewhere.routeSlug, formParam).path).status == .notFound)
            #expect(
                try await stranger.post(
                    EvaluationRoute.addItem(elsewhere.routeSlug, formParam).path,
                    form: ["prompt": "x", "kind": "short"]
                ).status == .notFound)
        }
    }

    static func attempt(
        _ app: Application, _ e: EvaluationTests.Evaluated, quiz: Activity, person: Person, score: Double, at: Date,
        number: Int
    ) async throws {
        let attempt = QuizAttempt()
        (attempt.tenantID, attempt.courseID, attempt.activityID, attempt.personID) =
            (e.tenant.id!, e.built.course.id!, quiz.id!, person.id!)
        (attempt.number, attempt.state, attempt.layoutJSON, attempt.startedAt, attempt.finishedAt) =
            (number, .finished, "{\"items\":[]}", at, at)
        (attempt.score, attempt.maxScore, attempt.needsGrading) = (score, 100, false)
        try await attempt.create(on: app.db)
    }

    @Test(arguments: TestDatabase.all)
    func resultsCountEachAnswerAndTheGainsOfARun(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            app.jobs.startsWorker = false
            let given = Given(app)
            let e = try await EvaluationTests.evaluated(app, given, required: false)
            let others = [try await given.learner(enrolledIn: e.built), try await given.learner(enrolledIn: e.built)]
            let learners = [e.learner] + others
            for (learner, point) in zip(learners, [4, 3, 4]) {
                try await EvaluationTests.finish(app, e, learner)
                let browser = try await given.browser(signedInAs: learner)
                let text = learner.id == e.learner.id ? "<b>Ruang</b> panas" : ""
                #expect(
                    try await browser.post(
                        e.page, form: try await EvaluationTests.answers(app, e.courseForm, point: point, text: text)
                    ).status == .seeOther)
            }
            var trainer = try await EvaluationTests.answers(app, e.trainerForm, point: 2)
            trainer["trainer_id"] = try e.trainers[0].requireID().uuidString
            #expect(try await given.browser(signedInAs: e.learner).post(e.page, form: trainer).status == .seeOther)

            // level 2: a pre-test (first attempt) and a post-test (best attempt)
            let structure = app.learning.structure(of: e.built.course, on: app.db, files: app.files)
            let section = try await structure.addSection(title: "Tes")
            var change = ActivityChange()
            change.type = "quiz"
            change.title = "Pre-test"
            // (the pre-test counts its first attempt, the post-test its best: each quiz's own method)
            change.settings = ["role": .string("pretest"), "grading": .string("first")]
            let pre = try await structure.addActivity(to: section, change)
            change.title = "Post-test"
            change.settings = ["role": .string("posttest"), "grading": .string("highest")]
            let post = try await structure.addActivity(to: section, change)
            let now = app.clock.now()
            for (person, quiz, score, number) in [
                (e.learner, pre, 40.0, 1), (e.learner, pre, 95.0, 2), (e.learner, post, 70.0, 1),
                (e.learner, post, 90.0, 2), (others[0], pre, 60.0, 1), (others[0], post, 80.0, 1),
                (others[1], pre, 50.0, 1),
            ] {
                let at = now.addingTimeInterval(Double(number) * 60 + (quiz.id == post.id ? 600 : 0))
                try await Self.attempt(app, e, quiz: quiz, person: person, score: score, at: at, number: number)
            }
            let coordinator = try await given.browser(signedInAs: e.built.coordinator)

            let page = try await coordinator.get(EvaluationRoute.results(e.slug, .value(e.built.id)).path)
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("3 dari 3 peserta yang selesai (100%)"))
            #expect(html.contains("Rata-rata 3,67 dari skala 1–4 · 3 jawaban"))
            #expect(html.contains("aria-label=\"1: 0, 2: 0, 3: 1, 4: 2\""))
            #expect(html.contains("&lt;b&gt;Ruang&lt;/b&gt; panas") && !html.contains("<b>Ruang"))
            #expect(
                html.contains("Evaluasi Pengajar: Widyaiswara Ani")
                    && !html.contains("Evaluasi Pengajar: Widyaiswara Budi"))
            #expect(html.contains("⟨g⟩ = 0,70") && html.contains("0,83"))

            let api = try await given.api(as: e.built.coordinator)
            let results = try await api.call(.GET, EvaluationAPIRoute.results(e.slug, .value(e.built.id)).path)
            #expect(results["finished"] as? Int == 3 && results["responded"] as? Int == 3)
            let levelTwo = try #require(results["level2"] as? [String: Any])
            #expect(abs((levelTwo["class_gain"] as? Double ?? 0) - 0.7) < 0.0001)
            #expect((levelTwo["participants"] as? [Any])?.count == 3)
            let parts = try #require(results["parts"] as? [[String: Any]])
            let first = try #require((parts.first?["questions"] as? [[String: Any]])?.first)
            #expect(first["counts"] as? [Int] == [0, 0, 1, 2])
            #expect(
                try await given.api(as: e.learner).call(
                    .GET, EvaluationAPIRoute.results(e.slug, .value(e.built.id)).path
                ).status == .forbidden)
        }
    }
}
