import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// What the course page shows of a course, the same for every visitor: the course, its staff's
/// names, its prerequisites and category. Kept per process while the catalogue is unchanged and
/// this process has moved none of its seats, for at most five seconds (seats taken elsewhere).
/// The course model is shared by the requests that read it and is never changed.
package final class CoursePageData: @unchecked Sendable {
    package let course: Course
    let trainers: [String]
    let coordinators: [String]
    /// The course's own trainers and coordinators, for who may see its content.
    package let staffIDs: Set<UUID>
    let prerequisites: [Course]
    let category: String?
    /// ``SeatChanges`` of the course when it was read.
    let seatStamp: Int
    /// The description rendered from Markdown on the first view, not on every one (nor for
    /// every course read ahead).
    var descriptionHTML: String {
        renderLock.withLock {
            if let html = rendered { return html }
            let html = SafeMarkdown.html(course.description)
            rendered = html
            return html
        }
    }
    // Guarded by `renderLock`.
    private var rendered: String?
    private let renderLock = NSLock()

    init(
        course: Course, trainers: [String], coordinators: [String], staffIDs: Set<UUID>, prerequisites: [Course],
        category: String?, seatStamp: Int
    ) {
        self.course = course
        self.trainers = trainers
        self.coordinators = coordinators
        self.staffIDs = staffIDs
        self.prerequisites = prerequisites
        self.category = category
        self.seatStamp = seatStamp
    }

    package static func cached(tenant: Tenant, slug: String, on req: Request) async throws -> CoursePageData? {
        let scope = TenantScope(tenantID: try tenant.requireID(), db: req.database)
        let version = try await req.application.catalogVersion.current(on: req.database)
        return try await req.application.coursePageCache.value(
            "\(scope.tenantID)/\(slug)", version: version,
            isFresh: { $0.course.id.map(SeatChanges.count) == $0.seatStamp },
            load: { try await load(scope, slug: slug) }
        )
    }

    /// Every marketplace course's page data at once, three queries in all: made after the
    /// marketplace index is built, so course pages reached from the catalogue are ready before
    /// anyone asks. Keyed like ``cached(tenant:slug:on:)``.
    static func loadMarketplace(on db: any Database) async throws -> [String: CoursePageData] {
        struct Staff: Decodable { let course_id: UUID; let person_id: UUID; let role: String; let name: String }
        struct Prerequisite: Decodable { let course_id: UUID; let required_course_id: UUID }
        let marketplace =
            "c.status = 'published' AND c.curation = 'approved' AND t.status = 'active' AND t.is_master = \(false)"
        // The marketplace's one cross-tenant read (as the search index's): every row keeps its tenant.
        let rows = try await db.sql.raw(
            """
            SELECT \(unsafeRaw: CourseRow.selectList("c")), cat.name AS category_name
            FROM courses c JOIN tenants t ON t.id = c.tenant_id
            LEFT JOIN tenant_categories cat ON cat.id = c.category_id AND cat.tenant_id = c.tenant_id
            WHERE \(unsafeRaw: marketplace)
            """
        ).all(decoding: CourseWithCategory.self)
        let stamps = Dictionary(
            rows.map { ($0.course.id, SeatChanges.count($0.course.id)) }, uniquingKeysWith: { a, _ in a })
        let staff = try await db.sql.raw(
            """
            SELECT s.course_id, s.person_id, s.role, p.name FROM course_staff s JOIN people p ON p.id = s.person_id
            JOIN courses c ON c.id = s.course_id AND c.tenant_id = s.tenant_id JOIN tenants t ON t.id = c.tenant_id
            WHERE \(unsafeRaw: marketplace) ORDER BY p.name
            """
        ).all(decoding: Staff.self)
        let links = try await db.sql.raw(
            """
            SELECT r.course_id, r.required_course_id FROM course_prerequisites r
            JOIN courses c ON c.id = r.course_id AND c.tenant_id = r.tenant_id JOIN tenants t ON t.id = c.tenant_id
            WHERE \(unsafeRaw: marketplace)
            """
        ).all(decoding: Prerequisite.self)
        // Prerequisites outside the marketplace (not curated yet) are read on their own.
        var courses = Dictionary(rows.map { ($0.course.id, $0.course.course) }, uniquingKeysWith: { a, _ in a })
        let missing = Set(links.map(\.required_course_id)).subtracting(courses.keys)
        if !missing.isEmpty {
            for chunk in Array(missing).chunked(500) {
                for row in try await db.sql.raw(
                    """
                    SELECT \(unsafeRaw: CourseRow.selectList("c")) FROM courses c WHERE c.id IN \
                    (\(binds: Array(chunk)))
                    """
                )
                .all(decoding: CourseRow.self) { courses[row.id] = row.course }
            }
        }
        let staffByCourse = Dictionary(grouping: staff, by: \.course_id)
        let prerequisitesOf = Dictionary(grouping: links, by: \.course_id)
        var result: [String: CoursePageData] = [:]
        for row in rows {
            let id = row.course.id
            let people = staffByCourse[id] ?? []
            let required = (prerequisitesOf[id] ?? []).compactMap { courses[$0.required_course_id] }
                .filter { $0.tenantID == row.course.tenant_id }.sorted { $0.title < $1.title }
            result["\(row.course.tenant_id)/\(row.course.slug)"] = CoursePageData(
                course: courses[id] ?? row.course.course,
                trainers: people.filter { $0.role == Role.pengajar.rawValue }.map(\.name),
                coordinators: people.filter { $0.role == Role.pengelola.rawValue }.map(\.name),
                staffIDs: Set(people.map(\.person_id)), prerequisites: required, category: row.category_name,
                seatStamp: stamps[id] ?? 0
            )
        }
        return result
    }

    /// Three plain queries, each bound to the tenant: the course with its category, its staff's
    /// names, its prerequisites.
    private static func load(_ scope: TenantScope, slug: String) async throws -> CoursePageData? {
        struct Staff: Decodable { let person_id: UUID; let role: String; let name: String }
        let sql = scope.db.sql
        guard
            let row = try await sql.raw(
                """
                SELECT \(unsafeRaw: CourseRow.selectList("c")), cat.name AS category_name
                FROM courses c LEFT JOIN tenant_categories cat ON cat.id = c.category_id AND cat.tenant_id = c.tenant_id
                WHERE c.tenant_id = \(bind: scope.tenantID) AND c.slug = \(bind: slug)
                """
            ).first(decoding: CourseWithCategory.self)
        else { return nil }
        let courseID = row.course.id
        // Taken before the rest is read: a seat moving meanwhile makes the entry stale at once.
        let seatStamp = SeatChanges.count(courseID)
        async let staffRows = sql.raw(
            """
            SELECT s.person_id, s.role, p.name FROM course_staff s JOIN people p ON p.id = s.person_id
            WHERE s.tenant_id = \(bind: scope.tenantID) AND s.course_id = \(bind: courseID) ORDER BY p.name
            """
        ).all(decoding: Staff.self)
        async let prereqRows = sql.raw(
            """
            SELECT \(unsafeRaw: CourseRow.selectList("c")) FROM course_prerequisites r
            JOIN courses c ON c.id = r.required_course_id AND c.tenant_id = r.tenant_id
            WHERE r.tenant_id = \(bind: scope.tenantID) AND r.course_id = \(bind: courseID) ORDER BY c.title
            """
        ).all(decoding: CourseRow.self)
        let staff = try await staffRows
        return CoursePageData(
            course: row.course.course,
            trainers: staff.filter { $0.role == Role.pengajar.rawValue }.map(\.name),
            coordinators: staff.filter { $0.role == Role.pengelola.rawValue }.map(\.name),
            staffIDs: Set(staff.map(\.person_id)), prerequisites: try await prereqRows.map(\.course),
            category: row.category_name, seatStamp: seatStamp
        )
    }
}

/// A course row with its category's name (a left join), as both course-page loaders read it.
private struct CourseWithCategory: Decodable {
    let course: CourseRow
    let category_name: String?

    init(from decoder: any Decoder) throws {
        course = try CourseRow(from: decoder)
        category_name = try decoder.container(keyedBy: Key.self).decodeIfPresent(String.self, forKey: .category_name)
    }

    private enum Key: String, CodingKey { case category_name }
}
