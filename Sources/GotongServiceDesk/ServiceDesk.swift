import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The service desk module's registrations, made once by `configure`: citizens' cases with
/// working-day deadlines, followed in public by number and secret.
package enum ServiceDesk {
    package static var migrations: [any Migration] {
        [
            CreateServiceDesk(), AddDeskOffice(), AddDeskTemplates(), AddDeskChannels(), AddDeskStats(),
            AddDeskMerge(), AddDeskInbox(), AddDeskAttachments(), AddDeskAnswered(),
            AddDeskPublishing(),
        ]
    }

    package static func setUp(_ app: Application) {
        app.storedRoutes.register(DeskRoute.self)
        Escalation.register(app.jobs)
        Retention.register(app.jobs)
        Outbox.register(app.jobs)
        DeskInbox.register(app.jobs)
        ChannelMedia.register(app.jobs)
        app.tenantSwitches.register(
            TenantSwitch(name: "service_desk", isOn: { try await DeskSetup.settings($0) != nil }) { on, req in
                try await SetupPage.turn(on, req)
            })
        app.deskTools.register(
            DeskTool(position: 50) { desk in
                guard case .tenant(let tenant) = desk else { return nil }
                return ("desk.setup.tool", DeskRoute.setup(tenant).path)
            })
        app.deskTools.register(
            DeskTool(position: 51) { desk in
                guard case .tenant(let tenant) = desk else { return nil }
                return ("desk.queue.tool", DeskRoute.queue(tenant).path)
            })
    }

    /// Every route collection of the module.
    package static var routes: [any RouteCollection] {
        [
            ReportPage(), CitizenPage(), SetupPage(), UnitsPage(), OfficePages(), ReporterPage(), TemplatesPage(),
            CitizenAPIRoutes(),
            OfficeAPIRoutes(), WebhookRoutes(), ChannelsPage(), DashboardPage(), TrackerPage(), StatsAPIRoutes(),
            HolidaysPage(),
        ]
    }
}

extension ModuleResources {
    /// The service desk's strings and API paths.
    public static var serviceDesk: ModuleResources {
        get throws { try ModuleResources(module: "GotongServiceDesk", bundle: .module) }
    }
}
