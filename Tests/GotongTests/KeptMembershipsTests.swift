import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// People's tenants and roles kept per process (``KeptMemberships``): a role taken away stops
/// working on the next request, and a new one shows at once.
@Suite("Kept memberships")
struct KeptMembershipsTests {
    @Test(arguments: TestDatabase.all)
    func aRoleTakenAwayStopsWorkingOnTheNextRequest(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a coordinator who opens a course's content as staff (and so fills the cache)
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [])
            let coordinator = try await given.person("Pengelola Kedua", in: tenant, roles: [.pengelola])
            let browser = try await given.browser(signedInAs: coordinator)
            let content = "/t/\(tenant.slug)/belajar/\(built.course.slug)"
            #expect(try await browser.get(content).status == .ok)

            // when the institution takes the role away
            try await TenantScope(tenantID: try tenant.requireID(), db: app.db).query(Membership.self)
                .filter(\.$personID == coordinator.requireID()).all().delete(on: app.db)

            // then the next request is refused, and the menu no longer lists the institution
            #expect(try await browser.get(content).status == .forbidden)
            #expect(!(try await browser.get("/saya").body.string.contains(tenant.name)))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aNewMembershipAndARenamedTenantShowAtOnce(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a learner of one institution who has seen a page
            let given = Given(app)
            let home = try await given.tenant()
            let other = try await given.tenant("Balai Lain")
            let learner = try await given.person(in: home)
            let browser = try await given.browser(signedInAs: learner)
            #expect(!(try await browser.get("/saya").body.string.contains(other.name)))

            // when another institution takes them in, and their own is renamed
            try await Membership(tenantID: try other.requireID(), personID: try learner.requireID(), role: .peserta)
                .create(on: app.db)
            home.name = "Balai Berganti Nama"
            try await home.save(on: app.db)

            // then the next page's menu shows both
            let page = try await browser.get("/saya").body.string
            #expect(page.contains(other.name))
            #expect(page.contains("Balai Berganti Nama"))
        }
    }
}
