import Fluent
import Foundation
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// Quiz attempts in the JSON API, for mobile clients: start (or go on with) an attempt, read
/// it with its questions, save an answer, hand it in, and read the result as the quiz's review
/// option allows.
struct QuizAPIRoutes {
    func register(api: any RoutesBuilder) {
        let attempt = PathComponent.parameter(AttemptID.parameterName)
        api.get("attempts", use: list)
        api.post("attempts", use: start)
        api.get("attempts", attempt, use: show)
        api.post("attempts", attempt, "answers", use: save)
        api.post("attempts", attempt, "finish", use: finish)
    }

    struct AttemptSummary: Content {
        var id: UUID
        var number: Int
        var state: String
        var started_at: Date
        var deadline: Date?
        var seconds_left: Int?
        var finished_at: Date?
        var finished_by: String?
        var score: Double?
        var max_score: Double
        var percent: Double?
        var needs_grading: Bool
    }

    struct AttemptList: Content { var attempts: [AttemptSummary]; var grade: Double? }

    /// A question as the learner sees it: no marks of answers, no feedback, no key.
    struct ShownQuestion: Content {
        var slot: Int
        var kind: String
        var text_html: String
        var mark: Double
        var choices: [Choice]?
        var items: [String]?
        var lines: Int?
        var response: QuestionResponse
        struct Choice: Content { var index: Int; var text: String }
    }

    struct AttemptDetail: Content {
        var attempt: AttemptSummary
        /// While open: the ticket that saves answers at `answers_url` (header `X-Attempt-Ticket`).
        var answer_ticket: String?
        var answers_url: String?
        var questions: [ShownQuestion]
        var review: [ReviewItem]?
        struct ReviewItem: Content {
            var slot: Int
            var fraction: Double?
            var feedback: String?
            var right_answer: String?
            var comment: String?
        }
    }

    static func summary(_ attempt: QuizAttempt, now: Date) -> AttemptSummary {
        AttemptSummary(
            id: attempt.id!, number: attempt.number, state: attempt.state.rawValue, started_at: attempt.startedAt,
            deadline: attempt.deadline,
            seconds_left: attempt.state == .open
                ? attempt.deadline.map { max(0, Int($0.timeIntervalSince(now))) } : nil,
            finished_at: attempt.finishedAt, finished_by: attempt.finishedBy, score: attempt.score,
            max_score: attempt.maxScore, percent: attempt.percent, needs_grading: attempt.needsGrading)
    }

    func list(req: Request) async throws -> AttemptList {
        let (open, quiz) = try await QuizRoutes.open(req, web: false)
        let now = req.application.clock.now()
        let attempts = try await quiz.attempts.current(of: try open.person.requireID(), now: now)
        let finished = attempts.filter { $0.state == .finished && !$0.needsGrading }.compactMap(\.percent)
        return AttemptList(
            attempts: attempts.map { Self.summary($0, now: now) }, grade: quiz.settings.grade(of: finished))
    }

    func start(req: Request) async throws -> Response {
        let (open, quiz) = try await QuizRoutes.open(req, web: false)
        guard open.recordsProgress else { throw Abort(.forbidden, reason: req.t("quiz.error.preview")) }
        let person = try open.person.requireID()
        let (attempt, created) = try await quiz.attempts.start(for: person, now: req.application.clock.now())
        // A new attempt has no answers yet: nothing to read.
        let detail = try await Self.detail(attempt, quiz: quiz, req: req, staff: false, answers: created ? [:] : nil)
        return try await detail.encodeResponse(status: created ? .created : .ok, for: req)
    }

    func show(req: Request) async throws -> AttemptDetail {
        let (open, quiz) = try await QuizRoutes.open(req, web: false)
        let attempt = try await QuizRoutes.attempt(req, open, quiz, staff: true)
        return try await Self.detail(attempt, quiz: quiz, req: req, staff: open.isStaff)
    }

    struct SaveBody: Content {
        var slot: Int
        var response: QuestionResponse
    }

    struct Saved: Content {
        var slot: Int
        var saved_at: Date
        var seconds_left: Int?
    }

    func save(req: Request) async throws -> Response {
        let (open, quiz) = try await QuizRoutes.open(req, web: false)
        let attempt = try await QuizRoutes.attempt(req, open, quiz)
        let body: SaveBody
        do { body = try req.content.decode(SaveBody.self) } catch let error as DecodingError {
            throw InputError(field: error.fieldName, key: "quiz.error.answer_json", args: ["field": error.fieldName])
        }
        let now = req.application.clock.now()
        do {
            try await quiz.attempts.save(body.response, slot: body.slot, in: attempt, now: now)
        } catch QuizAttempts.SaveRefusal.timeUp {
            throw InputError(field: "attempt", key: "quiz.error.time_up", status: .conflict)
        } catch QuizAttempts.SaveRefusal.closed {
            throw InputError(field: "attempt", key: "quiz.error.closed", status: .conflict)
        }
        return try await Saved(
            slot: body.slot, saved_at: now,
            seconds_left: attempt.deadline.map { max(0, Int($0.timeIntervalSince(now))) }
        ).encodeResponse(for: req)
    }

    func finish(req: Request) async throws -> AttemptDetail {
        let (open, quiz) = try await QuizRoutes.open(req, web: false)
        let attempt = try await QuizRoutes.attempt(req, open, quiz)
        if attempt.state == .open,
            let done = try await quiz.attempts.finish(attempt, by: "learner", now: req.application.clock.now())
        {
            return try await Self.detail(done.attempt, quiz: quiz, req: req, staff: open.isStaff, answers: done.answers)
        }
        // Handed in before (another tab, the clock): as it stands now.
        let fresh = try await quiz.attempts.attempt(attempt.requireID()) ?? attempt
        return try await Self.detail(fresh, quiz: quiz, req: req, staff: open.isStaff)
    }

    /// The attempt with its questions; once finished, what the review option shows of it.
    /// `known`: its answers, when the caller knows them without reading.
    static func detail(
        _ attempt: QuizAttempt, quiz: Quiz, req: Request, staff: Bool, answers known: [Int: QuizAnswer]? = nil
    ) async throws -> AttemptDetail {
        let questions = try await QuizMarking(scope: quiz.scope, kept: quiz.attempts.kept).questions(
            attempt.layout.items.map(\.question))
        let answers: [Int: QuizAnswer]
        if let known { answers = known } else { answers = try await quiz.attempts.answers(of: attempt) }
        let shown: [ShownQuestion] = attempt.layout.items.enumerated().compactMap { slot, item in
            guard let question = questions[item.question] else { return nil }
            var result = ShownQuestion(
                slot: slot, kind: question.kind.rawValue,
                text_html: QuestionText.html(question.text, format: question.format),
                mark: item.mark, response: answers[slot]?.response ?? QuestionResponse())
            switch question.body {
            case .multipleChoice(let mc):
                result.choices = item.order.filter { mc.answers.indices.contains($0) }.map {
                    .init(index: $0, text: mc.answers[$0].text)
                }
            case .trueFalse:
                result.choices = [
                    .init(index: 0, text: req.t("bank.question.true")),
                    .init(index: 1, text: req.t("bank.question.false")),
                ]
            case .matching(let m):
                result.items = m.items.map(\.item)
                result.choices = item.order.filter { m.choices.indices.contains($0) }.map {
                    .init(index: $0, text: m.choices[$0])
                }
            case .essay(let e):
                result.lines = e.lines
            case .shortAnswer, .numerical:
                break
            }
            return result
        }
        var review: [AttemptDetail.ReviewItem]? = nil
        let option = staff ? QuizSettings.Review.full : quiz.settings.review
        if attempt.state == .finished, option != .score {
            review = attempt.layout.items.enumerated().compactMap { slot, item in
                guard let question = questions[item.question] else { return nil }
                let response = answers[slot]?.response ?? QuestionResponse()
                let withFeedback = option == .feedback || option == .full
                return .init(
                    slot: slot, fraction: answers[slot]?.fraction ?? (response.isEmpty ? 0 : nil),
                    feedback: withFeedback ? AnswerText.feedback(response, for: question) : nil,
                    right_answer: option == .full ? AnswerText.right(question, texts: req.texts) : nil,
                    comment: withFeedback ? answers[slot]?.comment : nil)
            }
        }
        let open = attempt.state == .open
        return AttemptDetail(
            attempt: summary(attempt, now: req.application.clock.now()),
            answer_ticket: open ? try await attempt.answerTicket(req) : nil,
            answers_url: open ? req.application.gotong.baseURL + AssessmentAPIRoute.answers.path : nil,
            questions: shown, review: review)
    }
}
