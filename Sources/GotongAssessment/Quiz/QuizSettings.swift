import Foundation
import GotongLearning

/// A quiz's settings, read from the activity's settings by name (the fields ``QuizType``
/// declares), with Moodle's defaults where the author left one out.
struct QuizSettings: Sendable {
    enum Grading: String, CaseIterable, Sendable { case highest, average, first, last }
    /// What a learner sees of a finished attempt.
    enum Review: String, CaseIterable, Sendable {
        /// The score only (a pre-test, so the post-test is not given away).
        case score
        /// Their answers, right or wrong, and the score.
        case answers
        /// And each answer's feedback and the general feedback.
        case feedback
        /// And the right answers.
        case full
    }
    enum Role: String, CaseIterable, Sendable { case none, pretest, posttest }

    let intro: String
    /// Seconds; nil for no limit.
    let timeLimit: Int?
    /// Attempts allowed; nil for no limit.
    let attempts: Int?
    let grading: Grading
    /// 0 when passing is not judged.
    let passPercent: Int
    let shuffleQuestions: Bool
    let shuffleAnswers: Bool
    let review: Review
    let role: Role

    init(_ settings: ActivitySettings) {
        intro = settings.string("intro")
        timeLimit = settings.int("time_limit").flatMap { $0 > 0 ? $0 * 60 : nil }
        attempts = settings.int("attempts").flatMap { $0 > 0 ? $0 : nil }
        grading = Grading(rawValue: settings.string("grading")) ?? .highest
        passPercent = settings.int("pass_percent") ?? 0
        shuffleQuestions = settings.string("shuffle_questions") == "yes"
        shuffleAnswers = settings.string("shuffle_answers") != "no"
        review = Review(rawValue: settings.string("review")) ?? .feedback
        role = Role(rawValue: settings.string("role")) ?? .none
    }

    /// The grade that counts among finished attempts' percents, oldest first.
    func grade(of percents: [Double]) -> Double? {
        guard !percents.isEmpty else { return nil }
        switch grading {
        case .highest: return percents.max()
        case .average: return percents.reduce(0, +) / Double(percents.count)
        case .first: return percents.first
        case .last: return percents.last
        }
    }

    func passes(_ percent: Double) -> Bool { passPercent > 0 && percent + 1e-9 >= Double(passPercent) }
}
