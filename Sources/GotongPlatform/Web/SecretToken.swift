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
}
