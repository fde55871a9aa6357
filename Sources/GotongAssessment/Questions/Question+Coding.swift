import Foundation

/// One flat JSON shape for a question, used both where the bank stores it and in the API:
/// `kind` says which of the kind's fields are present.
///
///     {"kind": "multichoice", "name": "…", "text": "…", "format": "html", "general_feedback": "",
///      "default_mark": 1, "single": true, "shuffle": true,
///      "answers": [{"text": "…", "fraction": 1, "feedback": "…"}]}
extension Question {
    enum Keys: String, CodingKey {
        case kind, name, text, format, general_feedback, default_mark
        case single, shuffle, answers, correct, feedback_true, feedback_false, case_sensitive, pairs
        case lines, template, grader_info
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        name = try c.decode(String.self, forKey: .name)
        text = try c.decode(String.self, forKey: .text)
        format = try c.decodeIfPresent(TextFormat.self, forKey: .format) ?? .plain
        generalFeedback = try c.decodeIfPresent(String.self, forKey: .general_feedback) ?? ""
        defaultMark = try c.decodeIfPresent(Double.self, forKey: .default_mark) ?? 1
        switch try c.decode(QuestionKind.self, forKey: .kind) {
        case .multipleChoice:
            body = .multipleChoice(
                MultipleChoice(
                    single: try c.decodeIfPresent(Bool.self, forKey: .single) ?? true,
                    shuffle: try c.decodeIfPresent(Bool.self, forKey: .shuffle) ?? true,
                    answers: try c.decode([Answer].self, forKey: .answers)))
        case .trueFalse:
            body = .trueFalse(
                TrueFalse(
                    correct: try c.decode(Bool.self, forKey: .correct),
                    feedbackTrue: try c.decodeIfPresent(String.self, forKey: .feedback_true) ?? "",
                    feedbackFalse: try c.decodeIfPresent(String.self, forKey: .feedback_false) ?? ""))
        case .shortAnswer:
            body = .shortAnswer(
                ShortAnswer(
                    caseSensitive: try c.decodeIfPresent(Bool.self, forKey: .case_sensitive) ?? false,
                    answers: try c.decode([Answer].self, forKey: .answers)))
        case .numerical:
            body = .numerical(Numerical(answers: try c.decode([NumericAnswer].self, forKey: .answers)))
        case .matching:
            body = .matching(
                Matching(
                    shuffle: try c.decodeIfPresent(Bool.self, forKey: .shuffle) ?? true,
                    pairs: try c.decode([Matching.Pair].self, forKey: .pairs)))
        case .essay:
            body = .essay(
                Essay(
                    lines: try c.decodeIfPresent(Int.self, forKey: .lines) ?? 15,
                    template: try c.decodeIfPresent(String.self, forKey: .template) ?? "",
                    graderInfo: try c.decodeIfPresent(String.self, forKey: .grader_info) ?? ""))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(name, forKey: .name)
        try c.encode(text, forKey: .text)
        try c.encode(format, forKey: .format)
        try c.encode(generalFeedback, forKey: .general_feedback)
        try c.encode(defaultMark, forKey: .default_mark)
        switch body {
        case .multipleChoice(let mc):
            try c.encode(mc.single, forKey: .single)
            try c.encode(mc.shuffle, forKey: .shuffle)
            try c.encode(mc.answers, forKey: .answers)
        case .trueFalse(let tf):
            try c.encode(tf.correct, forKey: .correct)
            try c.encode(tf.feedbackTrue, forKey: .feedback_true)
            try c.encode(tf.feedbackFalse, forKey: .feedback_false)
        case .shortAnswer(let sa):
            try c.encode(sa.caseSensitive, forKey: .case_sensitive)
            try c.encode(sa.answers, forKey: .answers)
        case .numerical(let n):
            try c.encode(n.answers, forKey: .answers)
        case .matching(let m):
            try c.encode(m.shuffle, forKey: .shuffle)
            try c.encode(m.pairs, forKey: .pairs)
        case .essay(let e):
            try c.encode(e.lines, forKey: .lines)
            try c.encode(e.template, forKey: .template)
            try c.encode(e.graderInfo, forKey: .grader_info)
        }
    }
}

// Feedback and tolerance may be left out of the JSON; they are then empty and zero.

extension Answer {
    enum Keys: String, CodingKey { case text, fraction, feedback }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(
            try c.decode(String.self, forKey: .text), fraction: try c.decode(Double.self, forKey: .fraction),
            feedback: try c.decodeIfPresent(String.self, forKey: .feedback) ?? "")
    }
}

extension NumericAnswer {
    enum Keys: String, CodingKey { case value, tolerance, fraction, feedback }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(
            try c.decode(Double.self, forKey: .value),
            tolerance: try c.decodeIfPresent(Double.self, forKey: .tolerance) ?? 0,
            fraction: try c.decode(Double.self, forKey: .fraction),
            feedback: try c.decodeIfPresent(String.self, forKey: .feedback) ?? "")
    }
}
