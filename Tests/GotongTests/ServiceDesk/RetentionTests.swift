import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// A citizen's contact data is kept the tenant's retention period after the case closed, then
/// emptied; a case reopened meanwhile keeps it until it closes again.
@Suite("Service desk: retention of contact data")
struct RetentionTests {
    @Test(arguments: TestDatabase.all)
    func contactDataIsEmptiedARetentionPeriodAfterClosing(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let (kept, _) = try await OfficeDeskTests.report(o, app, text: "Jalan rusak di gang Mawar, mohon segera.")
            let (cleared, _) = try await OfficeDeskTests.report(o, app, text: "Jalan amblas di gang Melati, berbahaya.")
            try await OfficeDeskTests.finish(o, kept, app)
            try await OfficeDeskTests.finish(o, cleared, app)
            // the first is reopened ten days later (and so kept), the second stays done
            o.time.advance(10 * 86_400)
            let done = try #require(try await o.scope.find(DeskCase.self, kept.id))
            try await CitizenVerdict(scope: o.scope, now: app.clock.now()).reopen(done, reason: "Belum diperbaiki.")
            o.time.advance(356 * 86_400 + 60)
            await JobQueue.runDue(app)
            let reporters = try await o.scope.query(DeskReporter.self).all()
            let gone = try #require(reporters.first { $0.caseID == cleared.id })
            #expect(gone.name == "" && gone.phone == "" && gone.email == "" && gone.nik == "")
            #expect(try await o.scope.find(DeskCase.self, cleared.id)?.contactMasked == "")
            let still = try #require(reporters.first { $0.caseID == kept.id })
            #expect(still.name == "Siti Aminah" && still.phone == "081234567890")
            #expect(try await o.scope.find(DeskCase.self, kept.id)?.contactMasked == "0812****7890")
        }
    }
}

/// The one place an anonymous reporter is named: the data protection officer's page, every
/// look recorded; nobody else opens it, the tenant's administrators and the platform's included.
@Suite("Service desk: the data protection officer")
struct ReporterPageTests {
    @Test(arguments: TestDatabase.all)
    func onlyTheDataProtectionOfficerSeesWhoReportedAndEachLookIsRecorded(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let given = Given(app)
            let (item, _) = try await OfficeDeskTests.report(
                o, app, text: "Pungutan liar di jalan masuk kantor kecamatan.", privacy: "anonymous")
            let dpo = try await given.person("Pejabat PDP", in: o.tenant, roles: [.peserta])
            _ = try await Units(scope: o.scope, now: app.clock.now()).addStaff(email: dpo.email, unit: nil, role: .dpo)
            let path = DeskRoute.reporter(o.tenant.routeSlug).path(query: ["nomor": item.number.lowercased()])
            let page = try await given.browser(signedInAs: dpo).get(path)
            #expect(
                page.status == .ok && page.body.string.contains("Siti Aminah")
                    && page.body.string.contains("081234567890"))
            let looks = try await AuditEntry.query(on: app.db).filter(\.$action == "desk.reporter.view").all()
            #expect(looks.map(\.subject) == [item.number])
            #expect(
                try await given.browser(signedInAs: dpo).get(
                    DeskRoute.reporter(o.tenant.routeSlug).path(query: ["nomor": "ADU-2026-999999"])
                ).body.string.contains("Tidak ada laporan dengan nomor itu."))
            for person in [o.admin, o.officer, try await given.platformAdmin()] {
                #expect(try await given.browser(signedInAs: person).get(path).status == .forbidden, "\(person.name)")
            }
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "desk.reporter.view").count() == 1)
        }
    }
}
