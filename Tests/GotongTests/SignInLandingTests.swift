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

    @Test(arguments: TestDatabase.all)
    func aLanguageChosenBeforeSigningInIsKeptAndSaved(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a person whose account is in Indonesian
            let given = Given(app)
            let person = try await given.person(in: try await given.tenant())
            #expect(person.locale == "id")

            // when a visitor switches to English, then signs in as that person
            let browser = Browser(app)
            _ = try await browser.get("/bahasa/en?next=/masuk")
            let signedIn = try await browser.post(
                "/masuk", form: ["email": person.email, "password": TestData.password])

            // then the pages stay in English and the account keeps it
            #expect(signedIn.headers.setCookie?["lang"]?.string == "en")
            #expect(try await browser.get("/saya").body.string.contains("<html lang=\"en\""))
            #expect(try await Person.find(person.id, on: app.db)?.locale == "en")

            // and someone who chose nothing signs in to their account's own language
            let other = try await given.person(in: try await given.tenant())
            let plain = try await Browser(app).post(
                "/masuk", form: ["email": other.email, "password": TestData.password])
            #expect(plain.headers.setCookie?["lang"]?.string == "id")
            #expect(try await Person.find(other.id, on: app.db)?.locale == "id")
        }
    }

    @Test(arguments: TestDatabase.all)
    func wrongPasswordsWarnBeforeTheSlowTriesAndBeforeTheLock(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            app.signInPause = { _ in }  // the waits are the throttle's tests; here, what is said
            let given = Given(app)
            let learner = try await given.person(in: try await given.tenant())
            let browser = Browser(app)
            func wrong() async throws -> String {
                try await browser.post("/masuk", form: ["email": learner.email, "password": "salah-sekali"]).body.string
            }
            // the first two wrong tries say only that
            for _ in 1...2 {
                let page = try await wrong()
                #expect(page.contains("Email atau kata sandi salah."))
                #expect(!page.contains("Sisa"))
            }
            // the third warns that the next tries wait, and how many are left before the lock
            #expect(try await wrong().contains("percobaan berikutnya menunggu beberapa detik. Sisa 2 kali lagi"))
            // the fourth, that one more locks
            #expect(try await wrong().contains("Satu kali lagi salah, masuk dari perangkat ini dikunci sementara."))
            // the fifth locks, as it said
            #expect(try await wrong().contains("Terlalu banyak percobaan masuk yang gagal."))
        }
    }
}
