import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The coordinator's monitoring pages under `/t/{slug}/kelola/pelatihan/{course}/pantau`: the
/// participants × activities table with filters, sorting and pages, the CSV export of the
/// current filter, reminders to everyone in it, their log, and the overview charts.
struct MonitoringRoutes {
    let types: ActivityTypeRegistry
    static let perPage = 50

    /// Registers the pages on `routes`, whose tenant is already resolved.
    func register(on routes: any RoutesBuilder) {
        routes.get(LearningRoute.monitoring(.key, .key), use: page)
        routes.get(LearningRoute.monitoringCSV(.key, .key), use: csv)
        routes.post(LearningRoute.remind(.key, .key), use: remind)
    }

    struct Query: Sendable {
        let filter: CourseMonitor.Filter
        let sort: CourseMonitor.Sort
        let page: Int

        init(_ req: Request) throws {
            filter =
                (try? req.query.get(String.self, at: "filter")).flatMap(CourseMonitor.Filter.init(rawValue:)) ?? .all
            sort =
                (try? req.query.get(String.self, at: "urut")).flatMap(CourseMonitor.Sort.init(rawValue:))
                ?? .progressAscending
            page = try req.pageNumber("hal")
        }

        /// `route` with this query, changed by what is given.
        func path(
            _ route: LearningRoute, filter: CourseMonitor.Filter? = nil, sort: CourseMonitor.Sort? = nil, page: Int = 1
        ) -> String {
            route.path(query: [
                "filter": (filter ?? self.filter).rawValue, "urut": (sort ?? self.sort).rawValue,
                "hal": page > 1 ? "\(page)" : nil,
            ])
        }
    }

    static func monitor(_ req: Request) async throws -> (Course, CourseMonitor) {
        let course = try await req.tenantScope.require(Course.self, req.parameter(CourseID.self).rawValue)
        try await LearningAccess.requireAuthor(req, course: course)
        return (course, CourseMonitor(structure: req.courseStructure(course), types: req.learning.types))
    }

    // MARK: Page

    struct PageModel: Sendable {
        struct Link: Sendable { let label: String; let url: String; let selected: Bool }
        struct Cell: Sendable {
            let state: String; let label: String; let minutes: Int
            /// What the activity's type shows of its own progress ("ditonton 80%").
            var note: String? = nil
        }
        struct Row: Sendable {
            let personID: UUID
            let name: String; let email: String; let unit: String; let percent: Int; let minutes: Int
            let lastSeen: String
            let finished: Bool; let cells: [Cell]
        }
        struct LogEntry: Sendable {
            let when: String; let by: String; let filter: String; let recipients: Int; let message: String
        }
        let courseTitle: String
        let courseURL: String
        let remindURL: String
        let total: Int
        let shown: Int
        /// Those shown who have not finished: a reminder goes to them only.
        let recipients: Int
        let filters: [Link]
        let sorts: [Link]
        let activities: [String]
        let rows: [Row]
        let page: Int
        let pages: Int
        let previousURL: String?
        let nextURL: String?
        let csvURL: String
        let filter: String
        let filterLabel: String
        let defaultMessage: String
        let completionChart: String
        let funnelChart: String
        let log: [LogEntry]
    }

    func page(req: Request) async throws -> Response {
        let (course, monitor) = try await Self.monitor(req)
        let query = try Query(req)
        let tenant = try req.tenant
        let base = LearningRoute.monitoring(tenant.routeSlug, course.routeID)
        let table = try await monitor.table(filter: query.filter, sort: query.sort)
        let window = PageWindow(requested: query.page, per: Self.perPage, total: table.rows.count)
        let pages = window.pages, pageNumber = window.page
        let slice = table.rows.dropFirst(window.offset).prefix(Self.perPage)
        let days = try await monitor.completionsByDay()
        let log = try await req.tenantScope.query(Reminder.self).filter(\.$courseID == course.requireID())
            .sort(\.$createdAt, .descending).limit(20).all()
        let senders = try await CourseMonitor.people(log.map(\.sentBy), on: req.database)
        let model = PageModel(
            courseTitle: course.title,
            courseURL: CatalogRoute.managedCourse(.tenant(tenant.routeSlug), course.routeID).path,
            remindURL: LearningRoute.remind(tenant.routeSlug, course.routeID).path, total: table.total,
            shown: table.rows.count, recipients: table.rows.filter { !$0.finished }.count,
            filters: CourseMonitor.Filter.allCases.map {
                .init(
                    label: req.t("monitor.filter.\($0.rawValue)"), url: query.path(base, filter: $0),
                    selected: $0 == query.filter)
            },
            sorts: CourseMonitor.Sort.allCases.map {
                .init(
                    label: req.t("monitor.sort.\($0.rawValue)"), url: query.path(base, sort: $0),
                    selected: $0 == query.sort)
            },
            activities: table.activities.map(\.title),
            rows: slice.map { row in
                .init(
                    personID: row.personID, name: row.name, email: row.email, unit: row.unit, percent: row.percent,
                    minutes: row.seconds / 60,
                    lastSeen: row.lastSeen.map { req.dayTime($0) } ?? "—", finished: row.status == .completed,
                    cells: zip(table.activities, row.cells).map { activity, cell in
                        var shown: PageModel.Cell =
                            cell.completed
                            ? .init(state: "yes", label: req.t("monitor.cell.done"), minutes: cell.seconds / 60)
                            : cell.opened
                                ? .init(state: "open", label: req.t("monitor.cell.opened"), minutes: cell.seconds / 60)
                                : .init(state: "no", label: req.t("monitor.cell.not_opened"), minutes: 0)
                        shown.note = req.learning.types[activity.type]?.monitorNote(cell.state, req: req)
                        return shown
                    })
            },
            page: pageNumber, pages: pages,
            previousURL: pageNumber > 1 ? query.path(base, page: pageNumber - 1) : nil,
            nextURL: pageNumber < pages ? query.path(base, page: pageNumber + 1) : nil,
            csvURL: query.path(.monitoringCSV(tenant.routeSlug, course.routeID)), filter: query.filter.rawValue,
            filterLabel: req.t("monitor.filter.\(query.filter.rawValue)"),
            defaultMessage: req.t("monitor.default_message"),
            completionChart: MonitoringCharts.completions(
                days, participants: table.total,
                labels: days.first.map { (req.day($0.day) ?? "", req.day(days.last!.day) ?? "") },
                title: req.t("monitor.chart.completions")),
            funnelChart: MonitoringCharts.funnel(
                zip(table.activities, table.reached).map { ($0.title, $1) }, participants: table.total,
                title: req.t("monitor.chart.funnel")),
            log: log.map { r in
                .init(
                    when: req.dayTime(r.createdAt), by: senders[r.sentBy]?.name ?? "—",
                    filter: req.t("monitor.filter.\(r.filter)"),
                    recipients: r.recipients, message: r.message)
            }
        )
        return try await req.render(model, title: "monitor.title", titleArgs: ["course": course.title], tenant: tenant)
    }

    // MARK: CSV

    func csv(req: Request) async throws -> Response {
        let (course, monitor) = try await Self.monitor(req)
        let query = try Query(req)
        let table = try await monitor.table(filter: query.filter, sort: query.sort)
        let text = Self.csv(table, req: req)
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.setAttachment(filename: "pantau-\(course.slug).csv")
        return response
    }

    /// One line per participant: who, progress, then per activity minutes and state.
    static func csv(_ table: CourseMonitor.Table, req: Request) -> String {
        var header = [
            req.t("field.name"), req.t("field.email"), req.t("field.unit_kerja"), req.t("monitor.percent"),
            req.t("monitor.minutes"), req.t("monitor.last_seen"), req.t("monitor.finished"),
        ]
        for activity in table.activities {
            header += [activity.title + " (" + req.t("monitor.minutes") + ")", activity.title]
        }
        var lines = [header]
        for row in table.rows {
            var cells = [
                row.name, row.email, row.unit, "\(row.percent)", "\(row.seconds / 60)",
                row.lastSeen.map { ISO8601DateFormatter().string(from: $0) } ?? "",
                row.completedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "",
            ]
            for (activity, cell) in zip(table.activities, row.cells) {
                let status =
                    cell.completed
                    ? req.t("monitor.cell.done")
                    : cell.opened ? req.t("monitor.cell.opened") : req.t("monitor.cell.not_opened")
                let note = req.learning.types[activity.type]?.monitorNote(cell.state, req: req)
                cells += ["\(cell.seconds / 60)", note.map { status + " · " + $0 } ?? status]
            }
            lines.append(cells)
        }
        return CSVText.document(lines)
    }

    // MARK: Reminders

    func remind(req: Request) async throws -> Response {
        let (course, monitor) = try await Self.monitor(req)
        struct Form: Content {
            var filter: String?
            var message: String?
            /// The people ticked in the table; none: everyone the filter shows.
            var people: [UUID]?
        }
        let form = try req.content.decode(Form.self)
        let filter = form.filter.flatMap(CourseMonitor.Filter.init(rawValue:)) ?? .all
        let tenant = try req.tenant
        let back = LearningRoute.monitoring(tenant.routeSlug, course.routeID).path(query: ["filter": filter.rawValue])
        do {
            var rows = try await monitor.table(filter: filter, sort: .name).rows
            let ticked = Set(form.people ?? [])
            if !ticked.isEmpty { rows = rows.filter { ticked.contains($0.personID) } }
            let sent = try await ReminderService(db: req.database).send(
                form.message ?? "", to: rows, filter: ticked.isEmpty ? filter.rawValue : Self.tickedFilter,
                course: course, tenantSlug: tenant.slug,
                by: try req.requirePerson().requireID(), language: req.language, noDue: req.t("monitor.no_due"))
            Notifier.sendMails(sent.messages, app: req.application)
            req.flash(.success, "monitor.reminded", ["n": "\(sent.reminder.recipients)"])
        } catch let error as InputError {
            for problem in error.problems { req.flash(.error, problem.key, problem.args) }
        }
        return req.seeOther(back + "#pengingat")
    }

    /// The log's name for a reminder to the people ticked in the table.
    static let tickedFilter = "dicentang"
}
