import Testing
@testable import GotongPlatform

/// Exports open safely in a spreadsheet: no cell starts a formula, quotes and new lines stay in
/// their cell.
@Suite("CSV text")
struct CSVTextTests {
    @Test(arguments: ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)"])
    func aLeadingFormulaSignIsDefused(value: String) {
        #expect(CSVText.field(value).hasPrefix("\"'"))
    }

    @Test func quotesAndNewLinesStayInTheirCell() {
        #expect(CSVText.field("a \"b\"\nc") == "\"a \"\"b\"\"\nc\"")
        #expect(CSVText.document([["a", "b"], ["1", "2"]]) == "\u{FEFF}\"a\",\"b\"\r\n\"1\",\"2\"\r\n")
    }
}
