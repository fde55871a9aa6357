import Foundation
import Ink

/// Markdown written by tenants and trainers, turned into HTML that cannot carry script: raw HTML
/// in the source is shown as text, links keep only http(s), mailto and local addresses, and
/// images become plain links (pages load nothing from elsewhere).
public enum SafeMarkdown {
    public static func html(_ markdown: String) -> String {
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .links) { html, markdown in
            link(markdown: String(markdown)) ?? escape(String(markdown))
        })
        parser.addModifier(Modifier(target: .images) { _, markdown in
            link(markdown: String(markdown.dropFirst())) ?? escape(String(markdown))
        })
        parser.addModifier(Modifier(target: .html) { _, markdown in escape(String(markdown)) })
        parser.addModifier(Modifier(target: .inlineCode) { _, markdown in
            "<code>" + escape(String(markdown).trimmingCharacters(in: CharacterSet(charactersIn: "`"))) + "</code>"
        })
        // Escape what Ink would pass through as HTML before it parses.
        let source = markdown.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        return parser.html(from: source)
    }

    /// `[text](url)` as a safe anchor, or nil when the address is not allowed.
    static func link(markdown: String) -> String? {
        guard markdown.hasPrefix("["), let close = markdown.range(of: "](", options: .backwards), markdown.hasSuffix(")") else { return nil }
        let text = String(markdown[markdown.index(after: markdown.startIndex)..<close.lowerBound])
        var url = String(markdown[close.upperBound..<markdown.index(before: markdown.endIndex)]).trimmingCharacters(in: .whitespaces)
        if let space = url.firstIndex(of: " ") { url = String(url[..<space]) }   // drop a "title"
        guard isAllowed(url) else { return nil }
        let external = url.lowercased().hasPrefix("http")
        return "<a href=\"\(escape(url))\"\(external ? " rel=\"nofollow noopener\"" : "")>\(escape(text))</a>"
    }

    static func isAllowed(_ url: String) -> Bool {
        let lower = url.lowercased()
        if lower.contains("\"") || lower.contains("'") || lower.contains("<") || lower.contains(">") || lower.contains("\\") { return false }
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:") { return true }
        // Local paths and fragments, but not protocol-relative `//host`.
        return (lower.hasPrefix("/") && !lower.hasPrefix("//")) || lower.hasPrefix("#")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
