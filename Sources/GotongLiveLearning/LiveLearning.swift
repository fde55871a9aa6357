import Fluent
import Foundation
import GotongCatalog
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// The Live Learning module's registrations, made once by `configure`: live programmes and
/// episodes on social media, attendance claimed with the host's code (earning JP and a
/// certificate through the episode's course), and each episode's platform figures.
package enum LiveLearning {
    package static var migrations: [any Migration] { [CreateLiveLearning(), CreateLiveRegistrations()] }

    package static func setUp(_ app: Application) {
        app.storedRoutes.register(LiveRoute.self)
        app.jobs.register(Registrations.reminderJob, as: Registrations.Reminder.self) { reminder, app in
            try await Registrations.remind(reminder, app: app)
        }
        app.deskTools.register(
            DeskTool(position: 45) { desk in
                guard case .tenant(let tenant) = desk else { return nil }
                return ("live.desk.tool", LiveRoute.desk(tenant).path)
            })
    }

    /// Every route collection of the module.
    package static var routes: [any RouteCollection] {
        [
            ProgrammeDesk(), EpisodeDesk(), PublicPages(), ClaimPage(), RegistrationPage(), EffectivenessPage(),
            LiveAPIRoutes(),
        ]
    }
}
