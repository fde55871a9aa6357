import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Claiming attendance at an episode with the host's code. The server checks everything a
/// client could lie about: the moment (its own clock, within the episode's claim window), the
/// person (the session's), and the code (limited guesses per person and per address).
///
/// A good claim finishes the episode's course when it has no quiz — Learning tells the hooks,
/// Credentials credits the JP and issues the certificate — or admits the person to the course,
/// whose quiz then finishes it. One claim per person and episode (a unique key).
public struct Claims: Sendable {
    /// Wrong codes one person may type for an episode before their tries wait.
    public static let personLimit = 5
    /// Wrong codes a person may have typed and still claim from an address that typed too many.
    public static let forgivenSlips = 2
    /// Wrong codes from one address (an office behind one router) before its guessers wait.
    public static let addressLimit = 30
    /// How long wrong codes are remembered, counted from the last one: the wait.
    public static let memory: TimeInterval = 15 * 60

    public enum Outcome: Sendable, Equatable {
        /// Attendance counted; the JP and the certificate follow (the course is finished).
        case credited
        /// Attendance counted; the quiz of the episode's course comes next.
        case admitted(quiz: UUID)
        /// Claimed before; nothing changed.
        case alreadyClaimed
    }

    let app: Application
    let db: any Database

    public init(app: Application, db: any Database) {
        self.app = app
        self.db = db
    }

    /// Whether claims are taken at `now`: from the start of the broadcast (the code is shown
    /// during it) to the end of the claim window after it; never for a cancelled episode.
    public static func refusal(_ episode: LiveEpisode, in programme: LiveProgramme, at now: Date) -> String? {
        if episode.status == .cancelled { return "live.claim.error.cancelled" }
        if now < episode.startsAt { return "live.claim.error.not_yet" }
        if now > closing(episode, in: programme) { return "live.claim.error.closed" }
        return nil
    }

    /// The last moment a claim is taken.
    public static func closing(_ episode: LiveEpisode, in programme: LiveProgramme) -> Date {
        episode.endsAt.addingTimeInterval(Double(programme.claimHours) * 3600)
    }

    public func claim(
        _ episode: LiveEpisode, in programme: LiveProgramme, by person: PersonID, code typed: String,
        from address: String
    ) async throws -> Outcome {
        let now = app.clock.now()
        let (episodeID, tenantID) = (try episode.requireID(), episode.tenantID)
        let scope = TenantScope(tenantID: tenantID, db: db)
        if try await scope.query(LiveClaim.self).filter(\.$episodeID == episodeID).filter(
            \.$personID == person.rawValue
        )
        .first() != nil {
            return .alreadyClaimed
        }
        if let refusal = Self.refusal(episode, in: programme, at: now) { throw InputError(field: "code", key: refusal) }
        guard let courseID = episode.courseID else {
            throw InputError(field: "code", key: "live.claim.error.no_course")
        }
        // What cannot be a code is a typing slip, not a guess: said so, and not counted.
        guard let code = AttendanceCode.normalised(typed) else {
            throw InputError(field: "code", key: "live.claim.error.format")
        }
        let personKey = "person:\(person.rawValue.uuidString)"
        let addressKey = "ip:\(address)"
        let standing = try await failures(episodeID, [personKey, addressKey], now: now)
        let (mine, theirs) = (standing[personKey] ?? (0, now), standing[addressKey] ?? (0, now))
        // A person locked out waits from their last wrong code; trying again does not extend it.
        if mine.count >= Self.personLimit { throw Self.locked(until: mine.last, now: now) }
        // An address (an office, a mobile network behind one router) that typed many wrong codes
        // stops only those of its people who keep guessing: a first code, and a code after one
        // slip, always count.
        if theirs.count >= Self.addressLimit, mine.count >= Self.forgivenSlips {
            throw Self.locked(until: theirs.last, now: now)
        }
        let quiz = try await firstRequiredActivity(of: episode)
        let learning = app.learning
        // One transaction: the try is counted before the code is checked (a burst of parallel
        // tries takes its turns on the person's row, so none slips in under the limit), and a
        // right code clears the count, records the claim and the completion.
        let step: Step = try await db.lockingTransaction { tx in
            let tries = try await Self.bump(on: tx, episodeID, personKey, now: now)
            if tries > Self.personLimit { return .locked }
            guard code == episode.code else {
                _ = try await Self.bump(on: tx, episodeID, addressKey, now: now)
                return .wrong(left: Self.personLimit - tries)
            }
            try await tx.sql.raw(
                """
                DELETE FROM \(ident: ClaimFailure.schema) WHERE episode_id = \(bind: episodeID) \
                AND \(ident: "key") = \(bind: personKey)
                """
            ).run()
            let made = try await tx.sql.raw(
                """
                INSERT INTO \(ident: LiveClaim.schema) (id, tenant_id, episode_id, person_id, claimed_at) VALUES \
                (\(bind: UUID()), \(bind: tenantID), \(bind: episodeID), \(bind: person.rawValue), \(bind: now)) \
                ON CONFLICT (tenant_id, episode_id, person_id) DO NOTHING RETURNING id
                """
            ).first()
            guard made != nil else { return .done(.alreadyClaimed) }
            if let quiz {
                _ = try await EnrolmentService(db: tx, now: now).admit(
                    person, to: CourseID(courseID), of: TenantID(tenantID))
                return .done(.admitted(quiz: quiz))
            }
            _ = try await learning.courseCompletion(on: tx).recordByHand(
                person, in: CourseID(courseID), of: TenantID(tenantID), now: now)
            return .done(.credited)
        }
        let outcome: Outcome
        switch step {
        case .locked: throw Self.locked(until: now, now: now)
        case .wrong(let left) where left <= 0: throw Self.locked(until: now, now: now)
        case .wrong(let left): throw InputError(field: "code", key: "live.claim.error.wrong", args: ["left": "\(left)"])
        case .done(let done): outcome = done
        }
        if outcome == .credited { app.jobs.kick() }
        return outcome
    }

    /// The episode's quiz while the person has not finished its course: where a claimant who
    /// was admitted goes next.
    public func pendingQuiz(of episode: LiveEpisode, for person: PersonID) async throws -> UUID? {
        guard let courseID = episode.courseID, let quiz = try await firstRequiredActivity(of: episode) else {
            return nil
        }
        let finished = try await TenantScope(tenantID: episode.tenantID, db: db).query(Enrolment.self)
            .filter(\.$courseID == courseID).filter(\.$personID == person.rawValue).filter(\.$status == .completed)
            .first()
        return finished == nil ? quiz : nil
    }

    /// The first activity of the episode's course that must be completed (its quiz), if any.
    func firstRequiredActivity(of episode: LiveEpisode) async throws -> UUID? {
        guard let courseID = episode.courseID else { return nil }
        let activities = try await TenantScope(tenantID: episode.tenantID, db: db).query(Activity.self)
            .filter(\.$courseID == courseID).filter(\.$hidden == false)
            .filter(\.$completionKind != CompletionRule.none.kind).all()
        let sections = try await TenantScope(tenantID: episode.tenantID, db: db).query(CourseSection.self)
            .filter(\.$courseID == courseID).all()
        let order = Dictionary(sections.map { ($0.id!, $0.position) }, uniquingKeysWith: { a, _ in a })
        return activities.min { (order[$0.sectionID] ?? 0, $0.position) < (order[$1.sectionID] ?? 0, $1.position) }?.id
    }

    /// "Try again in N minutes", counted from the last wrong code.
    static func locked(until last: Date, now: Date) -> InputError {
        let minutes = max(1, Int((last.addingTimeInterval(memory).timeIntervalSince(now) / 60).rounded(.up)))
        return InputError(
            field: "code", key: "live.claim.error.locked", args: ["minutes": "\(minutes)"], status: .tooManyRequests)
    }

    /// What a claim's turn inside its transaction came to.
    enum Step: Sendable {
        case locked
        case wrong(left: Int)
        case done(Outcome)
    }

    /// The wrong codes counted under each of `keys` and when the last was typed, in one read;
    /// a key is absent once ``memory`` has passed since its last.
    private func failures(
        _ episodeID: UUID, _ keys: [String], now: Date
    ) async throws -> [String: (count: Int, last: Date)] {
        let rows = try await db.sql.raw(
            """
            SELECT \(ident: "key"), failures, last_failure_at FROM \(ident: ClaimFailure.schema) \
            WHERE episode_id = \(bind: episodeID) AND \(ident: "key") IN (\(binds: keys)) \
            AND last_failure_at >= \(bind: now.addingTimeInterval(-Self.memory))
            """
        ).all()
        var result: [String: (count: Int, last: Date)] = [:]
        for row in rows {
            result[try row.decode(column: "key", as: String.self)] = (
                try row.decode(column: "failures", as: Int.self),
                try row.decode(column: "last_failure_at", as: Date.self)
            )
        }
        return result
    }

    /// Counts one more wrong code under `key` in `db`'s transaction (starting again after
    /// ``memory``); the count after it.
    private static func bump(on db: any Database, _ episodeID: UUID, _ key: String, now: Date) async throws -> Int {
        let since = now.addingTimeInterval(-memory)
        let row = try await db.sql.raw(
            """
            INSERT INTO \(ident: ClaimFailure.schema) (id, episode_id, \(ident: "key"), failures, last_failure_at) \
            VALUES (\(bind: UUID()), \(bind: episodeID), \(bind: key), 1, \(bind: now)) \
            ON CONFLICT (episode_id, \(ident: "key")) DO UPDATE SET failures = CASE WHEN \
            \(ident: ClaimFailure.schema).last_failure_at < \(bind: since) THEN 1 \
            ELSE \(ident: ClaimFailure.schema).failures + 1 END, last_failure_at = \(bind: now) RETURNING failures
            """
        ).first()
        return try row?.decode(column: "failures", as: Int.self) ?? 1
    }
}
