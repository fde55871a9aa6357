import Foundation

/// Writes questions as GIFT the way Moodle's exporter does, so Moodle and ``GIFTReader`` read
/// them back to the same questions (GIFT does not carry a question's mark, shuffling, case
/// sensitivity, nor an essay's template and grader information).
public enum GIFTWriter {
    public static func write(_ items: [(category: [String], question: Question)]) -> String {
        var out = ""
        var category: [String]? = nil
        for (index, item) in items.enumerated() {
            if item.category != category {
                category = item.category
                let path = CategoryPath.write(item.category)
                out += "// question: 0  name: Switch category to \(path)\n$CATEGORY: \(path)\n\n"
            }
            out += "// question: \(index + 1)  name: \(item.question.name.replacingOccurrences(of: "\n", with: " "))\n"
            out += question(item.question) + "\n\n"
        }
        return out
    }

    static func question(_ q: Question) -> String {
        var head = "::" + Escapes.escape(q.name) + "::"
        if q.format != .moodle { head += "[\(q.format.rawValue)]" }
        head += Escapes.escape(q.text)
        let part = Part(html: q.format == .html)
        var lines: [String] = part.answers(q.body)
        if !q.generalFeedback.isEmpty { lines.append("####" + part.text(q.generalFeedback)) }
        switch q.body {
        case .essay where lines.isEmpty: return head + "{}"
        case .trueFalse: return head + "{" + lines.joined() + "}"
        default: return head + "{\n" + lines.map { "\t" + $0 }.joined(separator: "\n") + "\n}"
        }
    }

    /// The answers' part of one question. In GIFT the question's format holds for its answers
    /// and feedback too, so in an HTML question their plain text is written as HTML.
    private struct Part {
        let html: Bool

        func text(_ plain: String) -> String {
            guard html else { return Escapes.escape(plain) }
            let escaped = plain.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
            return Escapes.escape(escaped)
        }

        func feedback(_ plain: String) -> String { plain.isEmpty ? "" : "#" + text(plain) }

        func weight(_ fraction: Double) -> String { fraction == 1 ? "" : "%" + Number.percent(fraction) + "%" }

        func answers(_ body: QuestionBody) -> [String] {
            switch body {
            case .multipleChoice(let mc):
                return mc.answers.map { a in
                    let mark: String
                    if mc.single, a.fraction == 1 {
                        mark = "="
                    } else if mc.single, a.fraction == 0 {
                        mark = "~"
                    } else {
                        mark = "~%" + Number.percent(a.fraction) + "%"
                    }
                    return mark + text(a.text) + feedback(a.feedback)
                }
            case .shortAnswer(let sa):
                return sa.answers.map { "=" + weight($0.fraction) + text($0.text) + feedback($0.feedback) }
            case .trueFalse(let tf):
                let (wrong, right) =
                    tf.correct ? (tf.feedbackFalse, tf.feedbackTrue) : (tf.feedbackTrue, tf.feedbackFalse)
                // Empty feedback is left off the end, so that `####` (general feedback) stays unambiguous.
                var parts = [tf.correct ? "TRUE" : "FALSE", text(wrong), text(right)]
                while parts.count > 1, parts.last == "" { parts.removeLast() }
                return [parts.joined(separator: "#")]
            case .numerical(let n):
                return ["#"]
                    + n.answers.map { a in
                        "=" + weight(a.fraction) + Number.text(a.value) + ":" + Number.text(a.tolerance)
                            + feedback(a.feedback)
                    }
            case .matching(let m):
                return m.pairs.map { "=" + text($0.item) + " -> " + text($0.answer) }
            case .essay:
                return []
            }
        }
    }
}

/// Numbers as the formats write them, and fractions as Moodle stores them (seven decimals), so
/// a weight read, written and read again is the same number.
enum Number {
    static func fraction(percent: Double) -> Double { (percent * 100_000).rounded() / 10_000_000 }

    static func percent(_ fraction: Double) -> String { text((fraction * 10_000_000).rounded() / 100_000) }

    static func text(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
