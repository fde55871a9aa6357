import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongCatalog
@testable import GotongCredentials
@testable import GotongIdentity
@testable import GotongLiveLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Every operation of Live Learning's JSON API, as a coordinator and as a learner.
@Suite("Live Learning API")
struct LiveAPITests {
    @Test(arguments: TestDatabase.all)
    func aCoordinatorRunsAProgrammeThroughTheAPIAndALearnerClaims(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            app.jobs.startsWorker = false
            let given = Given(app)
            let tenant = try await given.tenant()
            let slug = tenant.routeSlug
            let coordinator = try await given.api(
                as: try await given.person("Pengelola", in: tenant, roles: [.pengelola]))
            let learnerPerson = try await given.person("Peserta API", in: tenant)
            let learner = try await given.api(as: learnerPerson)

            // programmes
            let programmes = LiveAPIRoute.programmes(slug).path
            #expect(try await learner.call(.GET, programmes).status == .forbidden)
            let refused = try await coordinator.call(.POST, programmes, ["slug": "Bukan Slug", "default_jp": 99])
            #expect(refused.status == .unprocessableEntity && Set(refused.fields) == ["slug", "name", "default_jp"])
            let made = try await coordinator.call(
                .POST, programmes, ["slug": "live-api", "name": "Live API", "cadence_days": 14, "claim_hours": 24])
            #expect(made.status == .created && made["claim_hours"] as? Int == 24)
            #expect((try await coordinator.call(.GET, programmes).body).count > 2)
            let p = Param.value(ProgrammeSlug("live-api"))
            let changed = try await coordinator.call(
                .PUT, LiveAPIRoute.programme(slug, p).path, ["name": "Live API Baru"])
            #expect(changed.status == .ok && changed["name"] as? String == "Live API Baru")
            #expect(
                try await coordinator.call(.GET, LiveAPIRoute.programme(slug, p).path)["slug"] as? String == "live-api")

            // episodes: one on air now
            let start = LocalDates.iso(app.clock.now().addingTimeInterval(-300))
            let episodes = LiveAPIRoute.episodes(slug, p).path
            let noTopic = try await coordinator.call(.POST, episodes, ["number": 1, "starts_at": start])
            #expect(noTopic.status == .unprocessableEntity && noTopic.fields == ["topic"])
            let episode = try await coordinator.call(
                .POST, episodes,
                [
                    "number": 1, "topic": "Etika ASN", "starts_at": start, "jp": 1,
                    "speakers": [["name": "Dr. Rina Kusuma, M.Si.", "institution": "LAN"]],
                    "links": ["youtube": "https://www.youtube.com/watch?v=Ab3dEf9hIj0"],
                ])
            #expect(
                episode.status == .created && episode["claims"] as? Int == 0,
                "\(String(decoding: episode.body, as: UTF8.self))")
            let code = try #require(episode["attendance_code"] as? String)
            let taken = try await coordinator.call(.POST, episodes, ["number": 1, "topic": "Lagi", "starts_at": start])
            #expect(taken.status == .conflict && taken.fields == ["number"])
            let n = Param.value(EpisodeNumber(1))
            let updated = try await coordinator.call(.PUT, LiveAPIRoute.episode(slug, p, n).path, ["status": "live"])
            #expect(updated["status"] as? String == "live")
            #expect(
                try await coordinator.call(.GET, LiveAPIRoute.episode(slug, p, n).path)["topic"] as? String
                    == "Etika ASN")
            #expect(try await coordinator.call(.GET, episodes).status == .ok)

            // the learner claims; wrong first, then right, then again
            let claim = LiveAPIRoute.claim(slug, p, n).path
            let wrong = try await learner.call(.POST, claim, ["code": "ZZZZZZ" == code ? "YYYYYY" : "ZZZZZZ"])
            #expect(wrong.status == .unprocessableEntity && wrong.fields == ["code"])
            let right = try await learner.call(.POST, claim, ["code": code])
            #expect(right.status == .created && right["status"] as? String == "credited")
            let again = try await learner.call(.POST, claim, ["code": code])
            #expect(again.status == .ok && again["status"] as? String == "already_claimed")
            await JobQueue.runDue(app)
            let claims = try await coordinator.call(.GET, LiveAPIRoute.claims(slug, p, n).path)
            let first = try #require((claims["claims"] as? [[String: Any]])?.first)
            #expect(claims["total"] as? Int == 1 && first["email"] as? String == learnerPerson.email)
            #expect((first["certificate_number"] as? String)?.contains("/") == true)

            // figures, an import, the effectiveness
            let figures = LiveAPIRoute.figures(slug, p, n, .value(.instagram)).path
            #expect(try await coordinator.call(.PUT, figures, ["accounts_reached": -1]).status == .unprocessableEntity)
            let put = try await coordinator.call(.PUT, figures, ["accounts_reached": 200, "accounts_engaged": 30])
            #expect(put.status == .ok && put["accounts_reached"] as? Int == 200)
            let importPath = LiveAPIRoute.importFigures(slug, p).path
            let csv = """
                episode,speakers,topic,date,platform,accounts_reached,peak_viewers,comments,accounts_engaged,\
                followers_gained
                2,Budi,Menulis nota dinas,2026-11-19,tiktok,500,50,5,25,5
                """
            let imported = try await coordinator.call(.POST, importPath, csv: csv)
            #expect(imported.status == .ok && imported["episodes_created"] as? Int == 1)
            let badCSV = try await coordinator.call(
                .POST, importPath, csv: csv.replacingOccurrences(of: "tiktok", with: "x"))
            #expect(badCSV.status == .unprocessableEntity && badCSV.rows == [2])
            let youtube = """
                {"columnHeaders":[{"name":"video"},{"name":"views"},{"name":"likes"}],"rows":[["Ab3dEf9hIj0",1200,80]]}
                """
            var headers = coordinator.headers
            headers.contentType = .json
            let json = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: .init(string: importPath), headers: headers, body: .init(string: youtube)))
            #expect(json.status == .ok && json.body.string.contains("\"figures_created\":1"))
            headers.contentType = .plainText
            let plain = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: .init(string: importPath), headers: headers, body: .init(string: "x")))
            #expect(plain.status == .unsupportedMediaType)
            let report = try await coordinator.call(.GET, LiveAPIRoute.effectiveness(slug, p).path)
            let lines = try #require(report["lines"] as? [[String: Any]])
            let instagram = try #require(lines.first { $0["platform"] as? String == "instagram" })
            #expect(instagram["engagement_rate"] as? Double == 0.15 && instagram["claims"] as? Int == 1)
            #expect(instagram["claims_per_100_reached"] as? Double == 0.5)
            #expect((report["platforms"] as? [[String: Any]])?.count == 3)
        }
    }
}
