import Foundation
import GotongPlatform

/// Figures as the platforms' own APIs return them, so an operator saves the response and
/// imports it unchanged:
///
/// - the **Instagram Graph API** media insights (`GET /{media-id}/insights`):
///   `{"data":[{"name":"reach","values":[{"value":1234}]},…]}` (or `total_value`), for one
///   episode named by the importer;
/// - a **YouTube Analytics API** report (`reports.query`): `columnHeaders` and `rows`, one row
///   for the episode named by the importer, or one row per video when the report has the
///   `video` dimension (each video is matched to the episode whose YouTube link holds it).
///
/// Metrics without a counterpart here (saves, estimated minutes watched) are left out and
/// named in the result, so the operator sees what was not taken.
public enum PlatformReports {
    public struct Read: Sendable, Equatable {
        public var platform: LivePlatform
        /// Counts for the named episode (`nil` key) or by YouTube video id.
        public var counts: [String?: PlatformCounts]
        public var ignoredMetrics: [String]
    }

    /// Instagram's metric names, by our figure.
    static let instagram: [String: String] = [
        "reach": "accounts_reached", "peak_concurrent_viewers": "peak_viewers", "comments": "comments",
        "accounts_engaged": "accounts_engaged", "follows": "followers_gained", "views": "views", "likes": "likes",
        "shares": "shares",
    ]
    /// YouTube Analytics' metric names, by our figure.
    static let youtube: [String: String] = [
        "views": "views", "likes": "likes", "shares": "shares", "comments": "comments",
        "averageViewDuration": "avg_watch_seconds", "subscribersGained": "followers_gained",
    ]

    /// Reads either shape; anything else is one clear problem for `file`.
    public static func read(_ data: Data) throws -> Read {
        guard let json = try? JSONDecoder().decode(JSON.self, from: data), case .object(let object) = json else {
            throw InputError(field: "file", key: "live.import.error.json")
        }
        if case .array(let metrics) = object["data"] { return try readInstagram(metrics) }
        if case .array(let headers) = object["columnHeaders"] {
            let rows: [[JSON]] = object["rows"]?.array?.map { $0.array ?? [] } ?? []
            return try readYouTube(headers: headers.map { $0["name"]?.string ?? "" }, rows: rows)
        }
        throw InputError(field: "file", key: "live.import.error.json_shape")
    }

    private static func readInstagram(_ metrics: [JSON]) throws -> Read {
        var counts = PlatformCounts()
        var ignored: [String] = []
        var problems = ProblemList()
        for metric in metrics {
            guard let name = metric["name"]?.string else { continue }
            guard let key = instagram[name] else {
                ignored.append(name)
                continue
            }
            let value = metric["values"]?.array?.last?["value"] ?? metric["total_value"]?["value"]
            counts[key] = whole(value, column: name, into: &problems)
        }
        if counts == PlatformCounts() { problems.add("data", "live.import.error.json_empty") }
        try problems.throwIfAny()
        return Read(platform: .instagram, counts: [nil: counts], ignoredMetrics: ignored.sorted())
    }

    private static func readYouTube(headers names: [String], rows: [[JSON]]) throws -> Read {
        var problems = ProblemList()
        let videoColumn = names.firstIndex(of: "video")
        var result: [String?: PlatformCounts] = [:]
        for (index, row) in rows.enumerated() where row.count == names.count {
            var counts = PlatformCounts()
            for (column, name) in names.enumerated() {
                guard let key = youtube[name] else { continue }
                // averageViewDuration is whole seconds; the API sends numbers as JSON numbers.
                counts[key] = whole(row[column], column: name, into: &problems, row: index + 1)
            }
            let video = videoColumn.flatMap { row[$0].string }
            if videoColumn != nil, video == nil { problems.add("video", "live.import.error.video", row: index + 1) }
            result[video] = (result[video] ?? PlatformCounts()).merged(with: counts)
        }
        if rows.contains(where: { $0.count != names.count }) || rows.isEmpty {
            problems.add("rows", "live.import.error.json_rows")
        }
        if videoColumn == nil, rows.count > 1 { problems.add("rows", "live.import.error.json_one_row") }
        // Rows by day or country of one video would overwrite one another: one row per video only.
        for name in names where dimensions.contains(name) {
            problems.add(name, "live.import.error.json_dimension", ["value": name])
        }
        try problems.throwIfAny()
        let ignored = names.filter { youtube[$0] == nil && $0 != "video" }
        return Read(platform: .youtube, counts: result, ignoredMetrics: ignored.sorted())
    }

    /// Dimensions a YouTube report may carry that are not figures.
    static let dimensions: Set<String> = ["day", "month", "liveOrOnDemand", "country", "creatorContentType"]

    private static func whole(_ value: JSON?, column: String, into problems: inout ProblemList, row: Int? = nil) -> Int?
    {
        guard let value, value != .null else { return nil }
        // Whole numbers only: a platform's counts are; a fraction is a file someone changed.
        if case .number(let double) = value, double >= 0, double <= Double(FigureCells.largest),
            double == double.rounded()
        {
            return Int(double)
        }
        problems.add(column, "live.import.error.count", ["value": String(value.description.prefix(40))], row: row)
        return nil
    }
}

/// Any JSON value, for reading responses whose shape is checked by hand.
indirect enum JSON: Decodable, Equatable, Sendable, CustomStringConvertible {
    case null, bool(Bool), number(Double), string(String), array([JSON]), object([String: JSON])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let value = try? c.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? c.decode(Double.self) {
            self = .number(value)
        } else if let value = try? c.decode(String.self) {
            self = .string(value)
        } else if let value = try? c.decode([JSON].self) {
            self = .array(value)
        } else {
            self = .object(try c.decode([String: JSON].self))
        }
    }

    subscript(key: String) -> JSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var array: [JSON]? {
        if case .array(let array) = self { return array }
        return nil
    }

    var string: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): value
        case .array: "[…]"
        case .object: "{…}"
        }
    }
}

/// The id of a YouTube video in a link to it: `watch?v=ID`, `youtu.be/ID`, `/live/ID`,
/// `/shorts/ID`, `/embed/ID` (ids are 11 characters of A–Z, a–z, 0–9, `-` and `_`).
enum YouTubeVideo {
    static func id(in link: String) -> String? {
        guard let url = URLComponents(string: link), let host = url.host?.lowercased() else { return nil }
        var candidate: String?
        if host.hasSuffix("youtu.be") {
            candidate = url.path.split(separator: "/").first.map(String.init)
        } else if host.hasSuffix("youtube.com") {
            if let v = url.queryItems?.first(where: { $0.name == "v" })?.value {
                candidate = v
            } else {
                let parts = url.path.split(separator: "/").map(String.init)
                if parts.count >= 2, ["live", "shorts", "embed"].contains(parts[0]) { candidate = parts[1] }
            }
        }
        guard let candidate, candidate.count == 11,
            candidate.unicodeScalars.allSatisfy({
                CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "_"
            })
        else { return nil }
        return candidate
    }
}
