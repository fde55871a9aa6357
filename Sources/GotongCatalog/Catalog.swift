import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The Catalog module's registrations, made once by `configure`.
package enum Catalog {
    package static func setUp(_ app: Application) {
        CourseWorkflow.registerCloners(app.tenantCloners)
        // Notifications keep route values; Catalog reads back its own.
        app.storedRoutes.register(CatalogRoute.self)
        // A desk's courses: a tenant's, or the master template's.
        app.deskTools.register(
            DeskTool(position: 10) { desk in
                let label: String
                switch desk {
                case .tenant: label = "tenant.admin.courses"
                case .master: label = "course.admin.templates"
                }
                return (label, CatalogRoute.managedCourses(desk).path)
            })
    }
}
