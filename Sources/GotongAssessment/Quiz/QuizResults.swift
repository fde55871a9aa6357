import Fluent
import Foundation
import GotongIdentity
import GotongLearning
import GotongPlatform
import Vapor

/// A quiz's results for its trainers: every attempt with its grade, and per question how easy
/// it was (facility: the average share of the mark earned) and how often each answer was
/// chosen, to spot a question whose key is wrong or whose wording misleads.
struct QuizResults: Sendable {
    struct AttemptRow: Sendable {
        let learner: String
        let number: Int
        let open: Bool
        let percent: Double?
        let needsGrading: Bool
        let finishedBy: String?
        let reviewURL: String
        let gradeURL: String
    }

    struct QuestionStats: Sendable {
        let number: Int
        let name: String
        let kind: QuestionKind
        let answered: Int
        /// Average fraction earned, 0–100; nil when nobody answered or it waits for grading.
        let facility: Double?
        /// Each answer (or typed text) and how many chose it.
        let frequencies: [(answer: String, count: Int, right: Bool)]
    }

    let activityTitle: String
    let backURL: String
    let regradeURL: String
    let attempts: [AttemptRow]
    let questions: [QuestionStats]
    let average: Double?

    static func make(open: OpenActivity, quiz: Quiz, req: Request) async throws -> QuizResults {
        let activityID = try open.activity.requireID()
        let now = req.application.clock.now()
        for attempt in try await quiz.scope.query(QuizAttempt.self).filter(\.$activityID == activityID)
            .filter(\.$state == .open).all()
        {
            _ = try await quiz.attempts.closeIfOverdue(attempt, now: now)
        }
        let attempts = try await quiz.scope.query(QuizAttempt.self).filter(\.$activityID == activityID)
            .sort(\.$startedAt).all()
        let names = try await Person.query(on: req.database).filter(\.$id ~~ Set(attempts.map(\.personID))).all()
            .reduce(into: [UUID: String]()) { $0[$1.id!] = $1.name }
        let finished = attempts.filter { $0.state == .finished }
        let answers = try await quiz.scope.query(QuizAnswer.self).filter(\.$attemptID ~~ finished.compactMap(\.id))
            .all()
        let base = QuizRoutes.base(open)
        let graded = finished.filter { !$0.needsGrading }.compactMap(\.percent)
        return QuizResults(
            activityTitle: open.activity.title, backURL: base.path, regradeURL: QuizPage.regrade.path(under: base),
            attempts: attempts.sorted { (names[$0.personID] ?? "", $0.number) < (names[$1.personID] ?? "", $1.number) }
                .map { attempt in
                    let param = QuizRoutes.attemptParam(attempt)
                    return AttemptRow(
                        learner: names[attempt.personID] ?? "—", number: attempt.number, open: attempt.state == .open,
                        percent: attempt.percent, needsGrading: attempt.needsGrading, finishedBy: attempt.finishedBy,
                        reviewURL: QuizPage.review(param).path(under: base),
                        gradeURL: QuizPage.grade(param).path(under: base))
                },
            questions: try await statistics(finished, answers, quiz: quiz, texts: req.texts),
            average: graded.isEmpty ? nil : graded.reduce(0, +) / Double(graded.count))
    }

    /// Statistics per question of the bank, over every finished attempt that drew it.
    static func statistics(
        _ attempts: [QuizAttempt], _ answers: [QuizAnswer], quiz: Quiz, texts: Texts
    ) async throws -> [QuestionStats] {
        var order: [UUID] = []
        var given: [UUID: [(response: QuestionResponse, fraction: Double?)]] = [:]
        let byAttempt = Dictionary(grouping: answers, by: \.attemptID)
        for attempt in attempts {
            let saved = Dictionary(
                (byAttempt[attempt.id!] ?? []).map { ($0.slot, $0) }, uniquingKeysWith: { a, _ in a })
            for (slot, item) in attempt.layout.items.enumerated() {
                if given[item.question] == nil { order.append(item.question) }
                let answer = saved[slot]
                given[item.question, default: []].append(
                    (answer?.response ?? QuestionResponse(), answer?.fraction ?? 0))
            }
        }
        let questions = try await QuizMarking(scope: quiz.scope).questions(order)
        return order.enumerated().compactMap { index, id in
            guard let question = questions[id], let rows = given[id] else { return nil }
            let fractions = rows.compactMap(\.fraction)
            return QuestionStats(
                number: index + 1, name: question.name, kind: question.kind,
                answered: rows.filter { !$0.response.isEmpty }.count,
                facility: fractions.count == rows.count && !rows.isEmpty
                    ? fractions.reduce(0, +) / Double(fractions.count) * 100 : nil,
                frequencies: frequencies(rows.map(\.response), question, texts: texts))
        }
    }

    static func frequencies(
        _ responses: [QuestionResponse], _ question: Question, texts t: Texts
    ) -> [(answer: String, count: Int, right: Bool)] {
        switch question.body {
        case .multipleChoice(let mc):
            return mc.answers.enumerated().map { index, answer in
                (answer.text, responses.filter { $0.choices?.contains(index) == true }.count, answer.fraction > 0)
            }
        case .trueFalse(let tf):
            return [(0, true), (1, false)].map { value, truth in
                (
                    t(truth ? "bank.question.true" : "bank.question.false"),
                    responses.filter { $0.choices?.first == value }.count, truth == tf.correct
                )
            }
        case .shortAnswer, .numerical:
            var counts: [String: Int] = [:]
            for response in responses {
                let text = QuestionGrading.normalised(response.text ?? "", caseSensitive: false)
                if !text.isEmpty { counts[text, default: 0] += 1 }
            }
            return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(8).map { text, count in
                (text, count, (QuestionGrading.fraction(of: QuestionResponse(text: text), for: question) ?? 0) > 0.999)
            }
        case .matching, .essay:
            return []
        }
    }
}
