import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongTenancy

/// Guest pages kept rendered (``SharedPages``): the same bytes for every guest, nothing of one
/// visitor in them, a change shown at once, and never a signed-in person's page.
@Suite("Pages shared by every guest")
struct SharedPagesTests {
    @Test(arguments: TestDatabase.all)
    func guestsShareTheStorefrontUntilItsContentChanges(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given an institution's storefront seen once by a guest
            let given = Given(app)
            let tenant = try await given.tenant()
            let path = "/t/\(tenant.slug)"
            let first = try await Browser(app).get(path)
            #expect(first.status == .ok)
            #expect(first.headers[.setCookie].isEmpty, "a guest's page sets no cookie of its own")

            // then another guest gets the same bytes, in their language only
            let second = try await Browser(app).get(path)
            #expect(second.body.string == first.body.string)
            let english = try await Browser(app).get(path, headers: ["Accept-Language": "en"])
            #expect(english.body.string.contains("<html lang=\"en\""))
            #expect(first.body.string.contains("<html lang=\"id\""))

            // when the institution adds a category and changes its welcome text
            try await TenantCategory(
                tenantID: try tenant.requireID(), slug: "keuangan-daerah", name: "Keuangan Daerah", position: 9
            ).create(on: app.db)
            let welcome = try #require(
                try await TenantScope(tenantID: try tenant.requireID(), db: app.db).query(TenantSetting.self)
                    .filter(\.$key == TenantSetting.Key.welcome.rawValue).first())
            welcome.value = "Selamat datang, para pembelajar."
            try await welcome.save(on: app.db)

            // then the next guest sees both at once, not a kept copy
            let after = try await Browser(app).get(path).body.string
            #expect(after.contains("Keuangan Daerah"))
            #expect(after.contains("Selamat datang, para pembelajar."))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSignedInPersonGetsTheirOwnStorefront(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a storefront a guest has seen (and that is kept)
            let given = Given(app)
            let tenant = try await given.tenant()
            let path = "/t/\(tenant.slug)"
            let guestPage = try await Browser(app).get(path).body.string
            let coordinator = try await given.person("Pengelola Uji", in: tenant, roles: [.pengelola])

            // when the coordinator opens it signed in
            let own = try await given.browser(signedInAs: coordinator).get(path).body.string

            // then they see their role and a way to sign out, which no guest's copy has
            #expect(own.contains("Peran Anda di sini: Pengelola pelatihan"))
            #expect(own.contains("action=\"/keluar\""))
            #expect(!guestPage.contains("Peran Anda di sini"))
            #expect(!guestPage.contains("action=\"/keluar\""))
            #expect(own != guestPage)
            // and the guests' copy is still theirs alone
            #expect(try await Browser(app).get(path).body.string == guestPage)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPageWithAFlashOrAnErrorIsNotKept(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // an unknown storefront answers 404 and is not kept in place of a later one
            let missing = try await Browser(app).get("/t/belum-ada")
            #expect(missing.status == .notFound)
            // a visitor with a session (who may have a flash waiting) is never served a kept page
            let browser = Browser(app)
            browser.cookies[SessionCookie.name] = "not-a-session"
            #expect(SharedPages.isShared(try Request.fake(app, cookies: browser.cookies)) == false)
        }
    }
}

extension Request {
    /// A GET request with these cookies, for checks that need no server.
    static func fake(_ app: Application, cookies: [String: String]) throws -> Request {
        let request = Request(application: app, method: .GET, url: "/", on: app.eventLoopGroup.next())
        request.headers.replaceOrAdd(
            name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        return request
    }
}
