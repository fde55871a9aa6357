import Foundation

/// A question as trainers write it and as the exchange formats carry it: a value with no
/// database in it, so the GIFT and Moodle XML readers and writers, grading and the bank's
/// pages all work on the same thing. Stored as JSON in `questions.body` (``QuestionRecord``).
public struct Question: Codable, Hashable, Sendable {
    /// A short name trainers find it by (GIFT's `::title::`, Moodle's `<name>`).
    public var name: String
    public var text: String
    public var format: TextFormat
    /// Shown to every learner after answering, whatever they answered.
    public var generalFeedback: String
    /// The question's points in a quiz unless the quiz says otherwise.
    public var defaultMark: Double
    public var body: QuestionBody

    public init(
        name: String, text: String, format: TextFormat = .plain, generalFeedback: String = "",
        defaultMark: Double = 1, body: QuestionBody
    ) {
        self.name = name
        self.text = text
        self.format = format
        self.generalFeedback = generalFeedback
        self.defaultMark = defaultMark
        self.body = body
    }

    public var kind: QuestionKind { body.kind }
}

/// How a question's text is written. Answers and feedback are plain text; only the question's
/// own text keeps its format (Moodle questions are mostly HTML).
public enum TextFormat: String, Codable, Hashable, Sendable, CaseIterable {
    case plain, html, markdown
    /// Moodle's old "auto-format": plain text whose blank lines are paragraphs.
    case moodle
}

/// The kinds of question, by the names Moodle gives them in its XML (`<question type="…">`).
public enum QuestionKind: String, Codable, Hashable, Sendable, CaseIterable {
    case multipleChoice = "multichoice"
    case trueFalse = "truefalse"
    case shortAnswer = "shortanswer"
    case numerical
    case matching
    case essay
}

/// What a question of each kind holds besides its text.
public enum QuestionBody: Hashable, Sendable {
    case multipleChoice(MultipleChoice)
    case trueFalse(TrueFalse)
    case shortAnswer(ShortAnswer)
    case numerical(Numerical)
    case matching(Matching)
    case essay(Essay)

    public var kind: QuestionKind {
        switch self {
        case .multipleChoice: .multipleChoice
        case .trueFalse: .trueFalse
        case .shortAnswer: .shortAnswer
        case .numerical: .numerical
        case .matching: .matching
        case .essay: .essay
        }
    }
}

/// One answer and what choosing (or typing) it earns: `fraction` of the question's mark, from
/// −1 to 1 (Moodle's XML writes it as a percentage).
public struct Answer: Codable, Hashable, Sendable {
    public var text: String
    public var fraction: Double
    public var feedback: String

    public init(_ text: String, fraction: Double, feedback: String = "") {
        self.text = text
        self.fraction = fraction
        self.feedback = feedback
    }
}

/// Multiple choice: one answer (`single`) or several, each right answer earning its share.
public struct MultipleChoice: Codable, Hashable, Sendable {
    public var single: Bool
    public var shuffle: Bool
    public var answers: [Answer]

    public init(single: Bool, shuffle: Bool = true, answers: [Answer]) {
        self.single = single
        self.shuffle = shuffle
        self.answers = answers
    }
}

public struct TrueFalse: Codable, Hashable, Sendable {
    public var correct: Bool
    /// Shown to a learner who answered "true", and to one who answered "false".
    public var feedbackTrue: String
    public var feedbackFalse: String

    public init(correct: Bool, feedbackTrue: String = "", feedbackFalse: String = "") {
        self.correct = correct
        self.feedbackTrue = feedbackTrue
        self.feedbackFalse = feedbackFalse
    }
}

/// Typed answers compared with the accepted ones; `*` in an accepted answer matches any text.
public struct ShortAnswer: Codable, Hashable, Sendable {
    public var caseSensitive: Bool
    public var answers: [Answer]

    public init(caseSensitive: Bool = false, answers: [Answer]) {
        self.caseSensitive = caseSensitive
        self.answers = answers
    }
}

public struct NumericAnswer: Codable, Hashable, Sendable {
    public var value: Double
    /// Accepted distance either side of `value`.
    public var tolerance: Double
    public var fraction: Double
    public var feedback: String

    public init(_ value: Double, tolerance: Double = 0, fraction: Double = 1, feedback: String = "") {
        self.value = value
        self.tolerance = tolerance
        self.fraction = fraction
        self.feedback = feedback
    }
}

public struct Numerical: Codable, Hashable, Sendable {
    public var answers: [NumericAnswer]

    public init(answers: [NumericAnswer]) { self.answers = answers }
}

/// Items matched to answers; a pair with an empty item is an extra wrong answer.
public struct Matching: Codable, Hashable, Sendable {
    public struct Pair: Codable, Hashable, Sendable {
        public var item: String
        public var answer: String

        public init(_ item: String, _ answer: String) {
            self.item = item
            self.answer = answer
        }
    }

    public var shuffle: Bool
    public var pairs: [Pair]

    public init(shuffle: Bool = true, pairs: [Pair]) {
        self.shuffle = shuffle
        self.pairs = pairs
    }

    /// The pairs a learner answers (not the extra answers).
    public var items: [Pair] { pairs.filter { !$0.item.isEmpty } }
    /// Every answer offered, once each, in the order first written.
    public var choices: [String] {
        var seen = Set<String>()
        return pairs.map(\.answer).filter { seen.insert($0).inserted }
    }
}

/// Answered in writing and graded by hand.
public struct Essay: Codable, Hashable, Sendable {
    /// The height of the answer box, in lines.
    public var lines: Int
    /// What the answer box starts with.
    public var template: String
    /// Guidance for graders, never shown to learners.
    public var graderInfo: String

    public init(lines: Int = 15, template: String = "", graderInfo: String = "") {
        self.lines = lines
        self.template = template
        self.graderInfo = graderInfo
    }
}
