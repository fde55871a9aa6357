import Foundation
import Testing
import GotongPlatform
@testable import GotongCatalog

/// Typing mistakes still find things: a word no course holds is searched as the nearest word one
/// does, and the page and the API say so.
@Suite("Spelling")
struct SpellingTests {
    @Test(arguments: [
        ("keuangan", "keuangan", 0), ("keuangn", "keuangan", 1), ("kuangan", "keuangan", 1),
        ("keuanagn", "keuangan", 1), ("keuangan", "kearsipan", 2), ("", "abc", 2), ("abc", "", 2),
        ("digtal", "digital", 1), ("digitla", "digital", 1), ("xyz", "keuangan", 2),
    ])
    func editsAreCountedUpToTheLimit(a: String, b: String, expected: Int) {
        #expect(Spelling.distance(a, b, limit: 1) == min(expected, 2))
    }

    static let vocabulary = Spelling(frequencies: [
        "keuangan": 40, "kearsipan": 3, "digital": 12, "pengelolaan": 30, "pengelola": 2, "negara": 25, "tes": 9,
        "kinerja": 20, "kinerj": 1,
    ])

    @Test(arguments: [
        ("keuangn", "keuangan"), ("digtal", "digital"), ("pengelolan", "pengelolaan"), ("kuangan", "keuangan"),
        ("negar", "negara"),
    ])
    func aMistypedWordBecomesTheNearestKnownOne(typed: String, expected: String) {
        #expect(Self.vocabulary.correction(of: typed) == expected)
    }

    @Test(arguments: ["keuangan", "tes", "tse", "zzzzzzzz", "12345", "ke"])
    func knownShortOrFarWordsAreLeftAlone(typed: String) {
        #expect(Self.vocabulary.correction(of: typed) == nil)
    }

    @Test func amongEqualNeighboursTheMoreUsedWins() {
        // "kinerjaa" is one edit from "kinerja" (20 courses); "kinerj" (1 course) is two away.
        #expect(Self.vocabulary.correction(of: "kinerjaa") == "kinerja")
        let tie = Spelling(frequencies: ["modal": 2, "model": 9])
        #expect(tie.correction(of: "modil") == "model")
    }

    @Test func completionsAreTheWordsBeginningSoMostUsedFirst() {
        #expect(Self.vocabulary.completions(of: "pe", limit: 3) == ["pengelolaan", "pengelola"])
        #expect(Self.vocabulary.completions(of: "ke", limit: 1) == ["keuangan"])
        #expect(Self.vocabulary.completions(of: "kinerj", limit: 5) == ["kinerja"], "the typed word itself is left out")
        #expect(Self.vocabulary.completions(of: "k", limit: 5).isEmpty, "one letter is too little")
        #expect(Self.vocabulary.completions(of: "zzz", limit: 5).isEmpty)
    }

    @Test func suggestionsCompleteTheLastWordThenNameCoursesTheViewerMaySee() {
        let index = CatalogIndex(
            entries: [
                CatalogSearchTests.entry("Pengelolaan Keuangan Negara", enrolled: 9),
                CatalogSearchTests.entry("Keuangan Daerah", enrolled: 3),
                CatalogSearchTests.entry("Keuangan Internal", audience: .own, tenantID: UUID()),
                CatalogSearchTests.entry("Literasi Digital ASN"),
            ], version: 1)
        let found = index.suggestions(for: "pengelolaan keu", viewer: .anonymous, now: CatalogSearchTests.now)
        #expect(found.first == "pengelolaan keuangan")
        #expect(found.contains("Pengelolaan Keuangan Negara"))
        #expect(!found.contains("Keuangan Internal"), "a course for one institution's people is not offered")
        #expect(index.suggestions(for: "intern", viewer: .anonymous).isEmpty, "nor are its words")
        #expect(index.suggestions(for: "  ", viewer: .anonymous).isEmpty)
        #expect(index.suggestions(for: "keu", viewer: .anonymous, limit: 2).count == 2)
    }

    @Test func theCatalogueSearchesTheCorrectionAndSaysSo() {
        let index = CatalogIndex(
            entries: [
                CatalogSearchTests.entry("Pengelolaan Keuangan Negara"),
                CatalogSearchTests.entry("Literasi Digital ASN"),
                CatalogSearchTests.entry("Kearsipan Dinamis"),
            ], version: 1)
        var query = CatalogQuery()
        query.text = "keuangn negar"
        let result = index.search(query, viewer: .anonymous, now: CatalogSearchTests.now)
        #expect(result.hits.map(\.title) == ["Pengelolaan Keuangan Negara"])
        #expect(result.correctedText == "keuangan negara")
        // words that find something are searched as typed, with no correction
        query.text = "digital"
        #expect(index.search(query, viewer: .anonymous, now: CatalogSearchTests.now).correctedText == nil)
        // and a word near nothing still finds nothing
        query.text = "astronomi"
        let none = index.search(query, viewer: .anonymous, now: CatalogSearchTests.now)
        #expect(none.total == 0 && none.correctedText == nil)
    }
}
