import Foundation
import GotongPlatform

/// A question as the web editor posts it, one form for every kind: the shared fields, and
/// numbered rows of answers (`answer_0`, `grade_0`, `feedback_0`, `tolerance_0`) or of matching
/// pairs (`item_0`, `match_0`). Grades are percents (`100`, `50`, `-25`), as Moodle's editor
/// shows them. Empty rows are left out, so a form has spare rows to fill.
enum QuestionEditorForm {
    /// Rows a form shows: the question's own and some spare, at least `minimumRows`.
    static let spareRows = 2
    static let minimumRows = 4
    static let maxRows = QuestionCheck.maxAnswers

    static func rows(for question: Question?) -> Int {
        let used: Int =
            switch question?.body {
            case .multipleChoice(let mc): mc.answers.count
            case .shortAnswer(let sa): sa.answers.count
            case .numerical(let n): n.answers.count
            case .matching(let m): m.pairs.count
            default: 0
            }
        return min(maxRows, max(minimumRows, used + spareRows))
    }

    /// The question the form describes, with the problems only the form can have (a grade that
    /// is not a number); the bank checks the rest when it saves. What the form does not show is
    /// kept from `base`, the question being changed: the text's format (an imported question's
    /// HTML stays HTML), an essay's template, whether matching pairs are shuffled.
    static func read(
        _ values: [String: String], kind: QuestionKind, base: Question? = nil, problems: inout ProblemList
    ) -> Question {
        func text(_ name: String) -> String { (values[name] ?? "").cleanedText }
        func number(_ name: String, default fallback: Double, field: String) -> Double {
            let raw = text(name)
            guard !raw.isEmpty else { return fallback }
            guard let value = QuestionGrading.number(raw) else {
                problems.add(field, "bank.form.error.number", ["value": raw])
                return fallback
            }
            return value
        }
        let rows = (0..<maxRows).filter { index in
            ["answer", "item", "match"].contains { !text("\($0)_\(index)").isEmpty }
        }
        /// The rows as answers; a row without a grade is worth `defaultGrade` percent.
        func answers(defaultGrade: Double) -> [Answer] {
            rows.map { index in
                Answer(
                    text("answer_\(index)"),
                    fraction: number("grade_\(index)", default: defaultGrade, field: "grade_\(index)") / 100,
                    feedback: text("feedback_\(index)"))
            }
        }
        let body: QuestionBody
        switch kind {
        case .multipleChoice:
            body = .multipleChoice(
                MultipleChoice(
                    single: values["single"] == "on", shuffle: values["shuffle"] == "on",
                    answers: answers(defaultGrade: 0)))
        case .trueFalse:
            body = .trueFalse(
                TrueFalse(
                    correct: values["correct"] != "false", feedbackTrue: text("feedback_true"),
                    feedbackFalse: text("feedback_false")))
        case .shortAnswer:
            body = .shortAnswer(
                ShortAnswer(
                    caseSensitive: values["case_sensitive"] == "on",
                    answers: answers(defaultGrade: 100)))
        case .numerical:
            body = .numerical(
                Numerical(
                    answers: rows.map { index in
                        NumericAnswer(
                            number("answer_\(index)", default: .nan, field: "answer_\(index)"),
                            tolerance: number("tolerance_\(index)", default: 0, field: "tolerance_\(index)"),
                            fraction: number("grade_\(index)", default: 100, field: "grade_\(index)") / 100,
                            feedback: text("feedback_\(index)"))
                    }))
        case .matching:
            body = .matching(
                Matching(
                    shuffle: { if case .matching(let m)? = base?.body { m.shuffle } else { true } }(),
                    pairs: rows.map { Matching.Pair(text("item_\($0)"), text("match_\($0)")) }))
        case .essay:
            body = .essay(
                Essay(
                    lines: Self.lines(number("lines", default: 15, field: "lines")),
                    template: { if case .essay(let e)? = base?.body { e.template } else { "" } }(),
                    graderInfo: text("grader_info")))
        }
        let name = text("name")
        let questionText = text("text")
        return Question(
            name: name.isEmpty ? String(questionText.prefix(60)) : name, text: questionText,
            format: base?.format ?? .plain,
            generalFeedback: text("general_feedback"),
            defaultMark: number("default_mark", default: 1, field: "default_mark"), body: body)
    }

    /// The form's values for a stored question, for editing it.
    static func values(of question: Question) -> [String: String] {
        var values = [
            "name": question.name, "text": question.text, "general_feedback": question.generalFeedback,
            "default_mark": Number.text(question.defaultMark),
        ]
        func answers(_ list: [(text: String, fraction: Double, feedback: String)]) {
            for (index, answer) in list.enumerated() {
                values["answer_\(index)"] = answer.text
                values["grade_\(index)"] = Number.percent(answer.fraction)
                values["feedback_\(index)"] = answer.feedback
            }
        }
        switch question.body {
        case .multipleChoice(let mc):
            if mc.single { values["single"] = "on" }
            if mc.shuffle { values["shuffle"] = "on" }
            answers(mc.answers.map { ($0.text, $0.fraction, $0.feedback) })
        case .trueFalse(let tf):
            values["correct"] = tf.correct ? "true" : "false"
            values["feedback_true"] = tf.feedbackTrue
            values["feedback_false"] = tf.feedbackFalse
        case .shortAnswer(let sa):
            if sa.caseSensitive { values["case_sensitive"] = "on" }
            answers(sa.answers.map { ($0.text, $0.fraction, $0.feedback) })
        case .numerical(let n):
            answers(n.answers.map { (Number.text($0.value), $0.fraction, $0.feedback) })
            for (index, answer) in n.answers.enumerated() {
                values["tolerance_\(index)"] = Number.text(answer.tolerance)
            }
        case .matching(let m):
            for (index, pair) in m.pairs.enumerated() {
                values["item_\(index)"] = pair.item
                values["match_\(index)"] = pair.answer
            }
        case .essay(let e):
            values["lines"] = "\(e.lines)"
            values["grader_info"] = e.graderInfo
        }
        return values
    }

    /// A new question's starting values: one answer right, shuffled, as trainers mostly write.
    static func defaults(for kind: QuestionKind) -> [String: String] {
        switch kind {
        case .multipleChoice: ["single": "on", "shuffle": "on", "grade_0": "100", "default_mark": "1"]
        case .trueFalse: ["correct": "true", "default_mark": "1"]
        case .shortAnswer, .numerical: ["grade_0": "100", "default_mark": "1"]
        case .essay: ["lines": "15", "default_mark": "1"]
        case .matching: ["default_mark": "1"]
        }
    }
}

extension QuestionEditorForm {
    /// An essay's box height in lines, 3 to 40; any other number (huge, negative, not finite) is
    /// brought into that range rather than trusted.
    static func lines(_ value: Double) -> Int {
        guard value.isFinite else { return 15 }
        return Int(min(max(value, 3), 40))
    }
}
