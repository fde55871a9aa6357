import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongCatalog
@testable import GotongLiveLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// The figures import (the programme's CSV, Instagram's insights, a YouTube Analytics report),
/// the effectiveness report built on it, and both as `gotong live` commands.
@Suite("Live Learning figures")
struct LiveImportTests {
    /// Two episodes on three platforms: both date forms, speakers by " dan " and ";", a name
    /// with commas in its titles, Indonesian thousands, and an empty cell (not reported).
    static let csv = """
        episode,speakers,topic,date,platform,accounts_reached,peak_viewers,comments,accounts_engaged,\
        followers_gained,views
        1,"Dr. Rina Kusuma, M.Si. dan Budi Santoso",Etika ASN di media sosial,2026-11-05,instagram,1.000,300,45,150,12,
        1,"Dr. Rina Kusuma, M.Si. dan Budi Santoso",Etika ASN di media sosial,5/11/2026,youtube,400,80,8,,2,950
        2,Sari Dewi; Andi Wijaya,Menulis nota dinas,19/11/2026,instagram,0,0,0,0,0,

        """

    @Test(arguments: TestDatabase.all)
    func aCSVMakesEpisodesAndFiguresOnceAndTheReportDerivesTheRates(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let tenant = try await Given(app).tenant()
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            let programme = try await Programmes.findOrMake("live-learning", in: scope, now: app.clock.now())
            let importer = FiguresImport(programme: programme, db: app.db, now: app.clock.now())
            let first = try await importer.run(Data(Self.csv.utf8), format: .csv)
            #expect(first.episodesCreated == 2 && first.figuresCreated == 3 && first.figuresUnchanged == 0)
            // the same file again changes nothing
            let again = try await importer.run(Data(Self.csv.utf8), format: .csv)
            #expect(again == FiguresImport.Summary(figuresUnchanged: 3))

            let episodes = try await scope.query(LiveEpisode.self).sort(\.$number).all()
            #expect(episodes.map(\.topic) == ["Etika ASN di media sosial", "Menulis nota dinas"])
            #expect(episodes[0].speakers.map(\.name) == ["Dr. Rina Kusuma, M.Si.", "Budi Santoso"])
            #expect(episodes[1].speakers.map(\.name) == ["Sari Dewi", "Andi Wijaya"])
            #expect(episodes.map { LocalDates.isoDay.string(from: $0.startsAt) } == ["2026-11-05", "2026-11-19"])
            // each episode has its course: the tenant's, off the storefront, by assignment, with the JP
            for episode in episodes {
                let course = try #require(try await scope.find(Course.self, episode.courseID))
                #expect(course.status == .draft && course.enrolmentMode == .assigned && course.jp == episode.jp)
                #expect(course.title == "live-learning #\(episode.number): \(episode.topic)")
                #expect(course.curation == .none)
            }

            let report = try await Effectiveness.load(programme, on: app.db).reportCSV
            #expect(
                report == """
                    episode,topic,date,platform,accounts_reached,peak_viewers,comments,accounts_engaged,\
                    followers_gained,engagement_rate,comments_per_peak_viewer,followers_per_100_reached,claims,\
                    claims_per_100_reached
                    1,Etika ASN di media sosial,2026-11-05,instagram,1000,300,45,150,12,0.1500,0.1500,1.2000,0,0.0000
                    1,Etika ASN di media sosial,2026-11-05,youtube,400,80,8,,2,,0.1000,0.5000,0,0.0000
                    2,Menulis nota dinas,2026-11-19,instagram,0,0,0,0,0,,,,0,

                    """)

            // a later file with a changed topic and more figures updates both, keeping the rest
            let later = """
                episode,speakers,topic,date,platform,accounts_reached,peak_viewers,comments,accounts_engaged,\
                followers_gained
                2,Sari Dewi; Andi Wijaya,Menulis nota dinas yang baik,2026-11-19,instagram,2500,,,,
                """
            let third = try await importer.run(Data(later.utf8), format: .csv)
            #expect(third.episodesUpdated == 1 && third.figuresUpdated == 1)
            let figures = try #require(
                try await scope.query(EpisodeFigures.self).filter(\.$episodeID == episodes[1].id!).first())
            #expect(figures.accountsReached == 2500 && figures.peakViewers == 0)
            let course = try #require(try await scope.find(Course.self, episodes[1].courseID))
            #expect(course.title.hasSuffix("Menulis nota dinas yang baik"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyBadCellIsNamedByRowAndColumnAndNothingIsWritten(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let tenant = try await Given(app).tenant()
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            let programme = try await Programmes.findOrMake("live", in: scope, now: app.clock.now())
            let importer = FiguresImport(programme: programme, db: app.db, now: app.clock.now())
            let courses = try await Course.query(on: app.db).count()
            let bad = """
                episode,speakers,topic,date,platform,accounts_reached,peak_viewers,comments,accounts_engaged,\
                followers_gained
                1,Rina,Etika,2026-11-05,instagram,100,10,1,5,1
                x,Rina,Etika,2026-11-05,instagram,100,10,1,5,1
                2,Rina,Etika,31/2/2026,facebook,-3,1.5,10k,,99999999999
                1,Rina,Etika,2026-11-05,instagram,100,10,1,5,1
                1,Budi,Etika lain,2026-11-06,youtube,1,1,1,1,1
                0,Rina,Etika,2026-13-01,tiktok,1,1,1,1,1
                """
            let error = try await #require(throws: InputError.self) {
                try await importer.run(Data(bad.utf8), format: .csv)
            }
            let found = Set(error.problems.map { "\($0.row ?? 0):\($0.field):\($0.key)" })
            #expect(
                found == [
                    "3:episode:input.error.number",
                    "4:date:live.import.error.date", "4:platform:live.import.error.platform",
                    "4:accounts_reached:live.import.error.count", "4:peak_viewers:live.import.error.count",
                    "4:comments:live.import.error.count", "4:followers_gained:live.import.error.count",
                    "5:platform:live.import.error.duplicate",
                    "6:topic:live.import.error.disagrees", "6:speakers:live.import.error.disagrees",
                    "6:date:live.import.error.disagrees",
                    "7:episode:input.error.number", "7:date:live.import.error.date",
                ])
            #expect(try await scope.query(LiveEpisode.self).count() == 0)
            #expect(try await scope.query(EpisodeFigures.self).count() == 0)
            #expect(try await Course.query(on: app.db).count() == courses)

            let missing = "episode,topic,date,platform\n1,a,2026-11-05,instagram\n"
            let header = try await #require(throws: InputError.self) {
                try await importer.run(Data(missing.utf8), format: .csv)
            }
            #expect(
                header.problems.map(\.field) == [
                    "speakers", "accounts_reached", "peak_viewers", "comments",
                    "accounts_engaged", "followers_gained",
                ])
            #expect(header.problems.allSatisfy { $0.row == 1 && $0.key == "import.error.missing_column" })
            for body in [Data([0xFF, 0xFE, 0x00]), Data()] {
                await #expect(throws: InputError.self) { try await importer.run(body, format: .csv) }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func instagramInsightsAndYouTubeReportsAreReadInTheirOwnShapes(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let tenant = try await Given(app).tenant()
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            let programme = try await Programmes.findOrMake("live", in: scope, now: app.clock.now())
            let importer = FiguresImport(programme: programme, db: app.db, now: app.clock.now())
            _ = try await importer.run(Data(Self.csv.utf8), format: .csv)
            let episodes = try await scope.query(LiveEpisode.self).sort(\.$number).all()
            episodes[1].links = [.youtube: "https://www.youtube.com/watch?v=Ab3dEf9hIj0"]
            try await episodes[1].save(on: app.db)

            let instagram = """
                {"data":[{"name":"reach","period":"lifetime","values":[{"value":2150}],"title":"Reach",
                "id":"1789/insights/reach/lifetime"},{"name":"comments","period":"lifetime","values":[{"value":64}]},
                {"name":"saved","period":"lifetime","values":[{"value":3}]},
                {"name":"follows","total_value":{"value":21}}]}
                """
            // Instagram's insights do not name the episode
            let unnamed = try await #require(throws: InputError.self) {
                try await importer.run(Data(instagram.utf8), format: .json)
            }
            #expect(unnamed.problems.map(\.key) == ["live.import.error.episode_needed"])
            let read = try await importer.run(Data(instagram.utf8), format: .json, episode: 2)
            #expect(read.figuresUpdated == 1 && read.ignoredMetrics == ["saved"])
            let ig = try #require(
                try await scope.query(EpisodeFigures.self).filter(\.$episodeID == episodes[1].id!)
                    .filter(\.$platform == .instagram).first())
            #expect(ig.accountsReached == 2150 && ig.comments == 64 && ig.followersGained == 21 && ig.peakViewers == 0)

            let youtube = """
                {"kind":"youtubeAnalytics#resultTable","columnHeaders":[
                {"name":"video","columnType":"DIMENSION","dataType":"STRING"},
                {"name":"views","columnType":"METRIC","dataType":"INTEGER"},
                {"name":"likes","columnType":"METRIC","dataType":"INTEGER"},
                {"name":"comments","columnType":"METRIC","dataType":"INTEGER"},
                {"name":"shares","columnType":"METRIC","dataType":"INTEGER"},
                {"name":"averageViewDuration","columnType":"METRIC","dataType":"INTEGER"},
                {"name":"subscribersGained","columnType":"METRIC","dataType":"INTEGER"},
                {"name":"estimatedMinutesWatched","columnType":"METRIC","dataType":"INTEGER"}],
                "rows":[["Ab3dEf9hIj0",1830,95,22,14,412,17,5100]]}
                """
            let yt = try await importer.run(Data(youtube.utf8), format: .json)
            #expect(yt.figuresCreated == 1 && yt.ignoredMetrics == ["estimatedMinutesWatched"])
            let stored = try #require(
                try await scope.query(EpisodeFigures.self).filter(\.$episodeID == episodes[1].id!)
                    .filter(\.$platform == .youtube).first())
            #expect(
                stored.counts
                    == PlatformCounts(
                        comments: 22, followersGained: 17, views: 1830, likes: 95, shares: 14, averageWatchSeconds: 412)
            )
            #expect(try await importer.run(Data(youtube.utf8), format: .json).figuresUnchanged == 1)

            // a video no episode links to, a negative figure, and shapes that are neither
            let strange = youtube.replacingOccurrences(of: "Ab3dEf9hIj0", with: "Zz9").replacingOccurrences(
                of: "1830", with: "-4")
            let refused = try await #require(throws: InputError.self) {
                try await importer.run(Data(strange.utf8), format: .json)
            }
            #expect(Set(refused.problems.map(\.key)) == ["live.import.error.count"])
            let unknown = youtube.replacingOccurrences(of: "Ab3dEf9hIj0", with: "Zz9")
            let notLinked = try await #require(throws: InputError.self) {
                try await importer.run(Data(unknown.utf8), format: .json)
            }
            #expect(notLinked.problems.map(\.key) == ["live.import.error.video_unknown"])
            for body in ["[1,2]", "{\"items\":[]}", "{\"data\":", "{\"columnHeaders\":[{\"name\":\"views\"}]}"] {
                await #expect(throws: InputError.self) { try await importer.run(Data(body.utf8), format: .json) }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theCommandsImportAFileAndPrintTheReport(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let tenant = try await Given(app).tenant()
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID()).csv")
            try Data(Self.csv.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let command = ["live", "import", "--tenant", tenant.slug, "--programme", "live-lan", file.path]
            let first = await RecordingConsole.run(app, command)
            #expect(first.ok, "\(first.console.errors)")
            #expect(
                first.console.printed
                    == "episodes: 2 created, 0 updated; figures: 3 created, 0 updated, 0 unchanged\n")
            let second = await RecordingConsole.run(app, command)
            #expect(
                second.console.printed
                    == "episodes: 0 created, 0 updated; figures: 0 created, 0 updated, 3 unchanged\n")
            let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
            #expect(try await Programmes.find("live-lan", in: scope)?.name == "live-lan")

            let report = await RecordingConsole.run(
                app, ["live", "report", "--tenant", tenant.slug, "--programme", "live-lan", "--format", "csv"])
            let lines = report.console.printed.split(separator: "\n")
            #expect(lines.first == Substring(Effectiveness.reportHeader.joined(separator: ",")) && lines.count == 4)

            try Data("episode,speakers\n".utf8).write(to: file)
            let bad = await RecordingConsole.run(app, command)
            #expect(
                !bad.ok && bad.console.errors.contains("row 1, column topic: Kolom “topic” tidak ada"),
                "\(bad.console.errors)")
            // a programme the refused file would have started is not left behind
            let fresh = await RecordingConsole.run(
                app, ["live", "import", "--tenant", tenant.slug, "--programme", "live-baru", file.path])
            let left = try await Programmes.find("live-baru", in: scope)
            #expect(!fresh.ok && left == nil)
            let unknown = await RecordingConsole.run(app, ["live", "import", "--tenant", "tidak-ada", file.path])
            #expect(!unknown.ok)
        }
    }
}
