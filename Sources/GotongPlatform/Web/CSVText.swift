import Foundation

/// CSV as exports write it for spreadsheets: every field quoted, a leading `= + - @` defused so a
/// spreadsheet never runs a cell as a formula, lines ended with CRLF, and a byte order mark so
/// Excel reads UTF-8.
public enum CSVText {
    public static func field(_ value: String) -> String {
        let safe = value.first.map { "=+-@".contains($0) } == true ? "'" + value : value
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func document(_ lines: [[String]]) -> String {
        "\u{FEFF}" + lines.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
