import Foundation
import GotongIdentity
import GotongPlatform

/// One line of figures to import: an episode on a platform, with what is known of the episode
/// (a CSV row says its topic, speakers and date; a platform's JSON says none of them).
public struct FigureLine: Sendable, Equatable {
    /// Where it came from, for messages: the CSV row (the header is row 1), or nil.
    public var row: Int?
    public var episode: Int
    public var topic: String?
    public var speakers: [String]?
    /// The day of the broadcast, `YYYY-MM-DD`.
    public var day: String?
    public var platform: LivePlatform
    public var counts: PlatformCounts
}

/// The programme's own spreadsheet: one row per episode and platform. Every bad cell is
/// reported with its row and column, all at once; nothing is returned unless all are good.
public enum FiguresCSV {
    public static let required = [
        "episode", "speakers", "topic", "date", "platform", "accounts_reached", "peak_viewers", "comments",
        "accounts_engaged", "followers_gained",
    ]
    public static let optional = ["views", "likes", "shares", "avg_watch_seconds"]
    public static let maxRows = 5_000

    public static func read(_ text: String) throws -> [FigureLine] {
        let rows = try CSVRows.read(text, columns: required, maxRows: maxRows)
        var problems = ProblemList()
        var lines: [FigureLine] = []
        var seen: [String: Int] = [:]
        var episodeFacts: [Int: (row: Int, topic: String, speakers: [String], day: String)] = [:]
        for row in rows {
            let before = problems.problems.count
            let number = FigureCells.episode(row.value("episode"), row: row.number, into: &problems)
            let topic = row.value("topic")
            if topic.count > 300 { problems.add("topic", "live.import.error.topic", row: row.number) }
            let speakers = FigureCells.speakers(row.value("speakers"), row: row.number, into: &problems)
            let day = FigureCells.day(row.value("date"), row: row.number, into: &problems)
            let platform = FigureCells.platform(row.value("platform"), row: row.number, into: &problems)
            var counts = PlatformCounts()
            for key in PlatformCounts.keys where required.contains(key) || row.cells[key] != nil {
                counts[key] = FigureCells.count(row.value(key), column: key, row: row.number, into: &problems)
            }
            guard problems.problems.count == before, let number, let platform, let day else { continue }
            if let first = seen["\(number)/\(platform.rawValue)"] {
                problems.add("platform", "live.import.error.duplicate", ["row": "\(first)"], row: row.number)
                continue
            }
            seen["\(number)/\(platform.rawValue)"] = row.number
            // The rows of one episode (one per platform) must tell the same episode.
            if let facts = episodeFacts[number] {
                for (column, differs) in [
                    ("topic", facts.topic != topic), ("speakers", facts.speakers != speakers),
                    ("date", facts.day != day),
                ] where differs {
                    problems.add(column, "live.import.error.disagrees", ["row": "\(facts.row)"], row: row.number)
                }
            } else {
                episodeFacts[number] = (row.number, topic, speakers, day)
            }
            lines.append(
                FigureLine(
                    row: row.number, episode: number, topic: topic.isEmpty ? nil : topic,
                    speakers: speakers.isEmpty ? nil : speakers, day: day, platform: platform, counts: counts))
        }
        try problems.throwIfAny()
        return lines
    }
}

/// The checks of one cell, shared by the CSV, the platforms' JSON and the figures form.
public enum FigureCells {
    /// The largest figure taken: more than every account on every platform.
    static let largest = 10_000_000_000

    static func episode(_ raw: String, row: Int?, into problems: inout ProblemList) -> Int? {
        if raw.isEmpty {
            problems.add("episode", "live.import.error.episode", row: row)
            return nil
        }
        return WholeNumber.read(raw, field: "episode", in: 1...100_000, problems: &problems, row: row)
    }

    /// `YYYY-MM-DD`, or the Indonesian `D/M/YYYY` (`5/12/2026` is 5 December), as `YYYY-MM-DD`.
    static func day(_ raw: String, row: Int?, into problems: inout ProblemList) -> String? {
        let parts: [Int]
        if raw.count == 10, raw.split(separator: "-").count == 3 {
            parts = raw.split(separator: "-").compactMap { Int($0) }
        } else {
            let dmy = raw.split(separator: "/", omittingEmptySubsequences: false)
            parts = dmy.count == 3 && dmy[2].count == 4 ? dmy.reversed().compactMap { Int($0) } : []
        }
        var components = DateComponents()
        if parts.count == 3 { (components.year, components.month, components.day) = (parts[0], parts[1], parts[2]) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDates.zone
        guard parts.count == 3, (2000...2100).contains(parts[0]), components.isValidDate(in: calendar) else {
            problems.add("date", "live.import.error.date", ["value": String(raw.prefix(40))], row: row)
            return nil
        }
        return String(format: "%04d-%02d-%02d", parts[0], parts[1], parts[2])
    }

    /// Names separated by ` dan ` or `;` (a name's academic titles may hold commas).
    static func speakers(_ raw: String, row: Int?, into problems: inout ProblemList) -> [String] {
        let names = raw.replacingOccurrences(of: " dan ", with: ";").split(separator: ";")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if names.count > 20 || names.contains(where: { $0.count > 200 }) {
            problems.add("speakers", "live.import.error.speakers", row: row)
        }
        return names
    }

    static func platform(_ raw: String, row: Int?, into problems: inout ProblemList) -> LivePlatform? {
        guard let platform = LivePlatform(rawValue: raw.lowercased()) else {
            problems.add("platform", "live.import.error.platform", ["value": String(raw.prefix(40))], row: row)
            return nil
        }
        return platform
    }

    /// A whole number of zero or more; empty when the platform did not report it. Indonesian
    /// spreadsheets write thousands with dots (`12.345`), which is read too.
    static func count(_ raw: String, column: String, row: Int?, into problems: inout ProblemList) -> Int? {
        if raw.isEmpty { return nil }
        guard let value = WholeNumber.count(raw, largest: largest) else {
            problems.add(column, "live.import.error.count", ["value": String(raw.prefix(40))], row: row)
            return nil
        }
        return value
    }
}
