import Foundation

/// The code the host shows during a broadcast: six characters of Crockford's base32 (30
/// random bits; guesses are limited per person and address), read forgivingly — any case,
/// spaces and dashes ignored, O for 0, I and L for 1 — as viewers type what they saw.
enum AttendanceCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let length = 6

    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }

    /// What was typed, as stored, or nil when it cannot be a code.
    static func normalised(_ typed: String) -> String? {
        var result = ""
        for character in typed.uppercased() {
            switch character {
            case " ", "-", "\t": continue
            case "O": result.append("0")
            case "I", "L": result.append("1")
            default:
                guard alphabet.contains(character) else { return nil }
                result.append(character)
            }
            if result.count > length { return nil }
        }
        return result.count == length ? result : nil
    }

    /// As the host's screen shows it: `K7Q 2MX`.
    static func spaced(_ code: String) -> String {
        code.count == length ? "\(code.prefix(3)) \(code.suffix(3))" : code
    }
}
