import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongCatalog
@testable import GotongCredentials
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Who of an institution's people reached 20 JP: by person and unit, filtered, as CSV and in
/// the API, and a reminder to those below; and each person's year taken elsewhere (CSV, PDF,
/// SIASN).
@Suite("JP compliance and exports")
struct ComplianceTests {
    struct Staff {
        let tenant: Tenant
        let admin: Person
        let full: Person, partial: Person, none: Person
        let year: Int
    }

    /// Three people of one institution: 25 JP, 10 JP (and 15 waiting), none; and one of another
    /// institution with 30 JP, who must appear nowhere.
    static func staff(_ app: Application, _ given: Given) async throws -> Staff {
        let tenant = try await given.tenant("BKPSDM Kepatuhan")
        let admin = try await given.person("Admin Kepegawaian", in: tenant, roles: [.admin])
        admin.unitKerja = "Biro Umum"
        try await admin.save(on: app.db)
        func member(_ name: String, unit: String, nip: String) async throws -> Person {
            let person = try await given.person(name, in: tenant)
            (person.unitKerja, person.nip) = (unit, nip)
            try await person.save(on: app.db)
            return person
        }
        let full = try await member("Ani Lengkap", unit: "Biro Umum", nip: "199001152015032001")
        let partial = try await member("Budi Separuh", unit: "Biro Keuangan", nip: "199001152015031002")
        let none = try await member("Citra Belum", unit: "Biro Keuangan", nip: "199001152015032003")
        let year = LocalDates.year(of: app.clock.now())
        let now = app.clock.now()
        try await LedgerPageTests.fromElsewhere(
            full.requireID(), "Diklat Teknis", by: "LAN", type: "teknis", jp: 25, year: year, at: now, on: app.db)
        try await LedgerPageTests.fromElsewhere(
            partial.requireID(), "Seminar", by: "ANRI", type: "teknis", jp: 10, year: year, at: now, on: app.db)
        let waiting = try await LedgerPageTests.fromElsewhere(
            partial.requireID(), "Menunggu", by: "BPS", type: "teknis", jp: 15, year: year, at: now, on: app.db)
        waiting.status = .pending
        try await waiting.save(on: app.db)
        let elsewhere = try await given.tenant("Instansi Lain")
        let stranger = try await given.person("Orang Lain", in: elsewhere)
        try await LedgerPageTests.fromElsewhere(
            stranger.requireID(), "Lain", by: "LAN", type: "teknis", jp: 30, year: year, at: now, on: app.db)
        return Staff(tenant: tenant, admin: admin, full: full, partial: partial, none: none, year: year)
    }

    @Test(arguments: TestDatabase.all)
    func theDeskCountsVerifiedJPPerPersonAndUnit(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let s = try await Self.staff(app, given)
            let api = try await given.api(as: s.admin)
            let path = CredentialsAPIRoute.compliance(s.tenant.routeSlug).path

            // four people call it home (the administrator too); three are below 20 JP
            let table = try await api.call(.GET, path)
            #expect(table.status == .ok)
            #expect(
                table["people"] as? Int == 4 && table["below_target"] as? Int == 3 && table["matching"] as? Int == 4)
            let rows = try #require(table["rows"] as? [[String: Any]])
            #expect(rows.map { $0["jp"] as? Int } == [0, 0, 10, 25])
            #expect(rows.last?["name"] as? String == s.full.name && rows.last?["reached_target"] as? Bool == true)
            let units = try #require(table["units"] as? [[String: Any]])
            #expect(units.map { $0["unit"] as? String } == ["Biro Keuangan", "Biro Umum"])
            #expect(units.first?["people"] as? Int == 2 && units.first?["below_target"] as? Int == 2)
            #expect(units.first?["average_jp"] as? Double == 5.0)

            // filtered to a unit, to those below, by part of a NIP, and sorted by name
            let unit = try await api.call(.GET, path + "?unit=Biro%20Keuangan&order=name")
            #expect((unit["rows"] as? [[String: Any]])?.map { $0["name"] as? String } == [s.partial.name, s.none.name])
            let below = try await api.call(.GET, path + "?below=true&search=2015032003")
            #expect((below["rows"] as? [[String: Any]])?.map { $0["name"] as? String } == [s.none.name])
            let other = try await api.call(.GET, path + "?year=\(s.year - 1)")
            #expect(other["below_target"] as? Int == 4)

            // the page says the same and the CSV holds every matching person
            let browser = try await given.browser(signedInAs: s.admin)
            // (the page's form sends "all units" and no search as empty values)
            let form = try await browser.get(
                CredentialsRoute.ledgerDesk(s.tenant.routeSlug).path + "?tahun=\(s.year)&cari=&unit=&urut=name")
            #expect(form.status == .ok && form.body.string.contains("4 pegawai sesuai pilihan."))
            let page = try await browser.get(CredentialsRoute.ledgerDesk(s.tenant.routeSlug).path).body.string
            #expect(page.contains("4 pegawai dengan instansi asal ini; 3 belum mencapai 20 JP pada tahun \(s.year)."))
            #expect(page.contains(s.none.name) && page.contains("Kurang 20 JP") && !page.contains("Orang Lain"))
            let csv = try await browser.get(
                CredentialsRoute.complianceCSV(s.tenant.routeSlug).path + "?tahun=\(s.year)&kurang=true")
            #expect(csv.status == .ok)
            let lines = csv.body.string.split(separator: "\r\n")
            #expect(lines.count == 4)
            #expect(lines.contains { $0.contains(s.partial.name) && $0.contains("\"10\"") })
            #expect(!lines.contains { $0.contains(s.full.name) })

            // and only administrators of the institution see any of it
            let learner = try await given.api(as: s.none)
            #expect(try await learner.call(.GET, path).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func thePlatformSeesEveryInstitutionAgainstTheTarget(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let s = try await Self.staff(app, given)
            let operator_ = try await given.api(as: try await given.platformAdmin())
            let table = try await operator_.call(.GET, CredentialsAPIRoute.platformCompliance.path)
            #expect(table.status == .ok && table["target_jp"] as? Int == 20)
            let rows = try #require(table["institutions"] as? [[String: Any]])
            let mine = try #require(rows.first { $0["slug"] as? String == s.tenant.slug })
            #expect(mine["people"] as? Int == 4 && mine["below_target"] as? Int == 3)
            #expect(mine["average_jp"] as? Double == 8.8)
            let other = try #require(
                rows.first {
                    $0["name"] as? String == "Instansi Lain"
                        || ($0["name"] as? String)?.hasPrefix("Instansi Lain") == true
                })
            #expect(other["people"] as? Int == 1 && other["below_target"] as? Int == 0)
            let page = try await given.browser(signedInAs: try await given.platformAdmin())
                .get(CredentialsRoute.platformCompliance.path)
            #expect(page.status == .ok && page.body.string.contains(s.tenant.name))
            // an institution's administrator sees only their own desk
            let admin = try await given.api(as: s.admin)
            #expect(try await admin.call(.GET, CredentialsAPIRoute.platformCompliance.path).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aReminderReachesThoseBelowOnceADayInChunks(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            app.jobs.startsWorker = false
            let given = Given(app)
            let s = try await Self.staff(app, given)
            let browser = try await given.browser(signedInAs: s.admin)
            let remind = CredentialsRoute.remindBelowTarget(s.tenant.routeSlug).path

            // two administrators at once start one run
            let second = try await given.person("Admin Dua", in: s.tenant, roles: [.admin])
            let other = try await given.browser(signedInAs: second)
            async let mine = browser.post(remind)
            async let theirs = other.post(remind)
            #expect(try await [mine.status, theirs.status] == [.seeOther, .seeOther])
            #expect(try await ReminderRun.query(on: app.db).filter(\.$step == "start").count() == 1)
            #expect(try await QueuedJob.query(on: app.db).filter(\.$kind == LedgerReminders.job).count() == 1)
            try await ReminderRun.query(on: app.db).delete()
            try await QueuedJob.query(on: app.db).filter(\.$kind == LedgerReminders.job).delete()
            try await AuditEntry.query(on: app.db).filter(\.$action == "ledger.remind").delete()
            _ = try await browser.get(CredentialsRoute.ledgerDesk(s.tenant.routeSlug).path)  // (their messages read)

            // one click queues the reminders and is audited; a second the same day sends nothing
            #expect(try await browser.post(remind).status == .seeOther)
            #expect(
                try await browser.get(CredentialsRoute.ledgerDesk(s.tenant.routeSlug).path).body.string.contains(
                    "Pengingat sedang dikirim ke 4 pegawai."))
            #expect(try await browser.post(remind).status == .seeOther)
            #expect(
                try await browser.get(CredentialsRoute.ledgerDesk(s.tenant.routeSlug).path).body.string.contains(
                    "Pengingat sudah dikirim hari ini."))
            await JobQueue.runDue(app)

            // those below 20 JP are told what they still need; the one who reached it is not
            let notes = try await PersonNotification.query(on: app.db).filter(\.$messageKey == "notify.ledger.reminder")
                .all()
            #expect(
                Set(notes.map(\.personID)) == Set([s.partial.id, s.none.id, s.admin.id, second.id].compactMap { $0 }))
            #expect(notes.count == 4)
            let partial = try #require(notes.first { $0.personID == s.partial.id })
            #expect(
                partial.args.contains("\"short\":\"10\"") && partial.args.contains("\"jp\":\"10\""), "\(partial.args)")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "ledger.remind").count() == 1)

            // in chunks of one (another day's run), each person is reminded exactly once, also when
            // a chunk's job runs again after it committed
            try await PersonNotification.query(on: app.db).delete()
            var chunk = LedgerReminders.Chunk(tenantID: try s.tenant.requireID(), year: s.year, after: nil, size: 1)
            chunk.day = "2000-01-01"
            try await JobQueue.enqueue(LedgerReminders.job, chunk, on: app.db, at: app.clock.now())
            try await JobQueue.enqueue(LedgerReminders.job, chunk, on: app.db, at: app.clock.now())
            for _ in 0..<6 { await JobQueue.runDue(app) }
            let again = try await PersonNotification.query(on: app.db).filter(\.$messageKey == "notify.ledger.reminder")
                .all()
            #expect(again.count == 4 && Set(again.map(\.personID)).count == 4)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPersonTakesTheirYearAsCSVPDFAndSIASNRecords(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let s = try await Self.staff(app, given)
            // (and a course finished here, with its certificate)
            let built = try await given.course(in: s.tenant, "Etika ASN", activities: [.page("Satu")])
            let enrolment = try await EnrolmentService(db: app.db).enrol(
                s.partial, in: built.course, viewer: CatalogViewer(tenantIDs: [try s.tenant.requireID()]))
            #expect(enrolment.enrolment.status == .enrolled)
            let event = try CertificateTests.event(built, s.partial, at: app.clock.now())
            try await JPLedger(db: app.db).credit(event)
            let certificate = try #require(try await CertificateIssuer(db: app.db).issue(event, now: app.clock.now()))
            let browser = try await given.browser(signedInAs: s.partial)
            let query = "?tahun=\(s.year)"

            let csv = try await browser.get(CredentialsRoute.myLedgerCSV.path + query)
            #expect(csv.status == .ok && csv.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            let text = csv.body.string
            #expect(text.contains("Seminar") && text.contains("Menunggu") && text.contains(built.course.title))
            #expect(text.contains(certificate.number))

            let siasn = try await given.api(as: s.partial).call(.GET, CredentialsAPIRoute.mySIASN.path)
            #expect(siasn["nip"] as? String == s.partial.nip && siasn["tahun"] as? Int == s.year)
            let records = try #require(siasn["riwayatKursus"] as? [[String: Any]])
            #expect(records.count == 2, "the waiting record is not carried over")
            let course = try #require(records.first { $0["namaKursus"] as? String == built.course.title })
            #expect(course["nomorSertipikat"] as? String == certificate.number)
            #expect(course["jumlahJam"] as? Int == built.course.jp)
            #expect(course["institusiPenyelenggara"] as? String == s.tenant.name)
            #expect(course["jenisKursus"] as? String == "Pelatihan" && course["tahunKursus"] as? Int == s.year)
            let day = try #require(course["tanggalSelesaiKursus"] as? String)
            #expect(day.wholeMatch(of: /\d\d-\d\d-\d{4}/) != nil)
            let file = try await browser.get(CredentialsRoute.myLedgerSIASN.path + query)
            #expect(file.status == .ok && file.body.string.contains("\"riwayatKursus\""))

            let pdf = try await browser.get(CredentialsRoute.myLedgerPDF.path + query)
            #expect(pdf.status == .ok)
            let folder = try Peers.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("jp.pdf").path
            try Data(pdf.body.readableBytesView).write(to: URL(fileURLWithPath: path))
            #expect(try Peers.run("qpdf", ["--check", path]).status == 0)
            let read = try Peers.run("pdftotext", ["-layout", path, "-"]).output
            #expect(read.contains("Catatan pengembangan kompetensi \(s.year)") && read.contains(s.partial.name))
            #expect(read.contains("\(10 + built.course.jp) dari 20 JP") && read.contains(certificate.number))
        }
    }
}
