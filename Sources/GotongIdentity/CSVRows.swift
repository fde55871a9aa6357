import Foundation
import GotongPlatform
import SwiftCSV

/// The rows of an uploaded CSV file, each by its lowercased header: what every import reads
/// first. A byte order mark is dropped, a semicolon-separated file (Excel in Indonesian) is read
/// as such, blank lines are skipped, and a file that is not text, has no rows, lacks a required
/// column or is too long is refused with the problem on row 1 (the header).
public enum CSVRows {
    /// One data row: its number in the file (the header is row 1) and its cells by column.
    public struct Row: Sendable {
        public let number: Int
        public let cells: [String: String]

        /// The cell of `column`, trimmed; empty when the column is missing.
        public func value(_ column: String) -> String {
            (cells[column] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    public static func read(_ text: String, columns: [String], maxRows: Int) throws -> [Row] {
        let cleaned = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        // A NUL byte would silently cut a cell short; such a file is not text we can trust.
        guard !cleaned.contains("\u{0}") else {
            throw InputError([.init(field: "file", key: "import.error.unreadable", row: 1)])
        }
        guard !cleaned.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw InputError([.init(field: "file", key: "import.error.empty", row: 1)])
        }
        let delimiter: CSVDelimiter =
            (cleaned.split(separator: "\n").first.map { $0.filter { $0 == ";" }.count > $0.filter { $0 == "," }.count }
                ?? false) ? .semicolon : .comma
        let csv: CSV<Named>
        do {
            csv = try CSV<Named>(string: cleaned, delimiter: delimiter, loadColumns: false)
        } catch {
            throw InputError([.init(field: "file", key: "import.error.unreadable", row: 1)])
        }
        let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = columns.filter { !header.contains($0) }
        if !missing.isEmpty {
            throw InputError(
                missing.map { .init(field: $0, key: "import.error.missing_column", args: ["column": $0], row: 1) })
        }
        // Numbered before blank lines are dropped, so every message names the row the file shows.
        let rows = csv.rows.enumerated().map { index, row in
            Row(
                number: index + 2,
                cells: Dictionary(
                    row.map { ($0.key.trimmingCharacters(in: .whitespaces).lowercased(), $0.value) },
                    uniquingKeysWith: { a, _ in a }))
        }.filter { row in !row.cells.values.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        if rows.isEmpty { throw InputError([.init(field: "file", key: "import.error.no_rows", row: 2)]) }
        if rows.count > maxRows {
            throw InputError([
                .init(field: "file", key: "import.error.too_many", args: ["max": "\(maxRows)"], row: 1)
            ])
        }
        return rows
    }
}
