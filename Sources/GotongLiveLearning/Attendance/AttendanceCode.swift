import Foundation
import GotongPlatform

/// The code the host shows during a broadcast: six characters of Crockford's base32 (30
/// random bits; guesses are limited per person and address), read as viewers type what they saw.
enum AttendanceCode {
    static let code = CrockfordCode(length: 6)
    static var length: Int { code.length }

    static func random() -> String { code.random() }

    /// What was typed, as stored, or nil when it cannot be a code.
    static func normalised(_ typed: String) -> String? { code.normalised(typed) }

    /// As the host's screen shows it: `K7Q 2MX`.
    static func spaced(_ text: String) -> String { code.grouped(text, by: 3, separator: " ") }
}
