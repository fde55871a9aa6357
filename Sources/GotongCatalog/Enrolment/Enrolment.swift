import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// One person's place in one course: enrolled, waiting for a seat, waiting for approval, or
/// no longer taking part. One row per person and course; its history is in its fields.
public final class Enrolment: TenantOwned, @unchecked Sendable {
    public static let schema = "enrolments"
    public static var tenantKey: KeyPath<Enrolment, FieldProperty<Enrolment, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "course_id") public var courseID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Enum(key: "status") public var status: Status
    /// Assigned by the institution (required training): the learner cannot withdraw.
    @Field(key: "assigned") public var assigned: Bool
    @OptionalField(key: "due_at") public var dueAt: Date?
    @OptionalField(key: "assigned_by") public var assignedBy: UUID?
    /// Why a request was rejected or a participant removed.
    @Field(key: "reason") public var reason: String
    /// When the person asked (or was assigned); the waiting list is served in this order.
    @Field(key: "requested_at") public var requestedAt: Date
    @OptionalField(key: "enrolled_at") public var enrolledAt: Date?
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $courseID, $personID, $status, $assigned, $dueAt, $assignedBy, $reason, $requestedAt,
            $enrolledAt, $completedAt, $updatedAt,
        ]
    }

    public init(tenantID: UUID, courseID: UUID, personID: UUID, status: Status, requestedAt: Date) {
        self.tenantID = tenantID
        self.courseID = courseID
        self.personID = personID
        self.status = status
        self.assigned = false
        self.reason = ""
        self.requestedAt = requestedAt
    }

    public enum Status: String, Codable, CaseIterable, Sendable {
        /// Holds a seat.
        case enrolled
        /// The course was full; first come, first served when a seat frees up.
        case waiting
        /// Waits for a coordinator's approval.
        case pending
        case rejected
        case withdrawn
        case removed
        case completed

        /// Whether the person is in the course or in a queue for it.
        public var isActive: Bool { [.enrolled, .waiting, .pending, .completed].contains(self) }
    }
}
