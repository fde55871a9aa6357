import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongCatalog
@testable import GotongPlatform
@testable import GotongTenancy

/// The catalogue on a phone: results first, filters folded behind one control, the chosen ones
/// as chips to remove, and no option that would find nothing.
@Suite("Catalogue page")
struct CatalogPageTests {
    @Test(arguments: TestDatabase.all)
    func resultsComeFirstAndFiltersFold(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given two institutions with a course each
            let given = Given(app)
            let first = try await given.tenant("Balai Keuangan")
            let second = try await given.tenant("Balai Statistik")
            let kept = try await given.course(in: first, "Pengelolaan Keuangan", activities: [])
            _ = try await given.course(in: second, "Statistik Dasar", activities: [])
            let browser = Browser(app)

            // when one institution is chosen
            let filtered = try await browser.get("/katalog?tenant=\(first.slug)").body.string

            // then its course is listed, the filters are folded (no `open`) and name how many are
            // chosen, and the choice is a chip that leads to the catalogue without it
            #expect(filtered.contains(kept.course.title))
            #expect(!filtered.contains("Statistik Dasar"))
            #expect(filtered.contains("<details data-open-wide><summary>Saring (1 aktif)</summary>"))
            let chips = try #require(filtered.firstRange(of: "<ul class=\"chips active\""))
            let results = try #require(filtered.firstRange(of: "<section class=\"results\""))
            #expect(chips.lowerBound < results.lowerBound)
            #expect(filtered.contains("aria-label=\"Hapus saringan \(first.name)\""))
            #expect(filtered.contains("href=\"/katalog\" aria-label=\"Hapus saringan"))

            // when a search finds nothing, then it says so first, with no sorting and no option
            // that would find nothing (every count shown is above zero)
            let none = try await browser.get("/katalog?q=tidakadayangcocok").body.string
            #expect(none.contains("Tidak ada pelatihan yang cocok"))
            #expect(!none.contains("class=\"sorts\""))
            #expect(!none.contains("<span class=\"count\">0</span>"))
            #expect(!none.contains("chips active"))
            #expect(!none.contains("<aside class=\"facets\""), "no filter block that would open on nothing")
            #expect(!none.contains("class=\"pager\""), "no \"Halaman 1 dari 1\" under no results")
            let page = try await browser.get("/katalog").body.string
            #expect(page.contains("<span class=\"count\">1</span>"), "counts are shown where they find something")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTypoStillFindsTheCourseAndTheNearestWordsAreOffered(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course about state finances
            let given = Given(app)
            let built = try await given.course(in: try await given.tenant(), "Pengelolaan Keuangan", activities: [])

            // when someone types "keuangn"
            let page = try await Browser(app).get("/katalog?q=keuangn").body.string

            // then the course is found, and the page says which words it searched and links to them
            #expect(page.contains(built.course.title))
            #expect(
                page.contains(
                    "Tidak ada yang cocok dengan “keuangn”. Maksud Anda: <a href=\"/katalog?q=keuangan\">keuangan</a>?")
            )

            // and the API says the same
            let api = try await Browser(app).get("/api/v1/catalog?q=keuangn")
            let json = try JSONSerialization.jsonObject(with: Data(api.body.readableBytesView)) as? [String: Any]
            #expect(json?["corrected_query"] as? String == "keuangan")
            #expect(json?["total"] as? Int == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theSearchBoxGetsSuggestionsAsOneTypes(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let built = try await given.course(in: try await given.tenant(), "Pengelolaan Keuangan", activities: [])
            // the page's box names the endpoint (its script asks; without it, a plain form)
            let page = try await Browser(app).get("/katalog").body.string
            #expect(page.contains("data-suggest=\"/katalog/saran\""))
            // the endpoint completes the word and names the course
            let reply = try await Browser(app).get("/api/v1/catalog/suggestions?q=Keu")
            #expect(reply.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(reply.body.readableBytesView)) as? [String: Any]
            let found = json?["suggestions"] as? [String] ?? []
            #expect(found.first == "keuangan")
            #expect(found.contains(built.course.title))
            // nothing typed, nothing offered; a huge text is read up to its limit
            let empty = try await Browser(app).get("/api/v1/catalog/suggestions")
            #expect(
                (try JSONSerialization.jsonObject(with: Data(empty.body.readableBytesView)) as? [String: Any])?[
                    "suggestions"] as? [String] == [])
            let huge = try await Browser(app).get(
                "/api/v1/catalog/suggestions?q=" + String(repeating: "keu", count: 5000))
            #expect(huge.status == .ok)

            // a course for one institution's people: offered to them on the page's route, and its
            // words to nobody else
            let tenant = try #require(try await Tenant.find(built.course.tenantID, on: app.db))
            let own = try await given.course(in: tenant, "Rahasia Keuangan Internal", activities: [], audience: .own)
            let member = try await given.browser(signedInAs: try await given.person(in: tenant))
            let mine = try await member.get("/katalog/saran?q=rahasia").body.string
            #expect(mine.contains(own.course.title))
            for stranger in ["/katalog/saran?q=rah", "/api/v1/catalog/suggestions?q=rah"] {
                let theirs = try await Browser(app).get(stranger).body.string
                #expect(!theirs.contains("rahasia") && !theirs.contains("Rahasia"), "\(stranger): \(theirs)")
            }
        }
    }
}
