import Fluent
import Foundation
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
    /// Where the message leads, a local path.
    @Field(key: "link") public var link: String
    @OptionalField(key: "read_at") public var readAt: Date?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(personID: UUID, tenantID: UUID?, messageKey: String, args: [String: String], link: String, at date: Date) {
        self.personID = personID
        self.tenantID = tenantID
        self.messageKey = messageKey
        self.args = (try? String(decoding: JSONEncoder().encode(args), as: UTF8.self)) ?? "{}"
        self.link = link
        self.createdAt = date
    }

    public var argValues: [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(args.utf8))) ?? [:]
    }
}

struct CreateNotifications: AsyncMigration {
    func prepare(on db: any Database) async throws {
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

    func revert(on db: any Database) async throws {
        try await db.schema(PersonNotification.schema).delete()
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
        public let link: String
    }

    /// Writes the messages; returns them for mailing after commit.
    @discardableResult
    public static func record(_ messages: [Message], on db: any Database, at date: Date = Date()) async throws -> [Message] {
        guard !messages.isEmpty else { return [] }
        let rows = messages.map {
            PersonNotification(personID: $0.personID, tenantID: $0.tenantID, messageKey: $0.key, args: $0.args, link: $0.link, at: date)
        }
        for chunk in rows.chunked(500) { try await chunk.create(on: db) }
        return messages
    }

    /// Mails the messages in each person's language when SMTP is configured; in the background,
    /// so a slow relay never holds up the page.
    public static func sendMails(_ messages: [Message], app: Application) {
        guard app.notificationMails, !messages.isEmpty else { return }
        let mailer = app.mailer
        let localizer = app.localizer
        let db = app.db
        let base = app.gotong.baseURL
        let logger = app.logger
        Task.detached {
            do {
                let ids = Array(Set(messages.map(\.personID)))
                var people: [UUID: Person] = [:]
                for chunk in ids.chunked(500) {
                    for person in try await Person.query(on: db).filter(\.$id ~~ chunk).all() { people[person.id!] = person }
                }
                for message in messages {
                    guard let person = people[message.personID] else { continue }
                    let language = Language(rawValue: person.locale) ?? .id
                    let text = localizer.text(message.key, language, message.args)
                    // One refused address must not keep the others' mail from going out.
                    do {
                        try await mailer.send(Mail(
                            to: person.email, subject: text,
                            body: text + "\n\n" + base + message.link + "\n"
                        ))
                    } catch {
                        logger.error("notification mail to one person failed: \(String(describing: error))")
                    }
                }
            } catch {
                logger.error("notification mails could not be prepared: \(String(describing: error))")
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
