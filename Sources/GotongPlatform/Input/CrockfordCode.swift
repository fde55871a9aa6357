/// Codes people read off a screen or a paper and type back: Crockford's base32 (no I, L, O or
/// U), read forgivingly — any case, spaces and dashes ignored, O for 0, I and L for 1.
public struct CrockfordCode: Sendable {
    public static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    /// Characters in a code: five random bits each.
    public let length: Int

    public init(length: Int) { self.length = length }

    public func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(
            (0..<length).map { _ in Self.alphabet[Int(generator.next(upperBound: UInt32(Self.alphabet.count)))] })
    }

    /// What was typed, as stored, or nil when it cannot be a code of this length.
    public func normalised(_ typed: String) -> String? {
        var result = ""
        for character in typed.uppercased() {
            switch character {
            case " ", "-", "\t": continue
            case "O": result.append("0")
            case "I", "L": result.append("1")
            default:
                guard Self.alphabet.contains(character) else { return nil }
                result.append(character)
            }
            if result.count > length { return nil }
        }
        return result.count == length ? result : nil
    }

    /// The code in groups of `size` joined by `separator`: `K7Q 2MX`, `4F7K-9Q2M-XA8B`.
    public func grouped(_ code: String, by size: Int, separator: String) -> String {
        guard code.count == length, size > 0 else { return code }
        return stride(from: 0, to: code.count, by: size).map { start in
            String(code.dropFirst(start).prefix(size))
        }.joined(separator: separator)
    }
}
