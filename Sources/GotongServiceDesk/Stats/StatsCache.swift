import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The figures of a period kept for a minute: the tracker and the stats API are public, and a
/// year of a big desk takes the database most of a second to count; a minute-old count is as
/// good to its readers, and a crowd (or a robot) reading the tracker costs one count a minute
/// per period, not one a visit. At most `capacity` periods are kept; the oldest go first.
final class StatsCache: Sendable {
    struct Key: Hashable, Sendable {
        let tenant: UUID
        let from: Date
        let to: Date
        let unit: UUID?
    }

    static let lifetime: TimeInterval = 60
    static let capacity = 2000

    private let entries = NIOLockedValueBox([Key: (made: Date, stats: DeskStats)]())

    /// The kept figures of `key` while younger than a minute, or `load`'s, kept.
    func figures(_ key: Key, now: Date, load: () async throws -> DeskStats) async throws -> DeskStats {
        if let kept = entries.withLockedValue({ $0[key] }), now.timeIntervalSince(kept.made) < Self.lifetime,
            kept.made <= now
        {
            return kept.stats
        }
        let stats = try await load()
        entries.withLockedValue { entries in
            if entries.count >= Self.capacity {
                let oldest = entries.sorted { $0.value.made < $1.value.made }.prefix(Self.capacity / 4).map(\.key)
                for key in oldest { entries[key] = nil }
            }
            entries[key] = (now, stats)
        }
        return stats
    }
}

extension Application {
    private struct StatsCacheKey: StorageKey { typealias Value = StatsCache }

    var deskStatsCache: StatsCache {
        if let cache = storage[StatsCacheKey.self] { return cache }
        let cache = StatsCache()
        storage[StatsCacheKey.self] = cache
        return cache
    }
}
