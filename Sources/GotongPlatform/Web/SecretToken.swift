import Crypto
import Foundation
import Vapor

/// A random secret handed to a person once (in a link or as an API token). Only its SHA-256 is
/// stored, so a leaked database does not leak usable tokens.
public struct SecretToken: Sendable {
    public let plain: String

    public init() {
        plain = Data([UInt8].random(count: 32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public var hash: String { Self.hash(plain) }

    public static func hash(_ plain: String) -> String {
        SHA256.hash(data: Data(plain.utf8)).hex
    }

    /// Whether `plain` is the secret whose hash is `hash`, compared in time that does not
    /// depend on where they differ.
    public static func matches(_ plain: String, hash: String) -> Bool {
        let (a, b) = (Array(Self.hash(plain).utf8), Array(hash.utf8))
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
