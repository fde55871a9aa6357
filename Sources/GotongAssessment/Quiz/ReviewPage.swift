import Fluent
import Foundation
import GotongLearning
import GotongPlatform
import Vapor

/// A finished attempt as the quiz's review option lets the learner see it (staff see it
/// whole): the score, and per question the answer given, whether it was right, its feedback and
/// the right answer.
struct ReviewModel: Sendable {
    struct Row: Sendable {
        let number: Int
        let question: Question
        let mark: Double
        let fraction: Double?
        let given: String
        let feedback: String
        let right: String
        let comment: String?
        let changed: Bool
    }

    let activityTitle: String
    let attemptNumber: Int
    let finishedBy: String?
    let percent: Double?
    let score: Double?
    let maxScore: Double
    let needsGrading: Bool
    let passPercent: Int
    let review: QuizSettings.Review
    let rows: [Row]
    let backURL: String
    let gradeURL: String?

    static func make(
        _ attempt: QuizAttempt, quiz: Quiz, open: OpenActivity, req: Request, review: QuizSettings.Review
    ) async throws -> ReviewModel {
        let layout = attempt.layout
        let questions = try await QuizMarking(scope: quiz.scope).questions(layout.items.map(\.question))
        let versions = try await quiz.scope.query(QuestionRecord.self).filter(\.$id ~~ layout.items.map(\.question))
            .all().reduce(into: [UUID: Int]()) { $0[$1.id!] = $1.version }
        let answers = try await quiz.attempts.answers(of: attempt)
        let texts = req.texts
        let rows: [Row] = layout.items.enumerated().compactMap { slot, item -> Row? in
            guard let question = questions[item.question] else { return nil }
            let response = answers[slot]?.response ?? QuestionResponse()
            return Row(
                number: slot + 1, question: question, mark: item.mark,
                fraction: answers[slot]?.fraction ?? (response.isEmpty ? 0 : nil),
                given: AnswerText.given(response, for: question, texts: texts),
                feedback: AnswerText.feedback(response, for: question), right: AnswerText.right(question, texts: texts),
                comment: answers[slot]?.comment, changed: versions[item.question].map { $0 != item.version } ?? false)
        }
        return ReviewModel(
            activityTitle: open.activity.title, attemptNumber: attempt.number, finishedBy: attempt.finishedBy,
            percent: attempt.percent, score: attempt.score, maxScore: attempt.maxScore,
            needsGrading: attempt.needsGrading, passPercent: quiz.settings.passPercent, review: review, rows: rows,
            backURL: QuizRoutes.base(open).path,
            gradeURL: open.isStaff ? QuizRoutes.path(.grade(QuizRoutes.attemptParam(attempt)), open) : nil)
    }
}

extension ReviewModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("quiz.review.heading", ["n": "\(attemptNumber)"])).raw("</h1>\n<p>").text(activityTitle)
            .raw("</p>\n")
        if finishedBy == "timer" { h.raw("<p class=\"flash info\">").text(t("quiz.review.by_timer")).raw("</p>\n") }
        h.raw("<p class=\"grade\"><strong>")
        if needsGrading {
            h.text(t("quiz.review.waiting"))
        } else if let percent, let score {
            h.text(
                t(
                    "quiz.review.score",
                    [
                        "score": Number.text((score * 100).rounded() / 100), "max": Number.text(maxScore),
                        "grade": Grade.text(percent),
                    ]))
            if passPercent > 0 {
                h.raw(" · ").text(
                    t(percent + 1e-9 >= Double(passPercent) ? "quiz.review.passed" : "quiz.review.not_passed"))
            }
        }
        h.raw("</strong></p>\n")
        if let gradeURL, rows.contains(where: { $0.question.kind == .essay }) {
            h.raw("<p><a class=\"button secondary\" href=\"").attr(gradeURL).raw("\">").text(t("quiz.grade.open"))
                .raw("</a></p>\n")
        }
        if review != .score { for row in rows { write(row, to: h, texts: t) } }
        h.raw("<p><a href=\"").attr(backURL).raw("\">").text(t("quiz.review.back")).raw("</a></p>\n")
    }

    private func write(_ row: Row, to h: HTMLText, texts t: Texts) {
        let state: String
        switch row.fraction {
        case _ where row.given.isEmpty: state = "quiz.review.unanswered"
        case nil: state = "quiz.review.pending"
        case .some(let f) where f >= 0.999_99: state = "quiz.review.right"
        case .some(let f) where f > 0: state = "quiz.review.partly"
        default: state = "quiz.review.wrong"
        }
        h.raw("<section class=\"panel review\"><h2>").text(
            t("quiz.attempt.question", ["n": "\(row.number)", "mark": Number.text(row.mark)])
        )
        .raw("</h2>\n<div class=\"question-text\">").raw(
            QuestionText.html(row.question.text, format: row.question.format)
        )
        .raw("</div>\n<p><strong>").text(t("quiz.review.given")).raw("</strong> ").raw(
            QuestionText.plain(row.given.isEmpty ? "—" : row.given)
        )
        .raw("</p>\n<p class=\"").raw(state == "quiz.review.right" ? "ok" : "muted").raw("\">").text(t(state))
        if let fraction = row.fraction {
            h.text(" (" + Number.text((fraction * row.mark * 100).rounded() / 100) + "/" + Number.text(row.mark) + ")")
        }
        h.raw("</p>\n")
        if review == .feedback || review == .full {
            if !row.feedback.isEmpty { h.raw("<p>").raw(QuestionText.plain(row.feedback)).raw("</p>\n") }
            if !row.question.generalFeedback.isEmpty {
                h.raw("<p class=\"muted\">").raw(QuestionText.plain(row.question.generalFeedback)).raw("</p>\n")
            }
            if let comment = row.comment, !comment.isEmpty {
                h.raw("<p><strong>").text(t("quiz.review.comment")).raw("</strong> ").raw(QuestionText.plain(comment))
                    .raw("</p>\n")
            }
        }
        if review == .full, !row.right.isEmpty {
            h.raw("<p><strong>").text(t("quiz.review.right_answer")).raw("</strong> ").raw(
                QuestionText.plain(row.right)
            ).raw("</p>\n")
        }
        if row.changed { h.raw("<p class=\"hint\">").text(t("quiz.review.changed")).raw("</p>\n") }
        h.raw("</section>\n")
    }
}

/// Answers written out in words, for reviews, statistics and exports.
enum AnswerText {
    static func given(_ response: QuestionResponse, for question: Question, texts t: Texts) -> String {
        switch question.body {
        case .multipleChoice(let mc):
            return (response.choices ?? []).filter { mc.answers.indices.contains($0) }.map { mc.answers[$0].text }
                .joined(separator: "; ")
        case .trueFalse:
            guard let choice = response.choices?.first else { return "" }
            return t(choice == 0 ? "bank.question.true" : "bank.question.false")
        case .shortAnswer, .numerical, .essay:
            return response.text ?? ""
        case .matching(let m):
            let choices = m.choices
            if (response.matches ?? []).allSatisfy({ $0 == nil }) { return "" }
            return m.items.enumerated().map { index, pair in
                let chosen = (response.matches ?? []).indices.contains(index) ? response.matches?[index] ?? nil : nil
                return pair.item + " → " + (chosen.flatMap { choices.indices.contains($0) ? choices[$0] : nil } ?? "—")
            }.joined(separator: "; ")
        }
    }

    static func feedback(_ response: QuestionResponse, for question: Question) -> String {
        switch question.body {
        case .multipleChoice(let mc):
            return (response.choices ?? []).filter { mc.answers.indices.contains($0) }.map { mc.answers[$0].feedback }
                .filter { !$0.isEmpty }.joined(separator: " ")
        case .trueFalse(let tf):
            guard let choice = response.choices?.first else { return "" }
            return choice == 0 ? tf.feedbackTrue : tf.feedbackFalse
        case .shortAnswer(let sa):
            return response.text.flatMap { QuestionGrading.matchingAnswer($0, in: sa)?.feedback } ?? ""
        case .numerical(let n):
            guard let value = QuestionGrading.number(response.text ?? "") else { return "" }
            return n.answers.first { abs($0.value - value) <= $0.tolerance + 1e-9 }?.feedback ?? ""
        case .matching, .essay:
            return ""
        }
    }

    static func right(_ question: Question, texts t: Texts) -> String {
        switch question.body {
        case .multipleChoice(let mc): return mc.answers.filter { $0.fraction > 0 }.map(\.text).joined(separator: "; ")
        case .trueFalse(let tf): return t(tf.correct ? "bank.question.true" : "bank.question.false")
        case .shortAnswer(let sa): return sa.answers.first { $0.fraction >= 0.999_99 }?.text ?? ""
        case .numerical(let n):
            return n.answers.first { $0.fraction >= 0.999_99 }.map {
                Number.text($0.value) + ($0.tolerance > 0 ? " ± " + Number.text($0.tolerance) : "")
            } ?? ""
        case .matching(let m): return m.items.map { $0.item + " → " + $0.answer }.joined(separator: "; ")
        case .essay: return ""
        }
    }
}
