import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// The citizen's side of the service desk: an administrator turns it on; a citizen without an
/// account reports on the web or through the API, gets a number without gaps and a secret,
/// follows the case and adds to it; privacy modes keep the reporter apart; robots and floods
/// are refused.
@Suite("Service desk: citizens")
struct CitizenDeskTests {
    static let text = "Lampu jalan di Jl. Merdeka depan SDN 3 padam sejak sepekan, rawan kecelakaan malam hari."

    /// A tenant with its desk on, at Monday 8 June 2026 09.00 WIB.
    static func desk(_ app: Application) async throws -> (Tenant, ManualTime) {
        let (clock, time) = ServerClock.manual(Date(timeIntervalSince1970: 1_780_884_000))
        app.clock = clock
        app.jobs.startsWorker = false
        let tenant = try await Given(app).tenant()
        try await DeskSetup.enable(TenantScope(tenantID: try tenant.requireID(), db: app.db), now: clock.now())
        return (tenant, time)
    }

    static func form(_ extra: [String: String] = [:]) -> [String: String] {
        ["kind": "aduan", "category": "infrastruktur", "text": text, "privacy": "public", "phone": "0812-3456-7890"]
            .merging(extra) { $1 }
    }

    @Test(arguments: TestDatabase.all)
    func anAdministratorTurnsTheDeskOnAndACitizenReportsAndFollowsTheCase(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let slug = tenant.routeSlug
            let citizen = Browser(app)
            #expect(try await citizen.get(DeskRoute.desk(slug).path).status == .notFound)

            // the administrator turns it on (a learner may not)
            let learner = try await given.browser(signedInAs: try await given.person(in: tenant))
            #expect(try await learner.post(DeskRoute.setup(slug).path).status == .forbidden)
            let admin = try await given.browser(
                signedInAs: try await given.person("Admin", in: tenant, roles: [.admin]))
            #expect(try await admin.get(DeskRoute.setup(slug).path).body.string.contains("Aktifkan layanan pengaduan"))
            #expect(try await admin.post(DeskRoute.setup(slug).path).status == .seeOther)
            let setup = try await admin.get(DeskRoute.setup(slug).path).body.string
            #expect(setup.contains("Layanan pengaduan aktif") && setup.contains("Kependudukan, Perizinan"))
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            #expect(try await scope.query(DeskCategory.self).count() == 5)
            #expect(
                try await scope.query(DeskHoliday.self).filter(\.$day == "\(LocalDates.year(of: Date()))-08-17").count()
                    == 1)

            // a citizen: every problem at once, then a good report
            let page = try await citizen.get(DeskRoute.desk(slug).path)
            #expect(page.status == .ok && page.body.string.contains("Kirim laporan"))
            let bad = try await citizen.post(DeskRoute.desk(slug).path, form: ["text": "Rusak", "nik": "12"])
            let problems = bad.body.string
            #expect(bad.status == .unprocessableEntity)
            for message in [
                "Pilih kategori laporan.", "Isi laporan terlalu singkat", "NIK terdiri dari 16 angka.",
                "Isi nomor HP atau email",
            ] {
                #expect(problems.contains(message), "\(message)")
            }
            #expect(try await DeskCase.query(on: app.db).count() == 0)
            let sent = try await citizen.post(DeskRoute.desk(slug).path, form: Self.form())
            #expect(sent.status == .seeOther)
            let address = try #require(sent.headers.first(name: .location))
            let year = LocalDates.year(of: Date())
            #expect(address.hasPrefix("/layanan/\(tenant.slug)/aduan/ADU-\(year)-000001?kode="))
            let view = try await citizen.get(address)
            let body = view.body.string
            #expect(view.status == .ok && body.contains("ADU-\(year)-000001") && body.contains("Baru"))
            #expect(body.contains("Laporan Anda diterima dengan nomor ADU-") && body.contains(Self.text))
            #expect(view.headers.first(name: "Referrer-Policy") == "no-referrer")
            #expect(view.headers.first(name: .cacheControl) == "no-store")
            #expect(body.contains("Batas waktu tahap ini") && view.headers.first(name: "X-Robots-Tag") == "noindex")

            // the secret is the key: without it, or wrong, nothing
            let bare = "/layanan/\(tenant.slug)/aduan/ADU-\(year)-000001"
            #expect(try await citizen.get(bare).status == .notFound)
            #expect(try await citizen.get(bare + "?kode=salah").status == .notFound)
            let secret = String(address.split(separator: "=").last!)
            #expect(secret.count == 14 && secret.filter { $0 == "-" }.count == 2)
            // typed back from paper: lower case, spaces for dashes
            let typed = secret.lowercased().replacingOccurrences(of: "-", with: " ")
            let found = try await citizen.get(
                DeskRoute.lookUp(slug).path(query: ["nomor": " adu-\(year)-000001 ", "kode": typed]))
            #expect(found.status == .seeOther)
            #expect(try await citizen.get(try #require(found.headers.first(name: .location))).status == .ok)
            let missing = try await citizen.get(
                DeskRoute.lookUp(slug).path(query: ["nomor": "ADU-\(year)-000002", "kode": secret]))
            let back = try #require(missing.headers.first(name: .location))
            #expect(
                try await citizen.get(back).body.string.contains("Laporan dengan nomor dan kode itu tidak ditemukan."))

            // the citizen adds to it
            let reply = "\(bare)/balas"
            let empty = try await citizen.post(reply, form: ["kode": secret, "body": " "])
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("Tuliskan keterangan Anda."))
            #expect(try await citizen.post(reply, form: ["kode": "salah", "body": "Tambahan"]).status == .notFound)
            #expect(
                try await citizen.post(reply, form: ["kode": secret, "body": "Foto menyusul besok."]).status
                    == .seeOther)
            #expect(try await citizen.get(address).body.string.contains("Foto menyusul besok."))
            #expect(try await DeskMessage.query(on: app.db).count() == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func numbersFollowEachOtherWithoutGapsUnderConcurrentReports(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let (tenant, _) = try await Self.desk(app)
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            var good = Report()
            (good.category, good.text, good.email) = ("perizinan", Self.text, "warga@contoh.id")
            var bad = good
            bad.category = "tidak-ada"
            // a refused report takes no number
            let refused = bad
            await #expect(throws: InputError.self) {
                try await Intake(scope: scope, now: app.clock.now()).open(refused, channel: .web, source: "10.0.0.1")
            }
            let report = good
            // Twelve reports, four at a time: they meet on the counter's row, and a loaded machine
            // (the whole suite at once on PostgreSQL) does not run out the pool's wait for a
            // connection behind a queue of twelve.
            let make = { @Sendable (n: Int) async throws -> String in
                try await Intake(scope: scope, now: app.clock.now()).open(report, channel: .web, source: "10.0.1.\(n)")
                    .case.number
            }
            try await withThrowingTaskGroup(of: String.self) { group in
                for n in 0..<4 { group.addTask { try await make(n) } }
                var numbers: [String] = []
                for try await number in group {
                    numbers.append(number)
                    let n = numbers.count + 3
                    if n < 12 { group.addTask { try await make(n) } }
                }
                #expect(numbers.sorted() == (1...12).map { "ADU-2026-" + String(format: "%06d", $0) })
            }
            // another tenant counts from one
            let (other, _) = try await Self.desk(app)
            let first = try await Intake(
                scope: TenantScope(tenantID: try other.requireID(), db: app.db), now: app.clock.now()
            )
            .open(good, channel: .web, source: nil)
            #expect(first.case.number == "ADU-2026-000001")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theReporterIsKeptApartAndAnAnonymousOneIsHiddenFromTheCase(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let (tenant, _) = try await Self.desk(app)
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            var report = Report()
            (report.category, report.text, report.privacy) = ("kependudukan", Self.text, "anonymous")
            (report.name, report.phone, report.nik) = ("Siti Aminah", "+62 812 3456 7890", "3201234567890001")
            let anonymous = try await Intake(scope: scope, now: app.clock.now()).open(
                report, channel: .web, source: nil)
            #expect(anonymous.case.contactMasked == "" && !anonymous.case.text.contains("Siti"))
            let reporter = try #require(try await scope.query(DeskReporter.self).first())
            #expect(
                reporter.phone == "081234567890" && reporter.nik == "3201234567890001" && reporter.name == "Siti Aminah"
            )
            report.privacy = "public"
            let open = try await Intake(scope: scope, now: app.clock.now()).open(report, channel: .web, source: nil)
            #expect(open.case.contactMasked == "0812****7890")
            // the code is kept only as a hash salted with the case
            #expect(!open.case.secretHash.isEmpty && open.case.secretHash != SecretToken.hash(open.secret))
            // the first stage is due in three working days from Monday 09.00: Thursday 09.00
            #expect(open.case.dueAt == open.case.createdAt.addingTimeInterval(3 * 86_400))
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAPITakesAReportWithoutATokenAndShowsItOnlyWithItsSecret(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let (tenant, _) = try await Self.desk(app)
            let slug = tenant.routeSlug
            let api = APIClient(app: app, headers: [:])
            let made = try await api.call(
                .POST, DeskAPIRoute.cases(slug).path,
                [
                    "category": "kesehatan", "text": Self.text, "privacy": "confidential",
                    "contact": ["channel": "web", "email": "Warga@Contoh.id"],
                ])
            #expect(made.status == .created)
            let number = try #require(made["number"] as? String)
            let secret = try #require(made["secret"] as? String)
            #expect(number == "ADU-2026-000001" && made["status"] as? String == "baru" && made["due_at"] != nil)
            let path = DeskAPIRoute.citizenCase(slug, .value(try #require(CaseNumber(number)))).path
            let seen = try await api.call(.GET, path + "?secret=" + secret)
            #expect(
                seen.status == .ok && seen["status"] as? String == "baru" && seen["category"] as? String == "Kesehatan")
            #expect((seen["messages"] as? [[String: Any]])?.first?["from"] as? String == "citizen")
            #expect(try await api.call(.GET, path).status == .notFound)
            #expect(try await api.call(.GET, path + "?secret=x").status == .notFound)
            let refused = try await api.call(.POST, DeskAPIRoute.cases(slug).path, ["text": "x", "latitude": 52.5])
            #expect(refused.status == .unprocessableEntity)
            #expect(Set(refused.fields).isSuperset(of: ["category", "text", "latitude", "contact"]))
            let channel = try await api.call(
                .POST, DeskAPIRoute.cases(slug).path,
                [
                    "category": "kesehatan", "text": Self.text,
                    "contact": ["channel": "whatsapp", "phone": "08123456789"],
                ])
            #expect(channel.status == .unprocessableEntity && channel.fields == ["contact.channel"])
            // a form another site's page posts is not taken
            let form = try await Browser(app).post(
                DeskAPIRoute.cases(slug).path,
                form: ["category": "kesehatan", "text": Self.text, "contact[email]": "a@b.id"],
                csrf: false)
            #expect(form.status == .unsupportedMediaType)
            #expect(try await api.call(.POST, DeskAPIRoute.cases(slug).path, ["category": 7]).status == .badRequest)
            // a desk that is off answers nothing
            let off = try await Given(app).tenant()
            #expect(
                try await api.call(.POST, DeskAPIRoute.cases(off.routeSlug).path, ["text": Self.text]).status
                    == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func robotsAndFloodsFromOneAddressAreRefused(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let (tenant, _) = try await Self.desk(app)
            let citizen = Browser(app)
            let robot = try await citizen.post(
                DeskRoute.desk(tenant.routeSlug).path, form: Self.form(["situs": "http://spam.test"]))
            #expect(robot.status == .unprocessableEntity && robot.body.string.contains("Muat ulang halaman"))
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            var report = Report()
            (report.category, report.text, report.email) = ("lainnya", Self.text, "a@contoh.id")
            for _ in 0..<(Intake.reportsPerHour - 3) {
                _ = try await Intake(scope: scope, now: app.clock.now()).open(report, channel: .web, source: "10.9.9.9")
            }
            // six at once with three left under the limit: three go, three are refused
            let burst = report
            let accepted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        do {
                            _ = try await Intake(scope: scope, now: app.clock.now()).open(
                                burst, channel: .web, source: "10.9.9.9")
                            return true
                        } catch let error as InputError where error.status == .tooManyRequests { return false }
                    }
                }
                var count = 0
                for try await ok in group where ok { count += 1 }
                return count
            }
            #expect(accepted == 3)
            let flood = try await #require(throws: InputError.self) {
                try await Intake(scope: scope, now: app.clock.now()).open(report, channel: .web, source: "10.9.9.9")
            }
            #expect(flood.status == .tooManyRequests)
            // another address still reports
            _ = try await Intake(scope: scope, now: app.clock.now()).open(report, channel: .web, source: "10.9.9.10")
        }
    }

    @Test func caseNumbersAreReadStrictly() {
        #expect(CaseNumber("ADU-2026-000123") == CaseNumber(year: 2026, sequence: 123))
        #expect(CaseNumber("adu-2026-000123")?.description == "ADU-2026-000123")
        #expect(CaseNumber(year: 2026, sequence: 1_234_567).description == "ADU-2026-1234567")
        for hostile in [
            "", "ADU", "ADU-2026-", "ADU-2026-12345", "ADU-26-000123", "ADU-2026-000000", "ADU-2026-+00123",
            "ADU-2026-00012a", "XYZ-2026-000123", "ADU-2026-000123-1", "ADU-1999-000123", "ADU-2026-0000000001",
            String(repeating: "9", count: 5000), "ADU-２０２６-000123",
        ] {
            #expect(CaseNumber(hostile) == nil, "\(hostile.prefix(40))")
        }
    }

    @Test func identifiersAreMaskedToTellApartNotToReach() {
        #expect(Masking.nik("3201234567890001") == "3201********0001")
        #expect(Masking.phone("081234565678") == "0812****5678")
        // shorter numbers keep fewer digits, and the stars do not tell the length
        #expect(Masking.phone("0812345678") == "0812****78")
        #expect(Masking.phone("08123456789") == "0812****789")
        #expect(Masking.phone("0812345") == "*******")
        #expect(Masking.email("rina@contoh.go.id") == "r***@contoh.go.id")
        #expect(Masking.phone("0812") == "****")
        #expect(Report.digits("+62 812-3456-7890") == "081234567890")
        #expect(Report.digits("+62 0812-3456-7890") == "081234567890")
        #expect(Intake.source(of: "2001:db8:1:2:3:4:5:6", key: .init(size: .bits256)).count == 64)
    }
}
