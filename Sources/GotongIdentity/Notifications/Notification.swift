import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// An in-app message to one person (approval, assignment, a seat from the waiting list…).
/// Stored as a catalogue key and its values, so it reads in the person's current language.
public final class PersonNotification: Model, @unchecked Sendable {
    public static let schema = "notifications"

    @ID(key: .id) public var id: UUID?
    @Field(key: "person_id") public var personID: UUID
    @OptionalField(key: "tenant_id") public var tenantID: UUID?
    @Field(key: "message_key") public var messageKey: String
    /// The message's values as a JSON object of strings.
    @Field(key: "args") public var args: String
    /// Where the message led when it was written, a local path: read only for rows older than
    /// `route` (and for the mail, sent at once).
    @Field(key: "link") public var link: String
    /// Where the message leads, as the route value (``StoredRoute``): its address is worked out
    /// when the message is read, so it follows the route if the address changes.
    @OptionalField(key: "route") public var route: String?
    @OptionalField(key: "read_at") public var readAt: Date?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] {
        [$id, $personID, $tenantID, $messageKey, $args, $link, $route, $readAt, $createdAt]
    }

    public init(
        personID: UUID, tenantID: UUID?, messageKey: String, args: [String: String], route: StoredRoute,
        link: String, at date: Date
    ) {
        self.personID = personID
        self.tenantID = tenantID
        self.messageKey = messageKey
        self.args = (try? String(decoding: JSONEncoder().encode(args), as: UTF8.self)) ?? "{}"
        self.route = route.text
        self.link = link
        self.createdAt = date
    }

    /// Where the message leads now: its route's address, or the path older rows kept.
    public func address(_ routes: StoredRoutes) -> String {
        route.flatMap(StoredRoute.init(text:)).flatMap(routes.path(of:)) ?? link
    }

    public var argValues: [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(args.utf8))) ?? [:]
    }
}

package struct CreateNotifications: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(PersonNotification.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("tenant_id", .uuid, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("message_key", .string, .required)
            .field("args", .string, .required)
            .field("link", .string, .required)
            .field("read_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        // A person's newest messages are read on /saya and /notifikasi.
        try await db.sql.create(index: "notifications_person_idx").on(PersonNotification.schema)
            .column("person_id").column("created_at").run()
    }

    package func revert(on db: any Database) async throws {
        try await db.schema(PersonNotification.schema).delete()
    }
}

/// Each person keeps the number of notifications they have not read (the menu shows it).
package struct AddUnreadNotificationCount: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(Person.schema).field("unread_notifications", .int, .required, .sql(.default(0))).update()
        try await Self.recount(on: db)
    }

    /// Sets every person's count from their unread rows.
    static func recount(on db: any Database) async throws {
        try await db.sql.raw(
            """
            UPDATE people SET unread_notifications = \
            (SELECT COUNT(*) FROM notifications n WHERE n.person_id = people.id AND n.read_at IS NULL)
            """
        ).run()
    }

    package func revert(on db: any Database) async throws {
        try await db.schema(Person.schema).deleteField("unread_notifications").update()
    }
}

/// Notifications keep their link as a route value (`route`); older rows keep their path.
package struct AddNotificationRoute: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(PersonNotification.schema).field("route", .string).update()
    }

    package func revert(on db: any Database) async throws {
        try await db.schema(PersonNotification.schema).deleteField("route").update()
    }
}

/// Sends in-app notifications, and an email too when SMTP is configured.
public enum Notifier {
    /// One message to several people, written in the caller's transaction. Mails go out after the
    /// caller commits (see ``sendMails(_:)``), so a rolled-back change sends nothing.
    public struct Message: Sendable {
        public let personID: UUID
        public let tenantID: UUID?
        public let key: String
        public let args: [String: String]
        /// Where the message leads.
        public let route: StoredRoute
        /// The route's address now, for the mail.
        public let link: String

        public init<R: StorableRoute>(personID: UUID, tenantID: UUID?, key: String, args: [String: String], route: R) {
            self.personID = personID
            self.tenantID = tenantID
            self.key = key
            self.args = args
            self.route = StoredRoute(route)
            self.link = route.path
        }
    }

    /// Writes the messages, and in the same transaction a job that mails them, so a committed
    /// notification is mailed even if the process stops right after; returns them.
    @discardableResult
    public static func record(
        _ messages: [Message], on db: any Database, at date: Date = Date()
    ) async throws -> [Message] {
        guard !messages.isEmpty else { return [] }
        let rows = messages.map {
            PersonNotification(
                personID: $0.personID, tenantID: $0.tenantID, messageKey: $0.key, args: $0.args, route: $0.route,
                link: $0.link, at: date)
        }
        for chunk in rows.chunked(500) {
            try await chunk.create(on: db)
            try await JobQueue.enqueue(mailJob, MailJob(notifications: chunk.compactMap(\.id)), on: db, at: date)
        }
        // Each person's count goes up by their new messages: one statement per distinct number.
        let added = Dictionary(grouping: messages, by: \.personID).mapValues(\.count)
        // People in one order everywhere, so two batches never wait on each other's rows.
        for (n, people) in Dictionary(grouping: added.keys, by: { added[$0]! }).sorted(by: { $0.key < $1.key }) {
            for chunk in people.sorted(by: { $0.uuidString < $1.uuidString }).chunked(500) {
                let ids = Array(chunk)
                try await db.sql.raw(
                    """
                    UPDATE people SET unread_notifications = unread_notifications + \(bind: n) \
                    WHERE id IN (\(binds: ids))
                    """
                ).run()
            }
        }
        return messages
    }

    /// Marks all of a person's messages read, and their count with them.
    public static func markAllRead(of personID: UUID, on db: any Database, at date: Date = Date()) async throws {
        // The person's row first: a message being written meanwhile adds to the count after
        // this commits (it waits for the row), or this waits for it and then marks it read too.
        try await db.transaction { tx in
            try await tx.sql.raw("UPDATE people SET unread_notifications = 0 WHERE id = \(bind: personID)").run()
            try await PersonNotification.query(on: tx).filter(\.$personID == personID).filter(\.$readAt == nil)
                .set(\.$readAt, to: date).update()
        }
    }

    /// Asks the worker to mail what was just committed; the jobs table already holds it.
    public static func sendMails(_ messages: [Message], app: Application) {
        if !messages.isEmpty { app.jobs.kick() }
    }

    static let mailJob = "mail.notifications"

    struct MailJob: Codable, Sendable { var notifications: [UUID] }

    package static func registerJobs(_ jobs: JobHandlers) {
        jobs.register(mailJob, as: MailJob.self) { job, app in try await mail(job.notifications, app: app) }
    }

    /// Mails notifications in each person's language when mail is on. One refused address does
    /// not keep the others' mail from going out; a failure to read is retried by the queue.
    static func mail(_ ids: [UUID], app: Application) async throws {
        guard app.notificationMails, !ids.isEmpty else { return }
        let notes = try await PersonNotification.query(on: app.db).filter(\.$id ~~ ids).all()
        var people: [UUID: Person] = [:]
        for person in try await Person.query(on: app.db).filter(\.$id ~~ Array(Set(notes.map(\.personID)))).all() {
            people[person.id!] = person
        }
        for note in notes {
            guard let person = people[note.personID] else { continue }
            let text = app.localizer.text(note.messageKey, Language(rawValue: person.locale) ?? .id, note.argValues)
            do {
                try await app.mailer.send(
                    Mail(
                        to: person.email, subject: text,
                        body: text + "\n\n" + app.gotong.baseURL + note.address(app.storedRoutes) + "\n"))
            } catch {
                app.logger.error("notification mail to one person failed: \(String(describing: error))")
            }
        }
    }
}

extension Application {
    private struct NotificationMailsKey: StorageKey { typealias Value = Bool }

    /// Whether notifications also go out by email: on when SMTP is configured (tests turn it on
    /// with a memory mailer).
    public var notificationMails: Bool {
        get { storage[NotificationMailsKey.self] ?? (gotong.smtp != nil) }
        set { storage[NotificationMailsKey.self] = newValue }
    }
}
