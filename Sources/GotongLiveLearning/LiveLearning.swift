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
        Reminders.register(app.jobs)
        // The storefront lists the tenant's programmes (``CatalogVersion`` is raised when one changes).
        app.storefrontOffers.register { tenant, db in
            let programmes = try await TenantScope(tenantID: try tenant.requireID(), db: db)
                .query(LiveProgramme.self).sort(\.$name).all()
            return StorefrontOffer(
                heading: "live.storefront.heading",
                links: programmes.map {
                    ($0.name, LiveRoute.programme(tenant.routeSlug, .value(ProgrammeSlug($0.slug))).path)
                })
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
