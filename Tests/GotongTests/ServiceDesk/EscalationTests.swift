import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// Late cases: at the stage's deadline the unit's head is told; a working day later the case
/// escalates to the tenant's coordinators and is marked so in the queue. A case moved on in
/// time, or waiting on its citizen, is left alone.
@Suite("Service desk: overdue cases")
struct EscalationTests {
    static func told(_ key: String, _ app: Application) async throws -> [UUID] {
        try await PersonNotification.query(on: app.db).filter(\.$messageKey == key).all().map(\.personID)
    }

    @Test(arguments: TestDatabase.all)
    func aLateCaseTellsItsUnitsHeadThenEscalatesToTheCoordinators(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let head = try await Given(app).person("Kepala PUPR", in: o.tenant, roles: [.peserta])
            _ = try await Units(scope: o.scope, now: app.clock.now()).addStaff(
                email: head.email, unit: o.roads.id, role: .kepala)
            // Monday 09.00 and a fraction of a second (as a real clock: PostgreSQL keeps only
            // microseconds of the deadline): two road cases, due Thursday; one verified on Tuesday
            o.time.advance(0.123_456_789)
            let (late, _) = try await OfficeDeskTests.report(
                o, app, text: "Jalan amblas di depan terminal Leuwipanjang.")
            let (moved, _) = try await OfficeDeskTests.report(o, app, text: "Jalan retak di samping jembatan Pasupati.")
            o.time.advance(86_400)
            let access = DeskAccess(personID: o.officer.id!, coordinator: false, units: [o.roads.id!])
            try await CaseWork(scope: o.scope, now: app.clock.now(), access: access).take(
                .verify, on: moved, unit: nil, note: nil)

            // Thursday 09.01: the late one tells the head, nobody else, once
            o.time.advance(2 * 86_400 + 60)
            await JobQueue.runDue(app)
            #expect(try await Self.told("desk.notify.overdue", app) == [head.id!])
            #expect(try await o.scope.find(DeskCase.self, late.id)?.escalation == 1)
            #expect(try await o.scope.find(DeskCase.self, moved.id)?.escalation == 0)
            await JobQueue.runDue(app)
            #expect(try await Self.told("desk.notify.overdue", app).count == 1)
            #expect(try await Self.told("desk.notify.escalated", app).isEmpty)

            // Friday 09.01, a working day on: escalated to the administrator, marked in the queue
            o.time.advance(86_400)
            await JobQueue.runDue(app)
            #expect(try await Self.told("desk.notify.escalated", app) == [o.admin.id!])
            #expect(try await o.scope.find(DeskCase.self, late.id)?.escalation == 2)
            let admin = try await Given(app).browser(signedInAs: o.admin)
            let queue = try await admin.get(DeskRoute.queue(o.tenant.routeSlug).path(query: ["terlambat": "1"]))
            #expect(queue.body.string.contains(late.number) && queue.body.string.contains("Dieskalasi"))
            #expect(!queue.body.string.contains(moved.number))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCaseWaitingOnItsCitizenIsNotLate(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let (item, _) = try await OfficeDeskTests.report(o, app, text: "Jalan berdebu karena proyek galian kabel.")
            let access = DeskAccess(personID: o.officer.id!, coordinator: false, units: [o.roads.id!])
            try await CaseWork(scope: o.scope, now: app.clock.now(), access: access).take(
                .waitForCitizen, on: item, unit: nil, note: "Mohon foto lokasi.")
            o.time.advance(10 * 86_400)
            await JobQueue.runDue(app)
            #expect(try await Self.told("desk.notify.overdue", app).isEmpty)
            #expect(try await o.scope.find(DeskCase.self, item.id)?.escalation == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCasePausedWhenLateEscalatesWhenItResumes(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let (item, _) = try await OfficeDeskTests.report(
                o, app, text: "Jalan tergenang di depan stasiun Kiaracondong.")
            let access = DeskAccess(personID: o.officer.id!, coordinator: false, units: [o.roads.id!])
            // Thursday 09.01: late, its head (none: the coordinators) told; then paused
            o.time.advance(3 * 86_400 + 60)
            await JobQueue.runDue(app)
            #expect(try await o.scope.find(DeskCase.self, item.id)?.escalation == 1)
            try await CaseWork(scope: o.scope, now: app.clock.now(), access: access).take(
                .waitForCitizen, on: item, unit: nil, note: "Mohon alamat lengkap.")
            // the citizen answers a week later: still late, so it escalates now
            o.time.advance(7 * 86_400)
            let paused = try #require(try await o.scope.find(DeskCase.self, item.id))
            try await CaseConversation(scope: o.scope, now: app.clock.now()).citizenReplies(
                to: paused, body: "Alamatnya Jl. Kiaracondong no. 5.")
            #expect(try await Self.told("desk.notify.citizen_wrote", app) == [o.officer.id!])
            await JobQueue.runDue(app)
            #expect(try await o.scope.find(DeskCase.self, item.id)?.escalation == 2)
            #expect(try await Self.told("desk.notify.escalated", app) == [o.admin.id!])
        }
    }
}
