import Foundation
import GotongPlatform

/// A question's text as HTML for a page, by its format: HTML from Moodle through the sanitiser,
/// Markdown through ``SafeMarkdown``, plain and Moodle's auto-format as escaped paragraphs.
public enum QuestionText {
    /// The text as safe HTML, rendered once per process for each text: every start, page and
    /// hand-in of a post-test shows the same twenty questions, and rendering them again was a
    /// tenth of a start's work.
    public static func html(_ text: String, format: TextFormat) -> String {
        guard text.utf8.count <= keptSize else { return render(text, format: format) }
        let key = format.rawValue + "\u{0}" + text
        if let kept = rendered.value(key, at: 0) { return kept }
        let html = render(text, format: format)
        rendered.keep([key: html], at: 0)
        return html
    }

    /// Kept HTML by format and text.
    private static let rendered = KeptValues<String, String>(capacity: 5000)
    /// Longer texts are rendered each time: kept, a few thousand of them would hold too much.
    private static let keptSize = 4096

    private static func render(_ text: String, format: TextFormat) -> String {
        switch format {
        case .html: return SafeHTML.html(text)
        case .markdown: return SafeMarkdown.html(text)
        case .plain, .moodle:
            let paragraphs = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            return paragraphs.map { "<p>" + escape($0).replacingOccurrences(of: "\n", with: "<br>") + "</p>" }
                .joined()
        }
    }

    /// Plain text (answers, feedback) as HTML: escaped, line breaks kept.
    public static func plain(_ text: String) -> String {
        escape(text).replacingOccurrences(of: "\n", with: "<br>")
    }

    static func escape(_ text: String) -> String { HTMLText().text(text).string }
}
