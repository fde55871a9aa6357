import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Creating, editing and moving courses through their workflow: draft → submitted → published →
/// archived, and the platform curator's approval for the marketplace. Shared by the web pages
/// and the API, so both keep the same rules.
public struct CourseWorkflow: Sendable {
    let db: any Database
    let now: Date

    public init(db: any Database, now: Date = Date()) {
        self.db = db
        self.now = now
    }

    /// A new draft course in the tenant.
    public func create(in tenant: TenantID, _ change: CourseChange) async throws -> Course {
        let tenantID = tenant.rawValue
        let change = change.sanitised()
        return try await db.lockingTransaction { tx in
            let course = Course(tenantID: tenantID, slug: change.slug ?? "", title: "")
            let resolved = try await change.check(for: course, tenantID: tenantID, on: tx)
            change.apply(to: course, resolved)
            course.slug = try await Self.freeSlug(
                course.slug, explicit: change.slug != nil, tenantID: tenantID, except: nil, on: tx)
            try await course.create(on: tx)
            try await change.writeLinks(of: course, resolved, on: tx)
            return course
        }
    }

    /// Applies a change; a raised quota gives the new seats to the waiting list.
    public func update(_ course: Course, _ change: CourseChange) async throws -> [Notifier.Message] {
        let change = change.sanitised()
        let oldQuota = course.quota
        try await db.lockingTransaction { tx in
            let resolved = try await change.check(for: course, tenantID: course.tenantID, on: tx)
            let shown = course.marketplaceFacts
            change.apply(to: course, resolved)
            if course.marketplaceFacts != shown { course.needsCurationAgain() }
            if let slug = change.slug {
                course.slug = try await Self.freeSlug(
                    slug, explicit: true, tenantID: course.tenantID, except: course.id, on: tx)
            }
            try await course.save(on: tx)
            try await change.writeLinks(of: course, resolved, on: tx)
        }
        let raised =
            (oldQuota != nil && course.quota == nil)
            || (oldQuota.map { old in course.quota.map { $0 > old } ?? false } ?? false)
        guard raised else { return [] }
        return try await EnrolmentService(db: db, now: now).fillFreedSeats(in: course)
    }

    /// A coordinator hands a draft to the tenant administrator for publication.
    public func submit(_ course: Course) async throws -> [Notifier.Message] {
        try move(course, from: [.draft], to: .submitted)
        let link = CatalogRoute.managedCourse(.tenant(try await slug(of: course.tenantID)), course.routeID)
        return try await db.lockingTransaction { tx in
            try await course.save(on: tx)
            let admins = try await TenantScope(tenantID: course.tenantID, db: tx).query(Membership.self).filter(
                \.$role == .admin
            ).all()
            let messages = admins.map {
                Notifier.Message(
                    personID: $0.personID, tenantID: course.tenantID, key: "notify.submitted",
                    args: ["course": course.title], route: link)
            }
            try await Notifier.record(messages, on: tx, at: now)
            return messages
        }
    }

    /// The tenant administrator publishes to the storefront; the course then waits for curation.
    public func publish(_ course: Course) async throws {
        try move(course, from: [.draft, .submitted, .archived], to: .published)
        if course.publishedAt == nil { course.publishedAt = now }
        if course.curation == .none || course.curation == .rejected {
            course.curation = .pending
            course.curationReason = ""
        }
        try await course.save(on: db)
    }

    public func archive(_ course: Course) async throws {
        try move(course, from: [.published, .draft, .submitted], to: .archived)
        try await course.save(on: db)
    }

    /// A copy of the course in the same tenant as a new draft, with its staff and prerequisites,
    /// and whatever other modules keep for a course (its sections and activities), copied by
    /// `copiers` in the same transaction.
    public func duplicate(
        _ course: Course, titlePrefix: String, copiers: [any CourseContentCopier] = []
    ) async throws -> Course {
        try await db.lockingTransaction { tx in
            let copy = Self.copy(of: course, tenantID: course.tenantID)
            copy.title = (titlePrefix + course.title).trimmed(max: 200)
            copy.slug = try await Self.freeSlug(
                course.slug + "-salinan", explicit: false, tenantID: course.tenantID, except: nil, on: tx)
            try await copy.create(on: tx)
            let scope = TenantScope(tenantID: course.tenantID, db: tx)
            let courseID = try course.requireID(), copyID = try copy.requireID()
            for staff in try await scope.query(CourseStaff.self).filter(\.$courseID == courseID).all() {
                try await CourseStaff(
                    tenantID: course.tenantID, courseID: copyID, personID: staff.personID, role: staff.role
                ).create(on: tx)
            }
            for pre in try await scope.query(CoursePrerequisite.self).filter(\.$courseID == courseID).all() {
                try await CoursePrerequisite(
                    tenantID: course.tenantID, courseID: copyID, requiredCourseID: pre.requiredCourseID
                ).create(on: tx)
            }
            for copier in copiers { try await copier.copyContent(of: course, to: copy, on: tx) }
            return copy
        }
    }

    // MARK: Curation (platform curator)

    public func approve(_ course: Course) async throws -> [Notifier.Message] {
        try await curate(course, approve: true, reason: "")
    }

    public func reject(_ course: Course, reason: String) async throws -> [Notifier.Message] {
        var problems = ProblemList()
        let reason = problems.text(reason, "reason", max: 1000, required: "curation.error.reason_required")
        try problems.throwIfAny()
        return try await curate(course, approve: false, reason: reason)
    }

    private func curate(_ course: Course, approve: Bool, reason: String) async throws -> [Notifier.Message] {
        guard course.status == .published,
            course.curation == .pending || (approve && course.curation == .rejected)
                || (!approve && course.curation == .approved)
        else {
            throw InputError(field: "curation", key: "curation.error.not_pending", status: .conflict)
        }
        course.curation = approve ? .approved : .rejected
        course.curationReason = reason
        course.curatedAt = now
        let link = CatalogRoute.managedCourse(.tenant(try await slug(of: course.tenantID)), course.routeID)
        return try await db.lockingTransaction { tx in
            try await course.save(on: tx)
            let scope = TenantScope(tenantID: course.tenantID, db: tx)
            var people = Set(try await scope.query(Membership.self).filter(\.$role == .admin).all().map(\.personID))
            people.formUnion(
                try await scope.query(CourseStaff.self).filter(\.$courseID == course.requireID()).filter(
                    \.$role == .pengelola
                ).all().map(\.personID))
            let messages = people.map {
                Notifier.Message(
                    personID: $0, tenantID: course.tenantID,
                    key: approve ? "notify.curation_approved" : "notify.curation_rejected",
                    args: ["course": course.title, "reason": reason], route: link)
            }
            try await Notifier.record(messages, on: tx, at: now)
            return messages
        }
    }

    // MARK: Helpers

    private func move(_ course: Course, from: Set<Course.Status>, to: Course.Status) throws {
        guard from.contains(course.status) else {
            throw InputError(
                field: "status", key: "course.error.transition",
                args: ["from": course.status.rawValue, "to": to.rawValue], status: .conflict)
        }
        course.status = to
    }

    private func slug(of tenantID: UUID) async throws -> Param<TenantSlug> {
        .value(TenantSlug(rawValue: try await Tenant.find(tenantID, on: db)?.slug ?? ""))
    }

    /// `wanted` when free in the tenant; a taken explicit slug is a conflict, a made-up one gets a number.
    static func freeSlug(
        _ wanted: String, explicit: Bool, tenantID: UUID, except: UUID?, on db: any Database
    ) async throws -> String {
        let scope = TenantScope(tenantID: tenantID, db: db)
        func taken(_ slug: String) async throws -> Bool {
            var q = scope.query(Course.self).filter(\.$slug == slug)
            if let except { q = q.filter(\.$id != except) }
            return try await q.count() > 0
        }
        guard try await taken(wanted) else { return wanted }
        if explicit {
            throw InputError(field: "slug", key: "course.error.slug_taken", args: ["slug": wanted], status: .conflict)
        }
        for n in 2...500 where !(try await taken("\(wanted)-\(n)")) { return "\(wanted)-\(n)" }
        return "\(wanted)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// The course's own details as a new draft (no seats, no curation); used by duplication and
    /// by the master-template cloner.
    static func copy(of c: Course, tenantID: UUID) -> Course {
        let n = Course(tenantID: tenantID, slug: c.slug, title: c.title)
        n.summary = c.summary; n.description = c.description; n.coverPath = c.coverPath; n.categoryID = c.categoryID
        n.tags = c.tags; n.competencyType = c.competencyType; n.jp = c.jp; n.deliveryMethod = c.deliveryMethod
        n.microMinutes = c.microMinutes; n.level = c.level; n.language = c.language; n.audience = c.audience
        n.audienceTenants = c.audienceTenants; n.enrolmentMode = c.enrolmentMode; n.quota = c.quota
        n.enrolOpensAt = c.enrolOpensAt; n.enrolClosesAt = c.enrolClosesAt; n.startsAt = c.startsAt; n.endsAt = c.endsAt
        n.sequential = c.sequential
        return n
    }
}

extension CourseWorkflow {
    /// Template courses of the master template become drafts in every new tenant, with their
    /// categories and prerequisites pointing at the new tenant's copies.
    package static func registerCloners(_ registry: TenantCloneRegistry) {
        registry.register(
            ModelCloner<Course>(
                "courses",
                copy: { master in
                    let copy = copy(of: master, tenantID: master.tenantID)
                    // A list of other tenants means nothing in a new tenant.
                    if copy.audience == .listed { copy.audience = .all }
                    copy.audienceTenants = ""
                    return copy
                },
                remap: { _, copy, context in
                    if let category = copy.categoryID { copy.categoryID = context.newID(for: category) }
                }))
        registry.register(
            ModelCloner<CoursePrerequisite>(
                "course prerequisites",
                copy: {
                    CoursePrerequisite(
                        tenantID: $0.tenantID, courseID: $0.courseID, requiredCourseID: $0.requiredCourseID)
                },
                remap: { master, copy, context in
                    copy.courseID = context.newID(for: master.courseID)
                    copy.requiredCourseID = context.newID(for: master.requiredCourseID)
                }))
    }
}

/// Copies what another module keeps for a course when the course is duplicated (Learning: its
/// sections and activities). Catalog does not know what that is; modules register at start-up.
public protocol CourseContentCopier: Sendable {
    func copyContent(of original: Course, to copy: Course, on db: any Database) async throws
}

public final class CourseContentCopiers: @unchecked Sendable {
    private let lock = NSLock()
    private var copiers: [any CourseContentCopier] = []

    public func register(_ copier: any CourseContentCopier) { lock.withLock { copiers.append(copier) } }
    public var all: [any CourseContentCopier] { lock.withLock { copiers } }
}

extension Application {
    private struct CourseContentCopiersKey: StorageKey { typealias Value = CourseContentCopiers }

    public var courseContentCopiers: CourseContentCopiers {
        if let copiers = storage[CourseContentCopiersKey.self] { return copiers }
        let copiers = CourseContentCopiers()
        storage[CourseContentCopiersKey.self] = copiers
        return copiers
    }
}

/// How far a person is in their courses, for `/saya`: Learning answers; Catalog only shows it.
public struct CourseProgressSummary: Sendable {
    public let percent: Int
    /// The next step's title and where it is, when there is one.
    public let nextTitle: String?
    public let nextURL: String?

    public init(percent: Int, nextTitle: String?, nextURL: String?) {
        self.percent = percent
        self.nextTitle = nextTitle
        self.nextURL = nextURL
    }
}

/// How far a person is in each of their courses, for /saya; Learning provides it. Its read of
/// what they did is run in the same statement as the list of their courses.
public protocol CourseProgressProvider: Sendable {
    associatedtype Done: CombinableRead
    /// What the person has done in the courses /saya lists.
    func done(by personID: UUID) -> Done
    /// Progress in each of `courses` (keyed by course id), from what `done` read.
    func summaries(
        done: [Done.Row], courses: [(tenantID: UUID, courseID: UUID, tenantSlug: String, courseSlug: String)],
        on db: any Database
    ) async throws -> [UUID: CourseProgressSummary]
}

extension Application {
    private struct CourseProgressKey: StorageKey { typealias Value = any CourseProgressProvider }

    /// Set by Learning at start-up.
    public var courseProgress: (any CourseProgressProvider)? {
        get { storage[CourseProgressKey.self] }
        set { storage[CourseProgressKey.self] = newValue }
    }
}
