import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongTenancy

/// Coordinators bring their participants in themselves, as learners only, with the same
/// all-or-nothing preview as administrators, starting from a template file.
@Suite("Coordinators import their participants")
struct CoordinatorImportTests {
    static func csv(_ rows: [String]) -> Data {
        Data((PeopleImport.columns.joined(separator: ",") + "\n" + rows.joined(separator: "\n") + "\n").utf8)
    }

    @Test(arguments: TestDatabase.all)
    func aCoordinatorImportsLearnersButNoOtherRole(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a coordinator of an institution, on its course list
            let given = Given(app)
            let tenant = try await given.tenant()
            let coordinator = try await given.browser(
                signedInAs: try await given.person("Pengelola", in: tenant, roles: [.pengelola]))
            let importPath = IdentityRoute.importPeople(tenant.routeSlug).path
            let list = try await coordinator.get("/t/\(tenant.slug)/kelola/pelatihan").body.string
            #expect(list.contains("href=\"\(importPath)\""))

            // the import page says what they may do and offers the template, which is a usable file
            let form = try await coordinator.get(importPath)
            #expect(form.status == .ok)
            #expect(form.body.string.contains("Sebagai pengelola pelatihan"))
            #expect(!form.body.string.contains(IdentityRoute.members(tenant.routeSlug).path))
            let template = try await coordinator.get(IdentityRoute.importTemplate(tenant.routeSlug).path)
            #expect(template.status == .ok)
            #expect(template.headers.contentType?.subType == "csv")
            let preview = try await coordinator.upload(
                importPath, field: "file", filename: "templat.csv", contentType: "text/csv",
                data: Data(template.body.readableBytesView))
            #expect(preview.status == .ok, "the template itself imports: \(preview.body.string.prefix(600))")

            // when a file also makes someone an administrator, then nothing is written, row 3 says why
            let before = try await Membership.query(on: app.db).count()
            let refused = try await coordinator.upload(
                importPath, field: "file", filename: "peserta.csv", contentType: "text/csv",
                data: Self.csv([
                    "Sari Dewi,sari@contoh.go.id,,Biro Umum,Analis,peserta",
                    "Joko Widodo,joko@contoh.go.id,,Biro Umum,Kepala,admin",
                ]))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Peran “admin” hanya dapat diimpor administrator"))
            #expect(refused.body.string.contains("data-label=\"Baris\">3</td>"))
            #expect(try await Membership.query(on: app.db).count() == before)

            // when every row is a learner, then the preview commits and they are members
            let good = try await coordinator.upload(
                importPath, field: "file", filename: "peserta.csv", contentType: "text/csv",
                data: Self.csv(["Sari Dewi,sari@contoh.go.id,,Biro Umum,Analis,", "Budi,budi@contoh.go.id,,,,peserta"]))
            #expect(good.status == .ok)
            let pending = try #require(
                try await PendingImport.query(on: app.db).filter(\.$committedAt == nil).sort(\.$createdAt, .descending)
                    .first())
            let saved = try await coordinator.post(
                IdentityRoute.saveImport(tenant.routeSlug, .value(try pending.typedID())).path)
            #expect(saved.status == .seeOther)
            #expect(saved.headers.first(name: .location) == importPath)
            let tenantID = try tenant.requireID()
            let learners = try await Membership.query(on: app.db).filter(\.$tenantID == tenantID)
                .filter(\.$role == .peserta).count()
            #expect(learners == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func trainersAndLearnersMayNotImport(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            for role in [Role.pengajar, .peserta] {
                let browser = try await given.browser(signedInAs: try await given.person(in: tenant, roles: [role]))
                #expect(try await browser.get(IdentityRoute.importPeople(tenant.routeSlug).path).status == .forbidden)
                #expect(
                    try await browser.get(IdentityRoute.importTemplate(tenant.routeSlug).path).status == .forbidden)
            }
        }
    }
}
