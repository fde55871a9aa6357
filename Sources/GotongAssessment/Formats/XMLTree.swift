import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A small element tree read with Foundation's `XMLParser` (libxml2), keeping each element's
/// line so that an import report can point at it. External entities are never fetched.
final class XMLElementNode: @unchecked Sendable {
    let name: String
    let attributes: [String: String]
    let line: Int
    var children: [XMLElementNode] = []
    /// The element's own text and CDATA, joined.
    var text = ""

    init(name: String, attributes: [String: String], line: Int) {
        self.name = name
        self.attributes = attributes
        self.line = line
    }

    func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }
    func all(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }
    /// `<name><text>…</text></name>`, Moodle's way of writing every text.
    func text(of name: String) -> String? { child(name).map { $0.child("text")?.text ?? $0.text } }
    /// A child's own text, trimmed (`<defaultgrade>1.0000000</defaultgrade>`).
    func value(_ name: String) -> String? { child(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Parses `data`; on a malformed document, the line and libxml2's description.
    static func parse(_ data: Data) -> Result<XMLElementNode, XMLFailure> {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        let builder = Builder()
        parser.delegate = builder
        let finished = parser.parse()
        if let failure = builder.failure { return .failure(failure) }
        // Foundation on Linux may report success after an error; both are checked.
        guard finished, parser.parserError == nil, let root = builder.root else {
            return .failure(
                XMLFailure(line: max(parser.lineNumber, 1), code: (parser.parserError as NSError?)?.code ?? 0))
        }
        return .success(root)
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLElementNode?
        var stack: [XMLElementNode] = []
        var failure: XMLFailure?

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let node = XMLElementNode(name: name, attributes: attributes, line: parser.lineNumber)
            if let parent = stack.last { parent.children.append(node) } else if root == nil { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

        func parser(_ parser: XMLParser, foundCDATA data: Data) {
            stack.last?.text += String(decoding: data, as: UTF8.self)
        }

        func parser(_ parser: XMLParser, parseErrorOccurred error: any Error) {
            if failure == nil {
                failure = XMLFailure(line: max(parser.lineNumber, 1), code: (error as NSError).code)
            }
        }
    }
}

/// Where a document stopped being XML.
struct XMLFailure: Error, Equatable {
    let line: Int
    let code: Int
}

/// Plain text from the HTML Moodle keeps answers and feedback in: tags dropped, paragraphs
/// and line breaks as new lines, entities decoded.
enum HTMLPlain {
    static func text(_ html: String) -> String {
        guard html.contains("<") || html.contains("&") else { return html }
        var out = ""
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            if character == "<", let end = html[index...].firstIndex(of: ">") {
                let tag = html[html.index(after: index)..<end].lowercased()
                if tag.hasPrefix("br") || tag.hasPrefix("/p") || tag.hasPrefix("/div") || tag.hasPrefix("/li") {
                    out += "\n"
                }
                index = html.index(after: end)
            } else if character == "&", let end = html[index...].prefix(12).firstIndex(of: ";"),
                let decoded = entity(String(html[html.index(after: index)..<end]))
            {
                out += decoded
                index = html.index(after: end)
            } else {
                out.append(character)
                index = html.index(after: index)
            }
        }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func entity(_ name: String) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return " "
        default:
            let number =
                name.hasPrefix("#x") || name.hasPrefix("#X")
                ? UInt32(name.dropFirst(2), radix: 16) : name.hasPrefix("#") ? UInt32(name.dropFirst()) : nil
            return number.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }
}
