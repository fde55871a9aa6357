import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Level 3's moments: a finished course schedules its follow-up (a job at the due date), the
/// due follow-up tells the participant and mails the supervisor a link, and a week later a
/// reminder goes to whoever has not answered. Each step is idempotent: jobs are retried.
enum FollowUps {
    static let job = "evaluation.follow_up"
    /// How long a supervisor's link works after it is sent.
    static let linkLife: TimeInterval = 30 * 86_400
    /// When the one reminder goes, after the follow-up was sent.
    static let reminderAfter: TimeInterval = 7 * 86_400

    struct Due: Codable, Sendable {
        var followUp: UUID
        var reminder: Bool
    }

    /// The completion hook: the participant's follow-up is due some weeks after finishing,
    /// scheduled once however often the completion is told.
    static func schedule(_ event: CourseCompletion.Event, app: Application) async throws {
        let scope = TenantScope(tenantID: event.tenant.rawValue, db: app.db)
        guard let setup = try await LevelOne(db: app.db).setup(scope, course: event.course.rawValue), setup.hasFollowUp,
            let weeks = setup.followUpWeeks
        else { return }
        let due = event.completedAt.addingTimeInterval(Double(weeks) * 7 * 86_400)
        let now = app.clock.now()
        try await app.db.lockingTransaction { tx in
            try await tx.sql.raw(
                """
                INSERT INTO \(ident: EvaluationFollowUp.schema) (id, tenant_id, course_id, person_id, supervisor_name, \
                supervisor_email, updated_at) VALUES (\(bind: UUID()), \(bind: event.tenant.rawValue), \
                \(bind: event.course.rawValue), \(bind: event.person.rawValue), '', '', \(bind: now)) \
                ON CONFLICT (course_id, person_id) DO NOTHING
                """
            ).run()
            // Only the first telling finds it unscheduled.
            let scheduled = try await tx.sql.raw(
                """
                UPDATE \(ident: EvaluationFollowUp.schema) SET completed_at = \(bind: event.completedAt), \
                due_at = \(bind: due), updated_at = \(bind: now) WHERE course_id = \(bind: event.course.rawValue) \
                AND person_id = \(bind: event.person.rawValue) AND due_at IS NULL RETURNING id
                """
            ).first(decoding: IDRow.self)
            if let scheduled {
                try await JobQueue.enqueue(job, Due(followUp: scheduled.id, reminder: false), on: tx, at: due)
            }
        }
    }

    struct IDRow: Decodable { let id: UUID }

    /// A coordinator sends a finished participant's follow-up now (the training ended long
    /// ago, say); the job scheduled for the due date then finds it sent. Audited.
    static func sendNow(_ req: Request, course: Course, person: UUID) async throws {
        let scope = try req.tenantScope
        let now = req.application.clock.now()
        try await req.database.lockingTransaction { tx in
            let moved = try await tx.sql.raw(
                """
                UPDATE \(ident: EvaluationFollowUp.schema) SET due_at = \(bind: now), updated_at = \(bind: now) \
                WHERE tenant_id = \(bind: scope.tenantID) AND course_id = \(bind: try course.requireID()) \
                AND person_id = \(bind: person) AND completed_at IS NOT NULL AND sent_at IS NULL RETURNING id
                """
            ).first(decoding: IDRow.self)
            guard let moved else {
                throw InputError(field: "person_id", key: "evaluation.error.not_due", status: .conflict)
            }
            try await JobQueue.enqueue(job, Due(followUp: moved.id, reminder: false), on: tx, at: now)
            try await req.audit(
                "evaluation.follow_up.send", subject: course.title, detail: "person=\(person)",
                tenantID: scope.tenantID,
                on: tx)
        }
        req.application.jobs.kick()
    }

    /// The due follow-up (or its reminder), claimed once — of two workers (or a scheduled job
    /// and a coordinator's *send now*) one goes on — and in the claim's transaction the
    /// participant is told and the supervisor's mail is queued (sent by its own job, tried
    /// again until it goes). Nothing goes to whoever has answered.
    static func run(_ due: Due, app: Application) async throws {
        guard let followUp = try await EvaluationFollowUp.find(due.followUp, on: app.db),
            let course = try await Course.find(followUp.courseID, on: app.db),
            let slug = try await Tenant.find(followUp.tenantID, on: app.db).map(\.routeSlug)
        else { return }
        let scope = TenantScope(tenantID: followUp.tenantID, db: app.db)
        guard let setup = try await LevelOne(db: app.db).setup(scope, course: followUp.courseID) else { return }
        let now = app.clock.now()
        let participantDone =
            try await scope.query(EvaluationResponse.self).filter(\.$courseID == followUp.courseID)
            .filter(\.$participantID == followUp.personID).filter(\.$purpose == .followUp).count() > 0
        let column: SQLQueryString = due.reminder ? "reminded_at" : "sent_at"
        let id = try followUp.requireID()
        try await app.db.lockingTransaction { tx in
            let claimed = try await tx.sql.raw(
                """
                UPDATE \(ident: EvaluationFollowUp.schema) SET \(column) = \(bind: now), updated_at = \(bind: now) \
                WHERE id = \(bind: id) AND \(column) IS NULL RETURNING id
                """
            ).first()
            guard claimed != nil else { return }
            if setup.followUpFormID != nil, !participantDone {
                try await Notifier.record(
                    [
                        .init(
                            personID: followUp.personID, tenantID: followUp.tenantID,
                            key: due.reminder ? "notify.evaluation.follow_up_reminder" : "notify.evaluation.follow_up",
                            args: ["course": course.title],
                            route: EvaluationRoute.participant(slug, .value(CourseID(followUp.courseID))))
                    ], on: tx, at: now)
            }
            if setup.supervisorFormID != nil, followUp.supervisorDoneAt == nil, !followUp.supervisorEmail.isEmpty {
                try await JobQueue.enqueue(
                    mailJob, SupervisorMail(followUp: id, reminder: due.reminder), on: tx, at: now)
            }
            if !due.reminder {
                try await JobQueue.enqueue(
                    job, Due(followUp: id, reminder: true), on: tx, at: now.addingTimeInterval(reminderAfter))
            }
        }
        app.jobs.kick()
    }

    static let mailJob = "evaluation.supervisor_mail"

    struct SupervisorMail: Codable, Sendable {
        var followUp: UUID
        var reminder: Bool
    }

    /// The supervisor's mail with a new link (the one before stops working). Tried again when
    /// the mail server fails; a mail that went out and is sent again carries a newer link,
    /// and the newest works.
    static func mailSupervisor(_ mail: SupervisorMail, app: Application) async throws {
        guard let followUp = try await EvaluationFollowUp.find(mail.followUp, on: app.db),
            followUp.supervisorDoneAt == nil, !followUp.supervisorEmail.isEmpty,
            let course = try await Course.find(followUp.courseID, on: app.db),
            let participant = try await Person.find(followUp.personID, on: app.db)
        else { return }
        let token = SecretToken()
        let now = app.clock.now()
        followUp.tokenHash = token.hash
        followUp.linkExpiresAt = now.addingTimeInterval(linkLife)
        followUp.updatedAt = now
        try await followUp.save(on: app.db)
        let link = app.gotong.baseURL + EvaluationRoute.supervisor(.value(MailedSecret(rawValue: token.plain))).path
        let expires = LocalDates.longDayID.string(from: now.addingTimeInterval(linkLife))
        let hello = "Bapak/Ibu" + (followUp.supervisorName.isEmpty ? "" : " " + followUp.supervisorName)
        try await app.mailer.send(
            Mail(
                to: followUp.supervisorEmail,
                subject: (mail.reminder ? "Pengingat: " : "") + "Evaluasi pascapelatihan \(participant.name)",
                body: """
                    Yth. \(hello),

                    \(participant.name) telah menyelesaikan pelatihan "\(course.title)". Sebagai atasan langsung, \
                    Anda diminta menilai penerapan hasil pelatihan tersebut di tempat kerja. Pengisian sekitar \
                    3 menit dan tidak memerlukan akun:

                    \(link)

                    Tautan ini berlaku sampai \(expires).

                    Terima kasih.
                    """))
    }
}
