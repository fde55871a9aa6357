import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongTenancy

/// A new institution gets its first administrator in the form that creates it: the account is
/// found or made, given the administrator's role in the same transaction, and invited by mail;
/// the next steps are shown after creation.
@Suite("First administrator of a new institution")
struct FirstAdministratorTests {
    @Test(arguments: TestDatabase.all)
    func aNewAddressGetsAnAccountTheRoleAndAnInvitation(db: TestDatabase) async throws {
        try await withGotong(db) { app, mailer in
            let given = Given(app)
            let browser = try await given.browser(signedInAs: try await given.platformAdmin())

            // when the form names a new address, then the institution has it as administrator
            let made = try await browser.post(
                TenancyRoute.adminTenants.path,
                form: [
                    "name": "Balai Baru", "slug": "balai-baru", "kind": "lembaga",
                    "first_admin": " Siti.Aminah@Balai.go.id ",
                ])
            #expect(made.status == .seeOther)
            #expect(made.headers.first(name: .location) == "/admin/instansi/balai-baru")
            let tenant = try #require(try await Tenant.query(on: app.db).filter(\.$slug == "balai-baru").first())
            let person = try #require(try await Person.find(email: "siti.aminah@balai.go.id", on: app.db))
            #expect(person.name == "Siti Aminah")
            #expect(person.passwordHash == nil)
            let roles = try await Membership.query(on: app.db).filter(\.$tenantID == tenant.id!)
                .filter(\.$personID == person.id!).all().map(\.role)
            #expect(roles == [.admin])
            #expect(try await PersonToken.query(on: app.db).filter(\.$personID == person.id!).count() == 1)
            try await Self.waitForMail(mailer, to: "siti.aminah@balai.go.id")
            #expect(mailer.outbox.last?.body.contains("/atur-sandi/") == true)

            // and the next steps link the institution's desk pages
            let next = try await browser.get("/admin/instansi/balai-baru")
            #expect(next.status == .ok)
            let html = next.body.string
            #expect(html.contains("Undangan administrator dikirim ke siti.aminah@balai.go.id."))
            #expect(html.contains("href=\"/t/balai-baru/kelola\""))
            #expect(html.contains("href=\"/t/balai-baru/kelola/impor\""))
            #expect(try await browser.get("/admin/instansi/tidak-ada").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anExistingAccountIsToldAndABadAddressMakesNothing(db: TestDatabase) async throws {
        try await withGotong(db) { app, mailer in
            let given = Given(app)
            let someone = try await given.person(in: try await given.tenant())
            let browser = try await given.browser(signedInAs: try await given.platformAdmin())

            // a bad address: refused at its field, and no institution is made
            let bad = try await browser.post(
                TenancyRoute.adminTenants.path,
                form: ["name": "Balai Dua", "slug": "balai-dua", "kind": "lembaga", "first_admin": "bukan-email"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Alamat email administrator pertama tidak sah."))
            #expect(bad.body.string.contains("aria-describedby=\"first_admin-hint first_admin-error\""))
            #expect(try await Tenant.query(on: app.db).filter(\.$slug == "balai-dua").count() == 0)

            // an existing account, through the API: the role, no second account, a mail
            let api = try await given.api(as: try await given.platformAdmin("Admin API"))
            let created = try await api.call(
                .POST, TenancyRoute.apiTenants.path,
                ["name": "Balai Tiga", "slug": "balai-tiga", "kind": "lembaga", "first_admin": someone.email])
            #expect(created.status == .created)
            let tenant = try #require(try await Tenant.query(on: app.db).filter(\.$slug == "balai-tiga").first())
            #expect(
                try await Membership.query(on: app.db).filter(\.$tenantID == tenant.id!)
                    .filter(\.$personID == someone.id!).filter(\.$role == .admin).count() == 1)
            #expect(try await Person.query(on: app.db).filter(\.$email == someone.email).count() == 1)
            try await Self.waitForMail(mailer, to: someone.email)
            #expect(mailer.outbox.last?.subject.contains("Balai Tiga") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAddressRegisteredButNeverProvedGetsAnActivationLink(db: TestDatabase) async throws {
        try await withGotong(db) { app, mailer in
            // given an account someone registered with a password of their own, never verified
            let squatter = Person(
                name: "Bukan Kepala", email: "kepala@bkd.go.id", passwordHash: "$2b$12$abcdefghijklmnopqrstuv")
            try await squatter.create(on: app.db)
            let browser = try await Given(app).browser(signedInAs: try await Given(app).platformAdmin())
            _ = try await browser.post(
                TenancyRoute.adminTenants.path,
                form: ["name": "BKD", "slug": "bkd-uji", "kind": "lembaga", "first_admin": "kepala@bkd.go.id"])
            // then the owner of the address gets a link that sets the password (ending the other's)
            #expect(try await PersonToken.query(on: app.db).filter(\.$personID == squatter.id!).count() == 1)
            try await Self.waitForMail(mailer, to: "kepala@bkd.go.id")
            #expect(mailer.outbox.last?.body.contains("/atur-sandi/") == true)
            // and the log says whom the institution was given to
            let entry = try await AuditEntry.query(on: app.db).filter(\.$action == "tenant.create").first()
            #expect(entry?.detail.contains("first_admin=kepala@bkd.go.id") == true)
        }
    }

    /// Mails go out after the response; wait a little for them.
    static func waitForMail(_ mailer: MemoryMailer, to email: String) async throws {
        for _ in 0..<50 where !mailer.outbox.contains(where: { $0.to == email }) {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(mailer.outbox.contains { $0.to == email }, "no mail to \(email)")
    }
}
