import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// The desk's figures: the dashboard (tenant or unit), its CSV and XLSX, the public tracker and
/// the stats API count the same cases, with medians in working days of the desk's calendar.
@Suite("Service desk: dashboard, tracker and figures")
struct DeskStatsTests {
    struct Scene {
        let o: OfficeDeskTests.Office
        let road, health, lamp: DeskCase
    }

    /// Monday 8 June 2026 09.00: three reports — a road case and a lamp case (routed to the
    /// roads unit), a confidential health case. Verified after one, two and three working days
    /// (the health case refused on the third); the road case closed on the third and rated 4.
    static func scene(_ app: Application) async throws -> Scene {
        let o = try await OfficeDeskTests.office(app)
        let (road, _) = try await OfficeDeskTests.report(
            o, app, text: "Jalan berlubang di depan pasar Kosambi, bahaya.")
        let (health, _) = try await OfficeDeskTests.report(
            o, app, category: "kesehatan", text: "Puskesmas Cibeunying tutup sebelum jamnya, mohon ditertibkan.",
            privacy: "confidential")
        let (lamp, _) = try await OfficeDeskTests.report(
            o, app, text: "Jalan gelap: lampu penerangan di Jl. Riau padam.")
        let admin = DeskAccess(personID: o.admin.id!, coordinator: true, units: [])
        func work() -> CaseWork { CaseWork(scope: o.scope, now: app.clock.now(), access: admin) }
        o.time.advance(86_400)
        _ = try await work().take(.verify, on: road, unit: nil, note: nil)
        o.time.advance(86_400)
        _ = try await work().take(.verify, on: lamp, unit: nil, note: nil)
        o.time.advance(86_400)
        _ = try await work().take(.refuse, on: health, unit: nil, note: "Bukan kewenangan pemerintah kota.")
        let verified = try await o.scope.require(DeskCase.self, road.id)
        _ = try await work().take(.finish, on: verified, unit: nil, note: nil)
        try await CitizenVerdict(scope: o.scope, now: app.clock.now())
            .rate(try await o.scope.require(DeskCase.self, road.id), "4")
        return Scene(
            o: o, road: try await o.scope.require(DeskCase.self, road.id),
            health: try await o.scope.require(DeskCase.self, health.id),
            lamp: try await o.scope.require(DeskCase.self, lamp.id))
    }

    @Test(arguments: TestDatabase.all)
    func theFiguresCountTheCasesWithMediansInWorkingDays(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let s = try await Self.scene(app)
            #expect(s.road.verifySeconds == 8 * 3600 && s.lamp.verifySeconds == 16 * 3600)
            #expect(s.health.verifySeconds == 24 * 3600 && s.road.closeSeconds == 24 * 3600)
            let june = LocalDates.startOfDay("2026-06-01")!
            let july = LocalDates.startOfDay("2026-07-01")!
            let all = try await DeskStats.load(
                s.o.scope, from: june, to: july, unit: nil, dayLength: 8 * 3600, now: app.clock.now())
            #expect(all.received == 3 && all.closed == 2 && all.overdue == 0)
            #expect(all.medianVerifyDays == 2 && all.medianCloseDays == 3)
            #expect(all.rating == 4 && all.ratings == 1)
            #expect(all.byChannel == [.web: 3] && all.byStatus == [.selesai: 1, .ditolak: 1, .diverifikasi: 1])
            let roads = try await DeskStats.load(
                s.o.scope, from: june, to: july, unit: s.o.roads.id, dayLength: 8 * 3600, now: app.clock.now())
            #expect(roads.received == 2 && roads.closed == 1 && roads.medianVerifyDays == 1.5)
            // a month later the lamp case is past its follow-up deadline
            let later = try await DeskStats.load(
                s.o.scope, from: june, to: july, unit: nil, dayLength: 8 * 3600, now: july)
            #expect(later.overdue == 1)
            // a period before any case has none, and no medians
            let may = try await DeskStats.load(
                s.o.scope, from: LocalDates.startOfDay("2026-05-01")!, to: june, unit: nil, dayLength: 8 * 3600,
                now: app.clock.now())
            #expect(may.received == 0 && may.medianVerifyDays == nil && may.rating == nil)
            // another tenant's cases are not counted
            let other = try await Given(app).tenant("Pemda Lain")
            let otherScope = TenantScope(tenantID: other.id!, db: app.db)
            try await DeskSetup.enable(otherScope, now: app.clock.now())
            let none = try await DeskStats.load(
                otherScope, from: june, to: july, unit: nil, dayLength: 8 * 3600, now: app.clock.now())
            #expect(none.received == 0 && none.closed == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theDashboardIsForTheDesksPeopleEachToTheirUnitsWithItsDownloads(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let s = try await Self.scene(app)
            let slug = s.o.tenant.routeSlug
            let given = Given(app)
            let admin = try await given.browser(signedInAs: s.o.admin)
            let path = DeskRoute.dashboard(slug).path + "?dari=2026-06-01&sampai=2026-06-30"
            let page = try await admin.get(path)
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Aduan masuk") && html.contains("<dd>3</dd>") && html.contains("2,0 hari kerja"))
            #expect(html.contains("<svg") && html.contains("4,0 dari 1 penilaian"))
            // the roads officer sees the roads unit's figures only, and may not ask for another's
            let officer = try await given.browser(signedInAs: s.o.officer)
            let own = try await officer.get(path).body.string
            #expect(own.contains("<dd>2</dd>") && own.contains("Dinas PUPR"))
            #expect(try await officer.get(path + "&unit=\(s.o.health.id!)").status == .badRequest)
            #expect(try await officer.get(path + "&unit=\(s.o.roads.id!)").status == .ok)
            let learner = try await given.browser(signedInAs: s.o.learner)
            #expect(try await learner.get(path).status == .forbidden)
            #expect(try await Browser(app).get(path).status != .ok)
            // bad periods are refused by name
            let bad = try await admin.get(DeskRoute.dashboard(slug).path + "?dari=31-12-2026")
            #expect(bad.status == .badRequest && bad.body.string.contains("dari harus tanggal"))
            let backwards = try await admin.get(DeskRoute.dashboard(slug).path + "?dari=2026-06-10&sampai=2026-06-01")
            #expect(backwards.status == .badRequest)
            // the downloads say what the page says
            let csv = try await admin.get(DeskRoute.dashboardCSV(slug).path + "?dari=2026-06-01&sampai=2026-06-30")
            #expect(csv.status == .ok && csv.headers.contentType?.subType == "csv")
            let text = csv.body.string
            #expect(text.contains("\"Ringkasan\",\"Aduan masuk\",\"3\"\r\n"))
            #expect(text.contains("\"Ringkasan\",\"Median waktu verifikasi\",\"2\"\r\n"))
            #expect(text.contains("\"Menurut kategori\",\"Kesehatan\",\"1\"\r\n"))
            let xlsx = try await admin.get(DeskRoute.dashboardXLSX(slug).path + "?dari=2026-06-01&sampai=2026-06-30")
            #expect(xlsx.status == .ok && Array(xlsx.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
        }
    }

    @Test(arguments: TestDatabase.all)
    func theTrackerAndTheAPIShowFiguresAndOnlyTheCasesThatMayBeShown(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let s = try await Self.scene(app)
            let slug = s.o.tenant.routeSlug
            let citizen = Browser(app)
            let tracker = try await citizen.get(DeskRoute.tracker(slug).path + "?dari=2026-06-01&sampai=2026-06-30")
            #expect(tracker.status == .ok)
            let html = tracker.body.string
            #expect(html.contains(s.road.number) && html.contains(s.lamp.number) && html.contains(s.lamp.text))
            #expect(!html.contains(s.health.number) && !html.contains(s.health.text))
            #expect(!html.contains("Siti Aminah") && !html.contains("0812"))
            #expect(html.contains("<dd>3</dd>"))
            #expect(try await citizen.get(DeskRoute.tracker(slug).path + "?halaman=-1").status == .badRequest)
            #expect(try await citizen.get(DeskRoute.desk(slug).path).body.string.contains(DeskRoute.tracker(slug).path))

            // the figures are kept a minute: a new case counts once it is past, and the reader
            // who finds them past it is not kept waiting (the kept ones, recounted behind them)
            _ = try await OfficeDeskTests.report(s.o, app, text: "Jalan Dago berlubang di depan kampus, bahaya.")
            let period = DeskRoute.tracker(slug).path + "?dari=2026-06-01&sampai=2026-06-30"
            #expect(try await citizen.get(period).body.string.contains("<dd>3</dd>"))
            s.o.time.advance(61)
            #expect(try await citizen.get(period).body.string.contains("<dd>3</dd>"))
            await app.deskStatsCache.settled()
            #expect(try await citizen.get(period).body.string.contains("<dd>4</dd>"))
            s.o.time.advance(-61)
            let api = APIClient(app: app, headers: [:])
            let stats = try await api.call(.GET, DeskAPIRoute.stats(slug).path + "?from=2026-06-01&to=2026-06-30")
            #expect(stats.status == .ok)
            #expect(stats["received"] as? Int == 4 && stats["closed"] as? Int == 2)
            #expect(stats["median_verify_days"] as? Double == 2 && stats["median_close_days"] as? Double == 3)
            #expect(stats["rating"] as? Double == 4 && stats["from"] as? String == "2026-06-01")
            let categories = stats["by_category"] as? [[String: Any]] ?? []
            #expect(categories.first { $0["key"] as? String == "infrastruktur" }?["count"] as? Int == 3)
            let roads = try await api.call(
                .GET, DeskAPIRoute.stats(slug).path + "?from=2026-06-01&to=2026-06-30&unit=\(s.o.roads.id!)")
            #expect(roads["received"] as? Int == 3)
            for query in ["from=2026-13-01", "to=kemarin", "from=2026-06-10&to=2026-06-01", "unit=\(UUID())", "unit="] {
                #expect(try await api.call(.GET, DeskAPIRoute.stats(slug).path + "?" + query).status == .badRequest)
            }
            let off = try await Given(app).tenant("Tanpa Layanan")
            #expect(try await api.call(.GET, DeskAPIRoute.stats(off.routeSlug).path).status == .notFound)
            #expect(try await citizen.get(DeskRoute.tracker(off.routeSlug).path).status == .notFound)
        }
    }
}
