import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// The officers' side of the service desk: an administrator sets up units, officers and
/// routing rules; a new case lands in its unit's queue; officers of that unit (and the
/// tenant's coordinators) work it through LAPOR!'s lifecycle with working-time deadlines that
/// pause while the desk waits on the citizen; replies reach the citizen, internal notes never.
@Suite("Service desk: officers")
struct OfficeDeskTests {
    static let text = CitizenDeskTests.text

    struct Office {
        let tenant: Tenant
        let time: ManualTime
        let scope: TenantScope
        let roads: DeskUnit
        let health: DeskUnit
        let admin: Person
        let officer: Person
        let otherOfficer: Person
        let learner: Person
    }

    /// A desk (Monday 8 June 2026 09.00 WIB) with two units, an officer in each, and a rule
    /// that sends infrastructure cases about roads to the roads unit — set up through the pages.
    static func office(_ app: Application) async throws -> Office {
        let (tenant, time) = try await CitizenDeskTests.desk(app)
        let given = Given(app)
        let slug = tenant.routeSlug
        let admin = try await given.person("Admin Layanan", in: tenant, roles: [.admin])
        let officer = try await given.person("Petugas Jalan", in: tenant, roles: [.peserta])
        let otherOfficer = try await given.person("Petugas Sehat", in: tenant, roles: [.peserta])
        let learner = try await given.person("Peserta Biasa", in: tenant, roles: [.peserta])
        let browser = try await given.browser(signedInAs: admin)
        for name in ["Dinas PUPR", "Dinas Kesehatan"] {
            #expect(try await browser.post(DeskRoute.units(slug).path, form: ["name": name]).status == .seeOther)
        }
        let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
        let roads = try #require(try await scope.query(DeskUnit.self).filter(\.$name == "Dinas PUPR").first())
        let health = try #require(try await scope.query(DeskUnit.self).filter(\.$name == "Dinas Kesehatan").first())
        for (person, unit) in [(officer, roads), (otherOfficer, health)] {
            let added = try await browser.post(
                DeskRoute.staff(slug).path,
                form: ["email": person.email, "unit": unit.id!.uuidString, "role": "petugas"])
            #expect(added.status == .seeOther)
        }
        let category = try #require(
            try await scope.query(DeskCategory.self).filter(\.$slug == "infrastruktur").first())
        let rule = try await browser.post(
            DeskRoute.rules(slug).path,
            form: ["unit": roads.id!.uuidString, "category": category.id!.uuidString, "keyword": "jalan"])
        #expect(rule.status == .seeOther)
        return Office(
            tenant: tenant, time: time, scope: scope, roads: roads, health: health, admin: admin, officer: officer,
            otherOfficer: otherOfficer, learner: learner)
    }

    static func report(
        _ o: Office, _ app: Application, category: String = "infrastruktur", text: String = text,
        privacy: String = "public"
    ) async throws -> (DeskCase, String) {
        var report = Report()
        (report.category, report.text, report.privacy, report.phone, report.name) =
            (category, text, privacy, "081234567890", "Siti Aminah")
        let made = try await Intake(scope: o.scope, now: app.clock.now()).open(report, channel: .web, source: nil)
        return (made.case, made.secret)
    }

    static func casePath(_ o: Office, _ item: DeskCase) -> String {
        DeskRoute.officeCase(o.tenant.routeSlug, .value(CaseNumber(item.number)!)).path
    }

    @Test(arguments: TestDatabase.all)
    func theSetUpIsCheckedAndRulesRouteNewCasesToTheirUnitsQueue(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await Self.office(app)
            let given = Given(app)
            let slug = o.tenant.routeSlug
            let admin = try await given.browser(signedInAs: o.admin)
            // every problem at once, nothing written
            let bad = try await admin.post(DeskRoute.staff(slug).path, form: ["email": "bukan.anggota@contoh.id"])
            #expect(bad.status == .unprocessableEntity)
            #expect(
                bad.body.string.contains("Tidak ada anggota instansi ini") && bad.body.string.contains("Pilih peran"))
            let again = try await admin.post(DeskRoute.units(slug).path, form: ["name": "Dinas PUPR"])
            #expect(again.status == .unprocessableEntity && again.body.string.contains("sudah ada"))
            let empty = try await admin.post(DeskRoute.rules(slug).path, form: ["unit": o.roads.id!.uuidString])
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("Pilih kategori atau isi"))
            let page = try await admin.get(DeskRoute.units(slug).path).body.string
            #expect(page.contains("Petugas Jalan") && page.contains("Infrastruktur yang memuat “jalan” → Dinas PUPR"))
            // an officer or a learner may not set it up
            let officer = try await given.browser(signedInAs: o.officer)
            #expect(try await officer.get(DeskRoute.units(slug).path).status == .forbidden)
            #expect(try await officer.post(DeskRoute.units(slug).path, form: ["name": "X"]).status == .forbidden)

            // the rule routes by category and keyword, regardless of case and accents
            let (roadCase, _) = try await Self.report(o, app, text: "JALAN berlubang di depan pasar, mohon diperbaiki.")
            let (otherCase, _) = try await Self.report(o, app, category: "kesehatan")
            #expect(roadCase.unitID == o.roads.id && otherCase.unitID == nil)
            // the unit's officer is told, with a link to the case; nobody else
            let told = try await PersonNotification.query(on: app.db).filter(\.$messageKey == "desk.notify.routed")
                .all()
            #expect(told.map(\.personID) == [o.officer.id!] && told.first?.argValues["number"] == roadCase.number)
            #expect(told.first?.address(app.storedRoutes) == Self.casePath(o, roadCase))

            // the roads officer sees the road case, not the other; the health officer neither
            let queue = try await officer.get(DeskRoute.queue(slug).path).body.string
            #expect(queue.contains(roadCase.number) && !queue.contains(otherCase.number))
            #expect(try await officer.get(Self.casePath(o, otherCase)).status == .notFound)
            let health = try await given.browser(signedInAs: o.otherOfficer)
            #expect(!(try await health.get(DeskRoute.queue(slug).path).body.string.contains(roadCase.number)))
            #expect(try await health.get(Self.casePath(o, roadCase)).status == .notFound)
            // the administrator sees both; a member who is no officer is refused
            let all = try await admin.get(DeskRoute.queue(slug).path).body.string
            #expect(all.contains(roadCase.number) && all.contains(otherCase.number))
            let learner = try await given.browser(signedInAs: o.learner)
            #expect(try await learner.get(DeskRoute.queue(slug).path).status == .forbidden)
            #expect(try await Browser(app).get(DeskRoute.queue(slug).path).status == .seeOther)

            // removing the unit sends its cases back to routing
            let removed = try await admin.post(
                DeskRoute.unitsRemove(slug).path, form: ["kind": "unit", "id": o.roads.id!.uuidString])
            #expect(removed.status == .seeOther)
            #expect(try await o.scope.find(DeskCase.self, roadCase.id)?.unitID == nil)
            #expect(try await o.scope.query(DeskStaff.self).filter(\.$personID == o.officer.id!).count() == 0)
            #expect(try await officer.get(DeskRoute.queue(slug).path).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func officersWorkACaseThroughItsLifecycleWithAClockThatPauses(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await Self.office(app)
            let slug = o.tenant.routeSlug
            let (item, secret) = try await Self.report(o, app, text: "Jalan rusak di Kp. Cibeber, mohon ditambal.")
            let monday = app.clock.now()
            let officer = try await Given(app).browser(signedInAs: o.officer)
            let path = Self.casePath(o, item)
            let action = DeskRoute.officeAction(slug, .value(CaseNumber(item.number)!)).path
            let page = try await officer.get(path).body.string
            #expect(page.contains("Sisa waktu: 3 hari kerja") && page.contains("Verifikasi"))
            #expect(page.contains("0812****7890") && !page.contains("Siti Aminah"))

            // not yet: a new case is verified before it is followed up; a refusal needs its reason
            let early = try await officer.post(action, form: ["aksi": "selesai"])
            #expect(early.status == .conflict && early.body.string.contains("tidak dapat dilakukan"))
            let noReason = try await officer.post(action, form: ["aksi": "tolak"])
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("alasan penolakan"))
            #expect(try await officer.post(action, form: ["aksi": "terbang"]).status == .badRequest)

            // Tuesday 09.00 it is verified: the plan is due in five working days, past the 1 Muharam
            // holiday on Tuesday 16 June: Wednesday 17 June 09.00
            o.time.advance(86_400)
            #expect(try await officer.post(action, form: ["aksi": "verifikasi"]).status == .seeOther)
            var stored = try #require(try await o.scope.find(DeskCase.self, item.id))
            #expect(stored.status == .diverifikasi && stored.dueAt == monday.addingTimeInterval(9 * 86_400))

            // Wednesday 09.00 it waits on the citizen: four working days are left, the clock stops
            o.time.advance(86_400)
            let wait = try await officer.post(
                action, form: ["aksi": "tunggu-warga", "catatan": "Mohon kirim foto lokasi."])
            #expect(wait.status == .seeOther)
            stored = try #require(try await o.scope.find(DeskCase.self, item.id))
            #expect(stored.status == .menungguWarga && stored.dueAt == nil && stored.pausedLeft == 4 * 8 * 3600)
            let queue = try await officer.get(DeskRoute.queue(slug).path).body.string
            #expect(queue.contains("Menunggu warga (tenggat berhenti)"))

            // a week later, Wednesday 17 June 09.00, the citizen answers: four working days from now
            o.time.advance(7 * 86_400)
            try await CaseConversation(scope: o.scope, now: app.clock.now()).citizenReplies(
                to: stored, body: "Foto sudah saya kirim lewat email.")
            stored = try #require(try await o.scope.find(DeskCase.self, item.id))
            #expect(stored.status == .diverifikasi && stored.pausedLeft == nil)
            #expect(stored.dueAt == app.clock.now().addingTimeInterval(6 * 86_400))  // Tuesday 23 June 09.00

            // routed, followed up, done: each step in the history with who and when
            let route = try await officer.post(action, form: ["aksi": "teruskan"])
            #expect(route.status == .unprocessableEntity && route.body.string.contains("Pilih unit kerja."))
            #expect(
                try await officer.post(action, form: ["aksi": "teruskan", "unit": o.roads.id!.uuidString]).status
                    == .seeOther)
            for step in ["tindak-lanjut", "selesai"] {
                #expect(try await officer.post(action, form: ["aksi": step]).status == .seeOther, "\(step)")
            }
            stored = try #require(try await o.scope.find(DeskCase.self, item.id))
            #expect(stored.status == .selesai && stored.dueAt == nil && stored.closedAt == app.clock.now())
            let history = try await o.scope.query(DeskEvent.self).filter(\.$caseID == item.id!).sort(\.$at).all()
            #expect(
                history.map(\.to) == [
                    .baru, .diverifikasi, .menungguWarga, .diverifikasi, .diteruskan, .ditindaklanjuti, .selesai,
                ])
            #expect(history.filter { $0.actorID == o.officer.id }.count == 5)
            #expect(history[3].actorID == nil)  // the citizen's answer resumed it

            // the citizen reads the steps and the request for a photo
            let citizen = try await Browser(app).get(CitizenPage.address(slug, number: item.number, secret: secret))
            #expect(citizen.body.string.contains("Mohon kirim foto lokasi.") && citizen.body.string.contains("Selesai"))
            // closed: no more steps but notes
            #expect(try await officer.post(action, form: ["aksi": "verifikasi"]).status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.all)
    func repliesReachTheCitizenAndInternalNotesNever(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await Self.office(app)
            let slug = o.tenant.routeSlug
            let (item, secret) = try await Self.report(o, app, text: "Jalan di RT 03 banjir setiap hujan deras.")
            let officer = try await Given(app).browser(signedInAs: o.officer)
            let write = DeskRoute.officeWrite(slug, .value(CaseNumber(item.number)!)).path
            #expect(
                try await officer.post(
                    write, form: ["body": "Tim kami akan meninjau lokasi Kamis.", "jenis": "balasan"]
                )
                .status == .seeOther)
            #expect(
                try await officer.post(write, form: ["body": "Koordinasi dengan BPBD dulu.", "jenis": "catatan"]).status
                    == .seeOther)
            let empty = try await officer.post(write, form: ["body": "  ", "jenis": "balasan"])
            #expect(empty.status == .unprocessableEntity)
            let page = try await officer.get(Self.casePath(o, item)).body.string
            #expect(page.contains("Tim kami akan meninjau") && page.contains("Catatan internal Petugas Jalan"))

            let address = CitizenPage.address(slug, number: item.number, secret: secret)
            let citizen = try await Browser(app).get(address).body.string
            #expect(citizen.contains("Tim kami akan meninjau lokasi Kamis.") && !citizen.contains("BPBD"))
            let api = APIClient(app: app, headers: [:])
            let seen = try await api.call(
                .GET,
                DeskAPIRoute.citizenCase(slug, .value(CaseNumber(item.number)!)).path + "?secret=" + secret)
            #expect(seen.status == .ok && !String(decoding: seen.body, as: UTF8.self).contains("BPBD"))
            #expect((seen["messages"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func casesGoOnlyToTheirUnitsOfficers(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await Self.office(app)
            let slug = o.tenant.routeSlug
            let (item, _) = try await Self.report(o, app, text: "Jalan desa putus karena longsor kemarin sore.")
            let admin = try await Given(app).browser(signedInAs: o.admin)
            let assign = DeskRoute.officeAssign(slug, .value(CaseNumber(item.number)!)).path
            let wrong = try await admin.post(assign, form: ["petugas": o.otherOfficer.id!.uuidString])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("petugas unitnya"))
            #expect(try await admin.post(assign, form: ["petugas": o.officer.id!.uuidString]).status == .seeOther)
            #expect(try await o.scope.find(DeskCase.self, item.id)?.assigneeID == o.officer.id)
            let assigned = PersonNotification.query(on: app.db).filter(\.$messageKey == "desk.notify.assigned")
            #expect(try await assigned.all().map(\.personID) == [o.officer.id!])
            let officer = try await Given(app).browser(signedInAs: o.officer)
            let mine = try await officer.get(DeskRoute.queue(slug).path(query: ["saya": "1"])).body.string
            #expect(mine.contains(item.number))
            // routed elsewhere, it leaves the officer's queue and its assignment
            let action = DeskRoute.officeAction(slug, .value(CaseNumber(item.number)!)).path
            #expect(try await admin.post(action, form: ["aksi": "verifikasi"]).status == .seeOther)
            #expect(
                try await admin.post(action, form: ["aksi": "teruskan", "unit": o.health.id!.uuidString]).status
                    == .seeOther)
            let moved = try #require(try await o.scope.find(DeskCase.self, item.id))
            #expect(moved.unitID == o.health.id && moved.assigneeID == nil)
            let routed = try await PersonNotification.query(on: app.db).filter(\.$personID == o.otherOfficer.id!).all()
            #expect(routed.map(\.messageKey) == ["desk.notify.routed"])
            #expect(try await officer.get(Self.casePath(o, item)).status == .notFound)
            let health = try await Given(app).browser(signedInAs: o.otherOfficer)
            #expect(try await health.get(Self.casePath(o, item)).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAPIGivesTheQueueAndTheWorkWithTheSameRules(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await Self.office(app)
            let slug = o.tenant.routeSlug
            let (road, _) = try await Self.report(o, app, text: "Jalan tol lingkar macet karena perbaikan.")
            let (anonymous, _) = try await Self.report(
                o, app, text: "Pungutan liar di jalan masuk puskesmas oleh oknum.", privacy: "anonymous")
            let (other, _) = try await Self.report(o, app, category: "kesehatan")
            let officer = try await Given(app).api(as: o.officer)
            let queue = try await officer.call(.GET, DeskAPIRoute.queue(slug).path)
            let numbers = (queue["items"] as? [[String: Any]])?.compactMap { $0["number"] as? String } ?? []
            #expect(queue.status == .ok && Set(numbers) == [road.number, anonymous.number])
            #expect(queue["total"] as? Int == 2)
            // hostile filters are refused by the one parser, naming the parameter
            for bad in ["status=terbang", "unit=abc", "overdue=mungkin", "page=-1", "channel=", "category=" + "9"] {
                let refused = try await officer.call(.GET, DeskAPIRoute.queue(slug).path + "?" + bad)
                #expect(refused.status == .badRequest, "\(bad)")
            }
            // overdue: on Sunday the road cases are past their three working days (Thursday)
            o.time.advance(6 * 86_400)
            let late = try await officer.call(.GET, DeskAPIRoute.queue(slug).path + "?overdue=true")
            #expect((late["items"] as? [[String: Any]])?.first?["overdue"] as? Bool == true)
            #expect(((late["items"] as? [[String: Any]])?.first?["working_seconds_left"] as? Int ?? 0) < 0)

            let casePath = DeskAPIRoute.officeCase(slug, .value(CaseNumber(anonymous.number)!)).path
            let seen = try await officer.call(.GET, casePath)
            let body = String(decoding: seen.body, as: UTF8.self)
            #expect(seen.status == .ok && seen["contact"] as? String == "" && !body.contains("Siti"))
            #expect(!body.contains("0812") && seen["actions"] as? [String] == ["verifikasi", "tunggu-warga", "tolak"])
            #expect(
                try await officer.call(.GET, DeskAPIRoute.officeCase(slug, .value(CaseNumber(other.number)!)).path)
                    .status == .notFound)

            let actions = DeskAPIRoute.officeActions(slug, .value(CaseNumber(anonymous.number)!)).path
            #expect(try await officer.call(.POST, actions, ["action": "selesai"]).status == .conflict)
            let verified = try await officer.call(.POST, actions, ["action": "verifikasi"])
            #expect(verified.status == .ok && verified["status"] as? String == "diverifikasi")
            let messages = DeskAPIRoute.officeMessages(slug, .value(CaseNumber(anonymous.number)!)).path
            let noted = try await officer.call(.POST, messages, ["body": "Cek CCTV.", "internal": true])
            #expect(noted.status == .created)
            #expect((noted["messages"] as? [[String: Any]])?.last?["direction"] as? String == "note")
            let assignee = DeskAPIRoute.officeAssignee(slug, .value(CaseNumber(anonymous.number)!)).path
            let assigned = try await officer.call(.PUT, assignee, ["person_id": o.officer.id!.uuidString])
            #expect(assigned.status == .ok && assigned["assignee"] as? String == o.officer.name)
            #expect(
                try await officer.call(.PUT, assignee, ["person_id": o.learner.id!.uuidString]).status
                    == .unprocessableEntity)
            // a member who is no officer, and a visitor, are refused
            let learner = try await Given(app).api(as: o.learner)
            #expect(try await learner.call(.GET, DeskAPIRoute.queue(slug).path).status == .forbidden)
            #expect(
                try await APIClient(app: app, headers: [:]).call(.GET, DeskAPIRoute.queue(slug).path).status
                    == .unauthorized)
        }
    }

    /// Verifies, follows up and finishes a case as the roads officer.
    static func finish(_ o: Office, _ item: DeskCase, _ app: Application) async throws {
        let access = DeskAccess(personID: o.officer.id!, coordinator: false, units: [o.roads.id!])
        let work = CaseWork(scope: o.scope, now: app.clock.now(), access: access)
        var current = item
        // from new: verified, followed up, done; from reopened: followed up, done
        for action in [CaseAction.verify, .followUp, .finish]
        where Lifecycle.next(action, from: current.status) != nil {
            current = try await work.take(action, on: current, unit: nil, note: nil)
        }
    }

    @Test func theQueueFilterIsReadByOneParser() throws {
        // the page's form sends blanks for "any"; the API refuses them
        let form = ["status": "", "unit": "", "kategori": "", "kanal": "", "terlambat": "1"]
        let filter = try QueueFilter.read({ form[$0] }, names: .page, formBlanks: true)
        #expect(filter.state == .terbuka && filter.unit == nil && filter.channel == nil && filter.overdue)
        #expect(throws: InputError.self) {
            try QueueFilter.read({ ["status": ""][$0] }, names: .api, formBlanks: false)
        }
        let id = UUID()
        let api = ["status": "MENUNGGU_WARGA", "unit": id.uuidString, "channel": "whatsapp", "mine": "0", "page": "3"]
        let read = try QueueFilter.read({ api[$0] }, names: .api, formBlanks: false)
        #expect(read.state == .menungguWarga && read.unit == id && read.channel == .whatsapp && !read.mine)
        #expect(read.page == 3)
        for (name, hostile) in [
            ("status", String(repeating: "a", count: 10_000)), ("kanal", "\u{0}"), ("halaman", "99999999999999999999"),
            ("halaman", "-1"), ("unit", "../../etc"), ("terlambat", "mungkin"), ("kategori", "1e3"),
        ] {
            let error = #expect(throws: InputError.self) {
                try QueueFilter.read({ [name: hostile][$0] }, names: .page, formBlanks: true)
            }
            #expect(error?.status == .badRequest && error?.problems.first?.field == name, "\(name)")
        }
    }
}
