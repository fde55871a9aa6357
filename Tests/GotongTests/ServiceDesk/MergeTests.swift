import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// Duplicates merged: the duplicate closes as refused with the kept case's number as its reason,
/// each citizen is told (on a platform, through the outbox), both histories say it, and a merge
/// that cannot be (itself, a closed case, a case the officer cannot see) writes nothing.
@Suite("Service desk: merging duplicates")
struct MergeTests {
    @Test(arguments: TestDatabase.all)
    func aDuplicateIsMergedIntoTheCaseKeptAndEachCitizenIsTold(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let (kept, _) = try await OfficeDeskTests.report(
                o, app, text: "Jalan berlubang di depan pasar Kosambi, bahaya.")
            let (dup, secret) = try await OfficeDeskTests.report(
                o, app, text: "Jalan di depan pasar Kosambi rusak parah.")
            let (health, _) = try await OfficeDeskTests.report(
                o, app, category: "kesehatan", text: "Puskesmas tutup sebelum jam kerja berakhir, mohon dicek.")
            let slug = o.tenant.routeSlug
            let officer = try await Given(app).browser(signedInAs: o.officer)
            let path = OfficeDeskTests.casePath(o, dup) + "/gabung"
            // refused with its reason, nothing written: itself, no number, a case of another unit
            for (number, words) in [
                (dup.number, "dirinya sendiri"), ("ADU-12", "Tulis nomor aduan"), (health.number, "Tulis nomor aduan"),
            ] {
                let refused = try await officer.post(path, form: ["nomor": number])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains(words))
            }
            #expect(try await o.scope.require(DeskCase.self, dup.id).status == .baru)

            let merged = try await officer.post(path, form: ["nomor": kept.number.lowercased()])
            #expect(merged.status == .seeOther)
            #expect(merged.headers.first(name: .location) == OfficeDeskTests.casePath(o, kept))
            let closed = try await o.scope.require(DeskCase.self, dup.id)
            #expect(closed.status == .ditolak && closed.mergedInto == kept.id && closed.dueAt == nil)
            let last = try await o.scope.query(DeskEvent.self).filter(\.$caseID == dup.id!).sort(\.$at).all().last
            #expect(last?.note.contains(kept.number) == true && last?.actorID == o.officer.id)
            let keptEvents = try await o.scope.query(DeskEvent.self).filter(\.$caseID == kept.id!).all()
            #expect(keptEvents.contains { $0.note.contains(dup.number) })
            // each citizen reads why on their page
            let page = try await Browser(app).get(
                DeskRoute.citizenCase(slug, .value(CaseNumber(dup.number)!)).path + "?kode=" + secret)
            #expect(page.body.string.contains("digabungkan ke aduan itu") && page.body.string.contains(kept.number))
            let told = try await o.scope.query(DeskMessage.self).filter(\.$caseID == kept.id!)
                .filter(\.$direction == .outgoing).all()
            #expect(told.count == 1 && told.first?.body.contains(dup.number) == true)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "desk.merge").count() == 1)
            // merged once: a second time is a conflict (it is closed)
            let again = try await officer.post(path, form: ["nomor": kept.number])
            #expect(again.status == .conflict)

            // the API merges too, and answers the case kept
            let (third, _) = try await OfficeDeskTests.report(
                o, app, text: "Pasar Kosambi: jalan depannya berlubang lagi.")
            let api = try await APIClient.signIn(app, o.officer.email)
            let answer = try await api.call(
                .POST, DeskAPIRoute.officeMerge(slug, .value(CaseNumber(third.number)!)).path, ["into": kept.number])
            #expect(answer.status == .ok && answer["number"] as? String == kept.number)
            #expect(try await o.scope.require(DeskCase.self, third.id).mergedInto == kept.id)
            let bad = try await api.call(
                .POST, DeskAPIRoute.officeMerge(slug, .value(CaseNumber(kept.number)!)).path, ["into": 42])
            #expect(bad.status == .badRequest)
        }
    }
}
