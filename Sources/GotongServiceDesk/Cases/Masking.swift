/// Citizens' identifiers as they may be shown: enough to tell two apart or to recognise one's
/// own, never enough to reach the person.
public enum Masking {
    /// A NIK (16 digits) with its first four and last four kept: `3201********0001`.
    public static func nik(_ nik: String) -> String { keepEnds(nik, head: 4, tail: 4) }

    /// A phone number with its first four and last four digits kept: `0812****5678`.
    public static func phone(_ phone: String) -> String { keepEnds(phone, head: 4, tail: 4) }

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
