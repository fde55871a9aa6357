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

@Suite("Bulk account import")
struct PeopleImportTests {
    static let header = "nama,email,nip,unit_kerja,jabatan,peran"

    /// A distinct valid NIP for each `i` below 2,000.
    static func nip(_ i: Int) -> String {
        "19850220" + "201001" + (i < 1000 ? "1" : "2") + String(format: "%03d", i % 1000)
    }

    /// `email` with its mailbox in capitals, as a spreadsheet may hold it.
    static func shouted(_ email: String) -> String {
        let parts = email.split(separator: "@", maxSplits: 1)
        return parts[0].uppercased() + "@" + parts[1]
    }

    @Test(arguments: TestDatabase.all)
    func everyProblemIsReportedByRowAndColumnAndNothingIsWritten(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let tenant = try await Given(app).tenant()
            let csv = """
                \(Self.header)
                Ani,ani@contoh.go.id,199001152015032001,Biro,Analis,peserta
                Budi,bukan-email,,Biro,Analis,peserta
                Cici,cici@contoh.go.id,123,Biro,Analis,peserta
                Dedi,ani@contoh.go.id,,Biro,Analis,peserta
                Eka,eka@contoh.go.id,,Biro,Analis,kepala
                ,fajar@contoh.go.id,,Biro,Analis,
                """
            let people = try await Person.query(on: app.db).count()
            do {
                _ = try await PeopleImport(tenantID: try tenant.requireID(), db: app.db).commit(csv: csv)
                Issue.record("a file with errors was committed")
            } catch let error as InputError {
                let found = Set(error.problems.map { "\($0.row ?? 0):\($0.field):\($0.key)" })
                #expect(
                    found == [
                        "3:email:import.error.email_invalid", "4:nip:nip.error.length",
                        "5:email:import.error.duplicate_email",
                        "6:peran:import.error.role_unknown", "7:nama:import.error.name_required",
                    ])
            }
            #expect(try await Person.query(on: app.db).count() == people)
        }
    }

    @Test(arguments: TestDatabase.all)
    func existingPeopleGetAMembershipNotASecondAccount(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a file of two new people and one with an account elsewhere, the address in capitals
            let given = Given(app)
            let tenant = try await given.tenant()
            let siti = try await given.person(in: try await given.tenant("Balai Lain"))
            let csv = """
                \(Self.header)
                Siti Rahmawati,\(Self.shouted(siti.email)),,,,pengajar
                Rina Baru,rina@contoh.go.id,199105202016052001,Direktorat Statistik,Statistisi,peserta
                Joko Baru,joko@contoh.go.id,,Direktorat Statistik,Statistisi,pengelola
                """
            let importer = PeopleImport(tenantID: try tenant.requireID(), db: app.db)
            // the same file as a dry run writes nothing
            let dry = try await importer.dryRun(csv: csv)
            #expect(dry.newPeople == 2 && dry.existingPeople == 1 && !dry.committed)
            #expect(try await Person.find(email: "rina@contoh.go.id", on: app.db) == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func commitCreatesAccountsMembershipsAndActivationLinks(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a file of one new person and one with an account elsewhere, the address in capitals
            let given = Given(app)
            let tenant = try await given.tenant()
            let existing = try await given.person(in: try await given.tenant("Balai Lain"))
            let csv = """
                \(Self.header)
                Siti Rahmawati,\(Self.shouted(existing.email)),,,,pengajar
                Rina Baru,rina@contoh.go.id,199105202016052001,Direktorat Statistik,Statistisi,peserta
                """
            let people = try await Person.query(on: app.db).count()
            let (report, links) = try await PeopleImport(tenantID: try tenant.requireID(), db: app.db).commit(csv: csv)
            #expect(report.newPeople == 1 && report.newMemberships == 2 && report.committed)
            #expect(try await Person.query(on: app.db).count() == people + 1)
            let siti = try #require(try await Person.find(email: existing.email, on: app.db))
            let roles = try await TenantRoles.of(siti.viewer, in: try tenant.requireID(), on: app.db)
            #expect(roles.roles == [.pengajar])
            let rina = try #require(try await Person.find(email: "rina@contoh.go.id", on: app.db))
            #expect(rina.passwordHash == nil && rina.nip == "199105202016052001" && rina.homeTenantID == tenant.id)
            #expect(links.map(\.email) == ["rina@contoh.go.id"])
            // the activation link sets a password and signs in works afterwards
            let browser = Browser(app)
            let path = "/atur-sandi/\(links[0].secret)"
            #expect(try await browser.get(path).body.string.contains("Aktifkan akun"))
            #expect(
                try await browser.post(
                    path, form: ["password": "sandi-rina-1", "password_confirmation": "sandi-rina-1"]
                ).status == .seeOther)
            try await browser.signIn("rina@contoh.go.id", password: "sandi-rina-1")
            // importing the same file again adds nothing
            let again = try await PeopleImport(tenantID: try tenant.requireID(), db: app.db).commit(csv: csv).0
            #expect(again.newPeople == 0 && again.newMemberships == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func previewThenCommitInTheWebUI(db: TestDatabase) async throws {
        try await withGotong(db) { app, mailer in
            let given = Given(app)
            let tenant = try await given.tenant()
            let browser = try await given.browser(signedInAs: try await given.person(in: tenant, roles: [.admin]))
            let manage = "/t/\(tenant.slug)/kelola"
            let bad = try await browser.upload(
                "\(manage)/impor", field: "file", filename: "a.csv", contentType: "text/csv",
                data: Data("\(Self.header)\nA,a@contoh,,,,\n".utf8))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("<td data-label=\"Baris\">2</td><td data-label=\"Kolom\">email</td>"))
            let good = try await browser.upload(
                "\(manage)/impor", field: "file", filename: "b.csv", contentType: "text/csv",
                data: Data("\(Self.header)\nBaru Satu,baru1@contoh.go.id,,,,peserta\n".utf8))
            #expect(good.status == .ok)
            #expect(try await Person.find(email: "baru1@contoh.go.id", on: app.db) == nil)
            let pending = try #require(try await PendingImport.query(on: app.db).filter(\.$committedAt == nil).first())
            let committed = try await browser.post("\(manage)/impor/\(pending.requireID())/simpan")
            #expect(committed.status == .seeOther)
            #expect(try await Person.find(email: "baru1@contoh.go.id", on: app.db) != nil)
            let members = try await browser.get("\(manage)/anggota")
            #expect(members.body.string.contains("baru1@contoh.go.id"))
            // the activation mail goes out in the background
            for _ in 0..<50 where mailer.outbox.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            #expect(mailer.outbox.contains { $0.to == "baru1@contoh.go.id" && $0.body.contains("/atur-sandi/") })
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "people.import").count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func largeFileCommitsInOneGo(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given an institution of five members
            let given = Given(app)
            let tenant = try await given.tenant()
            for role in [Role.admin, .pengelola, .pengajar, .peserta, .peserta] {
                _ = try await given.person(in: tenant, roles: [role])
            }
            var lines = [Self.header]
            for i in 0..<2_000 {
                lines.append("Peserta \(i),peserta\(i)@contoh.go.id,\(Self.nip(i)),Unit \(i % 20),Staf,peserta")
            }
            let (report, links) = try await PeopleImport(tenantID: try tenant.requireID(), db: app.db).commit(
                csv: lines.joined(separator: "\n"))
            #expect(report.newPeople == 2_000 && links.count == 2_000)
            #expect(
                try await TenantScope(tenantID: try tenant.requireID(), db: app.db).query(Membership.self).count()
                    == 2_005
            )
        }
    }
}
