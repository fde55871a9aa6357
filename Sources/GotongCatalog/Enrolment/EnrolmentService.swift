import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Every change of who holds a seat in a course. Each change runs in one transaction that first
/// locks the course row, so seats are counted exactly however many requests arrive at once:
/// 200 simultaneous requests for 50 seats enrol 50 and wait-list 150.
public struct EnrolmentService: Sendable {
    let db: any Database
    let now: Date

    public init(db: any Database, now: Date = Date()) {
        self.db = db
        self.now = now
    }

    /// The result of a change, with the messages to send once it is committed.
    public struct Outcome: Sendable {
        public let enrolment: Enrolment
        /// False when the person already held this place (nothing changed).
        public let changed: Bool
        public let messages: [Notifier.Message]
    }

    // MARK: Self-enrolment

    /// Checks the rules a learner must meet, then enrols, wait-lists or asks for approval.
    public func enrol(_ person: Person, in course: Course, viewer: CatalogViewer) async throws -> Outcome {
        try await checkCanSelfEnrol(person, in: course, viewer: viewer)
        let personID = try person.requireID()
        let courseID = try course.requireID()
        let tenantID = course.tenantID
        let mode = course.enrolmentMode
        let now = self.now
        let title = course.title
        let requestsLink = CatalogRoute.courseStep(
            .tenant(try await tenantSlug(tenantID)), course.routeID, .participants)
        return try await db.lockingTransaction { tx in
            try await Self.lock(courseID, tenantID, on: tx)
            let existing = try await Self.enrolment(of: personID, in: courseID, tenantID, on: tx)
            if let existing, existing.status.isActive {
                return Outcome(enrolment: existing, changed: false, messages: [])
            }
            // A coordinator's removal stands until a coordinator takes the person back (by
            // assignment); a rejected request may be asked again.
            if let existing, existing.status == .removed {
                throw InputError(
                    field: "course", key: "enrol.error.removed", args: ["reason": existing.reason], status: .conflict)
            }
            let row =
                existing
                ?? Enrolment(
                    tenantID: tenantID, courseID: courseID, personID: personID, status: .pending, requestedAt: now)
            row.requestedAt = now
            row.reason = ""
            row.assigned = false
            row.dueAt = nil
            var messages: [Notifier.Message] = []
            if mode == .approval {
                row.status = .pending
                messages = try await Self.coordinators(of: courseID, tenantID, on: tx).map {
                    Notifier.Message(
                        personID: $0, tenantID: tenantID, key: "notify.request",
                        args: ["course": title, "person": person.name], route: requestsLink)
                }
            } else if try await Self.takeSeat(courseID, tenantID, on: tx) {
                row.status = .enrolled
                row.enrolledAt = now
            } else {
                row.status = .waiting
            }
            try await row.save(on: tx)
            try await Notifier.record(messages, on: tx, at: now)
            return Outcome(enrolment: row, changed: true, messages: messages)
        }
    }

    /// Who decides a course's requests: its own coordinators, or the tenant's administrators and
    /// coordinators when the course names none.
    static func coordinators(of courseID: UUID, _ tenantID: UUID, on db: any Database) async throws -> Set<UUID> {
        let scope = TenantScope(tenantID: tenantID, db: db)
        let own = try await scope.query(CourseStaff.self).filter(\.$courseID == courseID).filter(\.$role == .pengelola)
            .all()
        if !own.isEmpty { return Set(own.map(\.personID)) }
        return Set(
            try await scope.query(Membership.self).filter(\.$role ~~ [.admin, .pengelola]).all().map(\.personID))
    }

    /// Why `person` cannot enrol in `course` by themselves, as a message that says what is missing.
    func checkCanSelfEnrol(_ person: Person, in course: Course, viewer: CatalogViewer) async throws {
        guard course.status == .published else { throw Abort(.notFound) }
        if course.enrolmentMode == .assigned {
            throw InputError(field: "course", key: "enrol.error.assigned_only", status: .conflict)
        }
        let allowed: Bool
        switch course.audience {
        case .all: allowed = true
        case .own: allowed = viewer.tenantIDs.contains(course.tenantID)
        case .listed:
            allowed =
                viewer.tenantIDs.contains(course.tenantID)
                || course.audienceTenantIDs.contains { viewer.tenantIDs.contains($0) }
        }
        guard allowed else { throw InputError(field: "course", key: "enrol.error.audience", status: .forbidden) }
        if let opens = course.enrolOpensAt, now < opens {
            throw InputError(
                field: "course", key: "enrol.error.not_open_yet", args: ["date": Self.day(opens)], status: .conflict)
        }
        if let closes = course.enrolClosesAt, now > closes {
            throw InputError(
                field: "course", key: "enrol.error.closed", args: ["date": Self.day(closes)], status: .conflict)
        }
        if let ends = course.endsAt, now > ends {
            throw InputError(
                field: "course", key: "enrol.error.ended", args: ["date": Self.day(ends)], status: .conflict)
        }
        let missing = try await missingPrerequisites(for: person.typedID(), course: course)
        if !missing.isEmpty {
            throw InputError(
                field: "course", key: "enrol.error.prerequisites",
                args: ["courses": missing.map(\.title).joined(separator: ", ")], status: .conflict)
        }
    }

    /// The prerequisite courses the person has not finished.
    public func missingPrerequisites(for person: PersonID, course: Course) async throws -> [Course] {
        let personID = person.rawValue
        let scope = TenantScope(tenantID: course.tenantID, db: db)
        let required = try await scope.query(CoursePrerequisite.self).filter(\.$courseID == course.requireID()).all()
            .map(\.requiredCourseID)
        guard !required.isEmpty else { return [] }
        let done = Set(
            try await scope.query(Enrolment.self).filter(\.$personID == personID)
                .filter(\.$courseID ~~ required).filter(\.$status == .completed).all().map(\.courseID))
        return try await scope.query(Course.self).filter(\.$id ~~ required.filter { !done.contains($0) }).sort(\.$title)
            .all()
    }

    // MARK: Leaving

    /// The learner leaves the course (not allowed for assigned training). A freed seat goes to
    /// the first person waiting.
    public func withdraw(_ person: Person, from course: Course) async throws -> Outcome {
        let personID = try person.requireID()
        return try await leave(personID, course: course, status: .withdrawn, reason: "", byLearner: true)
    }

    /// A coordinator removes a participant (or a waiting or pending person), with a reason.
    public func remove(_ enrolment: Enrolment, from course: Course, reason: String) async throws -> Outcome {
        var problems = ProblemList()
        let reason = problems.text(reason, "reason", max: 500, required: "enrol.error.reason_required")
        try problems.throwIfAny()
        return try await leave(enrolment.personID, course: course, status: .removed, reason: reason, byLearner: false)
    }

    private func leave(
        _ personID: UUID, course: Course, status: Enrolment.Status, reason: String, byLearner: Bool
    ) async throws -> Outcome {
        let courseID = try course.requireID()
        let tenantID = course.tenantID
        let now = self.now
        let link = CatalogRoute.course(try await tenantSlug(tenantID), course.routeSlug)
        let title = course.title
        return try await db.lockingTransaction { tx in
            try await Self.lock(courseID, tenantID, on: tx)
            guard let row = try await Self.enrolment(of: personID, in: courseID, tenantID, on: tx),
                [.enrolled, .waiting, .pending].contains(row.status)
            else { throw InputError(field: "course", key: "enrol.error.not_enrolled", status: .conflict) }
            if byLearner, row.assigned {
                throw InputError(field: "course", key: "enrol.error.assigned_cannot_withdraw", status: .conflict)
            }
            let heldSeat = row.status == .enrolled
            row.status = status
            row.reason = reason
            try await row.save(on: tx)
            var messages: [Notifier.Message] = []
            if !byLearner {
                messages.append(
                    .init(
                        personID: personID, tenantID: tenantID, key: "notify.removed",
                        args: ["course": title, "reason": reason], route: link))
            }
            if heldSeat {
                try await Self.releaseSeat(courseID, tenantID, on: tx)
                messages += try await Self.promoteWaiting(
                    courseID, tenantID, title: title, link: link, now: now, on: tx)
            }
            try await Notifier.record(messages, on: tx, at: now)
            return Outcome(enrolment: row, changed: true, messages: messages)
        }
    }

    // MARK: Completion

    /// Records that the person finished the course (Learning decides when). False when they
    /// were not taking part or had already finished, so callers act only once.
    public func complete(_ person: PersonID, in course: CourseID, of tenant: TenantID) async throws -> Bool {
        let (personID, courseID, tenantID) = (person.rawValue, course.rawValue, tenant.rawValue)
        // One conditional update: of two checks racing, exactly one sees the row change.
        let row = try await db.sql.raw(
            """
            UPDATE enrolments SET status = \(bind: Enrolment.Status.completed.rawValue), completed_at = \(bind: now), \
            updated_at = \(bind: now)
            WHERE tenant_id = \(bind: tenantID) AND course_id = \(bind: courseID) AND person_id = \(bind: personID)
              AND status = \(bind: Enrolment.Status.enrolled.rawValue)
            RETURNING id
            """
        ).first()
        return row != nil
    }

    // MARK: Approval

    /// A coordinator approves a pending request: the person gets a seat, or the waiting list when full.
    public func approve(_ enrolment: Enrolment, in course: Course) async throws -> Outcome {
        try await decide(enrolment, in: course, approve: true, reason: "")
    }

    /// A coordinator rejects a pending request with a reason the learner is told.
    public func reject(_ enrolment: Enrolment, in course: Course, reason: String) async throws -> Outcome {
        var problems = ProblemList()
        let reason = problems.text(reason, "reason", max: 500, required: "enrol.error.reason_required")
        try problems.throwIfAny()
        return try await decide(enrolment, in: course, approve: false, reason: reason)
    }

    private func decide(
        _ enrolment: Enrolment, in course: Course, approve: Bool, reason: String
    ) async throws -> Outcome {
        let courseID = try course.requireID()
        let tenantID = course.tenantID
        let enrolmentID = try enrolment.requireID()
        let now = self.now
        let link = CatalogRoute.course(try await tenantSlug(tenantID), course.routeSlug)
        let title = course.title
        return try await db.lockingTransaction { tx in
            try await Self.lock(courseID, tenantID, on: tx)
            guard
                let row = try await TenantScope(tenantID: tenantID, db: tx).query(Enrolment.self)
                    .filter(\.$id == enrolmentID).filter(\.$courseID == courseID).first(), row.status == .pending
            else { throw InputError(field: "enrolment", key: "enrol.error.not_pending", status: .conflict) }
            let key: String
            if !approve {
                row.status = .rejected
                row.reason = reason
                key = "notify.rejected"
            } else if try await Self.takeSeat(courseID, tenantID, on: tx) {
                row.status = .enrolled
                row.enrolledAt = now
                key = "notify.approved"
            } else {
                row.status = .waiting
                key = "notify.approved_waiting"
            }
            try await row.save(on: tx)
            let message = Notifier.Message(
                personID: row.personID, tenantID: tenantID, key: key,
                args: ["course": title, "reason": reason], route: link)
            try await Notifier.record([message], on: tx, at: now)
            return Outcome(enrolment: row, changed: true, messages: [message])
        }
    }

    /// After the quota was raised: fills the new seats from the waiting list.
    public func fillFreedSeats(in course: Course) async throws -> [Notifier.Message] {
        let courseID = try course.requireID()
        let tenantID = course.tenantID
        let now = self.now
        let link = CatalogRoute.course(try await tenantSlug(tenantID), course.routeSlug)
        let title = course.title
        return try await db.lockingTransaction { tx in
            try await Self.lock(courseID, tenantID, on: tx)
            let messages = try await Self.promoteWaiting(courseID, tenantID, title: title, link: link, now: now, on: tx)
            try await Notifier.record(messages, on: tx, at: now)
            return messages
        }
    }

    // MARK: Seats (inside a locked transaction)

    /// Locks the course row until the transaction ends: every seat change of one course queues here.
    static func lock(_ courseID: UUID, _ tenantID: UUID, on tx: any Database) async throws {
        try await tx.sql.raw(
            """
            UPDATE courses SET enrolled_count = enrolled_count WHERE id = \(bind: courseID) AND tenant_id = \
            \(bind: tenantID)
            """
        ).run()
    }

    /// Takes a seat when one is free; false when the course is full.
    static func takeSeat(_ courseID: UUID, _ tenantID: UUID, on tx: any Database) async throws -> Bool {
        SeatChanges.bump(courseID)
        let row = try await tx.sql.raw(
            """
            UPDATE courses SET enrolled_count = enrolled_count + 1
            WHERE id = \(bind: courseID) AND tenant_id = \(bind: tenantID) AND (quota IS NULL OR enrolled_count < quota)
            RETURNING enrolled_count
            """
        ).first()
        return row != nil
    }

    /// Takes a seat even beyond the quota (assignment by the institution).
    static func forceSeat(_ courseID: UUID, _ tenantID: UUID, count: Int, on tx: any Database) async throws {
        SeatChanges.bump(courseID)
        try await tx.sql.raw(
            """
            UPDATE courses SET enrolled_count = enrolled_count + \(bind: count) WHERE id = \(bind: courseID) \
            AND tenant_id = \(bind: tenantID)
            """
        ).run()
    }

    static func releaseSeat(_ courseID: UUID, _ tenantID: UUID, on tx: any Database) async throws {
        SeatChanges.bump(courseID)
        try await tx.sql.raw(
            """
            UPDATE courses SET enrolled_count = enrolled_count - 1 WHERE id = \(bind: courseID) AND tenant_id = \
            \(bind: tenantID) AND enrolled_count > 0
            """
        ).run()
    }

    /// Gives free seats to the people waiting longest, and tells them.
    static func promoteWaiting(
        _ courseID: UUID, _ tenantID: UUID, title: String, link: CatalogRoute, now: Date, on tx: any Database
    ) async throws -> [Notifier.Message] {
        var messages: [Notifier.Message] = []
        let scope = TenantScope(tenantID: tenantID, db: tx)
        while let next = try await scope.query(Enrolment.self).filter(\.$courseID == courseID).filter(
            \.$status == .waiting
        )
        .sort(\.$requestedAt).sort(\.$id).first() {
            guard try await takeSeat(courseID, tenantID, on: tx) else { break }
            next.status = .enrolled
            next.enrolledAt = now
            try await next.save(on: tx)
            messages.append(
                .init(
                    personID: next.personID, tenantID: tenantID, key: "notify.promoted", args: ["course": title],
                    route: link))
        }
        return messages
    }

    static func enrolment(
        of personID: UUID, in courseID: UUID, _ tenantID: UUID, on db: any Database
    ) async throws -> Enrolment? {
        try await TenantScope(tenantID: tenantID, db: db).read(
            PersonInCourse<Enrolment>(courseID: courseID, personID: personID)
        )
        .first
    }

    /// One person's rows of `Model` in one course: their enrolment (a unique key, whatever its
    /// status) or what they did there. Read on every page of a course's content, prepared.
    package struct PersonInCourse<Model: TenantOwned>: TenantRowsRead {
        let courseID: UUID
        let personID: UUID
        package static var condition: String { "course_id = $2 AND person_id = $3" }
        package var values: [any PreparedValue] { [courseID, personID] }

        package init(courseID: UUID, personID: UUID) {
            self.courseID = courseID
            self.personID = personID
        }
    }

    private func tenantSlug(_ id: UUID) async throws -> Param<TenantSlug> {
        .value(TenantSlug(rawValue: try await Tenant.find(id, on: db)?.slug ?? ""))
    }

    /// A date as the messages show it: `2026-11-23`.
    static func day(_ date: Date) -> String {
        LocalDates.isoDay.string(from: date)
    }
}
