import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// A citizen's case: a complaint, an aspiration or a request for information, from one channel,
/// with its public number, its stage and the deadline of that stage in working time.
///
/// Who reported it is kept apart (``DeskReporter``): the case holds only the masked contact, so
/// an anonymous reporter's identity is in no officer's page, answer or export.
public final class DeskCase: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_cases"
    public static var tenantKey: KeyPath<DeskCase, FieldProperty<DeskCase, UUID>> { \.$tenantID }

    public enum Kind: String, Codable, CaseIterable, Sendable {
        case aduan, aspirasi, informasi
        /// A request to check a claim going round (the public site's "Cek Fakta").
        case klarifikasi
    }

    public enum Privacy: String, Codable, CaseIterable, Sendable {
        /// The text is on the public tracker.
        case `public`
        /// On the tracker, the reporter hidden even from officers.
        case anonymous
        /// Not on the tracker at all.
        case confidential
    }

    public enum Channel: String, Codable, CaseIterable, Sendable {
        case web, whatsapp, instagram, x, telegram
    }

    /// The lifecycle (LAPOR!'s): new, verified, routed to a unit, followed up, done; or
    /// refused, waiting on the citizen (the clock stops), reopened (the citizen disputes "done").
    public enum Status: String, Codable, CaseIterable, Sendable {
        case baru, diverifikasi, diteruskan, ditindaklanjuti, selesai, ditolak
        case menungguWarga = "menunggu_warga"
        case dibukaKembali = "dibuka_kembali"

        /// Closed: no deadline runs.
        public var isClosed: Bool { self == .selesai || self == .ditolak }
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    /// `ADU-2026-000123`: the year's sequence of the tenant, without gaps.
    @Field(key: "number") public var number: String
    @Enum(key: "kind") public var kind: Kind
    @Enum(key: "channel") public var channel: Channel
    @Field(key: "category_id") public var categoryID: UUID
    @Field(key: "text") public var text: String
    @Field(key: "location") public var location: String
    @OptionalField(key: "latitude") public var latitude: Double?
    @OptionalField(key: "longitude") public var longitude: Double?
    @Enum(key: "privacy") public var privacy: Privacy
    @Enum(key: "status") public var status: Status
    /// The reporter's contact as officers may see it (`0812****5678`); empty for anonymous cases.
    @Field(key: "contact_masked") public var contactMasked: String
    /// The hash of the secret the citizen follows the case with.
    @Field(key: "secret_hash") public var secretHash: String
    /// When the current stage began, and its deadline (nil once closed).
    @Field(key: "stage_started_at") public var stageStartedAt: Date
    @OptionalField(key: "due_at") public var dueAt: Date?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    @OptionalField(key: "closed_at") public var closedAt: Date?
    /// The citizen's rating of the answer, 1–5, once closed.
    @OptionalField(key: "rating") public var rating: Int?
    /// A hash of the address a web or API report came from (empty for the channels), for the
    /// limit of reports per address; never the address itself.
    @Field(key: "source_hash") public var sourceHash: String
    /// The work unit whose queue holds the case (routing rules set it at intake), and the
    /// officer it is assigned to.
    @OptionalField(key: "unit_id") public var unitID: UUID?
    @OptionalField(key: "assignee_id") public var assigneeID: UUID?
    /// While the desk waits on the citizen: the status to go back to, and the working seconds
    /// that were left of that stage's deadline (negative: already overdue).
    @OptionalEnum(key: "paused_from") public var pausedFrom: Status?
    @OptionalField(key: "paused_left") public var pausedLeft: Double?
    /// How far the current stage's lateness has gone: 0 on time, 1 its unit's head told, 2
    /// escalated to the coordinators (``Escalation``). A new stage starts again at 0.
    @Field(key: "escalation") public var escalation: Int
    /// Working seconds from the report to its verification (or refusal), and to its closing
    /// (emptied when reopened): the dashboard's medians, read without replaying calendars.
    @OptionalField(key: "verify_seconds") public var verifySeconds: Double?
    @OptionalField(key: "close_seconds") public var closeSeconds: Double?
    /// The case this one was merged into as its duplicate (it is closed, refused).
    @OptionalField(key: "merged_into") public var mergedInto: UUID?

    public init() {}

    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $number, $kind, $channel, $categoryID, $text, $location, $latitude, $longitude, $privacy,
            $status, $contactMasked, $secretHash, $stageStartedAt, $dueAt, $createdAt, $updatedAt, $closedAt,
            $rating, $sourceHash, $unitID, $assigneeID, $pausedFrom, $pausedLeft,
            $escalation, $verifySeconds, $closeSeconds, $mergedInto,
        ]
    }
}

/// Who reported a case, kept apart from it: officers never read this table; only the tenant's
/// administrators (its data protection officers) may, and retention empties it after closing.
public final class DeskReporter: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_reporters"
    public static var tenantKey: KeyPath<DeskReporter, FieldProperty<DeskReporter, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "email") public var email: String
    @Field(key: "phone") public var phone: String
    @Field(key: "nik") public var nik: String
    /// Their id on the case's platform (WhatsApp number, Instagram or X user id); empty for the web.
    @Field(key: "handle") public var handle: String
    /// The public comment the case began as (Instagram): its first answer goes privately by it.
    @OptionalField(key: "comment") public var comment: String?

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $caseID, $name, $email, $phone, $nik, $handle, $comment]
    }
}

/// One message of a case's conversation: the citizen's (in), an officer's public reply (out), or
/// an officer's internal note the citizen never sees.
public final class DeskMessage: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_messages"
    public static var tenantKey: KeyPath<DeskMessage, FieldProperty<DeskMessage, UUID>> { \.$tenantID }

    public enum Direction: String, Codable, CaseIterable, Sendable {
        case incoming = "in", outgoing = "out", note
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "case_id") public var caseID: UUID
    @Enum(key: "direction") public var direction: Direction
    @Enum(key: "channel") public var channel: DeskCase.Channel
    @Field(key: "body") public var body: String
    /// The officer who wrote it; nil for the citizen's.
    @OptionalField(key: "author_id") public var authorID: UUID?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $caseID, $direction, $channel, $body, $authorID, $createdAt]
    }

    /// A message of `item`'s conversation, written now (`author` nil: the citizen's).
    convenience init(
        on item: DeskCase, _ direction: Direction, _ channel: DeskCase.Channel, body: String, author: UUID? = nil,
        at now: Date
    ) throws {
        self.init()
        (tenantID, caseID, self.direction, self.channel) = (item.tenantID, try item.requireID(), direction, channel)
        (self.body, authorID, createdAt) = (body, author, now)
    }
}

/// A step of a case's history: its status from and to, who made it (nil: the citizen or the
/// system), a note (a refusal's reason), and when.
public final class DeskEvent: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_events"
    public static var tenantKey: KeyPath<DeskEvent, FieldProperty<DeskEvent, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "case_id") public var caseID: UUID
    @OptionalEnum(key: "status_from") public var from: DeskCase.Status?
    @Enum(key: "status_to") public var to: DeskCase.Status
    @OptionalField(key: "actor_id") public var actorID: UUID?
    @Field(key: "note") public var note: String
    @Field(key: "at") public var at: Date

    public init() {}

    public var properties: [any AnyProperty] { [$id, $tenantID, $caseID, $from, $to, $actorID, $note, $at] }
}
