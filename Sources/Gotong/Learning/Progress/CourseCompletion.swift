import Fluent
import Foundation
import Vapor

/// Decides when a course is finished: when every required activity (one with a completion
/// condition, not hidden) is complete. Finishing records the completion on the enrolment
/// through Catalog's ``EnrolmentService`` and then runs the completion hooks, where
/// certificates and JP credit (later issues) plug in.
public struct CourseCompletion: Sendable {
    public struct Key: Hashable, Sendable {
        public let tenantID: UUID
        public let courseID: UUID
        public let personID: UUID
    }

    /// What a hook learns about a finished course.
    public struct Event: Sendable {
        public let tenantID: UUID
        public let courseID: UUID
        public let personID: UUID
        public let completedAt: Date
    }

    let db: any Database
    let hooks: CourseCompletionHooks
    let logger: Logger

    /// Checks each person's course after activities were completed; errors are logged, since
    /// the next progress write checks again.
    func activitiesCompleted(_ keys: [Key]) async {
        for key in Set(keys) {
            do { try await check(key) } catch {
                logger.error("course completion check failed: \(String(describing: error))")
            }
        }
    }

    /// Records the course as finished when all its required activities are complete.
    @discardableResult
    func check(_ key: Key, now: Date = Date()) async throws -> Bool {
        let scope = TenantScope(tenantID: key.tenantID, db: db)
        let required = try await scope.query(Activity.self).filter(\.$courseID == key.courseID)
            .filter(\.$hidden == false).filter(\.$completionKind != CompletionRule.none.kind).all()
        guard !required.isEmpty else { return false }
        let done = Set(try await scope.query(ActivityProgress.self).filter(\.$courseID == key.courseID)
            .filter(\.$personID == key.personID).filter(\.$completedAt != nil).all().map(\.activityID))
        guard required.allSatisfy({ done.contains($0.id!) }) else { return false }
        guard try await EnrolmentService(db: db, now: now).complete(key.personID, courseID: key.courseID, tenantID: key.tenantID) else {
            return false
        }
        await hooks.run(Event(tenantID: key.tenantID, courseID: key.courseID, personID: key.personID, completedAt: now), logger: logger)
        return true
    }
}

/// Work to do when someone finishes a course. Modules register at start-up.
public final class CourseCompletionHooks: @unchecked Sendable {
    public typealias Hook = @Sendable (CourseCompletion.Event) async throws -> Void
    private let lock = NSLock()
    private var hooks: [(name: String, run: Hook)] = []

    public init() {}

    public func register(_ name: String, _ hook: @escaping Hook) {
        lock.withLock { hooks.append((name, hook)) }
    }

    func run(_ event: CourseCompletion.Event, logger: Logger) async {
        for hook in lock.withLock({ hooks }) {
            do { try await hook.run(event) } catch {
                logger.error("course completion hook \(hook.name) failed: \(String(describing: error))")
            }
        }
    }
}
