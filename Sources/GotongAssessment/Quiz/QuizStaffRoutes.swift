import Fluent
import Foundation
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// The trainers' side of a quiz: which questions it asks (from the bank, fixed or at random),
/// its results with each question's statistics, regrading after a question was fixed, and
/// grading essays.
struct QuizStaffRoutes {
    func register(web: any RoutesBuilder) {
        web.get(QuizPage.questions, use: questionsPage)
        web.post(QuizPage.addSlots, use: addSlots)
        web.post(QuizPage.slot(.key, .key), use: changeSlot)
        web.get(QuizPage.results, use: resultsPage)
        web.post(QuizPage.regrade, use: regrade)
        web.get(QuizPage.grade(.key), use: gradePage)
        web.post(QuizPage.grade(.key), use: saveGrades)
    }

    /// The route's quiz, for its staff only (on the web, or in the API when not `web`).
    static func open(_ req: Request, web: Bool = true) async throws -> (OpenActivity, Quiz) {
        let (open, quiz) = try await QuizRoutes.open(req, web: web)
        guard open.isStaff else { throw Abort(.forbidden) }
        return (open, quiz)
    }

    // MARK: Questions

    func questionsPage(req: Request) async throws -> Response {
        let (open, quiz) = try await Self.open(req)
        return try await renderQuestions(req, open, quiz, chosen: try req.queryID("kategori"))
    }

    func renderQuestions(
        _ req: Request, _ open: OpenActivity, _ quiz: Quiz, chosen: UUID?, error: String? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let bank = QuestionBank(quiz.scope)
        let folders = try await bank.folders()
        let slots = try await quiz.scope.query(QuizSlot.self).filter(\.$activityID == open.activity.requireID())
            .sort(\.$position).all()
        let names = try await quiz.scope.query(QuestionRecord.self).filter(\.$id ~~ slots.compactMap(\.questionID))
            .all()
            .reduce(into: [UUID: QuestionRecord]()) { $0[$1.id!] = $1 }
        let category = chosen.flatMap { id in folders.first { $0.id == id } }
        let offered = try await category.asyncMap { try await bank.questions(in: $0.id) } ?? []
        let attempts = try await quiz.scope.query(QuizAttempt.self).filter(\.$activityID == open.activity.requireID())
            .count()
        let model = QuizQuestionsModel(
            activityTitle: open.activity.title, backURL: QuizRoutes.base(open).path,
            slots: slots.map { slot in
                let record = slot.questionID.flatMap { names[$0] }
                let folder = slot.categoryID.flatMap { id in folders.first { $0.id == id } }
                return .init(
                    id: QuizSlotID(slot.id!), name: record?.name,
                    kind: record.flatMap { QuestionKind(rawValue: $0.kind) },
                    randomFrom: folder?.path.joined(separator: " / "), count: slot.count, mark: slot.mark)
            },
            folders: folders, category: category,
            offered: offered.map { .init(id: $0.id!, name: $0.name, kind: QuestionKind(rawValue: $0.kind) ?? .essay) },
            base: QuizRoutes.base(open), attempts: attempts, error: error)
        return try await req.render(
            model, title: "quiz.staff.questions_title", titleArgs: ["title": open.activity.title], tenant: open.tenant,
            status: status)
    }

    struct AddForm: Content {
        var category: String?
        var random: String?
        var mark: String?
    }

    /// Adds the ticked questions of a category (`pick_{id}`), or `random` questions drawn from it.
    func addSlots(req: Request) async throws -> Response {
        let (open, quiz) = try await Self.open(req)
        let values = try req.content.decode([String: String].self)
        let category = try QueryValue.id(values["category"], field: "category")
        var problems = ProblemList()
        let random = WholeNumber.read(values["random"], field: "random", in: 0...200, problems: &problems) ?? 0
        let mark = QuizSlotsEditor.mark(values["mark"], problems: &problems)
        // In the order the category lists them (a form's fields come in no set order).
        let ticked = Set(
            values.keys.filter { $0.hasPrefix("pick_") }.compactMap { UUID(uuidString: String($0.dropFirst(5))) })
        let listed =
            try await category.asyncMap { try await QuestionBank(quiz.scope).questions(in: $0).compactMap(\.id) } ?? []
        let picked = listed.filter(ticked.contains)
        do {
            try problems.throwIfAny()
            try await QuizSlotsEditor(scope: quiz.scope, activity: open.activity).add(
                questions: picked, random: random, from: category, mark: mark)
            req.flash(.success, "quiz.staff.added")
            return req.seeOther(QuizPage.questions.path(under: QuizRoutes.base(open)))
        } catch let error as InputError {
            return try await renderQuestions(
                req, open, quiz, chosen: category,
                error: error.problems.map { req.t($0.key, $0.args) }.joined(separator: " "), status: error.status)
        }
    }

    func changeSlot(req: Request) async throws -> Response {
        let (open, quiz) = try await Self.open(req)
        try await QuizSlotsEditor(scope: quiz.scope, activity: open.activity).change(
            req.parameter(QuizSlotID.self).rawValue, req.parameter(SlotAction.self))
        return req.seeOther(QuizPage.questions.path(under: QuizRoutes.base(open)))
    }

    // MARK: Results

    func resultsPage(req: Request) async throws -> Response {
        let (open, quiz) = try await Self.open(req)
        let model = try await QuizResults.make(open: open, quiz: quiz, req: req)
        return try await req.render(
            model, title: "quiz.staff.results_title", titleArgs: ["title": open.activity.title], tenant: open.tenant)
    }

    func regrade(req: Request) async throws -> Response {
        let (open, quiz) = try await Self.open(req)
        let count = try await quiz.attempts.regrade(now: req.application.clock.now())
        try await req.audit(
            "quiz.regrade", subject: open.activity.title, detail: "attempts=\(count)", tenantID: open.tenant.id)
        req.flash(.success, "quiz.staff.regraded", ["count": "\(count)"])
        return req.seeOther(QuizPage.results.path(under: QuizRoutes.base(open)))
    }

    // MARK: Grading essays

    func gradePage(req: Request) async throws -> Response {
        let (open, quiz) = try await Self.open(req)
        let attempt = try await QuizRoutes.attempt(req, open, quiz, staff: true)
        return try await renderGrade(req, open, quiz, attempt)
    }

    func renderGrade(
        _ req: Request, _ open: OpenActivity, _ quiz: Quiz, _ attempt: QuizAttempt, errors: [String: String] = [:]
    ) async throws -> Response {
        let questions = try await QuizMarking(scope: quiz.scope).questions(attempt.layout.items.map(\.question))
        let answers = try await quiz.attempts.answers(of: attempt)
        let learner = try await Person.find(attempt.personID, on: req.database)?.name ?? ""
        let model = GradeEssaysModel(
            learner: learner, attemptNumber: attempt.number,
            essays: attempt.layout.items.enumerated().compactMap { slot, item in
                guard let question = questions[item.question], question.kind == .essay else { return nil }
                return .init(
                    slot: slot, question: question, mark: item.mark, text: answers[slot]?.response.text ?? "",
                    points: answers[slot]?.fraction.map { $0 * item.mark }, comment: answers[slot]?.comment ?? "",
                    error: errors["points_\(slot)"])
            },
            action: QuizRoutes.path(.grade(QuizRoutes.attemptParam(attempt)), open),
            reviewURL: QuizRoutes.path(.review(QuizRoutes.attemptParam(attempt)), open))
        return try await req.render(
            model, title: "quiz.grade.title", tenant: open.tenant, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func saveGrades(req: Request) async throws -> Response {
        let (open, quiz) = try await Self.open(req)
        let attempt = try await QuizRoutes.attempt(req, open, quiz, staff: true)
        let values = try req.content.decode([String: String].self)
        let given = attempt.layout.items.indices.compactMap { slot in
            values["points_\(slot)"].map { EssayGrade(slot: slot, points: $0, comment: values["comment_\(slot)"]) }
        }
        let (grades, problems) = try await EssayGrade.read(given, of: attempt, scope: quiz.scope)
        let errors = Dictionary(
            problems.problems.map { ("points_\($0.field)", req.t($0.key, $0.args)) }, uniquingKeysWith: { a, _ in a })
        guard errors.isEmpty else { return try await renderGrade(req, open, quiz, attempt, errors: errors) }
        try await quiz.attempts.grade(attempt, grades, now: req.application.clock.now())
        req.flash(.success, "quiz.grade.saved")
        return req.seeOther(QuizRoutes.path(.review(QuizRoutes.attemptParam(attempt)), open))
    }
}
