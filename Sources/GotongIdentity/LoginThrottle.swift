import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit

/// Failed sign-ins counted under one key: one account from one address (`pair:`), or one
/// address across every account (`ip:`).
public final class LoginAttempt: Model, @unchecked Sendable {
    public static let schema = "login_attempts"

    @ID(key: .id) public var id: UUID?
    /// `pair:<hash of account and address>` or `ip:<address>`.
    @Field(key: "key") public var key: String
    /// The account (normalised email) of a `pair:` key, so a password reset can clear its counts.
    @OptionalField(key: "account") public var account: String?
    @Field(key: "failures") public var failures: Int
    @Field(key: "last_failure_at") public var lastFailureAt: Date
    @OptionalField(key: "locked_until") public var lockedUntil: Date?

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] { [$id, $key, $account, $failures, $lastFailureAt, $lockedUntil] }
}

/// Slows and then stops password guessing without letting a stranger lock anyone out.
///
/// Failures are counted per (account, address) pair and per address, never per account alone:
/// an attacker failing on someone's account from one address slows and then locks only that
/// address's tries on that account, and the owner signing in from elsewhere is not affected.
/// An address that fails on many accounts (password spraying) is slowed, then locked, as a whole.
/// Each further failure after a lock doubles the next lock; a quiet hour forgets the count.
///
/// An attempt is counted as a failure *before* the password is checked and taken back when it
/// was right, so a burst of parallel requests cannot all slip in under the limit.
public struct LoginThrottle: Sendable {
    /// Failures of one account from one address after which each further try waits.
    public static let slowAfter = 3
    /// Failures of one account from one address after which that pair is locked.
    public static let lockAfter = 5
    /// Failures from one address (any accounts) after which each further try from it waits.
    public static let slowAddressAfter = 10
    /// Failures from one address (any accounts) after which the address is locked.
    public static let lockAddressAfter = 30
    /// The first lock; each further failure doubles it, up to ``longestLock``.
    public static let lockDuration: TimeInterval = 15 * 60
    public static let longestLock: TimeInterval = 24 * 60 * 60
    /// The longest wait before a password is checked; the wait doubles from one second.
    public static let longestDelaySeconds = 8
    /// Failures are forgotten after this long without one (counted from the end of a lock).
    public static let window: TimeInterval = 60 * 60

    /// One sign-in attempt that may go ahead, already counted as a failure.
    public struct Attempt: Sendable, Equatable {
        let pairKey: String
        let addressKey: String
        /// How long to wait before checking the password.
        public let delay: Duration
        /// The lock that applies if the password turns out wrong (already written, so parallel
        /// tries see it; lifted again if the password was right).
        public let lockIfWrong: Date?
        /// Whether this attempt is the one that locked the address.
        let lockedAddress: Bool
        /// Failures of this account from this address, this attempt included.
        var failures = 0

        /// What a wrong password should say about the next try: slower from now on, or the
        /// last before the lock, so nobody is locked out without warning.
        public var warning: Warning? {
            guard lockIfWrong == nil, failures >= LoginThrottle.slowAfter else { return nil }
            let left = LoginThrottle.lockAfter - failures
            return left <= 1 ? .lastTry : .slowing(triesLeft: left)
        }
    }

    public enum Warning: Sendable, Equatable {
        /// The next tries wait a little; so many are left before the lock.
        case slowing(triesLeft: Int)
        /// One more wrong password locks sign-in from this device for a while.
        case lastTry
    }

    public enum Verdict: Sendable, Equatable {
        case go(Attempt)
        case locked(until: Date)
    }

    let db: any Database

    public init(db: any Database) { self.db = db }

    static func account(_ email: String) -> String {
        String(Person.normalise(email: email).prefix(320))
    }

    /// The pair key is a hash: emails and addresses of any length make a key of one length.
    static func pairKey(account: String, ip: String) -> String {
        "pair:" + SecretToken.hash(account + "\n" + ip)
    }

    static func addressKey(_ ip: String) -> String {
        "ip:" + String(ip.prefix(100))
    }

    /// Whether a sign-in to `email` from `ip` may be tried now; if so it is counted (as a failure
    /// until ``succeeded(_:)`` says otherwise) and the answer says how long to wait first.
    public func begin(email: String, ip: String, now: Date = Date()) async throws -> Verdict {
        let account = Self.account(email)
        let pairKey = Self.pairKey(account: account, ip: ip), addressKey = Self.addressKey(ip)
        let rows = try await LoginAttempt.query(on: db).filter(\.$key ~~ [pairKey, addressKey]).all()
        if let until = rows.compactMap(\.lockedUntil).filter({ $0 > now }).max() {
            return .locked(until: until)
        }
        let address = try await count(addressKey, account: nil, now: now)
        let pair = try await count(pairKey, account: account, now: now)
        // Locked by a parallel attempt between the read above and the counts.
        if let until = [address.lockedUntil, pair.lockedUntil].compactMap({ $0 }).filter({ $0 > now }).max() {
            return .locked(until: until)
        }
        var lockIfWrong: Date?
        if pair.failures >= Self.lockAfter {
            lockIfWrong = try await lock(pairKey, failures: pair.failures, over: Self.lockAfter, now: now)
        }
        var lockedAddress = false
        if address.failures >= Self.lockAddressAfter {
            let until = try await lock(addressKey, failures: address.failures, over: Self.lockAddressAfter, now: now)
            lockIfWrong = max(lockIfWrong ?? until, until)
            lockedAddress = true
        }
        let delay = max(
            Self.delay(before: pair.failures, slowAfter: Self.slowAfter),
            Self.delay(before: address.failures, slowAfter: Self.slowAddressAfter))
        return .go(
            Attempt(
                pairKey: pairKey, addressKey: addressKey, delay: delay, lockIfWrong: lockIfWrong,
                lockedAddress: lockedAddress, failures: pair.failures))
    }

    /// The password was right: the pair starts afresh and the address's count is given back.
    public func succeeded(_ attempt: Attempt, now: Date = Date()) async throws {
        try await LoginAttempt.query(on: db).filter(\.$key == attempt.pairKey).delete()
        let table = SQLIdentifier(LoginAttempt.schema)
        var update = db.sql.update(table)
            .set(
                "failures",
                to: SQLQueryString("CASE WHEN \(ident: "failures") > 0 THEN \(ident: "failures") - 1 ELSE 0 END"))
        if attempt.lockedAddress { update = update.set("locked_until", to: SQLLiteral.null) }
        try await update.where("key", .equal, attempt.addressKey).run()
        try await sweep(now: now)
    }

    /// Deletes counts that have been quiet for a whole window (they would start again at one
    /// anyway), so rows made by guesses from many addresses at many accounts do not pile up.
    /// One indexed range delete, done on successful sign-ins.
    func sweep(now: Date) async throws {
        let cutoff = now.addingTimeInterval(-Self.window)
        try await LoginAttempt.query(on: db)
            .filter(\.$lastFailureAt < cutoff)
            .group(.or) { $0.filter(\.$lockedUntil == nil).filter(\.$lockedUntil < cutoff) }
            .delete()
    }

    /// Forgets every count for an account (after its password was reset by mail).
    public func clear(email: String) async throws {
        try await LoginAttempt.query(on: db).filter(\.$account == Self.account(email)).delete()
    }

    /// The wait before the attempt that brings a key to `failures`: none up to `slowAfter`
    /// earlier failures, then 1, 2, 4… seconds, at most ``longestDelaySeconds``.
    static func delay(before failures: Int, slowAfter: Int) -> Duration {
        let earlier = failures - 1
        guard earlier >= slowAfter else { return .zero }
        return .seconds(min(1 << min(earlier - slowAfter, 10), longestDelaySeconds))
    }

    /// The lock for a key with `failures`, `limit` being the count that first locks it.
    static func lockLength(failures: Int, over limit: Int) -> TimeInterval {
        min(lockDuration * Double(1 << min(max(failures - limit, 0), 10)), longestLock)
    }

    /// Adds one to a key's count in one statement (so parallel attempts each count), starting
    /// again at one when the key has been quiet for a whole ``window``.
    private func count(_ key: String, account: String?, now: Date) async throws -> LoginAttempt {
        let table = LoginAttempt.schema
        let quiet = SQLQueryString(
            """
            \(ident: table).\(ident: "last_failure_at") < \(bind: now.addingTimeInterval(-Self.window)) \
            AND (\(ident: table).\(ident: "locked_until") IS NULL OR \(ident: table).\(ident: "locked_until") < \
            \(bind: now.addingTimeInterval(-Self.window)))
            """)
        let row = try await db.sql.insert(into: table)
            .columns("id", "key", "account", "failures", "last_failure_at", "locked_until")
            .values(SQLBind(UUID()), SQLBind(key), SQLBind(account), SQLBind(1), SQLBind(now), SQLLiteral.null)
            .onConflict(with: ["key"]) { update in
                update
                    .set(
                        "failures",
                        to: SQLQueryString(
                            "CASE WHEN \(quiet) THEN 1 ELSE \(ident: table).\(ident: "failures") + 1 END")
                    )
                    .set(
                        "locked_until",
                        to: SQLQueryString(
                            "CASE WHEN \(quiet) THEN NULL ELSE \(ident: table).\(ident: "locked_until") END")
                    )
                    .set(excludedValueOf: "last_failure_at")
            }
            .returning(SQLLiteral.all)
            .first()
            .map { try $0.decode(fluentModel: LoginAttempt.self) }
        guard let row else { throw LoginThrottleError() }
        return row
    }

    private func lock(_ key: String, failures: Int, over limit: Int, now: Date) async throws -> Date {
        let until = now.addingTimeInterval(Self.lockLength(failures: failures, over: limit))
        try await LoginAttempt.query(on: db).filter(\.$key == key).set(\.$lockedUntil, to: until).update()
        return until
    }
}

struct LoginThrottleError: Error, CustomStringConvertible {
    var description: String { "the sign-in count was not returned by the database" }
}
