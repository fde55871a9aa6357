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

@Suite("Tenancy")
struct TenancyTests {
    @Test(arguments: TestDatabase.all)
    func provisioningClonesTheMasterTemplate(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: the master gets an extra page and category, as an administrator would add
            let master = try await Tenant.master(on: app.db)
            try await TenantPage(
                tenantID: master.requireID(), key: "jadwal", title: "Jadwal", body: "Setiap Senin.", position: 3
            ).create(on: app.db)
            // MUT
            let result = try await TenantProvisioner(db: app.db, cloners: app.tenantCloners)
                .provision(.init(slug: "bpsdm-ntt", name: "BPSDM Provinsi NTT", kind: .pemda))
            // validate
            let scope = TenantScope(tenantID: try result.tenant.requireID(), db: app.db)
            let pages = try await scope.query(TenantPage.self).sort(\.$position).all().map(\.key)
            #expect(pages == ["tentang", "bantuan", "jadwal"])
            #expect(try await scope.query(TenantCategory.self).count() == 3)
            #expect(try await scope.query(TenantSetting.self).count() == TenantSetting.Key.allCases.count)
            #expect(result.tenant.primaryColor == master.primaryColor)
            #expect(result.milliseconds > 0)
            // the master keeps its own rows
            let masterScope = TenantScope(tenantID: try master.requireID(), db: app.db)
            #expect(try await masterScope.query(TenantPage.self).count() == 3)
        }
    }

    /// A later module registers its own kind of tenant data; Tenancy clones it without knowing it.
    struct CountingCloner: TenantCloner {
        let name = "test-kind"
        let calls: Counter
        func clone(_ context: TenantCloneContext) async throws {
            await calls.increment()
            #expect(context.masterID != context.tenantID)
        }
    }

    actor Counter {
        var value = 0
        func increment() { value += 1 }
    }

    @Test(arguments: TestDatabase.all)
    func registeredClonersRunInsideTheTransaction(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let counter = Counter()
            app.tenantCloners.register(CountingCloner(calls: counter))
            struct Boom: TenantCloner {
                let name = "boom"
                func clone(_ context: TenantCloneContext) async throws { throw Abort(.internalServerError) }
            }
            _ = try await TenantProvisioner(db: app.db, cloners: app.tenantCloners).provision(
                .init(slug: "satu", name: "Satu", kind: .lainnya))
            #expect(await counter.value == 1)
            // A failing cloner leaves nothing behind: no tenant, no copied rows.
            app.tenantCloners.register(Boom())
            await #expect(throws: (any Error).self) {
                _ = try await TenantProvisioner(db: app.db, cloners: app.tenantCloners).provision(
                    .init(slug: "dua", name: "Dua", kind: .lainnya))
            }
            #expect(try await Tenant.find(slug: "dua", on: app.db) == nil)
            #expect(try await TenantPage.query(on: app.db).count() == 4)  // master 2 + "satu" 2
        }
    }

    @Test(arguments: [
        ("#0b5cad", true), ("#a84c00", true), ("#1b7f3b", true), ("#e36c0a", false), ("#ffffff", false),
        ("#777777", false),
    ])
    func brandColoursMustBeReadable(color: String, readable: Bool) {
        #expect(Tenant.isReadableColor(color) == readable)
    }

    @Test(arguments: TestDatabase.all)
    func refusesBadAndTakenSlugs(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let provisioner = TenantProvisioner(db: app.db, cloners: app.tenantCloners)
            _ = try await provisioner.provision(.init(slug: "bppk", name: "BPPK", kind: .kementerian))
            for (slug, key) in [
                ("bppk", "tenant.error.slug_taken"), ("_master", "tenant.error.slug_invalid"),
                ("Bad Slug", "tenant.error.slug_invalid"),
            ] {
                do {
                    _ = try await provisioner.provision(.init(slug: slug, name: "X", kind: .lembaga))
                    Issue.record("\(slug) accepted")
                } catch let error as InputError {
                    #expect(error.problems.map(\.key).contains(key))
                }
            }
            #expect(try await Tenant.listed(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func platformAdminCreatesATenantInTheWebUI(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a platform administrator
            let given = Given(app)
            let operator_ = try await given.platformAdmin()
            let browser = try await given.browser(signedInAs: operator_)

            // when they create an institution in the web UI
            let created = try await browser.post(
                "/admin/instansi", form: ["slug": "pusdiklat-pu", "name": "Pusdiklat PUPR", "kind": "kementerian"])

            // then it says so with the next steps, and its storefront is ready to use
            #expect(created.status == .seeOther)
            #expect(created.headers.first(name: .location) == "/admin/instansi/pusdiklat-pu")
            #expect(try await browser.get("/admin/instansi/pusdiklat-pu").body.string.contains("siap dipakai"))
            let storefront = try await browser.get("/t/pusdiklat-pu")
            #expect(storefront.status == .ok)
            #expect(storefront.body.string.contains("Pusdiklat PUPR"))
            #expect(storefront.body.string.contains("Tentang Kami"))
            // the act is in the audit log, with who did it
            let entry = try #require(
                try await AuditEntry.query(on: app.db).filter(\.$action == "tenant.create").filter(
                    \.$subject == "pusdiklat-pu"
                ).first())
            #expect(entry.actorName.contains(operator_.email))
            let audit = try await browser.get("/admin/audit")
            #expect(audit.body.string.contains("pusdiklat-pu"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func suspendedStorefrontIsClosedToLearnersAndKeepsItsData(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given an institution with five members, one of them a learner
            let given = Given(app)
            let tenant = try await given.tenant()
            let person = try await given.person(in: tenant)
            for role in [Role.admin, .pengelola, .pengajar, .peserta] {
                _ = try await given.person(in: tenant, roles: [role])
            }
            let storefront = "/t/\(tenant.slug)", status = "/admin/instansi/\(tenant.slug)/status"
            let admin = try await given.browser(signedInAs: try await given.platformAdmin())

            // when the platform administrator suspends it
            #expect(try await admin.post(status, form: ["status": "suspended"]).status == .seeOther)

            // then its learners find it closed, and its members are kept
            let learner = try await given.browser(signedInAs: person)
            let page = try await learner.get(storefront)
            #expect(page.status == .forbidden)
            #expect(page.body.string.contains("ditangguhkan"))
            #expect(
                try await Membership.query(on: app.db).join(Tenant.self, on: \Membership.$tenantID == \Tenant.$id)
                    .filter(Tenant.self, \.$slug == tenant.slug).count() == 5)
            // and it opens again when made active
            #expect(try await admin.post(status, form: ["status": "active"]).status == .seeOther)
            #expect(try await learner.get(storefront).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func tenantAdminEditsBrandingAndUploadsALogo(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a tenant administrator
            let given = Given(app)
            let tenant = try await given.tenant()
            let browser = try await given.browser(signedInAs: try await given.person(in: tenant, roles: [.admin]))
            let (manage, storefrontPath) = ("/t/\(tenant.slug)/kelola", "/t/\(tenant.slug)")

            // when they save a new name, colour and logo
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 64))
            let saved = try await browser.upload(
                manage, field: "logo", filename: "logo.png", contentType: "image/png", data: png,
                form: ["name": "BPPK Kemenkeu", "primary_color": "#123abc", "tagline": "Belajar terus"])

            // then the storefront shows them
            #expect(saved.status == .seeOther)
            let storefront = try await browser.get(storefrontPath)
            #expect(storefront.body.string.contains("--brand:#123abc"))
            #expect(storefront.body.string.contains("\(storefrontPath)/logo"))
            let logo = try await browser.get("\(storefrontPath)/logo")
            #expect(logo.status == .ok)
            #expect(logo.headers.contentType == .png)
            // a file that only claims to be an image is refused with a message, nothing changes
            let fake = try await browser.upload(
                manage, field: "logo", filename: "x.png", contentType: "image/png",
                data: Data("<script>alert(1)</script>".utf8), form: ["name": "Diubah", "primary_color": "#123abc"])
            #expect(fake.status == .unprocessableEntity)
            #expect(fake.body.string.contains("PNG atau JPEG"))
            #expect(try await Tenant.find(slug: tenant.slug, on: app.db)?.name == "BPPK Kemenkeu")
        }
    }

    @Test(arguments: TestDatabase.all)
    func masterTemplateEditsReachNewTenants(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given an institution made before the edit
            let given = Given(app)
            let earlier = try await given.tenant()
            let browser = try await given.browser(signedInAs: try await given.platformAdmin())

            // when the platform administrator edits the master template, then makes a new institution
            #expect(
                try await browser.post("/admin/master/kategori", form: ["name": "Literasi Digital"]).status == .seeOther
            )
            #expect(
                try await browser.post(
                    "/admin/master/halaman/bantuan", form: ["title": "Pusat Bantuan", "body": "Hubungi kami."]
                ).status == .seeOther)
            _ = try await browser.post(
                "/admin/instansi", form: ["slug": "baru", "name": "Instansi Baru", "kind": "lainnya"])

            // then the new one has the edits
            let storefront = try await browser.get("/t/baru")
            #expect(storefront.body.string.contains("Literasi Digital"))
            #expect(storefront.body.string.contains("Pusat Bantuan"))
            // tenants made before the edit keep their own copy
            #expect(!(try await browser.get("/t/\(earlier.slug)").body.string.contains("Literasi Digital")))
        }
    }
}
