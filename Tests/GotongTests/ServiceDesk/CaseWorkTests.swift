import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// Officers' work decided on the case as it is when it is written, not as a page showed it:
/// a step another officer took first, a routing that is no way to win time, an assignment to
/// someone who can open the case.
@Suite("Service desk: officers' work on a case")
struct CaseWorkTests {
    @Test(arguments: TestDatabase.all)
    func aStepOnACaseAnotherOfficerMovedMeanwhileIsAConflict(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let (item, _) = try await OfficeDeskTests.report(o, app, text: "Jalan licin oleh tumpahan oli di tanjakan.")
            // both read it new; the administrator verifies first, the officer then acts on what he saw
            let officer = CaseWork(
                scope: o.scope, now: app.clock.now(),
                access: DeskAccess(personID: o.officer.id!, coordinator: false, units: [o.roads.id!]))
            let admin = CaseWork(
                scope: o.scope, now: app.clock.now(),
                access: DeskAccess(personID: o.admin.id!, coordinator: true, units: []))
            try await admin.take(.verify, on: item, unit: nil, note: nil)
            let late = await #expect(throws: InputError.self) {
                try await officer.take(.verify, on: item, unit: nil, note: nil)
            }
            #expect(late?.status == .conflict)
            #expect(try await o.scope.query(DeskEvent.self).filter(\.$caseID == item.id!).count() == 2)
            // a reply to a case closed a moment ago is refused; a note is still taken
            try await admin.take(.refuse, on: item, unit: nil, note: "Bukan kewenangan pemerintah kota.")
            await #expect(throws: InputError.self) { try await officer.write("Kami tinjau.", asNote: false, on: item) }
            try await officer.write("Diteruskan ke provinsi lewat surat.", asNote: true, on: item)
        }
    }

    @Test(arguments: TestDatabase.all)
    func routingOnKeepsTheStagesDeadlineAndNamesTheUnit(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let (item, secret) = try await OfficeDeskTests.report(o, app, text: "Jalan rusak dekat puskesmas Garuda.")
            let admin = CaseWork(
                scope: o.scope, now: app.clock.now(),
                access: DeskAccess(personID: o.admin.id!, coordinator: true, units: []))
            try await admin.take(.verify, on: item, unit: nil, note: nil)
            let routed = try await admin.take(.route, on: item, unit: o.roads.id, note: "Mohon ditinjau.")
            let due = try #require(routed.dueAt)
            // to the unit it is in: refused; on to another unit two days later: same deadline
            let same = await #expect(throws: InputError.self) {
                try await admin.take(.route, on: routed, unit: o.roads.id, note: nil)
            }
            #expect(same?.problems.first?.key == "desk.error.same_unit")
            o.time.advance(2 * 86_400)
            let later = CaseWork(scope: o.scope, now: app.clock.now(), access: admin.access)
            let onward = try await later.take(.route, on: routed, unit: o.health.id, note: nil)
            #expect(onward.dueAt == due && onward.unitID == o.health.id && onward.status == .diteruskan)
            // the citizen reads where it went
            let page = try await Browser(app).get(
                CitizenPage.address(o.tenant.routeSlug, number: item.number, secret: secret))
            #expect(
                page.body.string.contains("Dinas PUPR — Mohon ditinjau.")
                    && page.body.string.contains("Dinas Kesehatan"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCaseWithoutAUnitGoesOnlyToThoseWhoCanOpenIt(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let (item, _) = try await OfficeDeskTests.report(o, app, category: "lainnya")
            #expect(item.unitID == nil)
            let admin = CaseWork(
                scope: o.scope, now: app.clock.now(),
                access: DeskAccess(personID: o.admin.id!, coordinator: true, units: []))
            #expect(try await admin.assignees(of: item) == [o.admin.id!])
            await #expect(throws: InputError.self) { try await admin.assign(item, to: o.officer.id) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theQueueListsDeadlinesFirstThenTheRestPageByPage(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let admin = CaseWork(
                scope: o.scope, now: app.clock.now(),
                access: DeskAccess(personID: o.admin.id!, coordinator: true, units: []))
            var made: [DeskCase] = []
            for n in 0..<5 {
                o.time.advance(60)
                made.append(
                    try await OfficeDeskTests.report(o, app, text: "Laporan antrean nomor \(n): jalan rusak parah.").0)
            }
            // the first two wait on the citizen: no deadline runs; the other three keep theirs
            for item in made.prefix(2) {
                try await admin.take(.waitForCitizen, on: item, unit: nil, note: "Mohon foto.")
            }
            var seen: [String] = []
            for page in 1...3 {
                let (items, window) = try await Queue.page(o.scope.query(DeskCase.self), page, per: 2)
                #expect(window.total == 5 && window.pages == 3)
                seen += items.map(\.number)
            }
            #expect(seen == (made.suffix(3) + made.prefix(2)).map(\.number))
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAdministratorRemovesAnOfficerAndARule(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let admin = try await Given(app).browser(signedInAs: o.admin)
            let remove = DeskRoute.unitsRemove(o.tenant.routeSlug).path
            let staff = try #require(
                try await o.scope.query(DeskStaff.self).filter(\.$personID == o.otherOfficer.id!).first())
            let rule = try #require(try await o.scope.query(DeskRule.self).first())
            #expect(
                try await admin.post(remove, form: ["kind": "staff", "id": staff.id!.uuidString]).status == .seeOther)
            #expect(
                try await admin.post(remove, form: ["kind": "rule", "id": rule.id!.uuidString]).status == .seeOther)
            #expect(
                try await admin.post(remove, form: ["kind": "rule", "id": rule.id!.uuidString]).status == .notFound)
            #expect(
                try await admin.post(remove, form: ["kind": "pintu", "id": rule.id!.uuidString]).status == .badRequest)
            #expect(try await o.scope.query(DeskRule.self).count() == 0)
            #expect(try await o.scope.query(DeskStaff.self).filter(\.$personID == o.otherOfficer.id!).count() == 0)
            // no rule left: a road case waits for routing
            let (item, _) = try await OfficeDeskTests.report(o, app, text: "Jalan rusak di depan pasar baru.")
            #expect(item.unitID == nil)
            let officer = try await Given(app).browser(signedInAs: o.officer)
            #expect(
                try await officer.post(remove, form: ["kind": "rule", "id": UUID().uuidString]).status == .forbidden)
        }
    }
}
