import Vapor
import Foundation
import GotongPlatform

/// Permission to save answers in one attempt, handed out when the attempt is shown and signed
/// by the server (HMAC-SHA256), like Learning's progress tickets: a save carrying it needs no
/// session, token or course lookup, only one conditional write, which is what lets thousands
/// of learners answer a post-test at the same minute. It carries the attempt's deadline, so a
/// late answer is refused without reading the attempt.
struct AnswerTicket: Equatable, Sendable {
    let attemptID: UUID
    let personID: UUID
    let tenantID: UUID
    let activityID: UUID
    /// How many questions the attempt has.
    let slots: Int
    let deadline: Date?
    let expires: Date

    static let keyName = "answer_ticket"
    /// An untimed attempt's ticket lasts a working day; the page reloads for a new one.
    static let lifetime: TimeInterval = 12 * 3600

    init(attempt: QuizAttempt, now: Date) throws {
        attemptID = try attempt.requireID()
        personID = attempt.personID
        tenantID = attempt.tenantID
        activityID = attempt.activityID
        slots = attempt.layout.items.count
        deadline = attempt.deadline.map(Self.whole)
        // A timed attempt's ticket outlives its deadline by an hour, so a late answer is told
        // that time is up rather than that its ticket is unknown.
        expires = Self.whole(
            attempt.deadline.map { $0.addingTimeInterval(3600) } ?? now.addingTimeInterval(Self.lifetime))
    }

    private init(
        attemptID: UUID, personID: UUID, tenantID: UUID, activityID: UUID, slots: Int, deadline: Date?, expires: Date
    ) {
        (self.attemptID, self.personID, self.tenantID, self.activityID) = (attemptID, personID, tenantID, activityID)
        (self.slots, self.deadline, self.expires) = (slots, deadline, expires)
    }

    /// Whole seconds, as the signed text carries them.
    private static func whole(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    private var payload: String {
        [
            attemptID.uuidString, personID.uuidString, tenantID.uuidString, activityID.uuidString, String(slots),
            deadline.map { String(Int($0.timeIntervalSince1970)) } ?? "", String(Int(expires.timeIntervalSince1970)),
        ].joined(separator: ".")
    }

    func signed(with key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key)
        return payload + "." + Data(mac).base64URL
    }

    /// The ticket in `text` when its signature is right and it has not expired.
    static func verify(_ text: String, with key: SymmetricKey, now: Date) -> AnswerTicket? {
        let bytes = Array(text.utf8)
        let dot = UInt8(ascii: ".")
        guard bytes.count <= 512, let last = bytes.lastIndex(of: dot), let mac = Data(base64URL: bytes[(last + 1)...])
        else { return nil }
        let payload = bytes[..<last]
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: key) else { return nil }
        let parts = payload.split(separator: dot, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard parts.count == 7, let attempt = UUID(uuidString: parts[0]), let person = UUID(uuidString: parts[1]),
            let tenant = UUID(uuidString: parts[2]), let activity = UUID(uuidString: parts[3]),
            let slots = Int(parts[4]), let expires = Int(parts[6])
        else { return nil }
        let ticket = AnswerTicket(
            attemptID: attempt, personID: person, tenantID: tenant, activityID: activity, slots: slots,
            deadline: Int(parts[5]).map { Date(timeIntervalSince1970: TimeInterval($0)) },
            expires: Date(timeIntervalSince1970: TimeInterval(expires)))
        return ticket.expires > now ? ticket : nil
    }
}
