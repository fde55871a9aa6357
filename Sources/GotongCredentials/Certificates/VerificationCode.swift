import GotongPlatform

/// A certificate's public code: 12 characters of Crockford's base32 (60 random bits, so codes
/// cannot be guessed or counted through), shown in three groups: `7KQ2-M9XD-4HRT`. Read
/// forgivingly, as people type what they see on paper: any case, with or without dashes or
/// spaces, O for 0 and I or L for 1.
public struct VerificationCode: PathRawValue, Codable, CustomStringConvertible {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let length = 12

    /// The 12 characters, upper case, no dashes: how it is stored.
    public let compact: String

    /// A new random code.
    public static func random() -> VerificationCode {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return VerificationCode(compact: String(characters))
    }

    private init(compact: String) { self.compact = compact }

    /// A code as stored (``Certificate/code``), which was made by ``random()``.
    init(stored compact: String) { self.compact = compact }

    /// What a person typed or a link carried; nil when it cannot be a code.
    public init?(_ text: String) {
        guard text.utf8.count <= 40 else { return nil }
        var characters: [Character] = []
        for character in text.uppercased() where character != "-" && character != " " {
            let read: Character =
                switch character {
                case "O": "0"
                case "I", "L": "1"
                default: character
                }
            guard Self.alphabet.contains(read) else { return nil }
            characters.append(read)
        }
        guard characters.count == Self.length else { return nil }
        compact = String(characters)
    }

    public init?(pathSegment: String) { self.init(pathSegment) }

    /// In groups of four, as printed.
    public var pathSegment: String { description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let code = VerificationCode(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a code"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        let c = Array(compact)
        return String(c[0..<4]) + "-" + String(c[4..<8]) + "-" + String(c[8..<12])
    }
}
