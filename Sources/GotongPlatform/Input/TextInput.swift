import Foundation

extension String {
    /// Trimmed, without control characters (line breaks and tabs kept), cut to `max` characters.
    /// PostgreSQL refuses NUL in text, and no form field has a use for the others.
    public func trimmed(max: Int) -> String { String(cleanedText.prefix(max)) }

    /// Trimmed, without control characters (line breaks and tabs kept), never cut.
    public var cleanedText: String {
        String(
            String.UnicodeScalarView(
                unicodeScalars.filter {
                    !CharacterSet.controlCharacters.contains($0) || $0 == "\n" || $0 == "\r" || $0 == "\t"
                })
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether the text holds a control character other than line breaks and tabs.
    public var hasControlCharacters: Bool {
        unicodeScalars.contains {
            CharacterSet.controlCharacters.contains($0) && $0 != "\n" && $0 != "\r" && $0 != "\t"
        }
    }
}

extension Array {
    /// The array in slices of `size` (the last may be shorter), for statements with bounded binds.
    public func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension ProblemList {
    /// Reads a text field: trimmed and without control characters. A text longer than `max`
    /// characters is refused with a message that states the limit, never cut: a value cut
    /// silently was saved wrong under "Perubahan disimpan". The length is the text as sent, in
    /// code points — what the API document's `maxLength` counts — so what is sent over the
    /// limit is refused even when cleaning would bring it under. An empty one is `required`'s
    /// problem when that is given. Returns the cleaned text (whole, even when refused, so the
    /// form can show it again).
    @discardableResult
    public mutating func text(_ raw: String?, _ field: String, max: Int, required: String? = nil) -> String {
        let text = (raw ?? "").cleanedText
        let length = text.count > max ? text.count : (raw ?? "").unicodeScalars.count
        if length > max {
            add(field, "input.error.too_long", ["max": "\(max)", "count": "\(length)"])
        } else if text.isEmpty, let required {
            add(field, required)
        }
        return text
    }
}
