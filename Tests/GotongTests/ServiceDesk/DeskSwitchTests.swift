import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// A tenant's administrator turns the desk on and off through the API's tenant (the switch
/// Tenancy offers without knowing the module) and on the desk's page.
@Suite("Service desk: the tenant's switch")
struct DeskSwitchTests {
    @Test(arguments: TestDatabase.all)
    func anAdministratorTurnsTheDeskOnAndOffThroughTheTenantsAPI(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let path = TenancyRoute.api(tenant.routeSlug).path
            let admin = try await given.api(as: try await given.person("Admin", in: tenant, roles: [.admin]))
            let learner = try await given.api(as: try await given.person(in: tenant))
            #expect(try await admin.call(.GET, path)["service_desk"] as? Bool == false)
            #expect(try await learner.call(.PATCH, path, ["service_desk": true]).status == .forbidden)
            // not a yes or no: refused, nothing changed (the name neither)
            for wrong: Any in ["ya", 1, NSNull()] {
                let refused = try await admin.call(.PATCH, path, ["service_desk": wrong, "name": "Nama Baru Sekali"])
                #expect(refused.status == .unprocessableEntity && refused.fields == ["service_desk"], "\(wrong)")
            }
            #expect(try await Tenant.find(tenant.id, on: app.db)?.name == tenant.name)

            let on = try await admin.call(.PATCH, path, ["service_desk": true])
            #expect(on.status == .ok && on["service_desk"] as? Bool == true)
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            #expect(try await scope.query(DeskCategory.self).count() == 5)
            #expect(try await Browser(app).get(DeskRoute.desk(tenant.routeSlug).path).status == .ok)

            let off = try await admin.call(.PATCH, path, ["service_desk": false])
            #expect(off.status == .ok && off["service_desk"] as? Bool == false)
            #expect(try await Browser(app).get(DeskRoute.desk(tenant.routeSlug).path).status == .notFound)
            #expect(try await scope.query(DeskCategory.self).count() == 5)
            let actions = try await AuditEntry.query(on: app.db).filter(\.$tenantID == tenant.id).all().map(\.action)
            #expect(actions.contains("desk.enable") && actions.contains("desk.disable"))

            // and back on from the desk's page
            let page = try await given.browser(
                signedInAs: try await given.person("Admin Web", in: tenant, roles: [.admin]))
            #expect(try await page.post(DeskRoute.setup(tenant.routeSlug).path).status == .seeOther)
            #expect(try await admin.call(.GET, path)["service_desk"] as? Bool == true)
            #expect(
                try await page.post(DeskRoute.setup(tenant.routeSlug).path, form: ["aktif": "0"]).status == .seeOther)
            #expect(try await admin.call(.GET, path)["service_desk"] as? Bool == false)
        }
    }
}
