import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The server's time, as one small client: what counts time on material reads it, so a test
/// can move it forward instead of sleeping, and no client's idea of the time is ever used.
public struct ServerClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    /// The machine's clock.
    public static let system = ServerClock { Date() }

    /// A clock that stands still until moved: for tests.
    public static func manual(_ start: Date = Date()) -> (ServerClock, ManualTime) {
        let time = ManualTime(start)
        return (ServerClock { time.current }, time)
    }
}

/// The hand that moves a manual clock.
public final class ManualTime: Sendable {
    private let value: NIOLockedValueBox<Date>

    init(_ start: Date) { value = NIOLockedValueBox(start) }

    public var current: Date { value.withLockedValue { $0 } }

    public func advance(_ seconds: TimeInterval) { value.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
}

private struct ServerClockKey: StorageKey { typealias Value = ServerClock }

extension Application {
    public var clock: ServerClock {
        get { storage[ServerClockKey.self] ?? .system }
        set { storage[ServerClockKey.self] = newValue }
    }
}
