import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongTenancy

/// After signing in a person lands where they were going: the page whose "Masuk" link they
/// followed, or their own courses.
@Suite("Where signing in lands")
struct SignInLandingTests {
    @Test(arguments: TestDatabase.all)
    func theMasukLinkCarriesThePageAndPlainSignInLandsOnMyCourses(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a learner and an institution's storefront seen before signing in
            let given = Given(app)
            let tenant = try await given.tenant()
            let learner = try await given.person(in: tenant)
            let browser = Browser(app)
            let storefront = CatalogRoute.storefront(.value(TenantSlug(rawValue: tenant.slug))).path
            let page = try await browser.get(storefront).body.string

            // then its "Masuk" link names the page
            #expect(page.contains("href=\"/masuk?next=\(storefront)\""), "\(page.prefix(1200))")

            // when signing in through it, then back on the storefront
            let back = try await browser.post(
                "/masuk", form: ["email": learner.email, "password": TestData.password, "next": storefront])
            #expect(back.status == .seeOther)
            #expect(back.headers.first(name: .location) == storefront)

            // when signing in from nowhere in particular (or from the front page), then /saya
            for next in [nil, "/"] as [String?] {
                let fresh = Browser(app)
                var form = ["email": learner.email, "password": TestData.password]
                if let next { form["next"] = next }
                let landed = try await fresh.post("/masuk", form: form)
                #expect(landed.headers.first(name: .location) == CatalogRoute.myCourses.path, "next: \(next ?? "none")")
            }
        }
    }
}
