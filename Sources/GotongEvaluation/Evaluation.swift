import Fluent
import Foundation
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// The Evaluation module's registrations, made once by `configure`: training evaluated on
/// Kirkpatrick's levels — reaction (1) by forms after a course, learning (2) from its pre- and
/// post-test, behaviour (3) by a follow-up weeks later. Credentials asks it whether a
/// certificate may be issued (``LevelOne/allowsCertificate(_:)``).
package enum Evaluation {
    package static var migrations: [any Migration] {
        [
            CreateEvaluationForms(), CreateCourseEvaluations(), CreateEvaluationResponses(), SeedEvaluationTemplates(),
            CreateEvaluationFollowUps(), SeedPublicSurveyTemplate(),
        ]
    }

    package static func setUp(_ app: Application) {
        for cloner in EvaluationTemplates.cloners { app.tenantCloners.register(cloner) }
        // Level 3: a finished course schedules its follow-up; told again, nothing more.
        app.learning.completionHooks.register("evaluation.follow_up") { event, app in
            try await FollowUps.schedule(event, app: app)
        }
        app.jobs.register(FollowUps.job, as: FollowUps.Due.self) { due, app in try await FollowUps.run(due, app: app) }
        app.jobs.register(FollowUps.mailJob, as: FollowUps.SupervisorMail.self) { mail, app in
            try await FollowUps.mailSupervisor(mail, app: app)
        }
        app.storedRoutes.register(EvaluationRoute.self)
        app.deskTools.register(
            DeskTool(position: 38) { desk in
                guard case .tenant(let tenant) = desk else { return nil }
                return ("evaluation.desk.tool", EvaluationRoute.forms(tenant).path)
            })
    }
}
