import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Decides when a course is finished: when every required activity (one with a completion
/// condition, not hidden) is complete. Finishing records the completion on the enrolment
/// through Catalog's ``EnrolmentService`` and, in the same transaction, queues the job that
/// tells the completion hooks (``CourseCompletionHooks``), where certificates and JP credit
/// plug in: a completion made anywhere reaches them once it is committed, also when the
/// process stops right after, and a hook that fails is tried again.
public struct CourseCompletion: Sendable {
    /// The job that checks the courses of the people a heartbeat batch completed activities
    /// for: one job per batch, so the people of one course are still checked together.
    static let checkJob = "course.check"

    struct CheckJob: Codable, Sendable {
        var keys: [Key]
        /// When the activities were completed: the course is finished then, not when the job
        /// runs (a retried job could otherwise put a course finished on 31 December in the next
        /// year's JP). Jobs queued before it was kept have none.
        var at: Date?
    }

    /// The job that tells the hooks a course was finished, queued with the completion.
    static let finishedJob = "course.finished"

    public struct Key: Hashable, Sendable, Codable {
        public let tenantID: UUID
        public let courseID: UUID
        public let personID: UUID
    }

    /// What a hook learns about a finished course.
    public struct Event: Codable, Equatable, Sendable {
        public let tenant: TenantID
        public let course: CourseID
        public let person: PersonID
        public let completedAt: Date

        public init(tenant: TenantID, course: CourseID, person: PersonID, completedAt: Date) {
            (self.tenant, self.course, self.person, self.completedAt) = (tenant, course, person, completedAt)
        }
    }

    let db: any Database
    /// The process's job handlers, asked to run the queued hooks' job now.
    let jobs: JobHandlers
    let logger: Logger

    /// Checks each person's course after activities were completed. The people of one course
    /// are checked together (a batch of heartbeats often completes an activity for many at
    /// once): the course's required activities and the people's completions are read once for
    /// all of them. Every course is tried; the first failure is thrown afterwards, so the job
    /// that called this is retried (finishing is idempotent).
    func activitiesCompleted(_ keys: [Key], now: Date) async throws {
        let courses = Dictionary(grouping: Set(keys)) { CourseRef(tenantID: $0.tenantID, courseID: $0.courseID) }
        var failure: (any Error)?
        for (course, keys) in courses {
            do {
                for person in try await finishers(of: course, among: keys.map(\.personID)) {
                    try await finish(
                        Key(tenantID: course.tenantID, courseID: course.courseID, personID: person), now: now)
                }
            } catch {
                logger.error("course completion check failed: \(String(describing: error))")
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }

    /// Records the course as finished when all its required activities are complete.
    @discardableResult
    func check(_ key: Key, now: Date) async throws -> Bool {
        let course = CourseRef(tenantID: key.tenantID, courseID: key.courseID)
        guard try await finishers(of: course, among: [key.personID]).contains(key.personID) else { return false }
        return try await finish(key, now: now)
    }

    struct CourseRef: Hashable {
        let tenantID: UUID
        let courseID: UUID
    }

    /// Those of `people` who have completed every required activity (one with a completion
    /// condition, not hidden) of the course; nobody when it has none.
    private func finishers(of course: CourseRef, among people: [UUID]) async throws -> [UUID] {
        let scope = TenantScope(tenantID: course.tenantID, db: db)
        let required = Set(
            try await scope.query(Activity.self).filter(\.$courseID == course.courseID)
                .filter(\.$hidden == false).filter(\.$completionKind != CompletionRule.none.kind).all().map { $0.id! })
        guard !required.isEmpty else { return [] }
        var done: [UUID: Set<UUID>] = [:]
        for row in try await scope.query(ActivityProgress.self).filter(\.$courseID == course.courseID)
            .filter(\.$personID ~~ people).filter(\.$completedAt != nil).all()
        {
            done[row.personID, default: []].insert(row.activityID)
        }
        return people.filter { required.isSubset(of: done[$0] ?? []) }
    }

    /// Records the completion on the enrolment and queues the hooks' job with it, once: of two
    /// checks at the same moment only one changes the enrolment.
    @discardableResult
    private func finish(_ key: Key, now: Date) async throws -> Bool {
        let event = Event(
            tenant: TenantID(key.tenantID), course: CourseID(key.courseID), person: PersonID(key.personID),
            completedAt: now)
        let finished = try await db.lockingTransaction { tx in
            guard
                try await EnrolmentService(db: tx, now: now).complete(event.person, in: event.course, of: event.tenant)
            else { return false }
            try await JobQueue.enqueue(Self.finishedJob, event, on: tx, at: now)
            return true
        }
        if finished { jobs.kick() }
        return finished
    }
}

extension CourseCompletion {
    /// What recording a completion by hand found.
    public enum ByHand: Sendable, Equatable {
        /// The course is now complete for the person, and the hooks will hear of it.
        case recorded
        /// It was complete already: nothing changed, the hooks heard of it then.
        case alreadyComplete
    }

    /// A coordinator records that the person finished the course, for training attended in
    /// person. The enrolment becomes complete, or one is made complete when the person had
    /// none or had left (the coordinator's record of attendance stands), and the hooks' job is
    /// queued with it, exactly as for a course finished online.
    public func recordByHand(
        _ person: PersonID, in course: CourseID, of tenant: TenantID, now: Date
    ) async throws -> ByHand {
        let event = Event(tenant: tenant, course: course, person: person, completedAt: now)
        let outcome = try await db.lockingTransaction { tx in
            // The row's unique key (person and course) makes this the one place it changes.
            let changed = try await tx.sql.raw(
                """
                UPDATE enrolments SET status = \(bind: Enrolment.Status.completed.rawValue), \
                completed_at = \(bind: now), enrolled_at = COALESCE(enrolled_at, \(bind: now)), \
                updated_at = \(bind: now) \
                WHERE tenant_id = \(bind: tenant.rawValue) AND course_id = \(bind: course.rawValue) \
                AND person_id = \(bind: person.rawValue) AND status <> \(bind: Enrolment.Status.completed.rawValue) \
                RETURNING id
                """
            ).first()
            if changed == nil {
                // No enrolment to complete: one is made complete, unless another record of the
                // same completion made it a moment ago (the unique key keeps one).
                let made = try await tx.sql.raw(
                    """
                    INSERT INTO enrolments (id, tenant_id, course_id, person_id, status, assigned, reason, \
                    requested_at, enrolled_at, completed_at, updated_at) VALUES (\(bind: UUID()), \
                    \(bind: tenant.rawValue), \(bind: course.rawValue), \(bind: person.rawValue), \
                    \(bind: Enrolment.Status.completed.rawValue), \(bind: false), '', \(bind: now), \(bind: now), \
                    \(bind: now), \(bind: now)) ON CONFLICT (tenant_id, course_id, person_id) DO NOTHING RETURNING id
                    """
                ).first()
                if made == nil { return ByHand.alreadyComplete }
            }
            try await JobQueue.enqueue(Self.finishedJob, event, on: tx, at: now)
            return ByHand.recorded
        }
        if outcome == .recorded { jobs.kick() }
        return outcome
    }
}

extension CourseCompletion {
    /// Tells every hook again of a course finished before, as it was finished (`event` keeps
    /// its moment): for a module whose part waited on something that has now happened — a
    /// certificate that waited for the required evaluation. Queued in `db`'s transaction like
    /// the first telling; hooks do their work once however often they hear it, so the others
    /// change nothing. Call ``kick()`` once the transaction is committed.
    public func retell(_ event: Event, now: Date) async throws {
        try await JobQueue.enqueue(Self.finishedJob, event, on: db, at: now)
    }

    /// Asks the job worker to run the queued hooks now rather than at its next round.
    public func kick() { jobs.kick() }
}

/// Work to do when someone finishes a course. Modules register at start-up.
public final class CourseCompletionHooks: @unchecked Sendable {
    /// Hears a finished course, with the application to do its work in (its job's).
    public typealias Hook = @Sendable (CourseCompletion.Event, Application) async throws -> Void
    private let lock = NSLock()
    private var hooks: [(name: String, run: Hook)] = []

    public init() {}

    public func register(_ name: String, _ hook: @escaping Hook) {
        lock.withLock { hooks.append((name, hook)) }
    }

    /// Tells every hook, in the order they registered; a hook that fails does not keep the
    /// others from hearing, and the first failure is thrown afterwards so the job is tried
    /// again. Hooks are told again then, so each must do its work once however often it hears
    /// the same event.
    func run(_ event: CourseCompletion.Event, app: Application) async throws {
        var failure: (any Error)?
        for hook in lock.withLock({ hooks }) {
            do { try await hook.run(event, app) } catch {
                app.logger.error("course completion hook \(hook.name) failed: \(String(describing: error))")
                if failure == nil { failure = error }
            }
        }
        if let failure { throw failure }
    }
}
