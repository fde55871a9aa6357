import Foundation
import GotongPlatform

/// A question's text as HTML for a page, by its format: HTML from Moodle through the sanitiser,
/// Markdown through ``SafeMarkdown``, plain and Moodle's auto-format as escaped paragraphs.
public enum QuestionText {
    public static func html(_ text: String, format: TextFormat) -> String {
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
