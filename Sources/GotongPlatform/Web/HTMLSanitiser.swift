import Foundation

/// Re-writes HTML keeping only an allow-list of elements and attributes: the last step of
/// ``SafeMarkdown``.
///
/// Why it exists: Ink copies parts of the Markdown into its HTML without escaping them (a fenced
/// code block's language goes straight into `class="language-…"`), so no escaping of the
/// Markdown beforehand can be enough. This reads the finished HTML as a browser would and writes
/// it out again from scratch: only the elements Markdown produces survive, each with only the
/// attributes it needs, every attribute value is decoded, checked, then escaped again, and tags
/// are balanced. What the page receives is therefore built only from names in this file and
/// escaped text, whatever the input was.
///
/// It reads Unicode scalars, as browsers do, never Swift `Character`s: a quote followed by a
/// combining accent is a single `Character` (so `ch == "\""` is false) yet still ends an
/// attribute in a browser.
enum HTMLSanitiser {
    /// What Ink writes for Markdown. `s` is Ink's strikethrough; `del` is the usual spelling.
    static let allowedElements: Set<String> = [
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "s", "del", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    ]
    /// Elements without content, so never waiting for an end tag.
    static let voidElements: Set<String> = ["br", "hr"]

    static func sanitise(_ html: String) -> String {
        var output = ""
        // Elements whose end tag is still to come; `written` is false for a start tag that was
        // dropped (a link without a usable address) so that its end tag is dropped too.
        var open: [(name: String, written: Bool)] = []
        var tokenizer = HTMLTokenizer(html)
        while let token = tokenizer.next() {
            switch token {
            case .text(let text):
                output += safeText(text)
            case .startTag(let name, let attributes):
                guard allowedElements.contains(name) else { continue }  // dropped; its text follows as text
                guard let kept = keptAttributes(of: name, attributes) else {
                    open.append((name, false))
                    continue
                }
                output += "<" + name + kept.map { " \($0.name)=\"\(SafeMarkdown.escape($0.value))\"" }.joined() + ">"
                if !voidElements.contains(name) { open.append((name, true)) }
            case .endTag(let name):
                // An end tag closes the nearest open element of its name and any left open inside
                // it; one that matches nothing open is dropped.
                guard let index = open.lastIndex(where: { $0.name == name }) else { continue }
                for element in open[index...].reversed() where element.written { output += "</\(element.name)>" }
                open.removeSubrange(index...)
            case .ignored:
                continue
            }
        }
        for element in open.reversed() where element.written { output += "</\(element.name)>" }
        return output
    }

    /// The attributes an element keeps, or nil when the element itself must go (a link whose
    /// address is not allowed keeps its text but stops being a link).
    static func keptAttributes(
        of element: String, _ attributes: [HTMLTokenizer.Attribute]
    ) -> [HTMLTokenizer.Attribute]? {
        // As in browsers, the first of two attributes with the same name counts.
        func value(_ name: String) -> String? { attributes.first { $0.name == name }?.value }
        func kept(_ name: String, if allowed: (String) -> Bool) -> [HTMLTokenizer.Attribute] {
            value(name).flatMap { allowed($0) ? [.init(name: name, value: $0)] : nil } ?? []
        }
        switch element {
        case "a":
            guard let href = value("href"), SafeMarkdown.isAllowed(href) else { return nil }
            // `rel` is not copied: it is set from the address, so every external link has it.
            let rel: [HTMLTokenizer.Attribute] =
                SafeMarkdown.isExternal(href) ? [.init(name: "rel", value: "nofollow noopener")] : []
            return [.init(name: "href", value: href)] + rel
        case "code":
            return kept("class") { $0.wholeMatch(of: /language-[A-Za-z0-9_+-]{1,30}/) != nil }
        case "ol":
            return kept("start") { $0.wholeMatch(of: /[0-9]{1,9}/) != nil }
        case "th", "td":
            return kept("align") { ["left", "center", "right"].contains($0) }
        default:
            return []
        }
    }

    /// Text as it may stand in the page: `<`, `>` and a stray `&` escaped; character references
    /// (`&amp;`, `&copy;`, `&#60;`) kept, since in text they can only ever display a character.
    static func safeText(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "&", let reference = HTMLTokenizer.characterReference(in: scalars, at: i) {
                out.append(contentsOf: scalars[i..<(i + reference.length)])
                i += reference.length
                continue
            }
            switch scalars[i] {
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            default: out.append(scalars[i])
            }
            i += 1
        }
        return String(out)
    }
}

/// Splits HTML into text, tags and ignored bits (comments, doctypes) the way a browser's
/// tokenizer does for ordinary content, closely enough that what ``HTMLSanitiser`` keeps is what
/// a browser would have seen. Exactness matters less than it seems: the sanitiser writes its
/// output afresh, so a misreading can lose text but never let markup through.
struct HTMLTokenizer {
    struct Attribute: Equatable {
        var name: String
        /// With character references decoded, so checks see what the browser will use.
        var value: String
    }

    enum Token: Equatable {
        /// Source text, not yet made safe.
        case text(String)
        /// Names in lower case; a trailing `/` is ignored, as browsers do for ordinary elements.
        case startTag(String, [Attribute])
        case endTag(String)
        case ignored
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ html: String) { scalars = Array(html.unicodeScalars) }

    mutating func next() -> Token? {
        guard position < scalars.count else { return nil }
        if scalars[position] == "<" {
            if let (token, end) = markup(at: position) {
                position = end
                return token
            }
            position += 1
            return .text("<")  // a `<` that starts no tag is text
        }
        let start = position
        while position < scalars.count, scalars[position] != "<" { position += 1 }
        return .text(Self.string(scalars[start..<position]))
    }

    /// The tag, comment or declaration starting at `start` (a `<`) and the index after it; nil
    /// when the `<` starts none, or the tag is never closed (browsers drop such a tag; here it
    /// is shown as text).
    private func markup(at start: Int) -> (Token, Int)? {
        var i = start + 1
        guard i < scalars.count else { return nil }
        if scalars[i] == "!" || scalars[i] == "?" {
            let isComment = scalars[(i + 1)...].starts(with: "--".unicodeScalars)
            let closing = isComment ? Array("-->".unicodeScalars) : [">"]
            return (.ignored, index(after: closing, from: i + 1) ?? scalars.count)
        }
        let isEnd = scalars[i] == "/"
        if isEnd { i += 1 }
        guard i < scalars.count, scalars[i].isASCII, scalars[i].properties.isAlphabetic else {
            // `</` not followed by a letter is a bogus comment in browsers.
            return isEnd ? (.ignored, index(after: [">"], from: i) ?? scalars.count) : nil
        }
        let nameStart = i
        while i < scalars.count, !Self.isSpace(scalars[i]), scalars[i] != "/", scalars[i] != ">" { i += 1 }
        let name = Self.string(scalars[nameStart..<i]).lowercased()
        var attributes: [Attribute] = []
        while true {
            while i < scalars.count, Self.isSpace(scalars[i]) || scalars[i] == "/" { i += 1 }
            guard i < scalars.count else { return nil }
            if scalars[i] == ">" { break }
            // An attribute name runs to a space, `/`, `>` or `=`; a leading `=` belongs to it.
            let attributeStart = i
            i += 1
            while i < scalars.count, !Self.isSpace(scalars[i]), !"/>=".unicodeScalars.contains(scalars[i]) { i += 1 }
            let attributeName = Self.string(scalars[attributeStart..<i]).lowercased()
            var value = ""
            var j = i
            while j < scalars.count, Self.isSpace(scalars[j]) { j += 1 }
            if j < scalars.count, scalars[j] == "=" {
                j += 1
                while j < scalars.count, Self.isSpace(scalars[j]) { j += 1 }
                guard j < scalars.count else { return nil }
                let valueStart: Int, valueEnd: Int
                if scalars[j] == "\"" || scalars[j] == "'" {
                    guard let close = scalars[(j + 1)...].firstIndex(of: scalars[j]) else { return nil }
                    (valueStart, valueEnd, i) = (j + 1, close, close + 1)
                } else {
                    var end = j
                    while end < scalars.count, !Self.isSpace(scalars[end]), scalars[end] != ">" { end += 1 }
                    (valueStart, valueEnd, i) = (j, end, end)
                }
                value = Self.decode(scalars[valueStart..<valueEnd])
            }
            attributes.append(Attribute(name: attributeName, value: value))
        }
        return (isEnd ? .endTag(name) : .startTag(name, attributes), i + 1)
    }

    /// The index just past the first `pattern` at or after `from`.
    private func index(after pattern: [Unicode.Scalar], from: Int) -> Int? {
        var i = from
        while i + pattern.count <= scalars.count {
            if scalars[i..<(i + pattern.count)].elementsEqual(pattern) { return i + pattern.count }
            i += 1
        }
        return nil
    }

    /// HTML's space characters (tab, line feed, form feed, carriage return, space): the only
    /// ones that separate attributes.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\u{0C}" || scalar == "\r"
    }

    /// Character references decoded. Unknown named references stay as written; the sanitiser
    /// then escapes their `&`, so the browser too reads them literally and checks made on the
    /// decoded value hold for what the browser uses.
    static func decode(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        let scalars = Array(scalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "&", let reference = characterReference(in: scalars, at: i), let decoded = reference.scalar
            {
                out.append(decoded)
                i += reference.length
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }

    /// The well-formed character reference (`&name;`, `&#123;`, `&#x1F;`) starting at `i`: its
    /// length, and the scalar it stands for when this tokenizer knows it.
    static func characterReference(in scalars: [Unicode.Scalar], at i: Int) -> (length: Int, scalar: Unicode.Scalar?)? {
        let limit = min(scalars.count, i + 34)
        var j = i + 1
        /// Moves `j` past the scalars `accepts` takes, returning how many.
        func skip(_ accepts: (Unicode.Scalar) -> Bool) -> Int {
            let start = j
            while j < limit, accepts(scalars[j]) { j += 1 }
            return j - start
        }
        if j < limit, scalars[j] == "#" {
            j += 1
            let isHex = j < limit && (scalars[j] == "x" || scalars[j] == "X")
            if isHex { j += 1 }
            let digits = j
            let count = skip { isHex ? $0.properties.isASCIIHexDigit : ("0"..."9").contains($0) }
            guard (1...(isHex ? 6 : 7)).contains(count), j < limit, scalars[j] == ";" else { return nil }
            return (j + 1 - i, character(UInt32(string(scalars[digits..<j]), radix: isHex ? 16 : 10)!))
        }
        let name = j
        guard skip({ $0.isASCII && $0.properties.isAlphabetic }) > 0 else { return nil }
        _ = skip { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        guard j < limit, scalars[j] == ";" else { return nil }
        return (j + 1 - i, namedReferences[string(scalars[name..<j])])
    }

    /// What a numeric reference shows: browsers show U+FFFD for NUL, a surrogate or a number
    /// beyond Unicode, so none of those reaches a check.
    private static func character(_ value: UInt32) -> Unicode.Scalar {
        value == 0 ? "\u{FFFD}" : Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    /// The references that Gotong's own escaping writes, plus those used to hide a URL's scheme
    /// or a slash; any other named reference is left as text (see ``decode(_:)``).
    static let namedReferences: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "colon": ":", "sol": "/", "bsol": "\\", "Tab": "\t", "NewLine": "\n", "period": ".",
    ]

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        String(String.UnicodeScalarView(scalars))
    }
}
