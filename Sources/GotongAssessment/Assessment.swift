import Fluent
import Foundation
import GotongCatalog
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// The Assessment module's registrations, made once by `configure`: the question bank's place
/// on a tenant's desk and beside each managed course.
package enum Assessment {
    /// Who keeps a tenant's question bank: its administrators, coordinators and trainers.
    static let bankRoles: Set<Role> = [.admin, .pengelola, .pengajar]

    package static var migrations: [any Migration] { [CreateQuestionBank()] }

    /// The module's activity types, registered with Learning's like any plug-in.
    package static var activityTypes: [any ActivityType] { [QuizType(), AssignmentType()] }

    package static func setUp(_ app: Application) {
        app.setUpQuizWriter()
        app.setUpKeptQuizzes()
        app.deskTools.register(
            DeskTool(position: 15) { desk in
                guard case .tenant(let tenant) = desk else { return nil }
                return ("bank.title", AssessmentRoute.bank(tenant).path)
            })
        // An attempt whose time ran out is closed and marked even if its learner never comes back.
        app.jobs.register(QuizAttempts.closeJob, as: QuizAttempts.CloseJob.self) { job, app in
            try await QuizAttempts.close(job, app: app)
        }
        app.courseTools.register(
            CourseTool(label: "grades.tool", isPrimary: false) { desk, course in
                guard case .tenant(let tenant) = desk else { return nil }
                return AssessmentRoute.gradebook(tenant, course).path
            })
        app.courseTools.register(
            CourseTool(label: "bank.title", isPrimary: false) { desk, _ in
                guard case .tenant(let tenant) = desk else { return nil }
                return AssessmentRoute.bank(tenant).path
            })
    }
}
