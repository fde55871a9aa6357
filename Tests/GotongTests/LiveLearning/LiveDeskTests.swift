import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongCatalog
@testable import GotongCredentials
@testable import GotongIdentity
@testable import GotongLiveLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Every web route of Live Learning, taken as the roles that use it: the coordinator plans a
/// programme and an episode, shows the code, enters and imports figures and reads the
/// effectiveness; anyone reads the public pages and the calendar; a civil servant claims.
@Suite("Live Learning pages")
struct LiveDeskTests {
    @Test(arguments: TestDatabase.all)
    func theStorefrontListsTheTenantsProgrammesOnceOneIsMade(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let storefront = CatalogRoute.storefront(tenant.routeSlug).path
            let guest = Browser(app)
            #expect(try await !guest.get(storefront).body.string.contains("/live/"))
            let desk = try await given.browser(
                signedInAs: try await given.person("Pengelola Live", in: tenant, roles: [.pengelola]))
            #expect(
                try await desk.post(
                    LiveRoute.desk(tenant.routeSlug).path, form: ["name": "Ngobrol Pintar ASN", "slug": "ngopi"]
                ).status == .seeOther)
            // the guest's shared page and the member's page both list it at once
            let listed = try await guest.get(storefront).body.string
            let link = LiveRoute.programme(tenant.routeSlug, .value(ProgrammeSlug("ngopi"))).path
            #expect(listed.contains("<h2>Live Learning</h2>") && listed.contains("href=\"\(link)\">Ngobrol Pintar ASN"))
            #expect(try await desk.get(storefront).body.string.contains(link))
            // renamed at the desk: the new name at once
            let settings = try await desk.post(
                LiveRoute.deskProgramme(tenant.routeSlug, .value(ProgrammeSlug("ngopi"))).path,
                form: [
                    "name": "Ngopi ASN", "slug": "ngopi", "cadence_days": "14", "default_minutes": "60",
                    "default_jp": "1", "claim_hours": "48",
                ])
            #expect(settings.status == .seeOther)
            #expect(try await guest.get(storefront).body.string.contains("\">Ngopi ASN</a>"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCoordinatorRunsAProgrammeAndALearnerClaimsOnTheWeb(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let (clock, time) = ServerClock.manual(Date(timeIntervalSince1970: 1_796_000_000))
            app.clock = clock
            app.jobs.startsWorker = false
            let given = Given(app)
            let tenant = try await given.tenant()
            let slug = tenant.routeSlug
            let coordinator = try await given.person("Pengelola Live", in: tenant, roles: [.pengelola])
            let desk = try await given.browser(signedInAs: coordinator)

            // the desk: a programme is made (a bad slug first), then its settings are saved
            #expect(try await desk.get(LiveRoute.desk(slug).path).status == .ok)
            let bad = try await desk.post(LiveRoute.desk(slug).path, form: ["name": "Live", "slug": "Bukan Slug"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("huruf kecil"))
            let made = try await desk.post(
                LiveRoute.desk(slug).path, form: ["name": "Live Learning Uji", "slug": "live-uji"])
            #expect(made.status == .seeOther)
            let p = Param.value(ProgrammeSlug("live-uji"))
            let settings = try await desk.post(
                LiveRoute.deskProgramme(slug, p).path,
                form: [
                    "name": "Live Learning Uji", "slug": "live-uji", "cadence_days": "14",
                    "cadence_anchor": "2026-12-01T13:00", "default_minutes": "60", "default_jp": "2",
                    "claim_hours": "48", "instagram": "@uji_live",
                ])
            #expect(settings.status == .seeOther)
            let page = try await desk.get(LiveRoute.deskProgramme(slug, p).path)
            #expect(page.status == .ok && page.body.string.contains("Jadwal berikutnya menurut pola program"))

            // an episode is planned (every problem at once first)
            let wrong = try await desk.post(
                LiveRoute.newEpisode(slug, p).path, form: ["number": "x", "topic": "", "starts_at": "besok"])
            #expect(wrong.status == .unprocessableEntity)
            let planned = try await desk.post(
                LiveRoute.newEpisode(slug, p).path,
                form: [
                    "number": "1", "topic": "Etika ASN di media sosial", "starts_at": "2026-12-01T13:00",
                    "speakers": "Dr. Rina Kusuma, M.Si. | Widyaiswara Ahli Utama | LAN", "minutes": "60", "jp": "2",
                ])
            #expect(planned.status == .seeOther)
            let n = Param.value(EpisodeNumber(1))
            let episode = try #require(try await LiveEpisode.query(on: app.db).filter(\.$number == 1).first())
            #expect(episode.jp == 2 && episode.speakers.first?.institution == "LAN")
            let episodePage = try await desk.get(LiveRoute.deskEpisode(slug, p, n).path)
            #expect(episodePage.status == .ok && episodePage.body.string.contains("Tampilkan kode kehadiran"))
            let saved = try await desk.post(
                LiveRoute.deskEpisode(slug, p, n).path,
                form: EpisodeForm.values(of: episode).merging([
                    "status": "live", "youtube_url": "https://www.youtube.com/watch?v=Ab3dEf9hIj0",
                ]) { _, new in new })
            #expect(saved.status == .seeOther)
            let badLink = try await desk.post(
                LiveRoute.deskEpisode(slug, p, n).path,
                form: EpisodeForm.values(of: episode).merging(["youtube_url": "javascript:alert(1)"]) { _, new in new })
            #expect(badLink.status == .unprocessableEntity && badLink.body.string.contains("https://"))
            let code = try #require(try await LiveEpisode.find(episode.id, on: app.db)).code
            let host = try await desk.get(LiveRoute.hostCode(slug, p, n).path)
            #expect(host.status == .ok && host.body.string.contains(AttendanceCode.spaced(code)))

            // anyone reads the public pages and the calendar, never the code
            let visitor = Browser(app)
            for path in [
                LiveRoute.programmes(slug).path, LiveRoute.programme(slug, p).path, LiveRoute.episode(slug, p, n).path,
            ] {
                let response = try await visitor.get(path)
                #expect(response.status == .ok && response.body.string.contains("Etika ASN") || path.hasSuffix("/live"))
                #expect(!response.body.string.contains(code))
            }
            let ics = try await visitor.get(LiveRoute.calendar(slug, p).path)
            #expect(ics.headers.contentType?.subType == "calendar" && ics.body.string.contains("BEGIN:VEVENT"))
            #expect(!ics.body.string.contains(code))

            // a signed-out visitor is sent to sign in to claim; a learner claims with the code
            #expect(try await visitor.get(LiveRoute.claim(slug, p, n).path).status == .seeOther)
            time.advance(episode.startsAt.timeIntervalSince(clock.now()) + 30 * 60)
            let learner = try await given.person("Peserta Live", in: tenant)
            let web = try await given.browser(signedInAs: learner)
            #expect(try await web.get(LiveRoute.claim(slug, p, n).path).body.string.contains("Kode kehadiran"))
            let miss = try await web.post(LiveRoute.claim(slug, p, n).path, form: ["code": "ZZZZZ1"])
            #expect(miss.status == .unprocessableEntity && miss.body.string.contains("Sisa percobaan: 4"))
            let claimed = try await web.post(LiveRoute.claim(slug, p, n).path, form: ["code": code.lowercased()])
            #expect(claimed.status == .seeOther)
            await JobQueue.runDue(app)
            #expect(try await web.get(LiveRoute.claim(slug, p, n).path).body.string.contains("sudah tercatat") == false)
            #expect(try await web.get(LiveRoute.claim(slug, p, n).path).body.string.contains("tercatat pada"))

            // the coordinator sees the claim with its certificate, and downloads the list
            let withClaim = try await desk.get(LiveRoute.deskEpisode(slug, p, n).path)
            #expect(withClaim.body.string.contains("Peserta Live") && withClaim.body.string.contains("/2026/"))
            let csv = try await desk.get(LiveRoute.claimsCSV(slug, p, n).path)
            #expect(csv.headers.contentType?.subType == "csv" && csv.body.string.contains(learner.email))

            // figures by hand (a bad one refused), then a CSV import, then the effectiveness
            let figures = LiveRoute.figures(slug, p, n, .value(.instagram)).path
            let badFigure = try await desk.post(figures, form: ["accounts_reached": "banyak"])
            #expect(badFigure.status == .unprocessableEntity)
            #expect(
                try await desk.post(
                    figures, form: ["accounts_reached": "1.000", "peak_viewers": "300", "accounts_engaged": "150"]
                ).status == .seeOther)
            let csvFile = """
                episode,speakers,topic,date,platform,accounts_reached,peak_viewers,comments,accounts_engaged,\
                followers_gained
                1,Dr. Rina Kusuma,Etika ASN di media sosial,1/12/2026,youtube,400,80,8,40,2
                2,Budi,Menulis nota dinas,15/12/2026,instagram,800,80,8,80,2
                """
            let imported = try await desk.upload(
                LiveRoute.importFigures(slug, p).path, field: "file", filename: "angka.csv", contentType: "text/csv",
                data: Data(csvFile.utf8))
            #expect(imported.status == .seeOther)
            let refused = try await desk.upload(
                LiveRoute.importFigures(slug, p).path, field: "file", filename: "angka.csv", contentType: "text/csv",
                data: Data("episode,speakers\n1,x\n".utf8))
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Tidak ada yang disimpan"))
            let effect = try await desk.get(LiveRoute.effectiveness(slug, p).path)
            // both platforms together: 1.400 reached, 190 engaged (13,6%); YouTube alone: 400 and 10,0%
            #expect(effect.status == .ok && effect.body.string.contains("<svg") && effect.body.string.contains("1.400"))
            #expect(effect.body.string.contains("13,6%"))
            let one = try await desk.get(LiveRoute.effectiveness(slug, p).path + "?platform=youtube")
            #expect(one.status == .ok && one.body.string.contains("10,0%") && !one.body.string.contains("1.400"))
            #expect(effect.body.string.contains("Episode terbaik dan terlemah"))
            #expect(
                try await desk.get(LiveRoute.effectiveness(slug, p).path + "?platform=myspace").status == .badRequest)
            let effectCSV = try await desk.get(LiveRoute.effectivenessCSV(slug, p).path)
            #expect(effectCSV.body.string.contains("\"0.1500\"") && effectCSV.body.string.contains("\"youtube\""))
            let xlsx = try await desk.get(LiveRoute.effectivenessXLSX(slug, p).path)
            #expect(xlsx.status == .ok && Array(xlsx.body.readableBytesView.prefix(2)) == [0x50, 0x4B])

            // a learner is no keeper of the desk
            #expect(try await web.get(LiveRoute.desk(slug).path).status == .forbidden)
            #expect(try await web.get(LiveRoute.effectiveness(slug, p).path).status == .forbidden)
        }
    }
}
