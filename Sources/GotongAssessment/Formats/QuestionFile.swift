import Foundation

/// What an exchange file holds, read without writing anything: its questions with their
/// categories and positions, and every part that cannot be imported, with its position and
/// reason. The bank's import preview shows this; confirming writes ``items``.
public struct QuestionFile: Sendable, Equatable {
    public struct Item: Sendable, Hashable {
        /// The category path below the bank's top (`["Latsar CPNS", "Nilai Dasar"]`); empty for
        /// the top itself.
        public var category: [String]
        public var question: Question
        /// The line the question starts on (GIFT), or its `<question>` element's line (XML).
        public var line: Int
    }

    /// A part of the file that is not imported. `key` is a message in the catalogue, so each
    /// reader sees the reason in their language.
    public struct Problem: Sendable, Hashable, Codable {
        public var line: Int
        public var key: String
        public var args: [String: String]

        public init(line: Int, _ key: String, _ args: [String: String] = [:]) {
            self.line = line
            self.key = key
            self.args = args
        }
    }

    public var items: [Item] = []
    /// Parts that are not imported: a question each (or the whole file, when it is unreadable).
    public var problems: [Problem] = []
    /// Parts left out of questions that are imported (an embedded image).
    public var notes: [Problem] = []

    public init() {}

    /// Adds a question read at `line` if it is complete, else the reasons it is not.
    mutating func add(_ question: Question, category: [String], line: Int) {
        let found = QuestionCheck.problems(of: question)
        if found.isEmpty {
            items.append(Item(category: category, question: question, line: line))
        } else {
            problems += found.map { Problem(line: line, $0.key, $0.args) }
        }
    }

    /// Questions by kind, for the preview's summary.
    public var countsByKind: [QuestionKind: Int] {
        items.reduce(into: [:]) { $0[$1.question.kind, default: 0] += 1 }
    }
}

/// What makes a question usable, whatever file or form it came from.
public enum QuestionCheck {
    public struct Finding: Sendable, Hashable {
        public let key: String
        public let args: [String: String]
        init(_ key: String, _ args: [String: String] = [:]) {
            self.key = key
            self.args = args
        }
    }

    /// The longest text a question, answer or feedback may have (a long case study fits).
    public static let maxText = 20_000
    public static let maxName = 255
    public static let maxAnswers = 50

    public static func problems(of question: Question) -> [Finding] {
        var found: [Finding] = []
        if question.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            found.append(.init("bank.problem.no_text"))
        }
        if question.name.count > maxName { found.append(.init("bank.problem.name_long", ["max": "\(maxName)"])) }
        let texts = [question.text, question.generalFeedback] + answerTexts(question.body)
        if texts.contains(where: { $0.count > maxText }) {
            found.append(.init("bank.problem.text_long", ["max": "\(maxText)"]))
        }
        if !(0...1_000).contains(question.defaultMark) { found.append(.init("bank.problem.mark")) }
        found += bodyProblems(question.body)
        return found
    }

    private static func answerTexts(_ body: QuestionBody) -> [String] {
        switch body {
        case .multipleChoice(let mc): mc.answers.flatMap { [$0.text, $0.feedback] }
        case .shortAnswer(let sa): sa.answers.flatMap { [$0.text, $0.feedback] }
        case .numerical(let n): n.answers.map(\.feedback)
        case .trueFalse(let tf): [tf.feedbackTrue, tf.feedbackFalse]
        case .matching(let m): m.pairs.flatMap { [$0.item, $0.answer] }
        case .essay(let e): [e.template, e.graderInfo]
        }
    }

    private static func bodyProblems(_ body: QuestionBody) -> [Finding] {
        switch body {
        case .multipleChoice(let mc): return choiceProblems(mc)
        case .shortAnswer(let sa):
            if sa.answers.contains(where: { $0.text.trimmingCharacters(in: .whitespaces).isEmpty }) {
                return [.init("bank.problem.empty_answer")]
            }
            return answersProblems(sa.answers.map(\.fraction))
        case .numerical(let n):
            if n.answers.contains(where: { !$0.value.isFinite || !$0.tolerance.isFinite || $0.tolerance < 0 }) {
                return [.init("bank.problem.number")]
            }
            return answersProblems(n.answers.map(\.fraction))
        case .matching(let m):
            if m.items.count < 2 { return [.init("bank.problem.matching_pairs")] }
            if m.pairs.contains(where: { $0.answer.trimmingCharacters(in: .whitespaces).isEmpty }) {
                return [.init("bank.problem.matching_answer")]
            }
            return m.pairs.count > maxAnswers ? [.init("bank.problem.too_many", ["max": "\(maxAnswers)"])] : []
        case .trueFalse, .essay: return []
        }
    }

    /// Typed answers: at least one earns full marks, and none earns more or less than possible.
    private static func answersProblems(_ fractions: [Double]) -> [Finding] {
        if fractions.isEmpty { return [.init("bank.problem.no_answers")] }
        if fractions.count > maxAnswers { return [.init("bank.problem.too_many", ["max": "\(maxAnswers)"])] }
        if fractions.contains(where: { !(-1...1).contains($0) }) { return [.init("bank.problem.fraction")] }
        return fractions.contains(where: { abs($0 - 1) < 0.000_01 }) ? [] : [.init("bank.problem.no_full_mark")]
    }

    private static func choiceProblems(_ mc: MultipleChoice) -> [Finding] {
        let answers = mc.answers
        if answers.count < 2 { return [.init("bank.problem.choices")] }
        if answers.count > maxAnswers { return [.init("bank.problem.too_many", ["max": "\(maxAnswers)"])] }
        if answers.contains(where: { $0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
            return [.init("bank.problem.empty_answer")]
        }
        if answers.contains(where: { !(-1...1).contains($0.fraction) }) { return [.init("bank.problem.fraction")] }
        if !answers.contains(where: { $0.fraction > 0 }) { return [.init("bank.problem.no_right")] }
        if mc.single {
            return answers.contains(where: { abs($0.fraction - 1) < 0.000_01 })
                ? [] : [.init("bank.problem.no_full_mark")]
        }
        // Several answers: the right ones together earn the whole mark (Moodle allows rounding).
        let total = answers.map(\.fraction).filter { $0 > 0 }.reduce(0, +)
        return abs(total - 1) < 0.001 ? [] : [.init("bank.problem.fractions_sum")]
    }
}
