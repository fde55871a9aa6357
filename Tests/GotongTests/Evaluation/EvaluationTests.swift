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

/// Level 1 of the Kirkpatrick evaluation: the template forms every tenant starts with, a
/// course's setup, the participant's forms (one per trainer), the certificate that waits for
/// them, and the answers checked at the shared parser.
@Suite("Evaluation")
struct EvaluationTests {
    /// A tenant's course with two trainers, its evaluation required, and a learner in it.
    struct Evaluated {
        let tenant: Tenant
        let built: Given.BuiltCourse
        let trainers: [Person]
        let learner: Person
        let courseForm: EvaluationForm
        let trainerForm: EvaluationForm
        var slug: Param<TenantSlug> { tenant.routeSlug }
        var page: String { EvaluationRoute.participant(slug, .value(built.id)).path }
    }

    static func evaluated(_ app: Application, _ given: Given, required: Bool = true) async throws -> Evaluated {
        let tenant = try await given.tenant()
        let ani = try await given.person("Widyaiswara Ani", in: tenant, roles: [.pengajar])
        let budi = try await given.person("Widyaiswara Budi", in: tenant, roles: [.pengajar])
        let built = try await given.course(
            in: tenant, "Pelatihan Evaluasi", activities: [.page("Satu")], trainers: [ani, budi])
        let learner = try await given.learner(enrolledIn: built)
        let forms = try await TenantScope(tenantID: try tenant.requireID(), db: app.db).query(EvaluationForm.self).all()
        let courseForm = try #require(forms.first { $0.purpose == .course })
        let trainerForm = try #require(forms.first { $0.purpose == .trainer })
        let coordinator = try await given.browser(signedInAs: built.coordinator)
        var fields = ["course_form": courseForm.id!.uuidString, "trainer_form": trainerForm.id!.uuidString]
        if required { fields["required"] = "1" }
        let saved = try await coordinator.post(
            EvaluationRoute.course(tenant.routeSlug, .value(built.id)).path, form: fields)
        #expect(saved.status == .seeOther)
        return Evaluated(
            tenant: tenant, built: built, trainers: [ani, budi], learner: learner, courseForm: courseForm,
            trainerForm: trainerForm)
    }

    static func finish(_ app: Application, _ e: Evaluated, _ learner: Person? = nil) async throws {
        _ = try await app.learning.courseCompletion(on: app.db).recordByHand(
            PersonID(try (learner ?? e.learner).requireID()), in: e.built.id, of: TenantID(try e.tenant.requireID()),
            now: app.clock.now())
        await JobQueue.runDue(app)
    }

    /// Answers to every question of a form: the scale's `point`, the first choice, and `text`.
    static func answers(
        _ app: Application, _ form: EvaluationForm, point: Int, text: String = "Sudah baik"
    )
        async throws -> [String: String]
    {
        var fields = ["form_id": form.id!.uuidString]
        for item in try await EvaluationItem.query(on: app.db).filter(\.$formID == form.id!).all() {
            let field = AnswerSheet.field(item)
            switch item.kind {
            case .likert4, .likert5: fields[field] = "\(point)"
            case .single: fields[field] = "1"
            case .multiple: fields[field + "-1"] = "1"
            case .short, .long: fields[field] = text
            }
        }
        return fields
    }

    @Test(arguments: TestDatabase.all)
    func everyTenantStartsWithTheTemplateForms(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // a tenant provisioned now copies the master's forms, questions and all
            let tenant = try await Given(app).tenant()
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            let forms = try await scope.query(EvaluationForm.self).all()
            #expect(Set(forms.map(\.purpose)) == Set(EvaluationForm.Purpose.allCases))
            let course = try #require(forms.first { $0.purpose == .course })
            let items = try await scope.query(EvaluationItem.self).filter(\.$formID == course.id!).sort(\.$position)
                .all()
            #expect(items.count == EvaluationTemplates.forms[0].items.count)
            #expect(items.first?.prompt == "Materi pelatihan sesuai dengan kebutuhan pekerjaan saya.")
            #expect(items.first?.kind == .likert4 && items.last?.kind == .long && items.last?.required == false)
            // and its rows are its own, not the master's
            let master = try #require(try await Tenant.query(on: app.db).filter(\.$isMaster == true).first())
            let masterForms = try await TenantScope(tenantID: try master.requireID(), db: app.db)
                .query(EvaluationForm.self).all()
            #expect(
                masterForms.count == EvaluationTemplates.forms.count
                    && Set(masterForms.map(\.id)).isDisjoint(with: Set(forms.map(\.id))))
        }
    }

    @Test(arguments: TestDatabase.all)
    func theCertificateWaitsForTheEvaluationAndComesWithTheLastForm(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            app.jobs.startsWorker = false
            let given = Given(app)
            let e = try await Self.evaluated(app, given)
            let browser = try await given.browser(signedInAs: e.learner)
            // before finishing there is nothing to evaluate
            #expect(try await browser.get(e.page).status == .forbidden)

            // finished: the JP are credited at once, the certificate waits
            try await Self.finish(app, e)
            let year = LocalDates.year(of: app.clock.now())
            #expect(
                try await JPLedger(db: app.db).year(year, of: PersonID(e.learner.requireID())).totalJP
                    == e.built.course.jp)
            #expect(try await Certificate.query(on: app.db).count() == 0)
            let mine = try await browser.get(CredentialsRoute.myCertificates.path).body.string
            #expect(mine.contains("Menunggu evaluasi Anda") && mine.contains(e.page))

            // the course's form first, then one per trainer
            let first = try await browser.get(e.page).body.string
            #expect(first.contains("Formulir 1 dari 3") && first.contains(e.courseForm.title))
            #expect(first.contains("4 — Sangat setuju"))
            // a form sent without its answers is refused with every question's message, and keeps nothing
            let blank = try await browser.post(e.page, form: ["form_id": e.courseForm.id!.uuidString])
            #expect(blank.status == .unprocessableEntity && blank.body.string.contains("Pertanyaan ini wajib dijawab."))
            #expect(try await EvaluationResponse.query(on: app.db).count() == 0)
            let sent = try await browser.post(e.page, form: try await Self.answers(app, e.courseForm, point: 4))
            #expect(sent.status == .seeOther)
            // sent again: refused, nothing doubled
            let again = try await browser.post(e.page, form: try await Self.answers(app, e.courseForm, point: 1))
            #expect(again.status == .seeOther)
            #expect(try await EvaluationResponse.query(on: app.db).count() == 1)
            await JobQueue.runDue(app)
            #expect(try await Certificate.query(on: app.db).count() == 0)

            let second = try await browser.get(e.page).body.string
            #expect(second.contains("Formulir 2 dari 3") && second.contains("Widyaiswara Ani"))
            for trainer in e.trainers {
                var fields = try await Self.answers(app, e.trainerForm, point: 3)
                fields["trainer_id"] = try trainer.requireID().uuidString
                #expect(try await browser.post(e.page, form: fields).status == .seeOther)
            }
            // the last form in: the completion is told again, and the certificate is issued, once
            await JobQueue.runDue(app)
            #expect(try await Certificate.query(on: app.db).filter(\.$personID == e.learner.requireID()).count() == 1)
            #expect(try await LedgerEntry.query(on: app.db).filter(\.$personID == e.learner.requireID()).count() == 1)
            #expect(try await browser.get(e.page).body.string.contains("Semua formulir evaluasi"))
            #expect(
                !(try await browser.get(CredentialsRoute.myCertificates.path).body.string.contains("Menunggu evaluasi"))
            )
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRequirementDroppedLaterReleasesTheCertificatesThatWaited(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            app.jobs.startsWorker = false
            let given = Given(app)
            let e = try await Self.evaluated(app, given)
            try await Self.finish(app, e)
            #expect(try await Certificate.query(on: app.db).count() == 0)
            // the coordinator no longer asks for the trainer form, then for nothing before the certificate
            let coordinator = try await given.browser(signedInAs: e.built.coordinator)
            let setup = EvaluationRoute.course(e.slug, .value(e.built.id)).path
            #expect(
                try await coordinator.post(setup, form: ["course_form": e.courseForm.id!.uuidString, "required": "1"])
                    .status == .seeOther)
            await JobQueue.runDue(app)
            #expect(try await Certificate.query(on: app.db).count() == 0)  // the course form is still owed
            #expect(
                try await coordinator.post(setup, form: ["course_form": e.courseForm.id!.uuidString]).status
                    == .seeOther)
            await JobQueue.runDue(app)
            #expect(try await Certificate.query(on: app.db).filter(\.$personID == e.learner.requireID()).count() == 1)
            #expect(try await LedgerEntry.query(on: app.db).filter(\.$personID == e.learner.requireID()).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func withoutTheRequirementTheCertificateDoesNotWait(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            app.jobs.startsWorker = false
            let e = try await Self.evaluated(app, Given(app), required: false)
            try await Self.finish(app, e)
            #expect(try await Certificate.query(on: app.db).count() == 1)
            // the forms can still be filled in
            let browser = try await Given(app).browser(signedInAs: e.learner)
            #expect(try await browser.get(e.page).body.string.contains("Formulir 1 dari 3"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAPITakesAnswersCheckedAsTheFormChecksThem(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            app.jobs.startsWorker = false
            let given = Given(app)
            let e = try await Self.evaluated(app, given)
            let api = try await given.api(as: e.learner)
            let path = EvaluationAPIRoute.mine(.value(e.built.id)).path
            #expect(try await api.call(.GET, path).status == .forbidden)
            try await Self.finish(app, e)

            let mine = try await api.call(.GET, path)
            let forms = try #require(mine["forms"] as? [[String: Any]])
            #expect(forms.count == 3 && mine["required"] as? Bool == true)
            let names = forms.compactMap { $0["trainer_name"] as? String }.sorted()
            #expect(names.count == 2 && names[0].hasPrefix("Widyaiswara Ani") && names[1].hasPrefix("Widyaiswara Budi"))
            let items = try await EvaluationItem.query(on: app.db).filter(\.$formID == e.courseForm.id!)
                .sort(\.$position).all()
            let scale = try #require(items.first).id!.uuidString
            let comment = try #require(items.last).id!.uuidString

            // wrong types and ranges are each named; nothing is kept
            var answers: [String: Any] = [scale: "empat", comment: String(repeating: "x", count: 4001)]
            for item in items.dropFirst() where item.kind == .likert4 { answers[item.id!.uuidString] = 9 }
            let bad = try await api.call(.POST, path, ["form_id": e.courseForm.id!.uuidString, "answers": answers])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.fields.contains("q-" + scale.lowercased()) && bad.fields.contains("q-" + comment.lowercased()))
            #expect(bad.messages.contains("Pilih angka dari 1 sampai 4."))
            #expect(try await EvaluationResponse.query(on: app.db).count() == 0)

            answers = [:]
            for item in items where item.kind == .likert4 { answers[item.id!.uuidString] = 2 }
            let body: [String: Any] = ["form_id": e.courseForm.id!.uuidString, "answers": answers]
            #expect(try await api.call(.POST, path, body).status == .created)
            #expect(try await api.call(.POST, path, body).status == .conflict)
            // a trainer form needs its trainer; a form that is not the course's is not found
            let noTrainer = try await api.call(.POST, path, ["form_id": e.trainerForm.id!.uuidString, "answers": [:]])
            #expect(noTrainer.status == .notFound)
            let other = try await api.call(.POST, path, ["form_id": UUID().uuidString, "answers": [:]])
            #expect(other.status == .notFound)
            // someone who did not finish the course may not answer
            let stranger = try await given.api(as: try await given.person("Orang Lain", in: e.tenant))
            #expect(try await stranger.call(.POST, path, body).status == .forbidden)
        }
    }

    @Test func answersAreCheckedAtTheSharedParser() throws {
        func item(_ kind: EvaluationItem.Kind, choices: [String] = [], required: Bool = true) -> EvaluationItem {
            let item = EvaluationItem()
            (item.id, item.kind, item.prompt, item.choicesText, item.required) =
                (UUID(), kind, "Pertanyaan", choices.joined(separator: "\n"), required)
            return item
        }
        let scale = item(.likert5)
        let single = item(.single, choices: ["A", "B"])
        let multiple = item(.multiple, choices: ["A", "B", "C"], required: false)
        let text = item(.short, required: false)
        let items = [scale, single, multiple, text]
        func problems(_ values: [UUID: AnswerSheet.Value]) -> Set<String> {
            do {
                _ = try AnswerSheet(values: values).checked(against: items, response: UUID())
                return []
            } catch let error as InputError {
                return Set(error.problems.map { "\($0.field):\($0.key)" })
            } catch { return ["?"] }
        }
        let f = { (item: EvaluationItem) in AnswerSheet.field(item) }
        // every hostile value is refused under its own question
        #expect(problems([scale.id!: .number(0), single.id!: .number(1)]) == ["\(f(scale)):evaluation.error.scale"])
        #expect(problems([scale.id!: .number(-3), single.id!: .number(3)]).count == 2)
        #expect(problems([scale.id!: .number(Int.max), single.id!: .text("1")]).count == 2)
        #expect(
            problems([scale.id!: .number(5), single.id!: .number(2), multiple.id!: .numbers([1, 1])])
                == ["\(f(multiple)):evaluation.error.choice"])
        #expect(problems([scale.id!: .number(5), single.id!: .number(2), multiple.id!: .numbers([4])]).count == 1)
        #expect(
            problems([
                scale.id!: .number(5), single.id!: .number(2), text.id!: .text(String(repeating: "é", count: 301)),
            ])
                == ["\(f(text)):input.error.too_long"])
        #expect(problems([text.id!: .number(3)]).count == 3)  // two required missing, a number for text
        // and a good sheet gives one row per answer, a multiple choice one per choice taken
        let answers = try AnswerSheet(values: [
            scale.id!: .number(5), single.id!: .number(2), multiple.id!: .numbers([3, 1]), text.id!: .text("  Baik  "),
        ]).checked(against: items, response: UUID())
        #expect(answers.map(\.number) == [5, 2, 1, 3, nil] && answers.last?.text == "Baik")
    }
}
