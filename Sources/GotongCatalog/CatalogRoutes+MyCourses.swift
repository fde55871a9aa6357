import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

extension CatalogRoutes {
    // MARK: My courses

    struct MyCourseRow: Encodable, Sendable {
        let url: String
        let title: String
        let tenantName: String
        let tenantColor: String
        let jp: Int
        let status: String
        let statusText: String
        let due: String?
        let overdue: Bool
        let finished: String?
        /// How far the person is, and where to go next (courses with content only).
        var percent: Int? = nil
        var nextTitle: String? = nil
        var nextURL: String? = nil
    }

    struct MyCoursesModel: Encodable, Sendable {
        let required: [MyCourseRow]
        let inProgress: [MyCourseRow]
        let finished: [MyCourseRow]
        let notifications: [NotificationRow]
        let jpThisYear: Int
        /// Where the year's JP are kept in full (the ledger), if anywhere.
        let ledgerURL: String?
        let certificatesURL: String?
    }

    func myCourses(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let (rows, progress) = try await MyCourses.withProgress(
            of: person.requireID(), req.application.courseProgress, on: req.database)
        let now = req.application.clock.now()
        let texts = req.texts
        func row(_ r: MyCourses.Row) -> MyCourseRow {
            var row = MyCourseRow(
                url: CatalogRoute.course(
                    .value(TenantSlug(rawValue: r.tenant_slug)), .value(CourseSlug(rawValue: r.slug))
                ).path, title: r.title, tenantName: r.tenant_name,
                tenantColor: r.tenant_color, jp: r.jp, status: r.status.rawValue,
                statusText: texts("enrolment.status.\(r.status.rawValue)"), due: req.day(r.due_at),
                overdue: r.isOverdue(at: now), finished: req.day(r.completed_at))
            if let p = progress[r.course_id], p.nextURL != nil || p.percent > 0 {
                row.percent = p.percent
                row.nextTitle = r.status == .completed ? nil : p.nextTitle
                row.nextURL = r.status == .completed ? nil : p.nextURL
            }
            return row
        }
        let groups = MyCourses.group(rows)
        // The civil service's year, as the JP ledger's.
        let year = LocalDates.year(of: now)
        let jp = groups.finished.filter { $0.completed_at.map { LocalDates.year(of: $0) == year } ?? false }
            .reduce(0) { $0 + $1.jp }
        // The person's unread count is on their row: with none unread, nothing to read.
        let notes =
            person.unreadNotifications == 0
            ? []
            : try await PersonNotification.query(on: req.database).filter(\.$personID == person.requireID())
                .filter(\.$readAt == nil).sort(\.$createdAt, .descending).limit(5).all()
        return try await req.render(
            MyCoursesModel(
                required: groups.required.map(row), inProgress: groups.inProgress.map(row),
                finished: groups.finished.map(row),
                notifications: notes.map { NotificationRow($0, req: req) }, jpThisYear: jp,
                ledgerURL: req.application.frameLinks.ledger, certificatesURL: req.application.frameLinks.certificates
            ), title: "my.title", brand: nil)
    }

    // MARK: Notifications

    struct NotificationRow: Encodable, Sendable {
        let text: String
        let link: String
        let when: String
        let unread: Bool

        init(text: String, link: String, when: String, unread: Bool) {
            (self.text, self.link, self.when, self.unread) = (text, link, when, unread)
        }

        init(_ n: PersonNotification, req: Request) {
            text = req.t(n.messageKey, n.readableArgs(req))
            link = n.address(req.application.storedRoutes)
            when = req.day(n.createdAt) ?? ""
            unread = n.readAt == nil
        }
    }

    struct NotificationsModel: Encodable, Sendable {
        let rows: [NotificationRow]
        let hasUnread: Bool
    }

    func notifications(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let rows = try await PersonNotification.query(on: req.database).filter(\.$personID == person.requireID())
            .sort(\.$createdAt, .descending).limit(100).all()
        return try await req.render(
            NotificationsModel(
                rows: rows.map { NotificationRow($0, req: req) }, hasUnread: rows.contains { $0.readAt == nil }
            ), title: "notify.title", brand: nil)
    }

    func markRead(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        try await Notifier.markAllRead(of: person.requireID(), on: req.database)
        return req.seeOther(CatalogRoute.notifications.path)
    }
}

/// A person's own courses across every tenant: their own record, the one cross-tenant read of
/// enrolments the product means to make.
package enum MyCourses {
    /// One enrolment with what the list shows of its course and tenant, read in one plain query.
    struct Row: Decodable, Sendable {
        let course_id: UUID
        let tenant_id: UUID
        let status: Enrolment.Status
        let assigned: Bool
        let due_at: Date?
        let completed_at: Date?
        let slug: String
        let title: String
        let jp: Int
        let tenant_slug: String
        let tenant_name: String
        let tenant_color: String

        func isOverdue(at now: Date) -> Bool {
            guard let due = due_at else { return false }
            return status != .completed && due < now
        }
    }

    static func rows(of personID: UUID, on db: any Database) async throws -> [Row] {
        try await db.read(Read(personID: personID))
    }

    /// The rows with the person's progress in those they take part in (not while waiting or
    /// pending), both read in one statement.
    static func withProgress(
        of personID: UUID, _ provider: (any CourseProgressProvider)?, on db: any Database
    ) async throws -> ([Row], [UUID: CourseProgressSummary]) {
        guard let provider else { return (try await rows(of: personID, on: db), [:]) }
        return try await withProgress(of: personID, provider, on: db)
    }

    private static func withProgress<Provider: CourseProgressProvider>(
        of personID: UUID, _ provider: Provider, on db: any Database
    ) async throws -> ([Row], [UUID: CourseProgressSummary]) {
        let (rows, done) = try await db.read(Read(personID: personID), and: provider.done(by: personID))
        let taking = rows.filter { [.enrolled, .completed].contains($0.status) }.map {
            (tenantID: $0.tenant_id, courseID: $0.course_id, tenantSlug: $0.tenant_slug, courseSlug: $0.slug)
        }
        return (rows, try await provider.summaries(done: done, courses: taking, on: db))
    }

    /// The statuses listed: a person's courses, less those they left or were refused.
    static let listed: [Enrolment.Status] = [.enrolled, .waiting, .pending, .completed]

    /// The statuses listed as SQL literals (constants of the code, never input), for reads of
    /// what goes with these courses.
    package static let listedSQL = listed.map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// Read on every visit to /saya, prepared.
    struct Read: CombinableRead {
        typealias Row = MyCourses.Row
        let personID: UUID
        static let columnCount = 12

        static let sql = """
            SELECT e.course_id, e.tenant_id, e.status, e.assigned, e.due_at, e.completed_at, c.slug, c.title, c.jp,
                   t.slug AS tenant_slug, t.name AS tenant_name, t.primary_color AS tenant_color
            FROM enrolments e
            JOIN courses c ON c.id = e.course_id AND c.tenant_id = e.tenant_id
            JOIN tenants t ON t.id = e.tenant_id
            WHERE e.person_id = $1 AND e.status IN (\(listedSQL))
            """

        var values: [any PreparedValue] { [personID] }

        static func decode(_ c: inout RowColumns) throws -> Row {
            try Row(
                course_id: c.next(), tenant_id: c.next(), status: c.next(), assigned: c.next(), due_at: c.next(),
                completed_at: c.next(), slug: c.next(), title: c.next(), jp: c.next(), tenant_slug: c.next(),
                tenant_name: c.next(), tenant_color: c.next())
        }
    }

    /// Required (assigned, not finished; soonest due first), in progress, and finished (newest first).
    static func group(_ rows: [Row]) -> (required: [Row], inProgress: [Row], finished: [Row]) {
        let finished = rows.filter { $0.status == .completed }
            .sorted { ($0.completed_at ?? .distantPast) > ($1.completed_at ?? .distantPast) }
        let open = rows.filter { $0.status != .completed }
        let required = open.filter(\.assigned)
            .sorted { ($0.due_at ?? .distantFuture) < ($1.due_at ?? .distantFuture) }
        let inProgress = open.filter { !$0.assigned }.sorted { $0.title < $1.title }
        return (required, inProgress, finished)
    }
}

extension PersonNotification {
    /// The message's values with dates (`2026-12-07`) written the reader's way (`7 Des 2026`).
    func readableArgs(_ req: Request) -> [String: String] {
        argValues.mapValues { value in
            guard value.count == 10, case .success(let date?) = LocalDates.parse(value) else { return value }
            return req.day(date) ?? value
        }
    }
}
