import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Naming a participant's supervisor (atasan) for a course's follow-up: by the participant
/// (during the course or after) until the link has been mailed, or by a coordinator until the
/// supervisor answered — a coordinator's change after the mail sends a new link (also to the
/// same address: that is how an expired link is sent again). Named after the follow-up went
/// out, the supervisor is mailed at once.
enum Supervisors {
    /// `by` is the coordinator's name when a coordinator names them (audited); nil for the
    /// participant's own.
    static func name(
        _ req: Request, course: Course, person: Person, name: String?, email: String?, by coordinator: String?
    ) async throws {
        var problems = ProblemList()
        let name = problems.text(name, "supervisor_name", max: 120, required: "evaluation.error.supervisor_name")
        // The name is put into a mail the platform sends: one line of words, no links.
        if name.contains(where: \.isNewline) || name.contains("://") || name.lowercased().contains("www.") {
            problems.add("supervisor_name", "evaluation.error.supervisor_name")
        }
        let typed = problems.text(email, "supervisor_email", max: 254, required: "evaluation.error.supervisor_email")
        let email = EmailAddress.normalise(typed)
        if !typed.isEmpty && !EmailAddress.isValid(email) {
            problems.add("supervisor_email", "evaluation.error.supervisor_email")
        } else if email == EmailAddress.normalise(person.email) {
            problems.add("supervisor_email", "evaluation.error.supervisor_self")
        }
        try problems.throwIfAny()
        let scope = try req.tenantScope
        let courseID = try course.requireID()
        let personID = try person.requireID()
        let now = req.application.clock.now()
        // The participant may change their choice until the link is out; a coordinator until
        // the supervisor answered.
        let open: SQLQueryString = coordinator == nil ? "token_hash IS NULL" : "supervisor_done_at IS NULL"
        try await req.database.lockingTransaction { tx in
            try await tx.sql.raw(
                """
                INSERT INTO \(ident: EvaluationFollowUp.schema) (id, tenant_id, course_id, person_id, supervisor_name, \
                supervisor_email, updated_at) VALUES (\(bind: UUID()), \(bind: scope.tenantID), \(bind: courseID), \
                \(bind: personID), '', '', \(bind: now)) ON CONFLICT (course_id, person_id) DO NOTHING
                """
            ).run()
            // One conditional update: a link mailed (or an answer given) a moment before wins.
            let changed = try await tx.sql.raw(
                """
                UPDATE \(ident: EvaluationFollowUp.schema) SET supervisor_name = \(bind: name), \
                supervisor_email = \(bind: email), updated_at = \(bind: now) WHERE course_id = \(bind: courseID) \
                AND person_id = \(bind: personID) AND \(open) RETURNING id, sent_at
                """
            ).first(decoding: Changed.self)
            guard let changed else {
                throw InputError(field: "supervisor_email", key: "evaluation.error.supervisor_sent", status: .conflict)
            }
            if changed.sent_at != nil {
                // The follow-up is out already: the (new) supervisor is mailed a new link now.
                try await JobQueue.enqueue(
                    FollowUps.mailJob, FollowUps.SupervisorMail(followUp: changed.id, reminder: false), on: tx, at: now)
            }
            if let coordinator {
                try await req.audit(
                    "evaluation.supervisor", subject: course.title, detail: "by=\(coordinator); supervisor=\(email)",
                    tenantID: scope.tenantID, on: tx)
            }
        }
        req.application.jobs.kick()
    }

    struct Changed: Decodable {
        let id: UUID
        let sent_at: Date?
    }
}
