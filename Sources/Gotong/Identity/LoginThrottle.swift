import Fluent
import Foundation

/// Counts failed sign-ins per account and per address. After a few failures sign-in is slowed,
/// after more it is locked for a while; a success clears the account's count.
public final class LoginAttempt: Model, @unchecked Sendable {
    public static let schema = "login_attempts"

    @ID(key: .id) public var id: UUID?
    /// `email:<address>` or `ip:<address>`.
    @Field(key: "key") public var key: String
    @Field(key: "failures") public var failures: Int
    @Field(key: "last_failure_at") public var lastFailureAt: Date
    @OptionalField(key: "locked_until") public var lockedUntil: Date?

    public init() {}

    init(key: String, now: Date) {
        self.key = key
        self.failures = 0
        self.lastFailureAt = now
    }
}

public struct LoginThrottle: Sendable {
    /// Failures after which each further try waits a little before being answered.
    public static let slowAfter = 3
    /// Failures after which the key is locked.
    public static let lockAfter = 5
    /// Failures from one address before the address itself is locked (it may try many accounts).
    public static let lockAddressAfter = 20
    public static let lockDuration: TimeInterval = 15 * 60
    /// Failures older than this are forgotten.
    public static let window: TimeInterval = 60 * 60

    public enum Verdict: Sendable, Equatable {
        case allowed(delaySeconds: Int)
        case locked(until: Date)
    }

    let db: any Database

    public init(db: any Database) { self.db = db }

    static func keys(email: String, ip: String) -> [String] {
        ["email:" + Person.normalise(email: email), "ip:" + ip]
    }

    /// Whether a sign-in for this account from this address may be tried now, and after what delay.
    public func check(email: String, ip: String, now: Date = Date()) async throws -> Verdict {
        let rows = try await LoginAttempt.query(on: db).filter(\.$key ~~ Self.keys(email: email, ip: ip)).all()
        if let until = rows.compactMap(\.lockedUntil).filter({ $0 > now }).max() {
            return .locked(until: until)
        }
        let failures = rows.filter { now.timeIntervalSince($0.lastFailureAt) < Self.window && $0.key.hasPrefix("email:") }
            .map(\.failures).max() ?? 0
        return .allowed(delaySeconds: failures >= Self.slowAfter ? min(failures - Self.slowAfter + 1, 3) : 0)
    }

    /// Records a failure for the account and the address; returns the lock if one now applies.
    @discardableResult
    public func recordFailure(email: String, ip: String, now: Date = Date()) async throws -> Date? {
        var lockedUntil: Date?
        for key in Self.keys(email: email, ip: ip) {
            let row = try await LoginAttempt.query(on: db).filter(\.$key == key).first() ?? LoginAttempt(key: key, now: now)
            if now.timeIntervalSince(row.lastFailureAt) >= Self.window || (row.lockedUntil.map { $0 <= now } ?? false) {
                row.failures = 0
                row.lockedUntil = nil
            }
            row.failures += 1
            row.lastFailureAt = now
            let limit = key.hasPrefix("ip:") ? Self.lockAddressAfter : Self.lockAfter
            if row.failures >= limit {
                row.lockedUntil = now.addingTimeInterval(Self.lockDuration)
                lockedUntil = row.lockedUntil
            }
            try await row.save(on: db)
        }
        return lockedUntil
    }

    public func recordSuccess(email: String) async throws {
        try await LoginAttempt.query(on: db).filter(\.$key == "email:" + Person.normalise(email: email)).delete()
    }
}
