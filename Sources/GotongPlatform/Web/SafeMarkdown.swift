import Foundation
import Ink

/// Markdown written by tenants and trainers, turned into HTML that cannot carry script: raw HTML
/// in the source is shown as text, links keep only http(s), mailto and local addresses, and
/// images become plain links (pages load nothing from elsewhere). Ink's HTML then goes through
/// ``HTMLSanitiser``, because Ink copies some Markdown (a code block's language) into attributes
/// unescaped: only the elements and attributes Markdown needs reach the page.
public enum SafeMarkdown {
    public static func html(_ markdown: String) -> String {
        var parser = MarkdownParser()
        parser.addModifier(
            Modifier(target: .links) { html, markdown in
                link(markdown: String(markdown)) ?? escape(String(markdown))
            })
        parser.addModifier(
            Modifier(target: .images) { _, markdown in
                link(markdown: String(markdown.dropFirst())) ?? escape(String(markdown))
            })
        parser.addModifier(
            Modifier(target: .inlineCode) { _, markdown in
                "<code>" + escape(String(markdown).trimmingCharacters(in: CharacterSet(charactersIn: "`"))) + "</code>"
            })
        // Ink passes HTML in the source through, so every `<` is hidden from it as a private-use
        // character and comes back as `&lt;` afterwards: raw HTML shows as text, and code shows
        // `<` rather than the `&lt;` an escape before parsing would have become.
        let source = markdown.replacingOccurrences(of: placeholder, with: "\u{FFFD}").replacingOccurrences(
            of: "<", with: placeholder)
        return HTMLSanitiser.sanitise(parser.html(from: source).replacingOccurrences(of: placeholder, with: "&lt;"))
    }

    /// Stands for `<` while Ink parses; a private-use character, so it means nothing to Ink.
    private static let placeholder = "\u{E000}"

    /// `[text](url)` as a safe anchor, or nil when the address is not allowed.
    static func link(markdown: String) -> String? {
        guard markdown.hasPrefix("["), let close = markdown.range(of: "](", options: .backwards),
            markdown.hasSuffix(")")
        else { return nil }
        let text = String(markdown[markdown.index(after: markdown.startIndex)..<close.lowerBound])
        var url = String(markdown[close.upperBound..<markdown.index(before: markdown.endIndex)]).trimmingCharacters(
            in: .whitespaces)
        if let space = url.firstIndex(of: " ") { url = String(url[..<space]) }  // drop a "title"
        guard isAllowed(url) else { return nil }
        return "<a href=\"\(escape(url))\"\(isExternal(url) ? " rel=\"nofollow noopener\"" : "")>\(escape(text))</a>"
    }

    /// Whether a link may point at `url`, read as the browser will read it (character references
    /// already decoded). Browsers drop tabs and line breaks inside an address and trim controls
    /// around it, so `java\tscript:` or `/\t/host` would pass a prefix check and then become
    /// something else: any whitespace, control or invisible formatting character refuses the link.
    static func isAllowed(_ url: String) -> Bool {
        let forbidden = "\"'<>\\".unicodeScalars
        if url.unicodeScalars.contains(where: { scalar in
            forbidden.contains(scalar) || scalar.properties.isWhitespace
                || [.control, .format].contains(scalar.properties.generalCategory)
        }) {
            return false
        }
        let lower = url.lowercased().unicodeScalars
        func starts(_ prefix: String) -> Bool { lower.starts(with: prefix.unicodeScalars) }
        if starts("https://") || starts("http://") || starts("mailto:") { return true }
        // Local paths and fragments, but not protocol-relative `//host`.
        return (starts("/") && !starts("//")) || starts("#")
    }

    /// Links to other sites get `rel="nofollow noopener"`.
    static func isExternal(_ url: String) -> Bool {
        url.lowercased().hasPrefix("http")
    }

    /// Text made safe for an element or a quoted attribute. Works on Unicode scalars: a quote
    /// followed by a combining accent is one `Character` that is not `"`, yet still ends an
    /// attribute in a browser.
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}

/// HTML written elsewhere (questions imported from Moodle), reduced to what ``HTMLSanitiser``
/// allows: the elements Markdown makes, with their safe attributes; everything else is dropped
/// and its text kept.
public enum SafeHTML {
    public static func html(_ html: String) -> String { HTMLSanitiser.sanitise(html) }
}
