import Fluent
import Foundation
import GotongLearning
import GotongPlatform
import GotongTenancy
import SQLKit

/// Draws one attempt's questions from the quiz's slots: fixed questions as they are, random
/// slots from their category and those below it (never a question twice), then the order of
/// questions and of their answers, shuffled as the quiz and each question allow.
struct QuizLayout {
    let activity: Activity
    let settings: QuizSettings
    let scope: TenantScope
    let kept: KeptQuizzes

    func draw() async throws -> AttemptLayout {
        var random = SystemRandomNumberGenerator()
        return try await draw(using: &random)
    }

    func draw(using random: inout some RandomNumberGenerator) async throws -> AttemptLayout {
        let slots = try await kept.slots(of: activity.requireID(), in: scope)
        // The category tree only when some slot draws at random.
        let folders = slots.contains { $0.categoryID != nil } ? try await QuestionBank(scope).folders() : []
        var chosen: [(id: UUID, mark: Double)] = []
        var used = Set<UUID>()
        for slot in slots {
            if let id = slot.questionID {
                if used.insert(id).inserted { chosen.append((id, slot.mark)) }
            } else if let category = slot.categoryID, let folder = folders.first(where: { $0.id == category }) {
                let below = folders.filter { $0.path.starts(with: folder.path) }.map(\.id)
                let pool = try await scope.query(QuestionRecord.self).filter(\.$categoryID ~~ below)
                    .field(\.$id).all().compactMap(\.id).filter { !used.contains($0) }
                for id in pool.shuffled(using: &random).prefix(slot.count) {
                    used.insert(id)
                    chosen.append((id, slot.mark))
                }
            }
        }
        if settings.shuffleQuestions { chosen.shuffle(using: &random) }
        let byID = try await kept.questions(chosen.map(\.id), in: scope)
        var items: [AttemptLayout.Item] = []
        for (id, mark) in chosen {
            guard let kept = byID[id] else { continue }
            items.append(
                .init(
                    question: id, version: kept.version, mark: mark, order: order(of: kept.question, using: &random)))
        }
        return AttemptLayout(items: items)
    }

    /// The order the question's answers (or matching's choices) are shown in.
    private func order(of question: Question, using random: inout some RandomNumberGenerator) -> [Int] {
        switch question.body {
        case .multipleChoice(let mc):
            let indices = Array(mc.answers.indices)
            return settings.shuffleAnswers && mc.shuffle ? indices.shuffled(using: &random) : indices
        case .matching(let m):
            let indices = Array(m.choices.indices)
            return settings.shuffleAnswers && m.shuffle ? indices.shuffled(using: &random) : indices
        default:
            return []
        }
    }
}

/// Marks attempts: each answer by ``QuestionGrading`` against the question as it is now, the
/// attempt's score as the sum of fractions times marks. An essay waits for a grader; its grade,
/// once given, is kept when the attempt is marked again (a regrade).
struct QuizMarking {
    let scope: TenantScope
    /// Where questions are read from when kept (the hot paths); else the bank, every time.
    var kept: KeptQuizzes? = nil

    func mark(_ attempt: QuizAttempt, keepManual: Bool) async throws {
        let attemptID = try attempt.requireID()
        let layout = attempt.layout
        let answers = try await scope.query(QuizAnswer.self).filter(\.$attemptID == attemptID).all()
        let given = Dictionary(
            answers.map { ($0.slot, Given(response: $0.response, fraction: $0.fraction)) },
            uniquingKeysWith: { a, _ in a })
        let questions = try await questions(layout.items.map(\.question))
        let marks = Self.marks(layout, given: given, questions: questions, keepManual: keepManual)
        if let update = Self.recording(marks.changed, attempt: attemptID) { try await scope.db.sql.raw(update).run() }
        attempt.score = marks.score
        attempt.needsGrading = marks.waiting
        try await attempt.update(on: scope.db)
    }

    /// An answer as given, with the fraction it was last marked.
    struct Given {
        let response: QuestionResponse
        let fraction: Double?
    }

    /// What the answers earn: the score, whether an essay waits for a grader, and the answers
    /// whose fraction changed. Reads and writes nothing, so a hand-in can mark inside a
    /// transaction of a few round trips (``QuizAttempts``).
    static func marks(
        _ layout: AttemptLayout, given bySlot: [Int: Given], questions: [UUID: Question], keepManual: Bool
    ) -> (score: Double, waiting: Bool, changed: [(slot: Int, fraction: Double?)]) {
        var score = 0.0
        var waiting = false
        var changed: [(slot: Int, fraction: Double?)] = []
        for (slot, item) in layout.items.enumerated() {
            guard let question = questions[item.question] else { continue }
            let answer = bySlot[slot]
            let automatic = QuestionGrading.fraction(of: answer?.response ?? QuestionResponse(), for: question)
            var fraction = automatic
            if automatic == nil {
                // An essay: a grader's mark stands; an empty essay earns nothing without one.
                if keepManual, let given = answer?.fraction {
                    fraction = given
                } else if answer?.response.isEmpty ?? true {
                    fraction = 0
                } else {
                    waiting = true
                }
            }
            if let answer, answer.fraction != fraction { changed.append((slot, fraction)) }
            score += (fraction ?? 0) * item.mark
        }
        return (score, waiting, changed)
    }

    /// The statement that writes the answers' new fractions, one however many changed; nil when
    /// none did.
    static func recording(_ changed: [(slot: Int, fraction: Double?)], attempt: UUID) -> SQLQueryString? {
        guard !changed.isEmpty else { return nil }
        var cases: SQLQueryString = "CASE slot"
        for (slot, fraction) in changed {
            cases += " WHEN \(bind: slot) THEN " + (fraction.map { "\(bind: $0)" as SQLQueryString } ?? "NULL")
        }
        cases += " END"
        let slots = changed.map(\.slot)
        return """
            UPDATE quiz_answers SET fraction = \(cases) WHERE attempt_id = \(bind: attempt) \
            AND slot IN (\(binds: slots))
            """
    }

    func questions(_ ids: [UUID]) async throws -> [UUID: Question] {
        if let kept { return try await kept.questions(ids, in: scope).mapValues(\.question) }
        return try await QuestionRecord.byID(ids, in: scope).mapValues { try $0.question() }
    }
}
