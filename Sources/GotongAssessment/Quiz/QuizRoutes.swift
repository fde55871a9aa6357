import Fluent
import Foundation
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// The learner's side of a quiz on the web: start, the attempt page (every answer saved as it
/// is given with JavaScript, or with each press of a button without), hand in, and review.
struct QuizRoutes {
    func register(web: any RoutesBuilder) {
        web.post(QuizPage.start, use: start)
        web.get(QuizPage.attempt(.key), use: attemptPage)
        web.post(QuizPage.attempt(.key), use: saveForm)
        web.get(QuizPage.finish(.key), use: finishPage)
        web.post(QuizPage.finish(.key), use: finish)
        web.get(QuizPage.review(.key), use: review)
    }

    // MARK: Opening

    /// The route's quiz, open to the caller.
    static func open(_ req: Request, web: Bool) async throws -> (OpenActivity, Quiz) {
        let open = try await OpenActivity.usable("quiz", req, web: web)
        return (open, Quiz(activity: open.activity, req: req))
    }

    /// The route's attempt: the caller's own, or anyone's for the course's staff when `staff`.
    static func attempt(
        _ req: Request, _ open: OpenActivity, _ quiz: Quiz, staff: Bool = false
    ) async throws
        -> QuizAttempt
    {
        guard let attempt = try await quiz.attempts.attempt(req.parameter(AttemptID.self).rawValue),
            attempt.personID == (try open.person.requireID()) || (staff && open.isStaff)
        else { throw Abort(.notFound) }
        return try await quiz.attempts.closeIfOverdue(attempt, now: req.application.clock.now()) ?? attempt
    }

    static func base(_ open: OpenActivity) -> LearningRoute {
        LearningRoute.activity(open.tenant.routeSlug, open.course.routeSlug, open.activity.routeID)
    }

    static func path(_ page: QuizPage, _ open: OpenActivity) -> String { page.path(under: base(open)) }

    static func attemptParam(_ attempt: QuizAttempt) -> Param<AttemptID> { .value(AttemptID(attempt.id!)) }

    // MARK: Starting and answering

    func start(req: Request) async throws -> Response {
        let (open, quiz) = try await Self.open(req, web: true)
        guard open.recordsProgress else { throw Abort(.forbidden, reason: req.t("quiz.error.preview")) }
        do {
            let (attempt, _) = try await quiz.attempts.start(
                for: try open.person.requireID(), now: req.application.clock.now())
            return req.seeOther(Self.path(.attempt(Self.attemptParam(attempt)), open))
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "quiz.error.no_questions")
            return req.seeOther(Self.base(open).path)
        }
    }

    func attemptPage(req: Request) async throws -> Response {
        let (open, quiz) = try await Self.open(req, web: true)
        let attempt = try await Self.attempt(req, open, quiz)
        guard attempt.state == .open else {
            return req.seeOther(Self.path(.review(Self.attemptParam(attempt)), open))
        }
        let questions = try await QuizMarking(scope: quiz.scope, kept: quiz.attempts.kept).questions(
            attempt.layout.items.map(\.question))
        let answers = try await quiz.attempts.answers(of: attempt)
        let now = req.application.clock.now()
        let model = AttemptModel(
            activityTitle: open.activity.title, number: attempt.number,
            secondsLeft: attempt.deadline.map { max(0, Int($0.timeIntervalSince(now))) },
            questions: attempt.layout.items.enumerated().compactMap { slot, item in
                questions[item.question].map {
                    AttemptModel.Shown(
                        slot: slot, question: $0, order: item.order, mark: item.mark,
                        response: answers[slot]?.response ?? QuestionResponse())
                }
            },
            action: Self.path(.attempt(Self.attemptParam(attempt)), open),
            answersURL: AssessmentAPIRoute.answers.path, ticket: try await attempt.answerTicket(req),
            finishURL: Self.path(.finish(Self.attemptParam(attempt)), open))
        return try await req.render(
            model, title: "quiz.attempt.title", titleArgs: ["title": open.activity.title], tenant: open.tenant)
    }

    /// The whole form, posted by a button (no JavaScript): every question's answer is saved.
    func saveForm(req: Request) async throws -> Response {
        let (open, quiz) = try await Self.open(req, web: true)
        let attempt = try await Self.attempt(req, open, quiz)
        let values = try req.content.decode([String: String].self)
        let questions = try await QuizMarking(scope: quiz.scope, kept: quiz.attempts.kept).questions(
            attempt.layout.items.map(\.question))
        let now = req.application.clock.now()
        do {
            for (slot, response) in QuizForm.responses(values, layout: attempt.layout, questions: questions) {
                try await quiz.attempts.save(response, slot: slot, in: attempt, now: now)
            }
        } catch is QuizAttempts.SaveRefusal {
            req.flash(.info, "quiz.closed_while_away")
            return req.seeOther(Self.path(.review(Self.attemptParam(attempt)), open))
        }
        let here = Self.path(.attempt(Self.attemptParam(attempt)), open)
        switch values["go"] ?? "" {
        case "selesai": return req.seeOther(Self.path(.finish(Self.attemptParam(attempt)), open))
        case let go where go.hasPrefix("q"): return req.seeOther(here + "#" + String(go.prefix(8)))
        default: return req.seeOther(here)
        }
    }

    // MARK: Handing in and review

    func finishPage(req: Request) async throws -> Response {
        let (open, quiz) = try await Self.open(req, web: true)
        let attempt = try await Self.attempt(req, open, quiz)
        guard attempt.state == .open else { return req.seeOther(Self.path(.review(Self.attemptParam(attempt)), open)) }
        let answers = try await quiz.attempts.answers(of: attempt)
        let unanswered = attempt.layout.items.indices.filter { answers[$0]?.response.isEmpty ?? true }
        let model = FinishModel(
            activityTitle: open.activity.title, total: attempt.layout.items.count,
            unanswered: unanswered.map { $0 + 1 },
            action: Self.path(.finish(Self.attemptParam(attempt)), open),
            back: Self.path(.attempt(Self.attemptParam(attempt)), open))
        return try await req.render(model, title: "quiz.finish.title", tenant: open.tenant)
    }

    func finish(req: Request) async throws -> Response {
        let (open, quiz) = try await Self.open(req, web: true)
        let attempt = try await Self.attempt(req, open, quiz)
        if attempt.state == .open {
            _ = try await quiz.attempts.finish(attempt, by: "learner", now: req.application.clock.now())
        }
        return req.seeOther(Self.path(.review(Self.attemptParam(attempt)), open))
    }

    func review(req: Request) async throws -> Response {
        let (open, quiz) = try await Self.open(req, web: true)
        let attempt = try await Self.attempt(req, open, quiz, staff: true)
        guard attempt.state == .finished else {
            return req.seeOther(Self.path(.attempt(Self.attemptParam(attempt)), open))
        }
        let model = try await ReviewModel.make(
            attempt, quiz: quiz, open: open, req: req,
            review: open.isStaff ? .full : quiz.settings.review)
        return try await req.render(
            model, title: "quiz.review.title", titleArgs: ["title": open.activity.title], tenant: open.tenant)
    }
}

/// Answers as the attempt page's form posts them: for each question shown, a marker `p{slot}`
/// and its inputs — `q{slot}` (a choice's index, a true/false, typed text), `q{slot}_{i}`
/// (each ticked answer of several, or each matching item's chosen answer).
enum QuizForm {
    static func responses(
        _ values: [String: String], layout: AttemptLayout, questions: [UUID: Question]
    ) -> [Int: QuestionResponse] {
        var result: [Int: QuestionResponse] = [:]
        for (slot, item) in layout.items.enumerated() where values["p\(slot)"] != nil {
            guard let question = questions[item.question] else { continue }
            result[slot] = response(values, slot: slot, question: question)
        }
        return result
    }

    static func response(_ values: [String: String], slot: Int, question: Question) -> QuestionResponse {
        let name = "q\(slot)"
        switch question.body {
        case .multipleChoice(let mc) where mc.single:
            return QuestionResponse(choices: values[name].flatMap { Int($0) }.map { [$0] } ?? [])
        case .multipleChoice(let mc):
            return QuestionResponse(choices: mc.answers.indices.filter { values["\(name)_\($0)"] != nil })
        case .trueFalse:
            return QuestionResponse(
                choices: values[name].flatMap { Int($0) }.flatMap { [0, 1].contains($0) ? [$0] : nil } ?? [])
        case .shortAnswer, .numerical, .essay:
            return QuestionResponse(text: values[name] ?? "")
        case .matching(let m):
            return QuestionResponse(matches: m.items.indices.map { values["\(name)_\($0)"].flatMap { Int($0) } })
        }
    }
}
