import Foundation
import Vapor

/// The figures of a period kept for a minute: the tracker and the stats API are public, and a
/// year of a big desk takes the database most of a second to count; a minute-old count is as
/// good to its readers, and a crowd (or a robot) reading the tracker costs one count a minute
/// per period, not one a visit.
///
/// No reader waits for a recount while a kept count is less than ten minutes old: past its
/// minute it is still served, and one recount starts behind it (readers asking at once share
/// it). A period that runs to now is one entry, whatever the minute. At most `capacity`
/// periods are kept; the oldest go first.
actor StatsCache {
    struct Key: Hashable, Sendable {
        let tenant: UUID
        let from: Date
        /// nil: the period runs to now.
        let to: Date?
        let unit: UUID?
    }

    typealias Load = @Sendable () async throws -> DeskStats

    static let lifetime: TimeInterval = 60
    /// Older than this, a kept count is not served: its reader waits for the recount.
    static let servedStaleFor: TimeInterval = 600
    static let capacity = 2000

    private var entries: [Key: (made: Date, stats: DeskStats)] = [:]
    private var counting: [Key: Task<DeskStats, any Error>] = [:]

    /// The kept figures of `key`, or `load`'s (see the type's note).
    func figures(_ key: Key, now: Date, load: @escaping Load) async throws -> DeskStats {
        if let kept = entries[key], kept.made <= now {
            let age = now.timeIntervalSince(kept.made)
            if age < Self.lifetime { return kept.stats }
            if age < Self.servedStaleFor {
                _ = recount(key, now: now, load: load)
                return kept.stats
            }
        }
        return try await recount(key, now: now, load: load).value
    }

    /// Waits for the recounts under way (tests: the figures a stale read started).
    func settled() async {
        for task in counting.values { _ = try? await task.value }
    }

    /// The recount of `key` under way, or a new one, kept when it ends.
    private func recount(_ key: Key, now: Date, load: @escaping Load) -> Task<DeskStats, any Error> {
        if let running = counting[key] { return running }
        let task = Task { try await load() }
        counting[key] = task
        Task {
            let stats = try? await task.value
            self.keep(stats, for: key, made: now)
        }
        return task
    }

    private func keep(_ stats: DeskStats?, for key: Key, made: Date) {
        counting[key] = nil
        guard let stats else { return }
        if entries.count >= Self.capacity {
            let oldest = entries.sorted { $0.value.made < $1.value.made }.prefix(Self.capacity / 4).map(\.key)
            for key in oldest { entries[key] = nil }
        }
        entries[key] = (made, stats)
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
