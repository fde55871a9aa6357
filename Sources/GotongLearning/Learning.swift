import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The Learning module's parts that live as long as the server: the activity types, the
/// completion hooks and the heartbeat writer. Set up once by ``configure(_:config:)``.
public final class Learning: Sendable {
    public let types: ActivityTypeRegistry
    public let completionHooks: CourseCompletionHooks
    let heartbeats: HeartbeatRecorder
    let completion: CourseCompletion
    /// Learner outlines kept per process (``CourseOutlines``).
    let outlines = CourseOutlines()

    init(app: Application) throws {
        types = ActivityTypeRegistry()
        for type: any ActivityType in [PageType(), VideoType(), FileType(), LinkType(), ForumType()] {
            try types.register(type)
        }
        completionHooks = CourseCompletionHooks()
        completion = CourseCompletion(db: app.db, jobs: app.jobs, logger: app.logger)
        // The same location the server's pool was configured with, so it cannot fail here
        // where that did not; nil (in-memory SQLite) shares the server's pool.
        let dedicated = try? DedicatedDatabase(app.gotong.database, name: "heartbeats", logger: app.logger)
        if let dedicated { app.lifecycle.use(DedicatedDatabaseLifecycle(database: dedicated)) }
        let jobs = app.jobs
        heartbeats = HeartbeatRecorder(
            db: dedicated?.db ?? app.db, types: types, executor: dedicated?.executor, kickJobs: { jobs.kick() })
    }

    /// Sets the module up with its own activity types and `extraTypes` (plug-ins: a type
    /// defined outside this module needs only to be named here).
    package static func setUp(_ app: Application, extraTypes: [any ActivityType] = []) throws {
        let learning = try Learning(app: app)
        for type in extraTypes {
            try learning.types.register(type)
            app.localizer = try app.localizer.adding(type.strings, from: "activity type \(type.key)")
        }
        app.storage[LearningKey.self] = learning
        // Every write of a section or an activity makes the kept outlines old.
        app.databases.middleware.use(ModelChangeMiddleware<CourseSection>.raising(learning.outlines.version))
        app.databases.middleware.use(ModelChangeMiddleware<Activity>.raising(learning.outlines.version))
        for type in learning.types.all { app.migrations.addStablyNamed(type.migrations) }
        app.courseProgress = MyProgress(outlines: learning.outlines)
        CourseContentCloning.register(app.tenantCloners)
        app.courseContentCopiers.register(CourseContentCopy())
        app.storedRoutes.register(LearningRoute.self)
        app.courseTools.register(
            CourseTool(label: "authoring.open_editor", isPrimary: true) { LearningRoute.editor($0, $1).path })
        app.courseTools.register(
            CourseTool(label: "monitor.open", isPrimary: false) { desk, course in
                guard case .tenant(let tenant) = desk else { return nil }
                return LearningRoute.monitoring(tenant, course).path
            })
        // A heartbeat batch that completes activities queues this job in its own transaction.
        app.jobs.register(CourseCompletion.checkJob, as: CourseCompletion.CheckJob.self) { job, app in
            try await app.learning.completion.activitiesCompleted(job.keys, now: job.at ?? app.clock.now())
        }
        // A completion queues this job with it: the hooks hear of it once it is committed.
        app.jobs.register(CourseCompletion.finishedJob, as: CourseCompletion.Event.self) { event, app in
            try await app.learning.completionHooks.run(event, app: app)
        }
    }

    func structure(of course: Course, on db: any Database, files: any FileStore) -> CourseStructure {
        var structure = CourseStructure(course: course, db: db, types: types, files: files)
        structure.outlines = outlines
        return structure
    }

    /// Where types record progress (see ``ProgressStore/update(_:personID:at:change:)``).
    /// The course-completion rules on `db` (a request's database, say).
    public func courseCompletion(on db: any Database) -> CourseCompletion {
        CourseCompletion(db: db, jobs: completion.jobs, logger: completion.logger)
    }

    public func progressStore(on db: any Database) -> ProgressStore {
        ProgressStore(
            db: db, types: types,
            completion: CourseCompletion(db: db, jobs: completion.jobs, logger: completion.logger))
    }
}

private struct LearningKey: StorageKey { typealias Value = Learning }

extension Application {
    public var learning: Learning {
        guard let learning = storage[LearningKey.self] else {
            fatalError("Learning.setUp(app) was not called in configure")
        }
        return learning
    }
}

extension Request {
    public var learning: Learning { application.learning }

    func courseStructure(_ course: Course) -> CourseStructure {
        learning.structure(of: course, on: database, files: application.files)
    }
}

/// Who may see a course's content: its enrolled (or finished) learners, and its staff —
/// the tenant's administrators and coordinators, the course's own trainers, platform
/// administrators. Staff also see hidden parts.
struct LearningAccess: Sendable {
    let person: Person
    let isStaff: Bool
    let enrolment: Enrolment?
    /// What the person has done in the course, read with their enrolment.
    let progress: [ActivityProgress]

    /// Whether what this person does here is their progress. Staff outside the course (a
    /// curator, a trainer checking a step) preview it: no view, time or ticket is recorded.
    var recordsProgress: Bool { enrolment != nil }

    /// `staff`: the course's own trainers and coordinators when the caller has them (kept with
    /// the course page); else they are asked for.
    static func check(
        _ req: Request, course: Course, tenantSlug: String, staff: Set<UUID>? = nil
    ) async throws -> LearningAccess {
        let person = try req.requirePerson()
        let personID = try person.typedID()
        let members = try CourseMembers(course: course, on: req.database)
        var isStaff = person.isPlatformAdmin
        if !isStaff {
            let roles = try await req.myTenants().first { $0.slug == tenantSlug }?.roles ?? []
            isStaff = roles.contains(.admin) || roles.contains(.pengelola)
        }
        if !isStaff {
            if let staff {
                isStaff = staff.contains(personID.rawValue)
            } else {
                isStaff = try await members.teaches(personID)
            }
        }
        let (enrolment, progress) = try await members.participation(
            of: personID,
            with: EnrolmentService.PersonInCourse<ActivityProgress>(
                courseID: try course.requireID(), personID: personID.rawValue))
        guard isStaff || enrolment != nil else {
            throw InputError(field: "course", key: "learning.error.not_enrolled", status: .forbidden)
        }
        return LearningAccess(person: person, isStaff: isStaff, enrolment: enrolment, progress: progress)
    }
}

extension LearningAccess {
    /// Allows the request for people who may author `course`: the tenant's administrators and
    /// coordinators, and the course's own trainers and coordinators.
    static func requireAuthor(_ req: Request, course: Course) async throws {
        let person = try req.requirePerson()
        if try await req.tenantRoles().hasAny([.admin, .pengelola]) { return }
        guard try await CourseMembers(course: course, on: req.database).teaches(person.typedID()) else {
            throw Abort(.forbidden)
        }
    }
}
