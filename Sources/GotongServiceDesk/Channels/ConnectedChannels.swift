import Foundation
import GotongPlatform
import GotongTenancy
import NIOConcurrencyHelpers
import Vapor

/// The channels tenants connected, their keys opened, kept ten seconds per tenant and channel:
/// every delivery to a webhook needs them, and reading the desk's settings and the channel's
/// row and opening its keys took more of a delivery's time than recording it. This process
/// forgets a tenant's entries when its channels or its desk change; another process sees the
/// change within ``lifetime``.
final class ConnectedChannels: Sendable {
    struct Key: Hashable {
        let tenant: UUID
        let channel: DeskCase.Channel
    }

    static let lifetime: TimeInterval = 10
    static let capacity = 10_000

    private struct Kept {
        var entries: [Key: (at: Date, connected: WebhookRoutes.Connected?)] = [:]
        /// Bumped by ``forget(_:)``: a look that began before a change is not kept after it.
        var generation: [UUID: Int] = [:]
    }

    private let kept = NIOLockedValueBox(Kept())

    /// The kept lookup of `key` (nil: not connected) while younger than ``lifetime``, or `look`'s.
    func connected(
        _ key: Key, now: Date, look: () async throws -> WebhookRoutes.Connected?
    ) async throws -> WebhookRoutes.Connected? {
        let (entry, generation) = kept.withLockedValue { ($0.entries[key], $0.generation[key.tenant, default: 0]) }
        if let entry, entry.at <= now, now.timeIntervalSince(entry.at) < Self.lifetime {
            return entry.connected
        }
        let connected = try await look()
        kept.withLockedValue { kept in
            guard kept.generation[key.tenant, default: 0] == generation else { return }
            if kept.entries.count >= Self.capacity { kept.entries.removeAll(keepingCapacity: true) }
            kept.entries[key] = (now, connected)
        }
        return connected
    }

    /// Forgets what was kept of `tenant`'s channels (connected, disconnected, desk turned).
    func forget(_ tenant: UUID) {
        kept.withLockedValue { kept in
            kept.generation[tenant, default: 0] += 1
            for key in kept.entries.keys where key.tenant == tenant { kept.entries[key] = nil }
        }
    }
}

extension Application {
    private struct ConnectedChannelsKey: StorageKey { typealias Value = ConnectedChannels }

    var connectedChannels: ConnectedChannels {
        if let kept = storage[ConnectedChannelsKey.self] { return kept }
        let made = ConnectedChannels()
        storage[ConnectedChannelsKey.self] = made
        return made
    }
}
