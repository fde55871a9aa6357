import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

/// What one person did with one activity: views, time on screen, what the activity's type
/// records (``ProgressState``), and when the activity became complete. One row per person and
/// activity.
public final class ActivityProgress: TenantOwned, @unchecked Sendable {
    public static let schema = "activity_progress"
    public static var tenantKey: KeyPath<ActivityProgress, FieldProperty<ActivityProgress, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "course_id") public var courseID: UUID
    @Field(key: "activity_id") public var activityID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "views") public var views: Int
    @OptionalField(key: "first_viewed_at") public var firstViewedAt: Date?
    /// The last time anything was recorded (a view, a heartbeat, a post).
    @OptionalField(key: "last_seen_at") public var lastSeenAt: Date?
    /// Seconds on screen, counted by heartbeats (see ``HeartbeatRecorder``).
    @Field(key: "seconds") public var seconds: Int
    /// ``ProgressState`` as stored.
    @Field(key: "state") var stateJSON: String
    @OptionalField(key: "completed_at") public var completedAt: Date?

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $courseID, $activityID, $personID, $views, $firstViewedAt, $lastSeenAt, $seconds,
            $stateJSON, $completedAt,
        ]
    }

    public init(tenantID: UUID, courseID: UUID, activityID: UUID, personID: UUID) {
        self.tenantID = tenantID
        self.courseID = courseID
        self.activityID = activityID
        self.personID = personID
        views = 0
        seconds = 0
        stateJSON = ProgressState().json
    }

    /// What the activity's type records.
    public var state: ProgressState { ProgressState(json: stateJSON) }

    public var facts: ProgressFacts {
        ProgressFacts(views: views, seconds: seconds, state: state)
    }
}

/// An `activity_progress` row as a plain value, for the hot writes (heartbeats, views) that
/// read and write rows with SQL rather than through the model.
struct ProgressRow: Sendable {
    var id: UUID
    var tenant_id: UUID
    var course_id: UUID
    var activity_id: UUID
    var person_id: UUID
    var views = 0
    var seconds = 0
    var state = ProgressState()
    var first_viewed_at: Date?
    var last_seen_at: Date?
    var completed_at: Date?

    var facts: ProgressFacts {
        ProgressFacts(views: views, seconds: seconds, state: state)
    }

    /// Every column, in the order of ``binds``.
    static let columns = [
        "id", "tenant_id", "course_id", "activity_id", "person_id", "views", "seconds", "state",
        "first_viewed_at", "last_seen_at", "completed_at",
    ]

    /// ``columns`` as SQL text, for statements written out by hand.
    static let columnList = columns.joined(separator: ", ")

    /// ``binds`` as one comma-separated list, for statements written out by hand.
    var bindList: SQLList { SQLList(binds) }

    var binds: [any SQLExpression] {
        [
            SQLBind(id), SQLBind(tenant_id), SQLBind(course_id), SQLBind(activity_id), SQLBind(person_id),
            SQLBind(views), SQLBind(seconds), SQLBind(state.json), SQLBind(first_viewed_at),
            SQLBind(last_seen_at), SQLBind(completed_at),
        ]
    }
}

/// What completion rules judge: the views and time core records for every type, and what the
/// activity's type records itself.
public struct ProgressFacts: Equatable, Sendable {
    public var views = 0
    public var seconds = 0
    public var state = ProgressState()

    public init(views: Int = 0, seconds: Int = 0, state: ProgressState = ProgressState()) {
        self.views = views
        self.seconds = seconds
        self.state = state
    }
}

/// Where a person's time was last credited, so two open tabs never count the same minute twice
/// and a retried heartbeat counts nothing. One row per person (across tenants: a person reads
/// one screen at a time).
final class LearningClock: Model, @unchecked Sendable {
    static let schema = "learning_clocks"

    @ID(custom: "person_id", generatedBy: .user) var id: UUID?
    /// The tab whose beat was credited last, and its sequence number.
    @Field(key: "tab") var tab: String
    @Field(key: "seq") var seq: Int
    @Field(key: "credited_at") var creditedAt: Date

    init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    var properties: [any AnyProperty] { [$id, $tab, $seq, $creditedAt] }

    init(personID: UUID, tab: String, seq: Int, creditedAt: Date) {
        id = personID
        self.tab = tab
        self.seq = seq
        self.creditedAt = creditedAt
    }
}
