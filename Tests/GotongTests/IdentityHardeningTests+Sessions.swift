import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Issue 12, item 10: sessions and API tokens that end.
extension IdentityHardeningTests {
    // MARK: 10. Sessions and API tokens end

    @Test(arguments: TestDatabase.all)
    func aPasswordResetEndsEveryOtherSessionAndToken(db: TestDatabase) async throws {
        try await withGotong(db) { app, mailer in
            _ = PauseRecorder(app)
            let given = Given(app)
            let email = try await given.person(in: try await given.tenant(), roles: [.pengajar]).email
            let phone = Browser(app), laptop = Browser(app)
            try await phone.signIn(email)
            try await laptop.signIn(email)
            let token = try await APITests.token(app, email)
            #expect(try await Self.me(app, token) == .ok)
            // someone fails on the account from this address until it is locked here
            for _ in 0..<LoginThrottle.lockAfter {
                _ = try await Browser(app).post("/masuk", form: ["email": email, "password": "tebakan-salah"])
            }
            #expect(
                try await Browser(app).post("/masuk", form: ["email": email, "password": TestData.password]).status
                    == .tooManyRequests)

            let resetter = Browser(app)
            #expect(try await resetter.post("/lupa-sandi", form: ["email": email]).status == .seeOther)
            let body = try #require(mailer.outbox.last?.body)
            let path = String(body[body.range(of: "/atur-sandi/")!.lowerBound...].prefix { !$0.isWhitespace })
            #expect(
                try await resetter.post(
                    path, form: ["password": "sandi-baru-2026", "password_confirmation": "sandi-baru-2026"]
                ).status == .seeOther)

            for browser in [phone, laptop] {
                let profile = try await browser.get("/profil")
                #expect(profile.status == .seeOther)
                #expect(profile.headers.first(name: .location)?.hasPrefix("/masuk") == true)
            }
            #expect(try await Self.me(app, token) == .unauthorized)
            let person = try #require(try await Person.find(email: email, on: app.db))
            #expect(try await APIToken.query(on: app.db).filter(\.$personID == person.requireID()).count() == 0)
            #expect(try await PersonSession.query(on: app.db).filter(\.$personID == person.requireID()).count() == 0)
            // the reset also lifts the lock its message promised to lift
            try await Browser(app).signIn(email, password: "sandi-baru-2026")
            #expect(try await PersonSession.query(on: app.db).filter(\.$personID == person.requireID()).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func signingOutEverywhereKeepsOnlyThisBrowser(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a person signed in on two browsers and with a token, and someone else likewise
            let given = Given(app)
            let tenant = try await given.tenant()
            let email = try await given.person(in: tenant).email, someoneElse = try await given.person(in: tenant).email
            let here = Browser(app), lostPhone = Browser(app), other = Browser(app)
            try await here.signIn(email)
            try await lostPhone.signIn(email)
            try await other.signIn(someoneElse)
            let token = try await APITests.token(app, email)
            let othersToken = try await APITests.token(app, someoneElse)

            // when the first signs out everywhere from this browser

            let profile = try await here.get("/profil")
            #expect(profile.body.string.contains("action=\"/profil/keluar-semua\""))
            #expect(profile.body.string.contains("Keluar dari semua perangkat"))
            #expect(try await here.post("/profil/keluar-semua", csrf: false).status == .forbidden)
            let done = try await here.post("/profil/keluar-semua")
            #expect(done.status == .seeOther)
            #expect(done.headers.first(name: .location) == "/profil")

            // then only this browser stays signed in
            let after = try await here.get("/profil")
            #expect(after.status == .ok)
            #expect(after.body.string.contains("Anda telah keluar dari semua perangkat lain"))
            #expect(try await lostPhone.get("/profil").status == .seeOther)
            #expect(try await Self.me(app, token) == .unauthorized)
            // nobody else is touched
            #expect(try await other.get("/profil").status == .ok)
            #expect(try await Self.me(app, othersToken) == .ok)
            // signed out of the page itself, nobody can ask for it
            #expect(try await Browser(app).post("/profil/keluar-semua").status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.all)
    func apiTokensExpireAndShowWhenTheyWereLastUsed(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let email = try await given.person(in: try await given.tenant()).email
            let caller = Visitor(app, from: "198.51.100.40")
            // the default lifetime is 90 days; a caller may choose 1 to 365
            let standard = try await caller.json(
                .POST, "/api/v1/tokens", ["email": email, "password": TestData.password])
            #expect(standard.status == .created)
            let standardExpiry = try #require(Self.date(standard.json["expires_at"]))
            #expect(abs(standardExpiry.timeIntervalSinceNow - 90 * 86400) < 300)
            let short = try await caller.json(
                .POST, "/api/v1/tokens",
                ["email": email, "password": TestData.password, "name": "skrip", "expires_in_days": 30])
            #expect(short.status == .created)
            #expect(short.json["name"] as? String == "skrip")
            #expect(abs(try #require(Self.date(short.json["expires_at"])).timeIntervalSinceNow - 30 * 86400) < 300)
            for days in [0, 366, -5] {
                let refused = try await caller.json(
                    .POST, "/api/v1/tokens", ["email": email, "password": TestData.password, "expires_in_days": days])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.fields == ["expires_in_days"])
            }
            #expect(try await APIToken.query(on: app.db).count() == 2)
            // tokens made by the operator command get the default too
            let person = try #require(try await Person.find(email: email, on: app.db))
            let (cli, _) = try await APIToken.create(for: try person.requireID(), name: "cli", on: app.db)
            #expect(abs(cli.expiresAt.timeIntervalSinceNow - APIToken.defaultLifetime) < 300)

            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: try #require(standard.json["token"] as? String))
            let list = try await caller.json(.GET, "/api/v1/tokens", headers: headers)
            #expect(list.status == .ok)
            let rows = try #require(try JSONSerialization.jsonObject(with: list.data) as? [[String: Any]])
            #expect(rows.count == 3)
            #expect(rows.allSatisfy { $0["expires_at"] is String && $0["expired"] as? Bool == false })
            let used = try #require(rows.first { $0["id"] as? String == standard.json["id"] as? String })
            #expect(Self.date(used["last_used_at"]) != nil)

            // last use is written at most once a minute
            let tokenID = try #require(UUID(uuidString: standard.json["id"] as? String ?? ""))
            let recent = Date().addingTimeInterval(-30)
            try await APIToken.query(on: app.db).filter(\.$id == tokenID).set(\.$lastUsedAt, to: recent).update()
            #expect(try await Self.me(app, headers) == .ok)
            let unchanged = try #require(try await APIToken.find(tokenID, on: app.db)?.lastUsedAt)
            #expect(abs(unchanged.timeIntervalSince(recent)) < 1)
            try await APIToken.query(on: app.db).filter(\.$id == tokenID).set(
                \.$lastUsedAt, to: Date().addingTimeInterval(-120)
            ).update()
            // (written by the request itself: not before it was sent, however slow the machine)
            let sent = Date().addingTimeInterval(-1)
            #expect(try await Self.me(app, headers) == .ok)
            #expect(try #require(try await APIToken.find(tokenID, on: app.db)?.lastUsedAt) >= sent)

            // an expired token answers 401
            try await APIToken.query(on: app.db).filter(\.$id == tokenID).set(
                \.$expiresAt, to: Date().addingTimeInterval(-1)
            ).update()
            #expect(try await Self.me(app, headers) == .unauthorized)

            // the profile page shows expiry and last use, and offers 30, 90 or 365 days
            let browser = Browser(app)
            try await browser.signIn(email)
            let page = try await browser.get("/profil")
            let html = page.body.string
            #expect(html.contains("Berlaku sampai"))
            #expect(html.contains("Terakhir dipakai"))
            #expect(html.contains("Kedaluwarsa"))
            for days in [30, 90, 365] { #expect(html.contains("<option value=\"\(days)\"")) }
            #expect(html.contains("<option value=\"90\" selected>"))
            let created = try await browser.post("/profil/token", form: ["name": "laporan", "days": "365"])
            #expect(created.status == .ok)
            let made = try #require(try await APIToken.query(on: app.db).filter(\.$name == "laporan").first())
            #expect(abs(made.expiresAt.timeIntervalSinceNow - 365 * 86400) < 300)
            #expect(created.body.string.contains(shortDate(made.expiresAt)))
            let wrong = try await browser.post("/profil/token", form: ["name": "salah", "days": "1000"])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("Masa berlaku token harus antara 1 dan 365 hari."))
            #expect(try await APIToken.query(on: app.db).filter(\.$name == "salah").count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theNewMigrationsRevertAndReapplyAndFillInSessionOwners(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let person = try await given.person(in: try await given.tenant())
            let browser = try await given.browser(signedInAs: person)
            let migrations: [any AsyncMigration] = [RekeyLoginAttempts(), AddAPITokenExpiry(), AddSessionPerson()]
            // On one connection: another SQLite connection may still hold the old table layout.
            try await app.db.withConnection { connection in
                for migration in migrations { try await migration.revert(on: connection) }
                for migration in migrations.reversed() { try await migration.prepare(on: connection) }
            }
            // a session signed in before the column existed is found by its person afterwards
            #expect(try await PersonSession.query(on: app.db).filter(\.$personID == person.requireID()).count() == 1)
            #expect(try await browser.get("/profil").status == .ok)
        }
    }

    static func me(_ app: Application, _ headers: HTTPHeaders) async throws -> HTTPStatus {
        try await app.testing().performTest(
            request: .init(method: .GET, url: "/api/v1/me", headers: headers, body: .init())
        ).status
    }

    static func date(_ value: Any?) -> Date? {
        (value as? String).flatMap { try? Date($0, strategy: .iso8601) }
    }
}
