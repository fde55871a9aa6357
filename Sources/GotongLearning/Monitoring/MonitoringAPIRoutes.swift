import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The coordinator's monitoring in the JSON API: the participants × activities table (with the
/// web page's filters and sorts) and reminders to everyone in a filter.
package struct MonitoringAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(LearningAPIRoute.monitoring(.key, .key), use: table)
        tenant.post(LearningAPIRoute.reminders(.key, .key), use: remind)
    }

    struct TableResponse: Content {
        struct ActivityColumn: Content { var id: UUID; var type: String; var title: String; var reached: Int }
        struct Cell: Content {
            var activity_id: UUID; var opened: Bool; var seconds: Int; var completed: Bool
            /// The figures the activity's type records (a video's `video_percent`, a forum's `posts`).
            var facts: [String: Double]
        }
        struct Row: Content {
            var person_id: UUID
            var name: String
            var email: String
            var unit_kerja: String
            var status: String
            var percent: Int
            var seconds: Int
            var last_seen_at: Date?
            var completed_at: Date?
            var activities: [Cell]
        }
        var total: Int
        var shown: Int
        var filter: String
        var sort: String
        var activities: [ActivityColumn]
        var participants: [Row]
    }

    func table(req: Request) async throws -> TableResponse {
        let (_, monitor) = try await MonitoringRoutes.monitor(req)
        // The web page falls back to its defaults; the API says what it did not understand.
        var problems = ProblemList()
        if let raw = try? req.query.get(String.self, at: "filter"), CourseMonitor.Filter(rawValue: raw) == nil {
            problems.add("filter", "reminder.error.filter")
        }
        if let raw = try? req.query.get(String.self, at: "urut"), CourseMonitor.Sort(rawValue: raw) == nil {
            problems.add("urut", "monitor.error.sort")
        }
        try problems.throwIfAny()
        let query = try MonitoringRoutes.Query(req)
        let table = try await monitor.table(filter: query.filter, sort: query.sort)
        return TableResponse(
            total: table.total, shown: table.rows.count, filter: query.filter.rawValue, sort: query.sort.rawValue,
            activities: zip(table.activities, table.reached).map {
                .init(id: $0.id!, type: $0.type, title: $0.title, reached: $1)
            },
            participants: table.rows.map { row in
                .init(
                    person_id: row.personID, name: row.name, email: row.email, unit_kerja: row.unit,
                    status: row.status.rawValue,
                    percent: row.percent, seconds: row.seconds, last_seen_at: row.lastSeen,
                    completed_at: row.completedAt,
                    activities: zip(table.activities, row.cells).map {
                        .init(
                            activity_id: $0.id!, opened: $1.opened, seconds: $1.seconds, completed: $1.completed,
                            facts: req.learning.types[$0.type]?.monitorFacts($1.state) ?? [:])
                    })
            }
        )
    }

    struct ReminderRequest: Content {
        var filter: String?
        var message: String

        enum CodingKeys: String, CodingKey { case filter, message }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            filter = try c.decodeUnlessNull(String.self, forKey: .filter)
            message = try c.decode(String.self, forKey: .message)
        }
    }
    struct ReminderResponse: Content { var id: UUID; var filter: String; var recipients: Int; var created_at: Date }

    func remind(req: Request) async throws -> Response {
        let (course, monitor) = try await MonitoringRoutes.monitor(req)
        let input = try req.content.decode(ReminderRequest.self)
        guard let filter = CourseMonitor.Filter(rawValue: input.filter ?? CourseMonitor.Filter.all.rawValue) else {
            throw InputError(field: "filter", key: "reminder.error.filter")
        }
        let rows = try await monitor.table(filter: filter, sort: .name).rows
        let sent = try await ReminderService(db: req.database).send(
            input.message, to: rows, filter: filter.rawValue, course: course, tenantSlug: try req.tenant.slug,
            by: try req.requirePerson().requireID(), language: req.language, noDue: req.t("monitor.no_due"))
        Notifier.sendMails(sent.messages, app: req.application)
        return try await ReminderResponse(
            id: sent.reminder.id!, filter: filter.rawValue, recipients: sent.reminder.recipients,
            created_at: sent.reminder.createdAt
        ).encodeResponse(status: .created, for: req)
    }
}
