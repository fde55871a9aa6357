import Foundation

/// Reads GIFT, the text format Moodle exports question banks in, the way Moodle's own reader
/// does (`question/format/gift/format.php`): questions are separated by blank lines, lines
/// starting with `//` are comments, `$CATEGORY:` switches category, `::name::` titles a
/// question, `[html]` (and `[plain]`, `[markdown]`, `[moodle]`) names its format, and the
/// answers sit in `{…}`: `=` right, `~` wrong, `%50%` a weight, `#` an answer's feedback,
/// `####` general feedback; `{T}`/`{F}` true-false, `{#…}` numerical, `=a -> b` matching,
/// `{}` essay. A backslash escapes `~ = # { } :` and itself; `\n` is a new line.
public enum GIFTReader {
    public static func read(_ source: String) -> QuestionFile {
        var file = QuestionFile()
        var category: [String] = []
        for block in blocks(of: source) {
            let text = block.text
            if text.hasPrefix("$CATEGORY:") {
                let raw = String(text.dropFirst("$CATEGORY:".count))
                if raw.allSatisfy(\.isWhitespace) {
                    file.problems.append(.init(line: block.line, "bank.problem.category_empty"))
                } else {
                    category = CategoryPath.parse(raw)
                }
                continue
            }
            switch parse(Escapes.hide(text)) {
            case .success(let question): file.add(question, category: category, line: block.line)
            case .failure(let problem): file.problems.append(.init(line: block.line, problem.key, problem.args))
            }
        }
        return file
    }

    /// A question's lines, joined, with the number of its first line.
    struct Block { var text: String; var line: Int }

    /// Splits the source at blank lines, leaving out comment lines.
    static func blocks(of source: String) -> [Block] {
        var blocks: [Block] = []
        var lines: [Substring] = []
        var first = 0
        func flush() {
            if !lines.isEmpty { blocks.append(Block(text: lines.joined(separator: "\n"), line: first)) }
            lines = []
        }
        let normalised = source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for (index, line) in normalised.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" }
            if trimmed.hasPrefix("//") { continue }
            if trimmed.allSatisfy(\.isWhitespace) {
                flush()
                continue
            }
            if lines.isEmpty { first = index + 1 }
            lines.append(line.hasPrefix("\u{FEFF}") ? line.dropFirst() : line)
        }
        flush()
        return blocks
    }

    struct Failure: Error {
        let key: String
        var args: [String: String] = [:]
        init(_ key: String, _ args: [String: String] = [:]) {
            self.key = key
            self.args = args
        }
    }

    /// One question, its escapes already hidden (``Escapes``).
    static func parse(_ source: String) -> Result<Question, Failure> {
        var rest = Substring(source.trimmingCharacters(in: .whitespacesAndNewlines))
        var name = ""
        if rest.hasPrefix("::") {
            guard let end = rest.dropFirst(2).range(of: "::") else { return .failure(Failure("gift.problem.title")) }
            name = Escapes.show(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound]))
            rest = rest[end.upperBound...].drop { $0.isWhitespace }
        }
        let format = TextFormat.take(from: &rest)
        // Moodle: the first `{` and the first `}` after it hold the answers.
        guard let open = rest.firstIndex(of: "{") else {
            return .failure(Failure(rest.contains("}") ? "gift.problem.unopened" : "gift.problem.description"))
        }
        if rest[..<open].contains("}") { return .failure(Failure("gift.problem.unopened")) }
        guard let close = rest[open...].firstIndex(of: "}") else { return .failure(Failure("gift.problem.unclosed")) }
        let before = rest[..<open].trimmingCharacters(in: .whitespacesAndNewlines)
        let after = rest[rest.index(after: close)...].trimmingCharacters(in: .whitespacesAndNewlines)
        // Text after the answers makes a "missing word" question: the answers fill the gap.
        let text = Escapes.show(after.isEmpty ? before : before + " _____ " + after)
        var answers = String(rest[rest.index(after: open)..<close])
        var general = ""
        if let mark = answers.range(of: "####", options: .backwards) {
            general = GIFTAnswers.text(answers[mark.upperBound...], html: format == .html)
            answers = String(answers[..<mark.lowerBound])
        }
        let body: QuestionBody
        do {
            body = try GIFTAnswers.body(answers.trimmingCharacters(in: .whitespacesAndNewlines), html: format == .html)
        } catch {
            return .failure(error)
        }
        let plainText = format == .html ? HTMLPlain.text(text) : text
        let question = Question(
            name: name.isEmpty ? Question.defaultName(for: plainText) : name.trimmingCharacters(in: .whitespaces),
            text: text, format: format, generalFeedback: general, body: body)
        return .success(question)
    }
}

extension Question {
    /// Moodle names an untitled question by the start of its text.
    static func defaultName(for text: String) -> String {
        let plain = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return plain.count <= 80 ? plain : String(plain.prefix(79)) + "…"
    }
}

extension TextFormat {
    /// Reads a leading `[html]`-style marker; Moodle's default without one is `moodle`.
    static func take(from text: inout Substring) -> TextFormat {
        for format in TextFormat.allCases where text.hasPrefix("[\(format.rawValue)]") {
            text = text.dropFirst(format.rawValue.count + 2)
            return format
        }
        return .moodle
    }
}
