import Fluent
import Foundation
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// The trainers' side of a quiz in the JSON API: its slots (questions fixed or drawn at random),
/// its results with each question's statistics, regrading, and grading essays.
struct QuizStaffAPIRoutes {
    func register(api: any RoutesBuilder) {
        let slot = PathComponent.parameter(QuizSlotID.parameterName)
        let attempt = PathComponent.parameter(AttemptID.parameterName)
        api.get("slots", use: slots)
        api.post("slots", use: addSlots)
        api.post("slots", slot, "move", use: move)
        api.delete("slots", slot, use: remove)
        api.get("results", use: results)
        api.post("regrade", use: regrade)
        api.post("attempts", attempt, "grades", use: gradeEssays)
    }

    struct SlotOut: Content {
        var id: UUID
        var position: Int
        var question_id: UUID?
        var question_name: String?
        var kind: String?
        /// A slot drawing `count` questions at random from this category (and those below it).
        var category_id: UUID?
        var count: Int
        var mark: Double
    }

    struct SlotList: Content { var slots: [SlotOut] }

    struct AddSlots: Content {
        var question_ids: [UUID]?
        var category_id: UUID?
        var random: Int?
        var mark: Double?

        /// The most questions one call adds: a quiz's worth, and a bound on the ids' `IN` list.
        static let maxQuestions = 200
    }

    struct Move: Content { var direction: String }

    struct Results: Content {
        struct Attempt: Content {
            var learner: String
            var number: Int
            var state: String
            var percent: Double?
            var needs_grading: Bool
            var finished_by: String?
        }
        struct Frequency: Content {
            var answer: String
            var count: Int
            var right: Bool
        }
        struct QuestionStats: Content {
            var number: Int
            var name: String
            var kind: String
            var answered: Int
            var facility: Double?
            var frequencies: [Frequency]
        }
        var attempts: [Attempt]
        var questions: [QuestionStats]
        var average: Double?
    }

    struct Regraded: Content { var regraded: Int }

    struct GradesIn: Content { var grades: [EssayGrade] }

    func slots(req: Request) async throws -> SlotList {
        let (open, quiz) = try await QuizStaffRoutes.open(req, web: false)
        return try await Self.list(open, quiz)
    }

    static func list(_ open: OpenActivity, _ quiz: Quiz) async throws -> SlotList {
        let slots = try await quiz.scope.query(QuizSlot.self).filter(\.$activityID == open.activity.requireID())
            .sort(\.$position).all()
        let records = try await quiz.scope.query(QuestionRecord.self).filter(\.$id ~~ slots.compactMap(\.questionID))
            .all().reduce(into: [UUID: QuestionRecord]()) { $0[$1.id!] = $1 }
        return SlotList(
            slots: slots.map { slot in
                let record = slot.questionID.flatMap { records[$0] }
                return SlotOut(
                    id: slot.id!, position: slot.position, question_id: slot.questionID, question_name: record?.name,
                    kind: record?.kind, category_id: slot.categoryID, count: slot.count, mark: slot.mark)
            })
    }

    func addSlots(req: Request) async throws -> SlotList {
        let (open, quiz) = try await QuizStaffRoutes.open(req, web: false)
        let body = try req.content.decode(AddSlots.self)
        var problems = ProblemList()
        if (body.question_ids?.count ?? 0) > AddSlots.maxQuestions {
            problems.add("question_ids", "quiz.error.too_many_questions", ["max": "\(AddSlots.maxQuestions)"])
        }
        let random = body.random ?? 0
        if !(0...200).contains(random) {
            problems.add("random", "input.error.number", ["min": "0", "max": "200"])
        }
        let mark = QuizSlotsEditor.mark(body.mark.map { Number.text($0) }, problems: &problems)
        try problems.throwIfAny()
        let questions = body.question_ids ?? []
        guard !questions.isEmpty || random > 0 else {
            throw InputError(field: "question_ids", key: "quiz.error.nothing_to_add")
        }
        try await QuizSlotsEditor(scope: quiz.scope, activity: open.activity).add(
            questions: questions, random: random, from: body.category_id, mark: mark)
        return try await Self.list(open, quiz)
    }

    func move(req: Request) async throws -> SlotList {
        let (open, quiz) = try await QuizStaffRoutes.open(req, web: false)
        let body = try req.content.decode(Move.self)
        guard let action = ["up": SlotAction.up, "down": .down][body.direction] else {
            throw InputError(
                field: "direction", key: "input.error.choice", args: ["field": "direction", "choices": "up, down"])
        }
        try await QuizSlotsEditor(scope: quiz.scope, activity: open.activity).change(
            req.parameter(QuizSlotID.self).rawValue, action)
        return try await Self.list(open, quiz)
    }

    func remove(req: Request) async throws -> SlotList {
        let (open, quiz) = try await QuizStaffRoutes.open(req, web: false)
        try await QuizSlotsEditor(scope: quiz.scope, activity: open.activity).change(
            req.parameter(QuizSlotID.self).rawValue, .remove)
        return try await Self.list(open, quiz)
    }

    func results(req: Request) async throws -> Results {
        let (open, quiz) = try await QuizStaffRoutes.open(req, web: false)
        let made = try await QuizResults.make(open: open, quiz: quiz, req: req)
        return Results(
            attempts: made.attempts.map {
                .init(
                    learner: $0.learner, number: $0.number, state: $0.open ? "open" : "finished", percent: $0.percent,
                    needs_grading: $0.needsGrading, finished_by: $0.finishedBy)
            },
            questions: made.questions.map { stats in
                .init(
                    number: stats.number, name: stats.name, kind: stats.kind.rawValue, answered: stats.answered,
                    facility: stats.facility,
                    frequencies: stats.frequencies.map { .init(answer: $0.answer, count: $0.count, right: $0.right) })
            }, average: made.average)
    }

    func regrade(req: Request) async throws -> Regraded {
        let (open, quiz) = try await QuizStaffRoutes.open(req, web: false)
        let count = try await quiz.attempts.regrade(now: req.application.clock.now())
        try await req.audit(
            "quiz.regrade", subject: open.activity.title, detail: "attempts=\(count)", tenantID: open.tenant.id)
        return Regraded(regraded: count)
    }

    func gradeEssays(req: Request) async throws -> QuizAPIRoutes.AttemptDetail {
        let (open, quiz) = try await QuizStaffRoutes.open(req, web: false)
        let attempt = try await QuizRoutes.attempt(req, open, quiz, staff: true)
        let body = try req.content.decode(GradesIn.self)
        let (grades, problems) = try await EssayGrade.read(body.grades, of: attempt, scope: quiz.scope)
        try problems.throwIfAny()
        try await quiz.attempts.grade(attempt, grades, now: req.application.clock.now())
        return try await QuizAPIRoutes.detail(
            try await QuizRoutes.attempt(req, open, quiz, staff: true), quiz: quiz, req: req, staff: true)
    }
}

/// A grader's points for one essay of an attempt, as a form or the API gives them.
struct EssayGrade: Content {
    var slot: Int
    var points: String
    var comment: String?

    static let maxComment = 5_000

    /// The grades by slot, each checked against its question's mark and the comment's length;
    /// problems name the slot as their field.
    /// The grades given for `attempt`: only its essays are graded by hand, so points for
    /// another slot are refused, as its mark is the server's.
    static func read(
        _ given: [EssayGrade], of attempt: QuizAttempt, scope: TenantScope
    ) async throws -> ([Int: (points: Double, comment: String)], ProblemList) {
        let items = attempt.layout.items
        let questions = try await QuizMarking(scope: scope).questions(items.map(\.question))
        let essays = Set(items.indices.filter { questions[items[$0].question]?.kind == .essay })
        return read(given, layout: attempt.layout, essays: essays)
    }

    static func read(
        _ given: [EssayGrade], layout: AttemptLayout, essays: Set<Int>
    ) -> ([Int: (points: Double, comment: String)], ProblemList) {
        var grades: [Int: (points: Double, comment: String)] = [:]
        var problems = ProblemList()
        for grade in given {
            guard layout.items.indices.contains(grade.slot), essays.contains(grade.slot) else {
                problems.add("\(grade.slot)", "quiz.grade.error_slot")
                continue
            }
            let mark = layout.items[grade.slot].mark
            guard let points = QuestionGrading.number(grade.points), (0...mark).contains(points) else {
                problems.add("\(grade.slot)", "quiz.grade.error_points", ["max": Number.text(mark)])
                continue
            }
            let before = problems.problems.count
            let comment = problems.text(grade.comment, "\(grade.slot)", max: maxComment)
            if problems.problems.count == before { grades[grade.slot] = (points, comment) }
        }
        return (grades, problems)
    }
}
