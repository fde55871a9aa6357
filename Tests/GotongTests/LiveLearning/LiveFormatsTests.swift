import Foundation
import Testing
@testable import GotongLiveLearning
@testable import GotongPlatform

/// The small hand-written pieces Live Learning brought to Platform, at their edges: an episode
/// number in an address, Indonesian numbers, iCalendar text, and the attendance code's reading.
/// (The feed and the workbook as wholes are read by real parsers in tests/e2e/test_live.py.)
@Suite("Live Learning formats")
struct LiveFormatsTests {
    @Test func anEpisodeNumberInAnAddressIsAPlainPositiveNumber() {
        #expect(Int(pathSegment: "12") == 12)
        for hostile in ["0", "012", "+1", "-1", "1e3", "١٢", "12a", "", "9999999999", " 1"] {
            #expect(Int(pathSegment: hostile) == nil, "\(hostile)")
        }
    }

    @Test func numbersAreWrittenTheIndonesianWay() {
        #expect(NumberText.whole(1_234_567) == "1.234.567" && NumberText.whole(999) == "999")
        #expect(NumberText.whole(-1_000) == "-1.000" && NumberText.whole(nil) == "—")
        #expect(NumberText.decimal(3.456) == "3,46" && NumberText.percent(0.1357) == "13,6%")
        #expect(NumberText.percent(.nan) == "—" && NumberText.decimal(.infinity) == "—")
    }

    @Test func iCalendarTextIsEscapedAndFoldedWithoutSplittingACharacter() {
        #expect(ICalendar.escape("a;b,c\\d\ne\r\u{7}") == "a\\;b\\,c\\\\d\\ne")
        let line = "SUMMARY:" + String(repeating: "Pelayanan publik yang inklusif — ", count: 6)
        let folded = ICalendar.fold(line)
        let parts = folded.components(separatedBy: "\r\n")
        #expect(parts.count > 1 && parts.allSatisfy { $0.utf8.count <= 75 })
        #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(
            parts.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == line)
        #expect(ICalendar.utc(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
    }

    @Test func anAttendanceCodeIsReadAsPeopleTypeIt() {
        #expect(AttendanceCode.normalised("k7q 2mx") == "K7Q2MX")
        #expect(AttendanceCode.normalised("O1L-IAB") == "011 1AB".replacingOccurrences(of: " ", with: ""))
        for wrong in ["", "K7Q2M", "K7Q2MXX", "K7Q2M!", "K7Q2MU", String(repeating: "A", count: 10_000)] {
            #expect(AttendanceCode.normalised(wrong) == nil, "\(wrong.prefix(10))")
        }
        let code = AttendanceCode.random()
        #expect(code.count == 6 && AttendanceCode.normalised(AttendanceCode.spaced(code)) == code)
    }

    @Test func aYouTubeVideoIsFoundInEveryFormOfItsLink() {
        for link in [
            "https://www.youtube.com/watch?v=Ab3dEf9hIj0&t=30", "https://youtu.be/Ab3dEf9hIj0",
            "https://www.youtube.com/live/Ab3dEf9hIj0?si=x", "https://m.youtube.com/shorts/Ab3dEf9hIj0",
        ] {
            #expect(YouTubeVideo.id(in: link) == "Ab3dEf9hIj0", "\(link)")
        }
        for link in [
            "https://www.youtube.com/@LembagaAdministrasiNegara", "https://www.youtube.com/watch?v=Ab3",
            "https://example.com/watch?v=Ab3dEf9hIj0", "bukan tautan", "",
        ] {
            #expect(YouTubeVideo.id(in: link) == nil, "\(link)")
        }
    }

    @Test func anEpisodesRatesAreTakenOverThePlatformsThatReportBothFigures() throws {
        func line(_ platform: LivePlatform, _ counts: PlatformCounts) -> Effectiveness.Line {
            Effectiveness.Line(
                number: 1, topic: "T", speakers: "", day: "2026-12-03", platform: platform, counts: counts, claims: 5)
        }
        let report = Effectiveness(lines: [
            line(
                .instagram, PlatformCounts(accountsReached: 1_000, peakViewers: 100, comments: 50, accountsEngaged: 200)
            ),
            // YouTube reports comments and followers but neither reach nor peak
            line(.youtube, PlatformCounts(comments: 400, followersGained: 30)),
        ])
        let total = try #require(report.totals().first)
        #expect(total.counts.comments == 450 && total.counts.accountsReached == 1_000)
        #expect(total.commentsPerPeakViewer == 0.5, "YouTube's comments are not divided by Instagram's peak")
        #expect(total.engagementRate == 0.2 && total.followersPer100Reached == nil)
        #expect(total.claimsPer100Reached == 0.5)
    }
}
