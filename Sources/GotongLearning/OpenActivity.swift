import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// An activity as one person reaches it: its course and tenant, the person's standing, and the
/// activity's place in their outline (with its lock, if any). Shared by the web pages, the API
/// and the types' own routes, so every path checks access the same way. Public: an activity
/// type defined in another module (a quiz) opens its activity for its own routes through here.
public struct OpenActivity: Sendable {
    public let activity: Activity
    public let course: Course
    public let tenant: Tenant
    let access: LearningAccess
    let item: LearnerOutline.Item

    /// Whether the person may use it now: open, or they are staff.
    public var isUsable: Bool { item.lock == nil || access.isStaff }
    /// Who opened it.
    public var person: Person { access.person }
    /// The course's trainers and coordinators, the tenant's administrators and coordinators, and
    /// platform administrators.
    public var isStaff: Bool { access.isStaff }
    /// Whether what the person does here is their progress (they are enrolled), not a preview.
    public var recordsProgress: Bool { access.recordsProgress }

    var viewContext: (Request) -> ActivityViewContext {
        { req in
            ActivityViewContext(
                activity: activity, course: course, tenant: tenant, progress: item.progress, isStaff: access.isStaff,
                request: req)
        }
    }

    /// `/api/v1/activities/{activityID}/…`: the activity by its id, in whatever tenant.
    public static func api(_ req: Request) async throws -> OpenActivity {
        let id = try req.parameter(ActivityID.self).rawValue
        guard let (activity, course, tenant) = try await req.database.read(ActivityInCourse(activityID: id)).first,
            tenant.status == .active
        else { throw Abort(.notFound) }
        return try await load(req, activity: activity, course: course, tenant: tenant)
    }

    /// `/t/{tenantSlug}/belajar/{courseSlug}/{activityID}/…`: within the route's tenant and course.
    public static func web(_ req: Request) async throws -> OpenActivity {
        let tenant = try req.tenant
        let slug = try req.parameter(CourseSlug.self).rawValue
        guard
            let course = try await req.tenantScope.query(Course.self).filter(\.$slug == slug).first(),
            let activity = try await req.tenantScope.find(Activity.self, req.parameter(ActivityID.self).rawValue),
            activity.courseID == course.id
        else { throw Abort(.notFound) }
        return try await load(req, activity: activity, course: course, tenant: tenant)
    }

    private static func load(
        _ req: Request, activity: Activity, course: Course, tenant: Tenant
    ) async throws -> OpenActivity {
        let access = try await LearningAccess.check(req, course: course, tenantSlug: tenant.slug)
        let outline = try await LearnerOutline.load(req.courseStructure(course), progress: access.progress)
        // Hidden activities are not in a learner's outline; staff reach them anyway.
        guard
            let item = outline.item(try activity.requireID())
                ?? (access.isStaff
                    ? .init(activity: activity, step: .init(activity), progress: nil, lock: nil, completed: false)
                    : nil)
        else {
            throw Abort(.notFound)
        }
        return OpenActivity(activity: activity, course: course, tenant: tenant, access: access, item: item)
    }
}

/// An activity with its course (in the activity's own tenant) and that tenant, by the
/// activity's id, in one prepared read: every activity route of the API opens its activity
/// this way, and three reads were three round trips, each waiting its turn on a busy event
/// loop while thousands started a post-test. Columns are named apart (`a_`, `c_`, `t_`) so
/// each model is read by position from its own run of them.
struct ActivityInCourse: PreparedRead {
    let activityID: UUID

    private static let parts: [(alias: String, keys: [FieldKey])] = [
        ("a", Activity.keys), ("c", Course.keys), ("t", Tenant.keys),
    ]

    static let sql: String = {
        let columns = parts.flatMap { part in
            part.keys.map { "\(part.alias).\($0.description) AS \(part.alias)_\($0.description)" }
        }
        return """
            SELECT \(columns.joined(separator: ", ")) FROM \(Activity.schema) a \
            JOIN \(Course.schema) c ON c.id = a.course_id AND c.tenant_id = a.tenant_id \
            JOIN \(Tenant.schema) t ON t.id = c.tenant_id WHERE a.id = $1
            """
    }()

    var values: [any PreparedValue] { [activityID] }

    static func decode(_ columns: inout RowColumns) throws -> (Activity, Course, Tenant) {
        (
            try columns.model(Activity.self, keys: parts[0].keys), try columns.model(Course.self, keys: parts[1].keys),
            try columns.model(Tenant.self, keys: parts[2].keys)
        )
    }
}
