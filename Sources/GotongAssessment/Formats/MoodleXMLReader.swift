import Foundation

/// Reads Moodle XML, the format of Moodle's question exporter (`question/format/xml/format.php`):
/// a `<quiz>` of `<question type="…">` elements, where `type="category"` switches category,
/// texts sit in `<text>` (often CDATA) with a `format`, fractions are percentages and
/// numerical answers carry a `<tolerance>`.
public enum MoodleXMLReader {
    public static func read(_ data: Data) -> QuestionFile {
        var file = QuestionFile()
        let root: XMLElementNode
        switch XMLElementNode.parse(data) {
        case .success(let parsed): root = parsed
        case .failure(let failure):
            file.problems.append(.init(line: failure.line, "moodlexml.problem.malformed"))
            return file
        }
        guard root.name == "quiz" else {
            file.problems.append(.init(line: root.line, "moodlexml.problem.root", ["element": root.name]))
            return file
        }
        var category: [String] = []
        for element in root.children {
            guard element.name == "question" else {
                file.problems.append(.init(line: element.line, "moodlexml.problem.element", ["element": element.name]))
                continue
            }
            let type = element.attributes["type"] ?? ""
            if type == "category" {
                let raw = element.text(of: "category") ?? ""
                if raw.allSatisfy(\.isWhitespace) {
                    file.problems.append(.init(line: element.line, "bank.problem.category_empty"))
                } else {
                    category = CategoryPath.parse(raw)
                }
                continue
            }
            switch question(element, type: type) {
            case .success(let read):
                file.add(read.question, category: category, line: element.line)
                file.notes += read.notes.map { .init(line: $0.line, $0.key, $0.args) }
            case .failure(let problem): file.problems.append(.init(line: element.line, problem.key, problem.args))
            }
        }
        return file
    }

    struct Failure: Error {
        let key: String
        var args: [String: String] = [:]
    }

    struct Read {
        var question: Question
        /// Parts left out of an imported question (an embedded image).
        var notes: [QuestionFile.Problem] = []
    }

    static let unsupported: Set<String> = [
        "description", "cloze", "calculated", "calculatedsimple", "calculatedmulti", "multianswer", "ddwtos",
        "gapselect",
        "ddimageortext", "ddmarker", "randomsamatch", "random", "ordering",
    ]

    static func question(_ element: XMLElementNode, type: String) -> Result<Read, Failure> {
        guard let kind = QuestionKind(rawValue: type) else {
            let key = unsupported.contains(type) ? "moodlexml.problem.unsupported" : "moodlexml.problem.unknown"
            return .failure(Failure(key: key, args: ["type": type]))
        }
        guard let textElement = element.child("questiontext") else {
            return .failure(Failure(key: "moodlexml.problem.no_text"))
        }
        let format = TextFormat(moodle: textElement.attributes["format"])
        do {
            let body = try body(kind, element)
            var question = Question(
                name: (element.text(of: "name") ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                text: textElement.child("text")?.text ?? "",
                format: format, generalFeedback: plain(element.child("generalfeedback")),
                defaultMark: try number(element.value("defaultgrade") ?? "1", field: "defaultgrade"), body: body)
            if question.name.isEmpty { question.name = Question.defaultName(for: HTMLPlain.text(question.text)) }
            let notes = element.children.flatMap { $0.all("file") }.map {
                QuestionFile.Problem(line: $0.line, "moodlexml.note.file", ["file": $0.attributes["name"] ?? ""])
            }
            return .success(Read(question: question, notes: notes))
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(key: "moodlexml.problem.unknown", args: ["type": type]))
        }
    }

    private static func body(_ kind: QuestionKind, _ element: XMLElementNode) throws -> QuestionBody {
        switch kind {
        case .multipleChoice:
            return .multipleChoice(
                MultipleChoice(
                    // Moodle: an empty <single> is several answers; shuffling is off unless asked.
                    single: element.value("single").map { flag($0, default: false) } ?? true,
                    shuffle: flag(element.value("shuffleanswers"), default: false), answers: try answers(element)))
        case .trueFalse:
            let answers = try answers(element)
            guard let truth = answers.first(where: { $0.text.lowercased() == "true" }),
                let falsehood = answers.first(where: { $0.text.lowercased() == "false" })
            else { throw Failure(key: "moodlexml.problem.truefalse") }
            return .trueFalse(
                TrueFalse(correct: truth.fraction > 0, feedbackTrue: truth.feedback, feedbackFalse: falsehood.feedback))
        case .shortAnswer:
            return .shortAnswer(
                ShortAnswer(
                    caseSensitive: flag(element.value("usecase"), default: false), answers: try answers(element)))
        case .numerical:
            return .numerical(Numerical(answers: try numericAnswers(element)))
        case .matching:
            return .matching(
                Matching(
                    shuffle: flag(element.value("shuffleanswers"), default: true),
                    pairs: element.all("subquestion").map {
                        .init(plain($0), plain($0.child("answer")))
                    }))
        case .essay:
            let lines = Int(element.value("responsefieldlines") ?? "") ?? 15
            return .essay(
                Essay(
                    lines: min(max(lines, 3), 40), template: plain(element.child("responsetemplate")),
                    graderInfo: plain(element.child("graderinfo"))))
        }
    }

    private static func answers(_ element: XMLElementNode) throws -> [Answer] {
        try element.all("answer").map { answer in
            Answer(
                plain(answer),
                fraction: Number.fraction(percent: try number(answer.attributes["fraction"] ?? "0", field: "fraction")),
                feedback: plain(answer.child("feedback")))
        }
    }

    /// Numerical answers; Moodle's `*` ("any other answer") is left out, being only feedback.
    private static func numericAnswers(_ element: XMLElementNode) throws -> [NumericAnswer] {
        try element.all("answer").compactMap { answer in
            let text = plain(answer)
            if text == "*" { return nil }
            return NumericAnswer(
                try number(text, field: "answer"),
                tolerance: abs(try number(answer.value("tolerance") ?? "0", field: "tolerance")),
                fraction: Number.fraction(percent: try number(answer.attributes["fraction"] ?? "0", field: "fraction")),
                feedback: plain(answer.child("feedback")))
        }
    }

    private static func number(_ text: String, field: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Double(trimmed), value.isFinite else {
            throw Failure(key: "moodlexml.problem.number", args: ["field": field, "value": String(trimmed.prefix(40))])
        }
        return value
    }

    private static func flag(_ text: String?, default value: Bool) -> Bool {
        switch text?.lowercased() {
        case "true", "1": true
        case "false", "0": false
        default: value
        }
    }

    /// An element's `<text>` as plain text: HTML is reduced to its words (answers and feedback
    /// are plain in Gotong), other formats are kept as written.
    private static func plain(_ element: XMLElementNode?) -> String {
        guard let element else { return "" }
        let text = element.child("text")?.text ?? ""
        return element.attributes["format"] == "html"
            ? HTMLPlain.text(text) : text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension TextFormat {
    /// Moodle's names for text formats.
    init(moodle name: String?) {
        // Moodle reads a missing or unknown format as HTML.
        switch name {
        case "moodle_auto_format", "wiki_like": self = .moodle
        case "plain_text": self = .plain
        case "markdown": self = .markdown
        default: self = .html
        }
    }

    var moodleName: String {
        switch self {
        case .html: "html"
        case .plain: "plain_text"
        case .markdown: "markdown"
        case .moodle: "moodle_auto_format"
        }
    }
}
