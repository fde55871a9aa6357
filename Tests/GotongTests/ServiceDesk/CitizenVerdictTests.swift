import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// The citizen's verdict on a closed case: a rating of the answer, once; and within 14 days of
/// "done", a reopening that starts a new deadline and tells the unit.
@Suite("Service desk: citizens' verdict")
struct CitizenVerdictTests {
    @Test(arguments: TestDatabase.all)
    func aCitizenRatesTheAnswerAndReopensACaseWithinFourteenDays(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let (item, secret) = try await OfficeDeskTests.report(
                o, app, text: "Jalan lingkungan RW 05 rusak sepanjang 200 meter.")
            let number = Param<CaseNumber>.value(CaseNumber(item.number)!)
            let citizen = Browser(app)
            let address = CitizenPage.address(slug, number: item.number, secret: secret)
            // an open case is not rated yet, and the page offers no rating
            let early = try await citizen.post(
                DeskRoute.citizenRating(slug, number).path, form: ["kode": secret, "nilai": "5"])
            #expect(early.status == .conflict && early.body.string.contains("setelah selesai"))
            #expect(!(try await citizen.get(address).body.string.contains("Kirim penilaian")))

            try await OfficeDeskTests.finish(o, item, app)
            let closed = try await citizen.get(address).body.string
            #expect(closed.contains("Kirim penilaian") && closed.contains("Buka kembali laporan"))
            let rating = DeskRoute.citizenRating(slug, number).path
            #expect(
                try await citizen.post(rating, form: ["kode": secret, "nilai": "6"]).status == .unprocessableEntity)
            #expect(try await citizen.post(rating, form: ["kode": "salah", "nilai": "4"]).status == .notFound)
            #expect(try await citizen.post(rating, form: ["kode": secret, "nilai": "4"]).status == .seeOther)
            #expect(try await citizen.get(address).body.string.contains("4 dari 5"))
            #expect(try await citizen.post(rating, form: ["kode": secret, "nilai": "5"]).status == .conflict)

            // ten days later it is not done after all: reopened, with a new plan deadline
            o.time.advance(10 * 86_400)
            let reopen = DeskRoute.citizenReopen(slug, number).path
            let blank = try await citizen.post(reopen, form: ["kode": secret, "alasan": " "])
            #expect(blank.status == .unprocessableEntity && blank.body.string.contains("belum selesai"))
            let sent = try await citizen.post(reopen, form: ["kode": secret, "alasan": "Baru ditambal separuh jalan."])
            #expect(sent.status == .seeOther)
            let reopened = try #require(try await o.scope.find(DeskCase.self, item.id))
            #expect(reopened.status == .dibukaKembali && reopened.closedAt == nil && reopened.rating == nil)
            #expect(reopened.dueAt != nil && reopened.unitID == o.roads.id)
            let told = try await PersonNotification.query(on: app.db).filter(\.$messageKey == "desk.notify.reopened")
                .all()
            #expect(told.map(\.personID) == [o.officer.id!])
            let officer = try await Given(app).browser(signedInAs: o.officer)
            #expect(
                try await officer.get(OfficeDeskTests.casePath(o, item)).body.string.contains(
                    "Baru ditambal separuh jalan."))

            // done again, and fifteen days on: too late to reopen; the API says the same
            try await OfficeDeskTests.finish(o, reopened, app)
            o.time.advance(15 * 86_400)
            #expect(
                try await citizen.post(reopen, form: ["kode": secret, "alasan": "Masih rusak."]).status == .conflict)
            let api = APIClient(app: app, headers: [:])
            let late = try await api.call(
                .POST, DeskAPIRoute.citizenReopen(slug, number).path, ["secret": secret, "reason": "Masih rusak."])
            #expect(late.status == .conflict)
            let rated = try await api.call(
                .POST, DeskAPIRoute.citizenRating(slug, number).path, ["secret": secret, "rating": 5])
            #expect(rated.status == .ok && rated["rating"] as? Int == 5)
            #expect(
                try await api.call(.POST, DeskAPIRoute.citizenRating(slug, number).path, ["secret": "x", "rating": 5])
                    .status == .notFound)
        }
    }
}
