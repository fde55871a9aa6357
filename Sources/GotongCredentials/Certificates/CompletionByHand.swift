import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// A coordinator's record that a participant finished a course attended in person, from the
/// desk's form or the API: the completion and its audit entry in one transaction, then the
/// same hooks (JP, certificate) as a course finished online.
enum CompletionByHand {
    static func record(_ req: Request, person: Person, course: Course) async throws -> CourseCompletion.ByHand {
        // A completion with JP and a certificate needs a second person's word: nobody records
        // their own.
        if person.id == req.viewer?.id {
            throw InputError(field: "email", key: "certificate.error.own_completion")
        }
        let scope = try req.tenantScope
        let now = req.application.clock.now()
        let (personID, courseID) = (PersonID(try person.requireID()), CourseID(try course.requireID()))
        let learning = req.application.learning
        let outcome = try await req.database.lockingTransaction { tx in
            let outcome = try await learning.courseCompletion(on: tx).recordByHand(
                personID, in: courseID, of: TenantID(scope.tenantID), now: now)
            if outcome == .recorded {
                try await req.audit(
                    "course.complete_by_hand", subject: person.email, detail: "course=\(course.title)",
                    tenantID: scope.tenantID, on: tx)
            }
            return outcome
        }
        // Told once committed: a kick inside the transaction came before the job could be seen.
        if outcome == .recorded { req.application.jobs.kick() }
        return outcome
    }
}
