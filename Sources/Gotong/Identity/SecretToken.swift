import Fluent
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

/// A one-time link token: email verification, password reset, or account activation.
public final class PersonToken: Model, @unchecked Sendable {
    public static let schema = "person_tokens"

    public enum Purpose: String, Codable, Sendable {
        case verifyEmail = "verify_email"
        case resetPassword = "reset_password"
        case activate

        /// How long a link of this kind stays usable.
        public var lifetime: TimeInterval {
            switch self {
            case .verifyEmail: 7 * 24 * 3600
            case .resetPassword: 3600
            case .activate: 14 * 24 * 3600
            }
        }
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "person_id") public var personID: UUID
    @Enum(key: "purpose") public var purpose: Purpose
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "used_at") public var usedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(personID: UUID, purpose: Purpose, tokenHash: String, expiresAt: Date) {
        self.personID = personID
        self.purpose = purpose
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }

    /// Makes a token row and returns it with the plain secret for the link.
    public static func issue(for personID: UUID, purpose: Purpose, now: Date = Date()) -> (PersonToken, String) {
        let secret = SecretToken()
        let row = PersonToken(personID: personID, purpose: purpose, tokenHash: secret.hash,
                              expiresAt: now.addingTimeInterval(purpose.lifetime))
        return (row, secret.plain)
    }

    /// Finds an unused, unexpired token of this purpose.
    public static func usable(_ plain: String, purpose: Purpose, on db: any Database, now: Date = Date()) async throws -> PersonToken? {
        try await PersonToken.query(on: db)
            .filter(\.$tokenHash == SecretToken.hash(plain))
            .filter(\.$purpose == purpose)
            .filter(\.$usedAt == nil)
            .filter(\.$expiresAt > now)
            .first()
    }
}

/// A bearer token for the JSON API. It acts with its owner's roles, nothing more.
public final class APIToken: Model, @unchecked Sendable {
    public static let schema = "api_tokens"

    @ID(key: .id) public var id: UUID?
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "token_hash") public var tokenHash: String
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(personID: UUID, name: String, tokenHash: String) {
        self.personID = personID
        self.name = name
        self.tokenHash = tokenHash
    }

    /// Creates a token for a person and returns the plain secret, shown once.
    public static func create(for personID: UUID, name: String, on db: any Database) async throws -> (APIToken, String) {
        let secret = SecretToken()
        let token = APIToken(personID: personID, name: name, tokenHash: secret.hash)
        try await token.create(on: db)
        return (token, "gt_" + secret.plain)
    }

    public static func owner(of plain: String, on db: any Database) async throws -> Person? {
        guard plain.hasPrefix("gt_") else { return nil }
        guard let token = try await APIToken.query(on: db)
            .filter(\.$tokenHash == SecretToken.hash(String(plain.dropFirst(3)))).first()
        else { return nil }
        // Recorded at most once a minute, so busy clients don't write on every request.
        if token.lastUsedAt.map({ Date().timeIntervalSince($0) > 60 }) ?? true {
            token.lastUsedAt = Date()
            try await token.save(on: db)
        }
        return try await Person.find(token.personID, on: db)
    }
}
