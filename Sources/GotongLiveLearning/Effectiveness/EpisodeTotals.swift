import Foundation
import GotongPlatform

/// What the effectiveness view shows beside the lines: each episode across its platforms (or
/// on one), the best and worst episode by each figure, and the platforms side by side.
public struct EpisodeTotals: Sendable {
    public let number: Int
    public let topic: String
    public let speakers: String
    public let day: String
    public let counts: PlatformCounts
    public let claims: Int
    /// The episode's lines, for rates: each rate is taken over the platforms that report both
    /// of its figures (YouTube's comments are not divided by the other platforms' peak).
    let lines: [Effectiveness.Line]

    public var engagementRate: Double? { Self.rate(lines, \.accountsEngaged, \.accountsReached) }
    public var commentsPerPeakViewer: Double? { Self.rate(lines, \.comments, \.peakViewers) }
    public var followersPer100Reached: Double? {
        Self.rate(lines, \.followersGained, \.accountsReached).map { $0 * 100 }
    }
    public var claimsPer100Reached: Double? {
        Effectiveness.Line.ratio(claims, counts.accountsReached).map { $0 * 100 }
    }

    /// Σ part ÷ Σ whole over the lines that report both; nil when none does or Σ whole is 0.
    static func rate(
        _ lines: [Effectiveness.Line], _ part: KeyPath<PlatformCounts, Int?>, _ whole: KeyPath<PlatformCounts, Int?>
    ) -> Double? {
        let pairs = lines.compactMap { line in
            line.counts[keyPath: part].flatMap { p in line.counts[keyPath: whole].map { (p, $0) } }
        }
        return Effectiveness.Line.ratio(pairs.isEmpty ? nil : pairs.map(\.0).reduce(0, +), pairs.map(\.1).reduce(0, +))
    }

    /// The figures the view ranks episodes by, with how each is read from the totals.
    public static let measures: [(key: String, value: @Sendable (EpisodeTotals) -> Double?)] = [
        ("accounts_reached", { $0.counts.accountsReached.map(Double.init) }),
        ("peak_viewers", { $0.counts.peakViewers.map(Double.init) }),
        ("comments", { $0.counts.comments.map(Double.init) }),
        ("accounts_engaged", { $0.counts.accountsEngaged.map(Double.init) }),
        ("followers_gained", { $0.counts.followersGained.map(Double.init) }),
        ("engagement_rate", { $0.engagementRate }),
        ("comments_per_peak_viewer", { $0.commentsPerPeakViewer }),
        ("followers_per_100_reached", { $0.followersPer100Reached }),
        ("claims", { Double($0.claims) }),
        ("claims_per_100_reached", { $0.claimsPer100Reached }),
    ]
}

extension Effectiveness {
    /// One row per episode: its figures summed over the platforms (or those of `platform`
    /// only); a figure no platform reported stays unknown. Episodes without figures are left out.
    public func totals(on platform: LivePlatform? = nil) -> [EpisodeTotals] {
        let chosen = lines.filter { platform == nil || $0.platform == platform }
        let byEpisode = Dictionary(grouping: chosen, by: \.number)
        return byEpisode.keys.sorted().map { number in
            let group = byEpisode[number]!
            var sum = PlatformCounts()
            for key in PlatformCounts.keys {
                let known = group.compactMap { $0.counts[key] }
                // Watch time is an average: the platforms' average weighted by their views would
                // need views on each, so only a single platform's is shown.
                if key == "avg_watch_seconds" {
                    sum[key] = group.count == 1 ? known.first : nil
                } else {
                    sum[key] = known.isEmpty ? nil : known.reduce(0, +)
                }
            }
            let first = group[0]
            return EpisodeTotals(
                number: number, topic: first.topic, speakers: first.speakers, day: first.day, counts: sum,
                claims: first.claims, lines: group)
        }
    }

    /// The best and worst episode by each measure that at least one episode has.
    public static func extremes(_ totals: [EpisodeTotals]) -> [(key: String, best: EpisodeTotals, worst: EpisodeTotals)]
    {
        EpisodeTotals.measures.compactMap { measure in
            let known = totals.compactMap { total in measure.value(total).map { (total, $0) } }
            guard let best = known.max(by: { $0.1 < $1.1 }), let worst = known.min(by: { $0.1 < $1.1 }) else {
                return nil
            }
            return (measure.key, best.0, worst.0)
        }
    }

    /// Each platform side by side: episodes with figures, totals, averages per episode, and
    /// the engagement rate of all its reach together.
    public struct PlatformSummary: Sendable {
        public let platform: LivePlatform
        public let episodes: Int
        public let reached: Int
        public let averageReached: Double?
        public let averagePeak: Double?
        public let engagementRate: Double?
        public let followersGained: Int
    }

    public var platforms: [PlatformSummary] {
        LivePlatform.allCases.compactMap { platform in
            let group = lines.filter { $0.platform == platform }
            guard !group.isEmpty else { return nil }
            let reached = group.compactMap(\.counts.accountsReached)
            let peaks = group.compactMap(\.counts.peakViewers)
            let engagedPairs = group.compactMap { line in
                line.counts.accountsEngaged.flatMap { engaged in line.counts.accountsReached.map { (engaged, $0) } }
            }
            let engagedReach = engagedPairs.map(\.1).reduce(0, +)
            return PlatformSummary(
                platform: platform, episodes: group.count, reached: reached.reduce(0, +),
                averageReached: reached.isEmpty ? nil : Double(reached.reduce(0, +)) / Double(reached.count),
                averagePeak: peaks.isEmpty ? nil : Double(peaks.reduce(0, +)) / Double(peaks.count),
                engagementRate: engagedReach > 0
                    ? Double(engagedPairs.map(\.0).reduce(0, +)) / Double(engagedReach) : nil,
                followersGained: group.compactMap(\.counts.followersGained).reduce(0, +))
        }
    }
}
