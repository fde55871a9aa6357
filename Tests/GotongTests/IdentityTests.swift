import Fluent
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

@Suite("Identity and single sign-on")
struct IdentityTests {
    @Test(arguments: TestDatabase.all)
    func oneSignInIsValidOnEveryTenant(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a learner of two institutions, and a third they do not belong to
            let given = Given(app)
            let first = try await given.tenant("BPPK Uji"), second = try await given.tenant("BPSDM Uji")
            let third = try await given.tenant("LAN Uji")
            let learner = try await given.person(in: [first, second])

            // when they sign in once
            let browser = Browser(app)
            try await browser.signIn(learner.email)

            // then the session is stored in the database, so several processes can share it
            #expect(try await SessionRecord.query(on: app.db).count() == 1)
            // and it is valid on every tenant
            for tenant in [first, second, third] {
                let page = try await browser.get("/t/\(tenant.slug)")
                #expect(page.status == .ok)
                #expect(page.body.string.contains(learner.name) || page.body.string.contains("action=\"/keluar\""))
                #expect(!page.body.string.contains("name=\"password\""))
            }
            // the tenant switcher lists exactly the person's institutions
            let profile = try await browser.get("/profil")
            #expect(profile.body.string.contains(first.name))
            #expect(profile.body.string.contains(second.name))
        }
    }

    @Test(arguments: TestDatabase.all)
    func signInGivesANewSessionId(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let person = try await given.person(in: try await given.tenant())
            let browser = Browser(app)
            // A session made before sign-in (here by a failed attempt's flash-free visit plus a flash)
            _ = try await browser.post("/lupa-sandi", form: ["email": "tidak-ada@contoh.go.id"])
            let before = try #require(browser.cookies[SessionCookie.name])
            try await browser.signIn(person.email)
            let after = try #require(browser.cookies[SessionCookie.name])
            #expect(before != after)
            let planted = Browser(app)
            planted.cookies[SessionCookie.name] = before
            #expect(try await planted.get("/profil").status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.all)
    func sessionCookieIsHttpOnlyAndLax(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let person = try await given.person(in: try await given.tenant())
            let response = try await Browser(app).post(
                "/masuk", form: ["email": person.email, "password": TestData.password])
            let cookie = try #require(response.headers.setCookie?[SessionCookie.name])
            #expect(cookie.isHTTPOnly)
            #expect(cookie.sameSite == .lax)
            #expect(!cookie.isSecure)  // http base URL in tests; https turns it on
        }
    }

    @Test(arguments: TestDatabase.all)
    func formPostWithoutCSRFTokenIsRefused(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let email = try await given.person(in: try await given.tenant()).email
            let browser = Browser(app)
            let response = try await browser.post(
                "/masuk", form: ["email": email, "password": TestData.password], csrf: false)
            #expect(response.status == .forbidden)
            #expect(browser.cookies[SessionCookie.name] == nil)
            var wrong = try await browser.post(
                "/masuk", form: ["email": email, "password": TestData.password, "_csrf": "x"], csrf: false)
            #expect(wrong.status == .forbidden)
            wrong = try await browser.post("/masuk", form: ["email": email, "password": TestData.password])
            #expect(wrong.status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.all)
    func repeatedFailuresSlowThenLockSignIn(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given two learners of one institution
            let given = Given(app)
            let tenant = try await given.tenant()
            let target = try await given.person(in: tenant), colleague = try await given.person(in: tenant)

            // when someone keeps failing on the first one's account
            let browser = Browser(app)
            var statuses: [HTTPStatus] = []
            for _ in 0..<LoginThrottle.lockAfter {
                statuses.append(
                    try await browser.post("/masuk", form: ["email": target.email, "password": "salah-sekali"]).status)
            }

            // then sign-in to it is slowed, then locked
            #expect(statuses.dropLast().allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
            // even the right password is refused while locked, with a message that says so
            let locked = try await browser.post(
                "/masuk", form: ["email": target.email, "password": TestData.password])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.string.contains("Terlalu banyak percobaan"))
            // other accounts are not affected
            try await Browser(app).signIn(colleague.email)
        }
    }

    @Test(arguments: TestDatabase.all)
    func registrationNeedsTheEmailedVerificationLink(db: TestDatabase) async throws {
        try await withGotong(db) { app, mailer in
            let browser = Browser(app)
            let bad = try await browser.post(
                "/daftar",
                form: [
                    "name": "", "email": "bukan-email", "password": "pendek", "password_confirmation": "lain",
                    "nip": "123",
                ])
            #expect(bad.status == .unprocessableEntity)
            for message in ["Nama wajib diisi", "Alamat email tidak valid", "paling sedikit 8", "NIP harus 18 angka"] {
                #expect(bad.body.string.contains(message), "missing: \(message)")
            }
            #expect(try await Person.query(on: app.db).count() == 0)

            let ok = try await browser.post(
                "/daftar",
                form: [
                    "name": "Budi Santoso", "email": "Budi@Contoh.go.id", "password": "rahasia-123",
                    "password_confirmation": "rahasia-123",
                    "nip": "199203102019031002", "unit_kerja": "Biro Umum", "jabatan": "Analis",
                ])
            #expect(ok.status == .seeOther)
            let before = try await browser.post(
                "/masuk", form: ["email": "budi@contoh.go.id", "password": "rahasia-123"])
            #expect(before.status == .forbidden)
            #expect(before.body.string.contains("belum diverifikasi"))

            let mail = try #require(mailer.outbox.last)
            #expect(mail.to == "budi@contoh.go.id")
            let link = try #require(mail.body.split(separator: "\n").first { $0.contains("/verifikasi-email/") })
            let path = String(link[link.range(of: "/verifikasi-email/")!.lowerBound...])
            #expect(try await browser.get(path).status == .seeOther)
            try await browser.signIn("budi@contoh.go.id", password: "rahasia-123")
            // a link works once
            let again = try await Browser(app).get(path)
            #expect(again.status == .seeOther)
            #expect(try await PersonToken.query(on: app.db).filter(\.$usedAt == nil).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func forgottenPasswordLinkWorksOnceAndExpires(db: TestDatabase) async throws {
        try await withGotong(db) { app, mailer in
            let given = Given(app)
            let trainer = try await given.person(in: try await given.tenant(), roles: [.pengajar])
            let browser = Browser(app)
            #expect(try await browser.post("/lupa-sandi", form: ["email": trainer.email]).status == .seeOther)
            // unknown addresses get the same answer and no mail
            #expect(
                try await browser.post("/lupa-sandi", form: ["email": "tidak-ada@contoh.go.id"]).status == .seeOther)
            // something that is no email address at all is said so, kept in the field, and sends nothing
            let notAnEmail = try await browser.post("/lupa-sandi", form: ["email": "bukan-email"])
            #expect(notAnEmail.status == .unprocessableEntity)
            #expect(notAnEmail.body.string.contains("Alamat email tidak valid."))
            #expect(notAnEmail.body.string.contains("value=\"bukan-email\""))
            #expect(notAnEmail.body.string.contains("aria-invalid=\"true\""))
            #expect(mailer.outbox.count == 1)
            let body = try #require(mailer.outbox.first?.body)
            let path = String(body[body.range(of: "/atur-sandi/")!.lowerBound...].prefix { !$0.isWhitespace })
            #expect(try await browser.get(path).status == .ok)
            let mismatch = try await browser.post(
                path, form: ["password": "baru-sekali-1", "password_confirmation": "baru-sekali-2"])
            #expect(mismatch.status == .unprocessableEntity)
            #expect(
                try await browser.post(
                    path, form: ["password": "baru-sekali-1", "password_confirmation": "baru-sekali-1"]
                ).status == .seeOther)
            try await Browser(app).signIn(trainer.email, password: "baru-sekali-1")
            #expect(try await browser.get(path).status == .gone)

            // an expired link is refused
            let (token, secret) = PersonToken.issue(
                for: try trainer.requireID(), purpose: .resetPassword, now: Date().addingTimeInterval(-7200))
            try await token.create(on: app.db)
            #expect(try await browser.get("/atur-sandi/\(secret)").status == .gone)
        }
    }

    @Test(arguments: TestDatabase.all)
    func profileUpdatesAndTokensCanBeRevoked(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let browser = try await given.browser(signedInAs: try await given.person(in: try await given.tenant()))
            let bad = try await browser.post("/profil", form: ["name": "Peserta", "nip": "199001152015039001"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("jenis kelamin"))
            #expect(
                try await browser.post("/profil", form: ["name": "Peserta Baru", "phone": "0812", "locale": "en"])
                    .status == .seeOther)
            #expect(try await browser.get("/profil").body.string.contains("My profile"))
            let created = try await browser.post("/profil/token", form: ["name": "aplikasi"])
            let secret = try #require(
                created.body.string.firstMatch(of: try Regex("gt_[A-Za-z0-9_-]+"))?.output[0].substring)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: String(secret))
            #expect(
                try await app.testing().performTest(
                    request: .init(method: .GET, url: "/api/v1/me", headers: headers, body: .init())
                ).status == .ok)
            let token = try #require(try await APIToken.query(on: app.db).first())
            #expect(try await browser.post("/profil/token/\(token.requireID())/cabut").status == .seeOther)
            #expect(
                try await app.testing().performTest(
                    request: .init(method: .GET, url: "/api/v1/me", headers: headers, body: .init())
                ).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func languageSwitchStaysOnThePage(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let browser = Browser(app)
            let switched = try await browser.get("/bahasa/en?next=%2Fmasuk%3Fnext%3D%2Ft%2Fbppk%2Fkelola")
            #expect(switched.headers.first(name: .location) == "/masuk?next=/t/bppk/kelola")
            #expect(
                try await browser.get("/masuk").body.string.contains("One Gotong account works at every institution."))
            // never to another site
            #expect(try await browser.get("/bahasa/id?next=%2F%2Fevil.example").headers.first(name: .location) == "/")
        }
    }

    @Test(arguments: TestDatabase.all)
    func signOutEndsTheSession(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let browser = try await given.browser(signedInAs: try await given.person(in: try await given.tenant()))
            let session = try #require(browser.cookies[SessionCookie.name])
            #expect(try await browser.post("/keluar").status == .seeOther)
            #expect(try await browser.get("/").body.string.contains("Anda telah keluar."))
            let stale = Browser(app)
            stale.cookies[SessionCookie.name] = session
            let profile = try await stale.get("/profil")
            #expect(profile.status == .seeOther)
            #expect(profile.headers.first(name: .location)?.hasPrefix("/masuk") == true)
        }
    }
}
