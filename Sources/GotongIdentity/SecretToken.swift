import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

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

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] {
        [$id, $personID, $purpose, $tokenHash, $expiresAt, $usedAt, $createdAt]
    }

    public init(personID: UUID, purpose: Purpose, tokenHash: String, expiresAt: Date) {
        self.personID = personID
        self.purpose = purpose
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }

    /// Makes a token row and returns it with the plain secret for the link.
    public static func issue(for personID: UUID, purpose: Purpose, now: Date = Date()) -> (PersonToken, String) {
        let secret = SecretToken()
        let row = PersonToken(
            personID: personID, purpose: purpose, tokenHash: secret.hash,
            expiresAt: now.addingTimeInterval(purpose.lifetime))
        return (row, secret.plain)
    }

    /// Finds an unused, unexpired token of this purpose.
    public static func usable(
        _ plain: String, purpose: Purpose, on db: any Database, now: Date = Date()
    ) async throws -> PersonToken? {
        try await PersonToken.query(on: db)
            .filter(\.$tokenHash == SecretToken.hash(plain))
            .filter(\.$purpose == purpose)
            .filter(\.$usedAt == nil)
            .filter(\.$expiresAt > now)
            .first()
    }
}

/// A bearer token for the JSON API. It acts with its owner's roles, nothing more, until it
/// expires, is revoked, or its owner resets the password or signs out everywhere.
public final class APIToken: Model, @unchecked Sendable {
    public static let schema = "api_tokens"

    /// How long a token lives unless its maker chooses otherwise.
    public static let defaultLifetime: TimeInterval = 90 * 24 * 3600
    /// The lifetimes the profile page offers, in days.
    public static let offeredLifetimeDays = [30, 90, 365]
    /// The longest lifetime anyone may ask for, in days.
    public static let longestLifetimeDays = 365
    /// `last_used_at` is written at most this often per token, so busy clients don't write on
    /// every request.
    public static let lastUsedResolution: TimeInterval = 60

    @ID(key: .id) public var id: UUID?
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "token_hash") public var tokenHash: String
    /// After this the token answers 401.
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] {
        [$id, $personID, $name, $tokenHash, $expiresAt, $lastUsedAt, $createdAt]
    }

    public init(personID: UUID, name: String, tokenHash: String, expiresAt: Date) {
        self.personID = personID
        self.name = name
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }

    /// Creates a token for a person and returns the plain secret, shown once.
    public static func create(
        for personID: UUID, name: String, lifetime: TimeInterval = defaultLifetime,
        now: Date = Date(), on db: any Database
    ) async throws -> (APIToken, String) {
        let secret = SecretToken()
        let token = APIToken(
            personID: personID, name: name, tokenHash: secret.hash, expiresAt: now.addingTimeInterval(lifetime))
        try await token.create(on: db)
        return (token, "gt_" + secret.plain)
    }

    /// The person a bearer token acts for, or nil when the token is unknown, revoked or expired.
    public static func owner(of plain: String, on db: any Database, now: Date = Date()) async throws -> Person? {
        guard let found = try await lookUp(plain, on: db, now: now) else { return nil }
        if found.stale { try await stamp([found.tokenID], at: now, on: db) }
        return found.person
    }

    /// The token's person, and whether its last use should be written (it is older than
    /// ``lastUsedResolution``), in one read.
    static func lookUp(
        _ plain: String, on db: any Database, now: Date
    ) async throws -> (person: Person, tokenID: UUID, stale: Bool)? {
        guard plain.hasPrefix("gt_") else { return nil }
        let hash = SecretToken.hash(String(plain.dropFirst(3)))
        guard let (tokenID, lastUsed, person) = try await db.read(TokenOwner(hash: hash, now: now)).first else {
            return nil
        }
        return (person, tokenID, lastUsed.map { now.timeIntervalSince($0) >= lastUsedResolution } ?? true)
    }

    /// Writes that these tokens were used at `now`: only the one column, and only where no
    /// parallel request wrote it this minute already. A writing transaction, so on SQLite it
    /// waits its turn rather than finding the file locked.
    static func stamp(_ ids: [UUID], at now: Date, on db: any Database) async throws {
        guard !ids.isEmpty else { return }
        try await db.lockingTransaction { tx in
            try await tx.sql.raw(
                """
                UPDATE \(unsafeRaw: APIToken.schema) SET last_used_at = \(bind: now) WHERE id IN (\(binds: ids)) \
                AND (last_used_at IS NULL OR last_used_at < \(bind: now.addingTimeInterval(-lastUsedResolution)))
                """
            ).run()
        }
    }

    /// Ends every API token of a person (password reset, sign out everywhere).
    public static func revokeAll(of personID: UUID, on db: any Database) async throws {
        try await APIToken.query(on: db).filter(\.$personID == personID).delete()
    }
}

/// A live token's id and last use with its person, by the token's hash: the read every API
/// request with a bearer token starts with, prepared (``PreparedRead``). The person's columns
/// are named apart (`p_…`) and read by position.
struct TokenOwner: PreparedRead {
    let hash: String
    let now: Date

    static let sql = """
        SELECT t.id AS t_id, t.last_used_at AS t_last_used_at, \
        \(Person.columnKeys.map { "p.\($0.description) AS p_\($0.description)" }.joined(separator: ", ")) \
        FROM \(APIToken.schema) t JOIN \(Person.schema) p ON p.id = t.person_id \
        WHERE t.token_hash = $1 AND t.expires_at > $2
        """

    var values: [any PreparedValue] { [hash, now] }

    static func decode(_ columns: inout RowColumns) throws -> (UUID, Date?, Person) {
        let id = try columns.next(UUID.self)
        let lastUsed = try columns.next(Date?.self)
        return (id, lastUsed, try columns.model(Person.self, keys: Person.columnKeys))
    }
}
