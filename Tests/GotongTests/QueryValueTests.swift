import Foundation
import Testing
@testable import GotongPlatform

/// The shared reader of query words, yes/no and ids refuses hostile input with a 400 naming the
/// parameter, and reads every accepted spelling.
@Suite("Query values")
struct QueryValueTests {
    enum Format: String, CaseIterable { case gift, moodlexml }

    static let hostile = [
        "GIFT2", "gift ", "-1", "0x1", "ｇｉｆｔ", String(repeating: "gift", count: 10_000), "gift\u{0}", "%00",
        "true;drop", "[]", "{}", "1e3", "nil", "null",
    ]

    @Test func choicesAcceptTheirWordsInAnyCaseAndNothingElse() throws {
        #expect(try QueryValue.choice("gift", field: "format", as: Format.self) == .gift)
        #expect(try QueryValue.choice("MoodleXML", field: "format", as: Format.self) == .moodlexml)
        #expect(try QueryValue.choice(nil, field: "format", as: Format.self) == nil)
        #expect(try QueryValue.choice("  ", field: "format", as: Format.self) == nil)
        for raw in Self.hostile where raw.trimmingCharacters(in: .whitespaces) != "gift" {
            let error = #expect(throws: InputError.self) {
                try QueryValue.choice(raw, field: "format", as: Format.self)
            }
            #expect(error?.status == .badRequest)
            #expect(error?.problems.first?.args["choices"] == "gift, moodlexml")
        }
    }

    @Test func anEmptyValueInAnAddressIsRefusedButAFormsEmptyChoiceIsNone() throws {
        #expect(throws: InputError.self) { try QueryValue.id("", field: "category", blankIsAbsent: false) }
        #expect(throws: InputError.self) { try QueryValue.flag("", field: "dry_run", blankIsAbsent: false) }
        #expect(throws: InputError.self) {
            try QueryValue.choice("", field: "format", as: Format.self, blankIsAbsent: false)
        }
        #expect(try QueryValue.id("", field: "parent") == nil)
        #expect(try QueryValue.id(nil, field: "category", blankIsAbsent: false) == nil)
    }

    @Test func flagsAcceptTrueFalseOneZero() throws {
        #expect(try QueryValue.flag("TRUE", field: "dry_run") == true)
        #expect(try QueryValue.flag("0", field: "dry_run") == false)
        #expect(try QueryValue.flag(nil, field: "dry_run") == nil)
        for raw in Self.hostile + ["yes", "2", "-0"] {
            #expect(throws: InputError.self) { try QueryValue.flag(raw, field: "dry_run") }
        }
    }

    @Test func idsAreUUIDs() throws {
        let id = UUID()
        #expect(try QueryValue.id(id.uuidString.lowercased(), field: "category") == id)
        for raw in Self.hostile + [id.uuidString + "0", String(id.uuidString.dropLast())] {
            let error = #expect(throws: InputError.self) { try QueryValue.id(raw, field: "category") }
            #expect(error?.problems.first?.key == "input.error.id")
        }
    }

    @Test func daysAreYearMonthDayOnlyAndAPeriodsLastDayIsWhole() throws {
        let start = try #require(try QueryValue.day("2026-06-01", field: "from"))
        #expect(LocalDates.iso(start) == "2026-05-31T17:00:00Z")
        let end = try #require(try QueryValue.day("2026-06-01", field: "to", endOfDay: true))
        #expect(end.timeIntervalSince(start) == 86_399)
        #expect(try QueryValue.day(nil, field: "from") == nil && QueryValue.day(" ", field: "from") == nil)
        for raw in Self.hostile + [
            "2026-13-01", "2026-02-30", "01-06-2026", "2026-6-1", "1999-12-31", "2101-01-01", "2026-06-01T00:00:00Z",
        ] {
            let error = #expect(throws: InputError.self) { try QueryValue.day(raw, field: "from") }
            #expect(error?.problems.first?.key == "input.error.day")
        }
    }
}
