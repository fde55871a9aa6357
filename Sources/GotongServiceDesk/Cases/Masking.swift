/// Citizens' identifiers as they may be shown: enough to tell two apart or to recognise one's
/// own, never enough to reach the person.
public enum Masking {
    /// A NIK (16 digits) with its first four and last four kept: `3201********0001`.
    public static func nik(_ nik: String) -> String { keepEnds(nik, head: 4, tail: 4) }

    /// A phone number with its first four digits (the operator) and its last ones kept, at
    /// least four hidden and always written as four stars, so the mask does not tell the
    /// length: `0812****5678` (12 digits), `0812****78` (10 digits).
    public static func phone(_ phone: String) -> String {
        let digits = Array(phone)
        guard digits.count >= 8 else { return String(repeating: "*", count: max(4, digits.count)) }
        let tail = min(4, digits.count - 8)
        return String(digits.prefix(4)) + "****" + String(digits.suffix(max(0, tail)))
    }

    /// An email with the first letter of its name and its domain kept: `r***@contoh.go.id`.
    public static func email(_ email: String) -> String {
        guard let at = email.lastIndex(of: "@"), at > email.startIndex else { return keepEnds(email, head: 1, tail: 0) }
        return String(email[email.startIndex]) + "***" + email[at...]
    }

    /// The text with everything but `head` and `tail` characters starred; short text is all stars.
    static func keepEnds(_ text: String, head: Int, tail: Int) -> String {
        let characters = Array(text)
        guard characters.count > head + tail + 1 else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(head)) + String(repeating: "*", count: characters.count - head - tail)
            + String(characters.suffix(tail))
    }
}
