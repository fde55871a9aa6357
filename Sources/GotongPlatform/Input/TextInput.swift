import Foundation

extension String {
    /// Trimmed, without control characters (line breaks and tabs kept), cut to `max` characters.
    /// PostgreSQL refuses NUL in text, and no form field has a use for the others.
    public func trimmed(max: Int) -> String {
        let clean = unicodeScalars.filter {
            !CharacterSet.controlCharacters.contains($0) || $0 == "\n" || $0 == "\r" || $0 == "\t"
        }
        return String(
            String(String.UnicodeScalarView(clean)).trimmingCharacters(in: .whitespacesAndNewlines).prefix(max))
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
