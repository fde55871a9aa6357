import Foundation

/// Writes questions as Moodle XML the way Moodle's exporter does, so that Moodle and
/// ``MoodleXMLReader`` read them back to the same questions.
public enum MoodleXMLWriter {
    public static func write(_ items: [(category: [String], question: Question)]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n"
        var category: [String]? = nil
        for (index, item) in items.enumerated() {
            if item.category != category {
                category = item.category
                out += "<!-- question: 0  -->\n  <question type=\"category\">\n"
                out +=
                    "    <category>\n      <text>\(text(CategoryPath.write(item.category)))</text>\n    </category>\n"
                out += "    <info format=\"moodle_auto_format\">\n      <text></text>\n    </info>\n  </question>\n\n"
            }
            out += "<!-- question: \(index + 1)  -->\n" + question(item.question) + "\n"
        }
        return out + "</quiz>\n"
    }

    static func question(_ q: Question) -> String {
        var x = "  <question type=\"\(q.kind.rawValue)\">\n"
        x += "    <name>\n      <text>\(text(q.name))</text>\n    </name>\n"
        x += rich("questiontext", q.text, format: q.format, indent: 4)
        x += rich("generalfeedback", q.generalFeedback, format: .plain, indent: 4)
        x += "    <defaultgrade>\(decimal(q.defaultMark))</defaultgrade>\n"
        x += "    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n    <idnumber></idnumber>\n"
        x += body(q.body)
        return x + "  </question>\n"
    }

    private static func body(_ body: QuestionBody) -> String {
        switch body {
        case .multipleChoice(let mc):
            return "    <single>\(mc.single)</single>\n    <shuffleanswers>\(mc.shuffle)</shuffleanswers>\n"
                + "    <answernumbering>abc</answernumbering>\n"
                + mc.answers.map { answer($0.text, $0.fraction, $0.feedback) }.joined()
        case .trueFalse(let tf):
            return answer("true", tf.correct ? 1 : 0, tf.feedbackTrue)
                + answer("false", tf.correct ? 0 : 1, tf.feedbackFalse)
        case .shortAnswer(let sa):
            return "    <usecase>\(sa.caseSensitive ? 1 : 0)</usecase>\n"
                + sa.answers.map { answer($0.text, $0.fraction, $0.feedback) }.joined()
        case .numerical(let n):
            return n.answers.map {
                answer(
                    Number.text($0.value), $0.fraction, $0.feedback,
                    extra: "      <tolerance>\(Number.text($0.tolerance))</tolerance>\n")
            }.joined()
        case .matching(let m):
            return "    <shuffleanswers>\(m.shuffle)</shuffleanswers>\n"
                + m.pairs.map { pair in
                    "    <subquestion format=\"plain_text\">\n      <text>\(text(pair.item))</text>\n"
                        + "      <answer>\n        <text>\(text(pair.answer))</text>\n      </answer>\n"
                        + "    </subquestion>\n"
                }.joined()
        case .essay(let e):
            return "    <responseformat>editor</responseformat>\n    <responserequired>1</responserequired>\n"
                + "    <responsefieldlines>\(e.lines)</responsefieldlines>\n    <attachments>0</attachments>\n"
                + "    <attachmentsrequired>0</attachmentsrequired>\n"
                + rich("graderinfo", e.graderInfo, format: .plain, indent: 4)
                + rich("responsetemplate", e.template, format: .plain, indent: 4)
        }
    }

    private static func answer(_ value: String, _ fraction: Double, _ feedback: String, extra: String = "") -> String {
        "    <answer fraction=\"\(Number.percent(fraction))\" format=\"plain_text\">\n"
            + "      <text>\(text(value))</text>\n" + rich("feedback", feedback, format: .plain, indent: 6) + extra
            + "    </answer>\n"
    }

    private static func rich(_ name: String, _ value: String, format: TextFormat, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        return
            "\(pad)<\(name) format=\"\(format.moodleName)\">\n\(pad)  <text>\(text(value))</text>\n\(pad)</\(name)>\n"
    }

    /// Text as Moodle writes it: in CDATA when it holds markup characters, else as it is.
    static func text(_ raw: String) -> String {
        // XML 1.0 has no place for most control characters; a document with one is unreadable.
        let value = String(
            String.UnicodeScalarView(raw.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\t" || $0 == "\n" }))
        guard value.contains(where: { $0 == "<" || $0 == ">" || $0 == "&" }) else { return value }
        return "<![CDATA[" + value.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]>"
    }

    private static func decimal(_ value: Double) -> String { String(format: "%.7f", value) }
}
