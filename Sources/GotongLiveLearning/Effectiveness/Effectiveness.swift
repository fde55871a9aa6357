import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit

/// How a programme's episodes did: each episode's figures per platform with the derived
/// figures, and the attendance claims — how much of the reach turned into credited learning.
public struct Effectiveness: Sendable {
    /// One episode on one platform.
    public struct Line: Sendable {
        public let number: Int
        public let topic: String
        public let speakers: String
        /// `YYYY-MM-DD`, in Jakarta time.
        public let day: String
        public let platform: LivePlatform
        public let counts: PlatformCounts
        /// The episode's claims (one per person, whatever platform they watched on).
        public let claims: Int

        /// Accounts engaged ÷ accounts reached.
        public var engagementRate: Double? { Self.ratio(counts.accountsEngaged, counts.accountsReached) }
        public var commentsPerPeakViewer: Double? { Self.ratio(counts.comments, counts.peakViewers) }
        public var followersPer100Reached: Double? {
            Self.ratio(counts.followersGained, counts.accountsReached).map { $0 * 100 }
        }
        public var claimsPer100Reached: Double? { Self.ratio(claims, counts.accountsReached).map { $0 * 100 } }

        /// Undefined (nil) when either is unknown or the divisor is zero.
        static func ratio(_ part: Int?, _ whole: Int?) -> Double? {
            guard let part, let whole, whole > 0 else { return nil }
            return Double(part) / Double(whole)
        }
    }

    public let lines: [Line]

    /// The programme's lines in episode order, then platform order.
    public static func load(_ programme: LiveProgramme, on db: any Database) async throws -> Effectiveness {
        let scope = TenantScope(tenantID: programme.tenantID, db: db)
        let episodes = try await scope.query(LiveEpisode.self).filter(\.$programmeID == programme.requireID())
            .sort(\.$number).all()
        let ids = episodes.compactMap(\.id)
        let figures = try await scope.query(EpisodeFigures.self).filter(\.$episodeID ~~ ids).all()
        let claims = try await claimCounts(ids, tenantID: programme.tenantID, on: db)
        let byEpisode = Dictionary(grouping: figures, by: \.episodeID)
        let lines = episodes.flatMap { episode in
            (byEpisode[episode.id!] ?? []).sorted { $0.platform < $1.platform }.map { figures in
                Line(
                    number: episode.number, topic: episode.topic, speakers: episode.speakerNames,
                    day: LocalDates.isoDay.string(from: episode.startsAt), platform: figures.platform,
                    counts: figures.counts, claims: claims[episode.id!] ?? 0)
            }
        }
        return Effectiveness(lines: lines)
    }

    /// Claims per episode, counted by the database.
    static func claimCounts(_ episodes: [UUID], tenantID: UUID, on db: any Database) async throws -> [UUID: Int] {
        try await counts(in: LiveClaim.schema, episodes, tenantID: tenantID, on: db)
    }

    /// Rows per episode of a table of Live Learning that has one per person (claims, registrations).
    static func counts(
        in table: String, _ episodes: [UUID], tenantID: UUID, on db: any Database
    ) async throws -> [UUID: Int] {
        guard !episodes.isEmpty else { return [:] }
        let rows = try await db.sql.raw(
            """
            SELECT episode_id, COUNT(*) AS n FROM \(ident: table) WHERE tenant_id = \(bind: tenantID) \
            AND episode_id IN (\(binds: episodes)) GROUP BY episode_id
            """
        ).all()
        var counts: [UUID: Int] = [:]
        for row in rows { counts[try row.decode(column: "episode_id", as: UUID.self)] = try row.decode(column: "n") }
        return counts
    }

    // MARK: The report

    public static let reportHeader = [
        "episode", "topic", "date", "platform", "accounts_reached", "peak_viewers", "comments", "accounts_engaged",
        "followers_gained", "engagement_rate", "comments_per_peak_viewer", "followers_per_100_reached", "claims",
        "claims_per_100_reached",
    ]

    /// One row per episode and platform: dates as `YYYY-MM-DD`, rates to four decimal places,
    /// empty where undefined.
    public var reportRows: [[String]] {
        lines.map { line in
            let c = line.counts
            return [
                "\(line.number)", line.topic, line.day, line.platform.rawValue, Self.cell(c.accountsReached),
                Self.cell(c.peakViewers), Self.cell(c.comments), Self.cell(c.accountsEngaged),
                Self.cell(c.followersGained), Self.rate(line.engagementRate), Self.rate(line.commentsPerPeakViewer),
                Self.rate(line.followersPer100Reached), "\(line.claims)", Self.rate(line.claimsPer100Reached),
            ]
        }
    }

    /// The report as plain CSV (RFC 4180: a field is quoted only when it must be), for scripts.
    public var reportCSV: String {
        ([Self.reportHeader] + reportRows).map { $0.map(Self.plainField).joined(separator: ",") }
            .joined(separator: "\n") + "\n"
    }

    static func cell(_ value: Int?) -> String { value.map(String.init) ?? "" }

    static func rate(_ value: Double?) -> String {
        guard let value else { return "" }
        return String(format: "%.4f", (value * 10_000).rounded() / 10_000)
    }

    static func plainField(_ value: String) -> String {
        guard value.contains(where: { ",\"\n\r".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
