import Crypto
import Foundation
import Vapor

/// Values kept in the database sealed (AES-GCM) with the configured key
/// (`GOTONG_CREDENTIALS_KEY`): a copy of the database alone does not give them away. Each is
/// sealed for the place it is kept (`context`, authenticated but not stored), so a value copied
/// to another tenant's row does not open there, and one changed fails to open rather than read
/// wrong.
public struct Sealer: Sendable {
    let key: SymmetricKey

    public init(key: Data) { self.key = SymmetricKey(data: key) }

    /// The application's sealer; nil when no key is configured (nothing sealed can be saved).
    public static func of(_ app: Application) -> Sealer? { app.gotong.credentialsKey.map(Sealer.init(key:)) }

    /// `value` as JSON, sealed, in base64.
    public func seal<Value: Encodable>(_ value: Value, context: String) throws -> String {
        let box = try AES.GCM.seal(try JSONEncoder().encode(value), using: key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw SealingError.cannotSeal }
        return combined.base64EncodedString()
    }

    /// The value sealed for `context`; throws when it was sealed with another key, for another
    /// place, or changed.
    public func open<Value: Decodable>(_ type: Value.Type, _ sealed: String, context: String) throws -> Value {
        guard let data = Data(base64Encoded: sealed) else { throw SealingError.cannotOpen }
        let box = try AES.GCM.SealedBox(combined: data)
        let plain = try AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
        return try JSONDecoder().decode(Value.self, from: plain)
    }
}

public enum SealingError: Error, CustomStringConvertible {
    case cannotSeal, cannotOpen
    public var description: String {
        switch self {
        case .cannotSeal: "the value could not be sealed"
        case .cannotOpen: "the sealed value is not one this key opens"
        }
    }
}
