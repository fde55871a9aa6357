import Foundation
import NIOConcurrencyHelpers

/// A counter per key (a tenant) that this process raises when something it keeps a copy of
/// changed: what kept the copy compares the counter it saw with the current one, and reads
/// again when they differ — at once in this process, without asking the database. (Other
/// processes rely on the database's own version or a short lifetime.)
public final class Generations: Sendable {
    private let counts = NIOLockedValueBox([UUID: Int]())

    public init() {}

    public func raise(_ key: UUID) { counts.withLockedValue { $0[key, default: 0] += 1 } }

    public func of(_ key: UUID) -> Int { counts.withLockedValue { $0[key, default: 0] } }
}
