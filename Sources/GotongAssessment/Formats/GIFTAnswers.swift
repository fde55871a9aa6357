import Foundation

/// GIFT's answer part (between `{` and `}`) for each kind of question, in the order Moodle
/// tells them apart: empty is an essay, `#` numerical, `~` multiple choice, `=… -> …`
/// matching, `T`/`F` true-false, else `=` short answer.
struct GIFTAnswers {
    typealias Failure = GIFTReader.Failure

    /// `html`: the question is written in HTML, and so are its answers and feedback (Moodle
    /// uses one format for the whole question); they are kept as plain text.
    static func body(_ answers: String, html: Bool) throws(Failure) -> QuestionBody {
        let reader = GIFTAnswers(html: html)
        if answers.isEmpty { return .essay(Essay()) }
        if answers.hasPrefix("#") { return .numerical(try reader.numerical(String(answers.dropFirst()))) }
        if answers.contains("~") { return .multipleChoice(try reader.choices(answers)) }
        if answers.contains("->") { return .matching(try reader.matching(answers)) }
        if let truth = reader.trueFalse(answers) { return .trueFalse(truth) }
        if answers.hasPrefix("=") { return .shortAnswer(ShortAnswer(answers: try reader.typed(answers))) }
        throw Failure("gift.problem.answers")
    }

    let html: Bool

    /// A text of the answers' part, its escapes shown (and its HTML made plain).
    static func text(_ raw: Substring, html: Bool) -> String {
        let shown = Escapes.show(String(raw)).trimmingCharacters(in: .whitespacesAndNewlines)
        return html ? HTMLPlain.text(shown) : shown
    }

    /// Splits at each unescaped `marks` character that starts an answer, keeping the mark.
    private func split(_ text: String, at marks: Set<Character>) -> [String] {
        var parts: [String] = []
        var current = ""
        for character in text {
            if marks.contains(character) {
                if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append(current) }
                current = String(character)
            } else {
                current.append(character)
            }
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append(current) }
        return parts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// `%50%` at the start of an answer: the weight in percent, as a fraction.
    private func weight(_ text: inout Substring) throws(Failure) -> Double? {
        guard text.hasPrefix("%"), let end = text.dropFirst().firstIndex(of: "%") else { return nil }
        let number = text[text.index(after: text.startIndex)..<end]
        guard let percent = Double(number.trimmingCharacters(in: .whitespaces)), percent.isFinite else {
            throw Failure("gift.problem.weight", ["weight": Escapes.show(String(number))])
        }
        text = text[text.index(after: end)...]
        return Number.fraction(percent: percent)
    }

    /// An answer's text and its feedback (after `#`).
    private func feedback(_ text: Substring) -> (String, String) {
        guard let mark = text.firstIndex(of: "#") else { return (clean(text), "") }
        return (clean(text[..<mark]), clean(text[text.index(after: mark)...]))
    }

    private func clean(_ text: Substring) -> String { Self.text(text, html: html) }

    func choices(_ answers: String) throws(Failure) -> MultipleChoice {
        var result: [Answer] = []
        for part in split(answers, at: ["=", "~"]) {
            var text = Substring(part)
            let right = text.hasPrefix("=")
            guard right || text.hasPrefix("~") else { throw Failure("gift.problem.answers") }
            text = text.dropFirst()
            let fraction = try weight(&text) ?? (right ? 1 : 0)
            let (answer, note) = feedback(text)
            result.append(Answer(answer, fraction: fraction, feedback: note))
        }
        // Moodle: without any `=` answer, the weights share the mark among several answers.
        return MultipleChoice(single: answers.contains("="), answers: result)
    }

    /// Short answers: every answer starts with `=`.
    func typed(_ answers: String) throws(Failure) -> [Answer] {
        try split(answers, at: ["="]).map { part throws(Failure) in
            var text = Substring(part).dropFirst()
            let fraction = try weight(&text) ?? 1
            let (answer, note) = feedback(text)
            return Answer(answer, fraction: fraction, feedback: note)
        }
    }

    func trueFalse(_ answers: String) -> TrueFalse? {
        let parts = answers.split(separator: "#", omittingEmptySubsequences: false)
        let truth: Bool
        switch parts[0].trimmingCharacters(in: .whitespacesAndNewlines).uppercased() {
        case "T", "TRUE": truth = true
        case "F", "FALSE": truth = false
        default: return nil
        }
        // Moodle: the first feedback is for a wrong answer, the second for a right one.
        let wrong = parts.count > 1 ? clean(parts[1]) : ""
        let right = parts.count > 2 ? clean(parts[2]) : ""
        return TrueFalse(
            correct: truth, feedbackTrue: truth ? right : wrong, feedbackFalse: truth ? wrong : right)
    }

    func matching(_ answers: String) throws(Failure) -> Matching {
        let pairs = try split(answers, at: ["="]).map { part throws(Failure) -> Matching.Pair in
            guard part.hasPrefix("="), let arrow = part.range(of: "->") else {
                throw Failure("gift.problem.pair", ["pair": clean(Substring(part))])
            }
            return .init(
                clean(part[part.index(after: part.startIndex)..<arrow.lowerBound]), clean(part[arrow.upperBound...]))
        }
        return Matching(pairs: pairs)
    }

    /// `#3.14`, `#3.14:0.01`, `#1..5`, or several: `#=3:0.1#right =%50%3:1#close`.
    func numerical(_ answers: String) throws(Failure) -> Numerical {
        let trimmed = answers.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("=") || trimmed.hasPrefix("~") else {
            let (value, note) = feedback(Substring(trimmed))
            var answer = try number(value)
            answer.feedback = note
            return Numerical(answers: [answer])
        }
        var result: [NumericAnswer] = []
        for part in split(trimmed, at: ["=", "~"]) {
            var text = Substring(part)
            let right = text.hasPrefix("=")
            text = text.dropFirst()
            let fraction = try weight(&text) ?? (right ? 1 : 0)
            let (value, note) = feedback(text)
            // `~#…` (or `*`): Moodle's feedback for any other answer, which Gotong gives no mark.
            if value.isEmpty || value == "*" { continue }
            var answer = try number(value)
            answer.fraction = fraction
            answer.feedback = note
            result.append(answer)
        }
        return Numerical(answers: result)
    }

    private func number(_ text: String) throws(Failure) -> NumericAnswer {
        func parse(_ part: Substring) throws(Failure) -> Double {
            guard let value = Double(part.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                throw Failure("gift.problem.number", ["value": text])
            }
            return value
        }
        if let range = text.range(of: "..") {
            let low = try parse(text[..<range.lowerBound]), high = try parse(text[range.upperBound...])
            return NumericAnswer((low + high) / 2, tolerance: abs(high - low) / 2)
        }
        if let colon = text.firstIndex(of: ":") {
            return NumericAnswer(
                try parse(text[..<colon]), tolerance: abs(try parse(text[text.index(after: colon)...])))
        }
        return NumericAnswer(try parse(Substring(text)))
    }
}

/// GIFT's escapes, hidden as private-use characters while the structure is read, so that an
/// escaped `=` is never taken for an answer; shown again in every text that comes out.
enum Escapes {
    private static let pairs: [(String, Character, String)] = [
        ("\\\\", "\u{E000}", "\\"), ("\\:", "\u{E001}", ":"), ("\\~", "\u{E002}", "~"), ("\\=", "\u{E003}", "="),
        ("\\#", "\u{E004}", "#"), ("\\{", "\u{E005}", "{"), ("\\}", "\u{E006}", "}"), ("\\n", "\u{E007}", "\n"),
    ]

    static func hide(_ text: String) -> String {
        pairs.reduce(text) { $0.replacingOccurrences(of: $1.0, with: String($1.1)) }
    }

    static func show(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0xE000...0xE007).contains($0.value) }) else { return text }
        return pairs.reduce(text) { $0.replacingOccurrences(of: String($1.1), with: $1.2) }
    }

    /// Writes `text` for a GIFT file: the characters with a meaning escaped, new lines as `\n`.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\", ":", "~", "=", "#", "{", "}": out += "\\" + String(character)
            case "\n": out += "\\n"
            case "\r": continue
            default: out.append(character)
            }
        }
        return out
    }
}

/// A category path as Moodle writes it: `$course$/top/Latsar CPNS/Nilai Dasar`, where `//` is a
/// slash inside a name.
enum CategoryPath {
    static func parse(_ text: String) -> [String] {
        let placeholder = "\u{E010}"
        var parts = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "//", with: placeholder)
            .split(separator: "/", omittingEmptySubsequences: true)
            .map { $0.replacingOccurrences(of: placeholder, with: "/").trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        if let first = parts.first, first.hasPrefix("$"), first.hasSuffix("$") { parts.removeFirst() }
        if parts.first == "top" { parts.removeFirst() }
        return parts
    }

    static func write(_ path: [String]) -> String {
        (["$course$", "top"] + path.map { $0.replacingOccurrences(of: "/", with: "//") }).joined(separator: "/")
    }
}
