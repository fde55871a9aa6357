import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Permission to write one person's progress on one activity, handed to the page that shows
/// the activity and signed by the server (HMAC-SHA256). A heartbeat carrying it needs no
/// session or token lookup, which keeps the busiest write of the platform cheap; it also
/// carries the activity's completion rule, so a beat can complete the activity without reading
/// it. Tickets last a working day; a page open longer gets a 401 and reloads.
public struct ProgressTicket: Equatable, Sendable {
    public let personID: UUID
    public let activityID: UUID
    public let courseID: UUID
    public let tenantID: UUID
    /// The activity's type, which hears the beats and judges the rule.
    public let activityType: String
    public let completion: CompletionRule
    public let expires: Date

    static let lifetime: TimeInterval = 12 * 3600

    /// When the ticket was handed out (every ticket lasts `lifetime`): no time on the activity
    /// can have passed before the page that holds it was shown.
    public var issuedAt: Date { expires.addingTimeInterval(-Self.lifetime) }
    static let keyName = "progress_ticket"

    public init(
        personID: UUID, activityID: UUID, courseID: UUID, tenantID: UUID, activityType: String,
        completion: CompletionRule, expires: Date
    ) {
        self.personID = personID
        self.activityID = activityID
        self.courseID = courseID
        self.tenantID = tenantID
        self.activityType = activityType
        self.completion = completion
        // Whole seconds, as the signed text carries them.
        self.expires = Date(timeIntervalSince1970: expires.timeIntervalSince1970.rounded(.down))
    }

    private var payload: String {
        [
            personID.uuidString, activityID.uuidString, courseID.uuidString, tenantID.uuidString,
            completion.kind, completion.value.map(String.init) ?? "", String(Int(expires.timeIntervalSince1970)),
            activityType,
        ].joined(separator: ".")
    }

    /// `payload.signature`, both URL-safe.
    public func signed(with key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key)
        return payload + "." + Data(mac).base64URL
    }

    /// The ticket in `text` when its signature is right and it has not expired. Read byte by
    /// byte: every heartbeat passes through here.
    public static func verify(_ text: String, with key: SymmetricKey, now: Date = Date()) -> ProgressTicket? {
        let bytes = Array(text.utf8)
        let dot = UInt8(ascii: ".")
        guard bytes.count <= 512, let last = bytes.lastIndex(of: dot), let mac = Data(base64URL: bytes[(last + 1)...])
        else { return nil }
        let payload = bytes[..<last]
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: key) else { return nil }
        let parts = payload.split(separator: dot, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard parts.count == 8,
            let person = UUID(uuidString: parts[0]), let activity = UUID(uuidString: parts[1]),
            let course = UUID(uuidString: parts[2]), let tenant = UUID(uuidString: parts[3]),
            let seconds = Int(parts[6])
        else { return nil }
        let expires = Date(timeIntervalSince1970: TimeInterval(seconds))
        guard expires > now else { return nil }
        return ProgressTicket(
            personID: person, activityID: activity, courseID: course, tenantID: tenant, activityType: parts[7],
            completion: CompletionRule(kind: parts[4], value: Int(parts[5])), expires: expires)
    }
}
