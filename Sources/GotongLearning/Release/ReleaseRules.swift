import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// Why an activity is not open yet: the required activity before it that is still to be done
/// (step-by-step release), the moment it opens, or both.
public struct ActivityLock: Equatable, Sendable {
    public var waitingFor: Activity.Ref?
    public var opensAt: Date?
}

extension Activity {
    /// An activity named in a lock's reason.
    public struct Ref: Equatable, Sendable {
        public let id: UUID
        public let title: String
    }
}

/// Decides which activities a learner may open. Pure: the course outline, the activity page
/// and the API all ask it with what they have loaded.
public enum ReleaseRules {
    /// The lock of each activity in `ordered` (course order, as learners see it); open ones
    /// are absent. With `sequential`, an activity opens only when every required activity
    /// before it is complete.
    public static func locks(
        _ ordered: [CourseStructure.Step], completed: Set<UUID>, sequential: Bool, now: Date
    ) -> [UUID: ActivityLock] {
        var locks: [UUID: ActivityLock] = [:]
        var firstUndone: Activity.Ref?
        for activity in ordered {
            let id = activity.id
            var lock = ActivityLock()
            if sequential { lock.waitingFor = firstUndone }
            if let opens = activity.opensAt, opens > now { lock.opensAt = opens }
            if lock.waitingFor != nil || lock.opensAt != nil { locks[id] = lock }
            if firstUndone == nil, activity.isRequired, !completed.contains(id) {
                firstUndone = Activity.Ref(id: id, title: activity.title)
            }
        }
        return locks
    }
}
