import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// The desk's holidays, kept by its administrators: a day off added counts for deadlines worked
/// out after it, a day removed is a working day again; bad input is refused whole.
@Suite("Service desk: holidays")
struct HolidaysTests {
    @Test(arguments: TestDatabase.all)
    func anAdministratorAddsARegionalHolidayAndNewDeadlinesSkipIt(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let admin = try await Given(app).browser(signedInAs: o.admin)
            let page = try await admin.get(DeskRoute.holidays(slug).path + "?tahun=2026")
            #expect(page.status == .ok && page.body.string.contains("Proklamasi Kemerdekaan"))
            // every problem at once, nothing written
            let bad = try await admin.post(DeskRoute.holidays(slug).path, form: ["tanggal": "2026-02-30", "nama": " "])
            #expect(bad.status == .unprocessableEntity)
            #expect(
                bad.body.string.contains("Pilih tanggal yang sah") && bad.body.string.contains("Isi nama hari libur"))
            let taken = try await admin.post(
                DeskRoute.holidays(slug).path, form: ["tanggal": "2026-08-17", "nama": "Lagi"])
            #expect(taken.status == .unprocessableEntity && taken.body.string.contains("sudah tercatat"))
            // Tuesday 9 June 2026 becomes the city's anniversary: a report on Monday 09.00 with
            // three working days is then due Friday, not Thursday
            let (before, _) = try await OfficeDeskTests.report(o, app)
            let added = try await admin.post(
                DeskRoute.holidays(slug).path, form: ["tanggal": "2026-06-09", "nama": "Hari Jadi Kota"])
            #expect(added.status == .seeOther)
            let (after, _) = try await OfficeDeskTests.report(o, app)
            let day: TimeInterval = 86_400
            #expect(after.dueAt == before.dueAt.map { $0.addingTimeInterval(day) })
            // removed again: a working day once more
            let holiday = try #require(try await o.scope.query(DeskHoliday.self).filter(\.$day == "2026-06-09").first())
            #expect(
                try await admin.post(DeskRoute.holidaysRemove(slug).path, form: ["id": holiday.id!.uuidString]).status
                    == .seeOther)
            let (again, _) = try await OfficeDeskTests.report(o, app)
            #expect(again.dueAt == before.dueAt)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["desk.holiday.add", "desk.holiday.remove"])
                    .count() == 2)
            // officers may not keep them; a year out of range is a 400
            let officer = try await Given(app).browser(signedInAs: o.officer)
            #expect(try await officer.get(DeskRoute.holidays(slug).path).status == .forbidden)
            #expect(
                try await officer.post(DeskRoute.holidays(slug).path, form: ["tanggal": "2026-06-10", "nama": "X"])
                    .status
                    == .forbidden)
            #expect(try await admin.get(DeskRoute.holidays(slug).path + "?tahun=1850").status == .badRequest)
        }
    }
}
