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

/// Learning done elsewhere: the person records it with its certificate; an administrator of
/// their home institution verifies or rejects it; only verified records count.
@Suite("Learning recorded from elsewhere")
struct ExternalLearningTests {
    static let pdf = Data("%PDF-1.4\n% sertifikat\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8)

    /// A valid form for a seminar finished `daysAgo` days ago.
    static func form(
        _ app: Application, title: String = "Seminar Nasional Kearsipan", jp: String = "8", daysAgo: Double = 10
    )
        -> [String: String]
    {
        let now = app.clock.now()
        return [
            "title": title, "kind": "seminar", "provider": "Arsip Nasional RI",
            "started_on": LocalDates.isoDay.string(from: now.addingTimeInterval(-(daysAgo + 1) * 86_400)),
            "completed_on": LocalDates.isoDay.string(from: now.addingTimeInterval(-daysAgo * 86_400)),
            "jp": jp, "competency_type": "teknis", "certificate_number": "ANRI/SEM/2026/117",
        ]
    }

    @Test(arguments: TestDatabase.all)
    func aRecordCountsOnceItsHomeInstitutionVerifiesIt(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let home = try await given.tenant("BKPSDM Uji")
            let learner = try await given.person("Pegawai Uji", in: home)
            let admin = try await given.person("Admin Kepegawaian", in: home, roles: [.admin])
            let browser = try await given.browser(signedInAs: learner)
            let year = LocalDates.year(of: app.clock.now().addingTimeInterval(-10 * 86_400))

            // the person records a seminar with its certificate as a PDF
            #expect(try await browser.get(CredentialsRoute.recordLearning.path).status == .ok)
            let saved = try await browser.upload(
                CredentialsRoute.recordLearning.path, field: "file", filename: "../sertifikat seminar.pdf",
                contentType: "application/pdf", data: Self.pdf, form: Self.form(app))
            #expect(saved.status == .seeOther)
            let entry = try #require(
                try await LedgerEntry.query(on: app.db).filter(\.$personID == learner.requireID()).first())
            #expect(entry.status == .pending && entry.source == .external && entry.jp == 8)
            #expect(entry.kind == "seminar" && entry.certificateNumber == "ANRI/SEM/2026/117")
            #expect(entry.fileName == "sertifikat seminar.pdf" && entry.year == year)

            // it shows as waiting and does not count yet; its file is the person's alone
            let page = try await browser.get(CredentialsRoute.myLedger.path + "?tahun=\(year)").body.string
            #expect(page.contains("Seminar Nasional Kearsipan") && page.contains("Menunggu verifikasi"))
            #expect(try await JPLedger(db: app.db).year(year, of: PersonID(learner.requireID())).totalJP == 0)
            let id = try #require(entry.id)
            let file = try await browser.get(CredentialsRoute.entryFile(.value(LedgerEntryID(id))).path)
            #expect(file.status == .ok && Data(file.body.readableBytesView) == Self.pdf)
            let stranger = try await given.browser(signedInAs: try await given.person(in: home))
            #expect(
                try await stranger.get(CredentialsRoute.entryFile(.value(LedgerEntryID(id))).path).status == .notFound)

            // another institution's administrator cannot see or decide it; a coordinator may not
            let elsewhere = try await given.tenant("Balai Lain")
            let otherAdmin = try await given.browser(
                signedInAs: try await given.person("Admin Lain", in: elsewhere, roles: [.admin]))
            let otherDesk = try await otherAdmin.get(CredentialsRoute.ledgerDesk(elsewhere.routeSlug).path)
            #expect(
                otherDesk.status == .ok && !otherDesk.body.string.contains("Seminar Nasional Kearsipan"),
                "\(otherDesk.body.string.suffix(600))")
            let mixed = CredentialsRoute.verifyEntry(elsewhere.routeSlug, .value(LedgerEntryID(id))).path
            #expect(try await otherAdmin.post(mixed).status == .notFound)
            let coordinator = try await given.browser(
                signedInAs: try await given.person("Koordinator", in: home, roles: [.pengelola]))
            #expect(try await coordinator.get(CredentialsRoute.ledgerDesk(home.routeSlug).path).status == .forbidden)

            // the home administrator sees it waiting, with its file, and verifies it
            let desk = try await given.browser(signedInAs: admin)
            let queue = try await desk.get(CredentialsRoute.ledgerDesk(home.routeSlug).path).body.string
            #expect(queue.contains("Seminar Nasional Kearsipan") && queue.contains(learner.name))
            let deskFile = CredentialsRoute.deskEntryFile(home.routeSlug, .value(LedgerEntryID(id))).path
            #expect(try await desk.get(deskFile).status == .ok)
            let verified = try await desk.post(
                CredentialsRoute.verifyEntry(home.routeSlug, .value(LedgerEntryID(id))).path)
            #expect(verified.status == .seeOther)

            // now it counts, the person is told, the act is audited, and it cannot be decided again
            #expect(try await JPLedger(db: app.db).year(year, of: PersonID(learner.requireID())).totalJP == 8)
            let notes = try await PersonNotification.query(on: app.db).filter(\.$personID == learner.requireID()).all()
            #expect(notes.map(\.messageKey) == ["notify.ledger.verified"])
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "ledger.verify").all()
            #expect(audit.count == 1 && audit.first?.tenantID == home.id && audit.first?.subject == learner.email)
            let api = try await given.api(as: admin)
            let again = try await api.call(
                .POST, CredentialsAPIRoute.verifyEntry(home.routeSlug, .value(LedgerEntryID(id))).path)
            #expect(again.status == .unprocessableEntity && again.fields == ["entry"])

            // and a verified record stays: the person cannot withdraw it
            let withdraw = try await given.api(as: learner).call(
                .DELETE, CredentialsAPIRoute.myEntry(.value(LedgerEntryID(id))).path)
            #expect(withdraw.status == .unprocessableEntity)
            #expect(try await LedgerEntry.find(id, on: app.db) != nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRejectionNeedsAReasonThePersonThenReads(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let home = try await given.tenant()
            let learner = try await given.person(in: home)
            let admin = try await given.api(as: try await given.person("Admin", in: home, roles: [.admin]))
            let own = try await given.api(as: learner)

            // recorded through the API (no file), then listed as waiting
            let made = try await own.call(
                .POST, CredentialsAPIRoute.myEntries.path,
                [
                    "title": "Webinar Literasi Digital", "kind": "webinar", "provider": "Kominfo",
                    "completed_on": LocalDates.isoDay.string(from: app.clock.now()), "jp": 2,
                    "competency_type": "sosial_kultural",
                ])
            #expect(made.status == .created && made["status"] as? String == "pending")
            let id = try #require((made["id"] as? String).flatMap(UUID.init(uuidString:)))
            let waiting = try await admin.call(.GET, CredentialsAPIRoute.pendingEntries(home.routeSlug).path)
            let items = try #require(waiting["entries"] as? [[String: Any]])
            #expect(items.count == 1 && items.first?["name"] as? String == learner.name)

            // a moment instead of a day is refused (in Jakarta it may be another day, or year)
            let moment = try await own.call(
                .POST, CredentialsAPIRoute.myEntries.path,
                [
                    "title": "Webinar", "kind": "webinar", "provider": "Kominfo",
                    "completed_on": "2025-12-31T18:00:00Z",
                    "jp": 2, "competency_type": "teknis",
                ])
            #expect(moment.status == .unprocessableEntity && moment.fields == ["completed_on"])

            // without a reason it is refused; with one, rejected, and the person reads why
            let path = CredentialsAPIRoute.rejectEntry(home.routeSlug, .value(LedgerEntryID(id))).path
            let blank = try await admin.call(.POST, path, ["reason": " "])
            #expect(blank.status == .unprocessableEntity && blank.fields == ["reason"])
            let rejected = try await admin.call(.POST, path, ["reason": "Sertifikat tidak dilampirkan"])
            #expect(rejected.status == .ok && rejected["status"] as? String == "rejected")
            #expect(rejected["reason"] as? String == "Sertifikat tidak dilampirkan")
            let page = try await given.browser(signedInAs: learner).get(CredentialsRoute.myLedger.path).body.string
            #expect(page.contains("Ditolak") && page.contains("Sertifikat tidak dilampirkan"))
            let notes = try await PersonNotification.query(on: app.db).filter(\.$personID == learner.requireID()).all()
            #expect(notes.map(\.messageKey) == ["notify.ledger.rejected"])

            // a rejected record can be withdrawn by its person, not by another
            let other = try await given.api(as: try await given.person(in: home))
            let theirs = try await other.call(.DELETE, CredentialsAPIRoute.myEntry(.value(LedgerEntryID(id))).path)
            #expect(theirs.status == .notFound)
            #expect(
                try await own.call(.DELETE, CredentialsAPIRoute.myEntry(.value(LedgerEntryID(id))).path).status
                    == .noContent)
            #expect(try await LedgerEntry.find(id, on: app.db) == nil)
        }
    }

    /// The same decisions through the web: the desk's reject form, and the person's withdraw
    /// button on their year's page.
    @Test(arguments: TestDatabase.all)
    func theDesksRejectFormAndThePersonsWithdrawButtonWork(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let home = try await given.tenant()
            let learner = try await given.person(in: home)
            let desk = try await given.browser(
                signedInAs: try await given.person("Admin", in: home, roles: [.admin]))
            let browser = try await given.browser(signedInAs: learner)
            for title in ["Seminar Ditolak", "Seminar Ditarik"] {
                let saved = try await browser.upload(
                    CredentialsRoute.recordLearning.path, field: "file", filename: "", contentType: "application/pdf",
                    data: Data(), form: Self.form(app, title: title))
                #expect(saved.status == .seeOther)
            }
            let entries = try await LedgerEntry.query(on: app.db).filter(\.$personID == learner.requireID()).all()
            let rejected = try #require(entries.first { $0.title == "Seminar Ditolak" }?.id)
            let withdrawn = try #require(entries.first { $0.title == "Seminar Ditarik" }?.id)

            // the desk rejects one with a reason (and refuses without one)
            let reject = CredentialsRoute.rejectEntry(home.routeSlug, .value(LedgerEntryID(rejected))).path
            #expect(try await desk.post(reject, form: ["reason": ""]).status == .seeOther)
            #expect(try await LedgerEntry.find(rejected, on: app.db)?.status == .pending)
            #expect(try await desk.post(reject, form: ["reason": "Bukan pelatihan kompetensi"]).status == .seeOther)
            let decided = try await LedgerEntry.find(rejected, on: app.db)
            #expect(decided?.status == .rejected && decided?.reason == "Bukan pelatihan kompetensi")

            // the person withdraws the other from their page; another person cannot
            let other = try await given.browser(signedInAs: try await given.person(in: home))
            let withdraw = CredentialsRoute.withdrawEntry(.value(LedgerEntryID(withdrawn))).path
            #expect(try await other.post(withdraw).status == .notFound)
            #expect(try await browser.post(withdraw).status == .seeOther)
            #expect(try await LedgerEntry.find(withdrawn, on: app.db) == nil)
            #expect(try await LedgerEntry.find(rejected, on: app.db) != nil)
        }
    }

    @Test
    func aFormThatIsWrongSaysWhereAndSavesNothing() async throws {
        try await withGotong(.sqlite) { app, _ in
            let given = Given(app)
            let home = try await given.tenant()
            let learner = try await given.person(in: home)
            let browser = try await given.browser(signedInAs: learner)
            let tomorrow = LocalDates.isoDay.string(from: app.clock.now().addingTimeInterval(86_400 * 2))
            var cases: [([String: String], String)] = []
            var missing = Self.form(app)
            missing["title"] = ""
            cases.append((missing, "Isi nama pelatihan."))
            var future = Self.form(app)
            future["completed_on"] = tomorrow
            cases.append((future, "harus sudah lewat"))
            var order = Self.form(app)
            (order["started_on"], order["completed_on"]) = (order["completed_on"], order["started_on"])
            cases.append((order, "Tanggal mulai"))
            for jp in ["0", "301", "dua", "-3", "1.5"] {
                var bad = Self.form(app)
                bad["jp"] = jp
                cases.append((bad, "bilangan bulat"))
            }
            var kind = Self.form(app)
            kind["kind"] = "lomba"
            cases.append((kind, "Pilih jenis"))
            for (form, message) in cases {
                let refused = try await browser.upload(
                    CredentialsRoute.recordLearning.path, field: "file", filename: "", contentType: "application/pdf",
                    data: Data(), form: form)
                #expect(refused.status == .unprocessableEntity, "\(form)")
                #expect(refused.body.string.contains(message), "\(message)")
            }
            // a file that is not a PDF or a picture is refused by its bytes, whatever its name
            let text = try await browser.upload(
                CredentialsRoute.recordLearning.path, field: "file", filename: "sertifikat.pdf",
                contentType: "application/pdf", data: Data("bukan pdf".utf8), form: Self.form(app))
            #expect(text.status == .unprocessableEntity && text.body.string.contains("PDF, JPG atau PNG"))
            // and a bad file and a bad field are named together
            var both = Self.form(app)
            both["provider"] = ""
            let together = try await browser.upload(
                CredentialsRoute.recordLearning.path, field: "file", filename: "a.pdf", contentType: "application/pdf",
                data: Data("bukan pdf".utf8), form: both)
            #expect(
                together.body.string.contains("PDF, JPG atau PNG")
                    && together.body.string.contains("Isi nama penyelenggara."))
            #expect(try await LedgerEntry.query(on: app.db).count() == 0)
        }
    }
}
