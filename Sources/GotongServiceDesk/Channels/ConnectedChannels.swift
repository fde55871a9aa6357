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

    private let entries = NIOLockedValueBox([Key: (at: Date, connected: WebhookRoutes.Connected?)]())

    /// The kept lookup of `key` (nil: not connected) while younger than ``lifetime``, or `look`'s.
    func connected(
        _ key: Key, now: Date, look: () async throws -> WebhookRoutes.Connected?
    ) async throws -> WebhookRoutes.Connected? {
        if let kept = entries.withLockedValue({ $0[key] }), kept.at <= now,
            now.timeIntervalSince(kept.at) < Self.lifetime
        {
            return kept.connected
        }
        let connected = try await look()
        entries.withLockedValue { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (now, connected)
        }
        return connected
    }

    /// Forgets what was kept of `tenant`'s channels (connected, disconnected, desk turned).
    func forget(_ tenant: UUID) {
        entries.withLockedValue { entries in
            for key in entries.keys where key.tenant == tenant { entries[key] = nil }
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
