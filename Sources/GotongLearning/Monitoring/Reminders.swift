import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// A reminder a coordinator sent to the participants in a filter, with its message; the log
/// of a course's reminders. Who received it is in ``ReminderRecipient``.
final class Reminder: TenantOwned, @unchecked Sendable {
    static let schema = "reminders"
    static var tenantKey: KeyPath<Reminder, FieldProperty<Reminder, UUID>> { \.$tenantID }

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "course_id") var courseID: UUID
    @Field(key: "sent_by") var sentBy: UUID
    /// The filter's key (`belum_selesai`…), so the log says whom it was for.
    @Field(key: "filter") var filter: String
    @Field(key: "message") var message: String
    @Field(key: "recipients") var recipients: Int
    @Field(key: "created_at") var createdAt: Date

    init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    var properties: [any AnyProperty] {
        [$id, $tenantID, $courseID, $sentBy, $filter, $message, $recipients, $createdAt]
    }

    init(tenantID: UUID, courseID: UUID, sentBy: UUID, filter: String, message: String, recipients: Int, at date: Date)
    {
        self.tenantID = tenantID
        self.courseID = courseID
        self.sentBy = sentBy
        self.filter = filter
        self.message = message
        self.recipients = recipients
        createdAt = date
    }
}

final class ReminderRecipient: TenantOwned, @unchecked Sendable {
    static let schema = "reminder_recipients"
    static var tenantKey: KeyPath<ReminderRecipient, FieldProperty<ReminderRecipient, UUID>> { \.$tenantID }

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "reminder_id") var reminderID: UUID
    @Field(key: "person_id") var personID: UUID

    init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    var properties: [any AnyProperty] { [$id, $tenantID, $reminderID, $personID] }

    init(tenantID: UUID, reminderID: UUID, personID: UUID) {
        self.tenantID = tenantID
        self.reminderID = reminderID
        self.personID = personID
    }
}

package struct CreateReminders: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(Reminder.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, "id", onDelete: .cascade))
            .field("sent_by", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .field("filter", .string, .required)
            .field("message", .string, .required)
            .field("recipients", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.sql.create(index: "reminders_course_idx").on(Reminder.schema).column("tenant_id").column(
            "course_id"
        ).column("created_at").run()
        try await db.schema(ReminderRecipient.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("reminder_id", .uuid, .required, .references(Reminder.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, "id", onDelete: .cascade))
            .create()
        try await db.sql.create(index: "reminder_recipients_idx").on(ReminderRecipient.schema).column("tenant_id")
            .column("reminder_id").run()
    }

    package func revert(on db: any Database) async throws {
        try await db.schema(ReminderRecipient.schema).delete()
        try await db.schema(Reminder.schema).delete()
    }
}

/// Sends a reminder to every participant in a filter: an in-app notification each (and mail
/// when SMTP is configured), with the message's `{nama}`, `{pelatihan}`, `{persen}` and
/// `{tenggat}` filled in per person; all written in one transaction with the log.
struct ReminderService: Sendable {
    let db: any Database
    static let maxMessage = 1000

    struct Sent: Sendable {
        let reminder: Reminder
        let messages: [Notifier.Message]
    }

    /// Sends `message` to the participants in `rows` who have not finished the course (a reminder
    /// to finish means nothing to someone at 100 %). `noDue` stands for a deadline in a message
    /// whose every sentence names one, for someone who has none.
    func send(
        _ message: String, to shown: [CourseMonitor.Row], filter: String, course: Course,
        tenantSlug: String, by personID: UUID, language: Language, noDue: String, now: Date = Date()
    ) async throws -> Sent {
        let rows = shown.filter { !$0.finished }
        let text = message.cleanedText
        var p = ProblemList()
        if text.count < 5 || text.count > Self.maxMessage {
            p.add("message", "reminder.error.message", ["max": "\(Self.maxMessage)"])
        }
        if rows.isEmpty { p.add("filter", "reminder.error.nobody") }
        try p.throwIfAny()
        let link = LearningRoute.outline(.value(TenantSlug(rawValue: tenantSlug)), course.routeSlug)
        let reminder = Reminder(
            tenantID: course.tenantID, courseID: try course.requireID(), sentBy: personID, filter: filter,
            message: text, recipients: rows.count, at: now)
        let messages = rows.map { row in
            Notifier.Message(
                personID: row.personID, tenantID: course.tenantID, key: "notify.reminder",
                args: ["message": Self.fill(text, row: row, course: course, language: language, noDue: noDue)],
                route: link)
        }
        try await db.lockingTransaction { tx in
            try await reminder.create(on: tx)
            let id = try reminder.requireID()
            for chunk in rows.chunked(500) {
                try await chunk.map {
                    ReminderRecipient(tenantID: course.tenantID, reminderID: id, personID: $0.personID)
                }.create(on: tx)
            }
            try await Notifier.record(messages, on: tx, at: now)
        }
        return Sent(reminder: reminder, messages: messages)
    }

    /// The message for one person: placeholders replaced by their own values. A sentence that
    /// names a deadline is left out for someone who has none (they joined on their own), rather
    /// than printed as "Mohon selesaikan sebelum —."; if every sentence names one, `noDue` stands in.
    static func fill(
        _ template: String, row: CourseMonitor.Row, course: Course, language: Language, noDue: String
    ) -> String {
        var text = template
        if let dueAt = row.dueAt {
            text = text.replacingOccurrences(
                of: "{tenggat}", with: LocalDates.day(dueAt, language))
        } else {
            let kept = sentences(of: template).filter { !$0.contains("{tenggat}") }.joined()
                .trimmingCharacters(in: .whitespacesAndNewlines)
            text = kept.isEmpty ? template.replacingOccurrences(of: "{tenggat}", with: noDue) : kept
        }
        return text.replacingOccurrences(of: "{nama}", with: row.name)
            .replacingOccurrences(of: "{pelatihan}", with: course.title)
            .replacingOccurrences(of: "{persen}", with: "\(row.percent)%")
    }

    /// `text` in sentences, each with the punctuation and space after it, so that joining them
    /// gives the text back: a sentence ends after `.`, `!` or `?` followed by space, or at a line end.
    static func sentences(of text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        var ended = false
        for character in text {
            if ended, !character.isWhitespace {
                sentences.append(current)
                current = ""
                ended = false
            }
            current.append(character)
            if character == "." || character == "!" || character == "?" || character.isNewline { ended = true }
        }
        if !current.isEmpty { sentences.append(current) }
        return sentences
    }
}
