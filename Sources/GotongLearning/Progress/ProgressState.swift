import Foundation

/// What an activity type records about one person's progress beyond the views and time every
/// type has: how far a video was watched, how many forum posts, whether a poll was answered.
/// Named numbers, stored as a JSON object in `activity_progress.state`. Each type reads and
/// writes only its own names (through typed accessors in its folder), judges its completion
/// rules on them, and shows them in the monitoring table; core only carries them.
public struct ProgressState: Equatable, Sendable {
    public private(set) var values: [String: Double]

    public init(_ values: [String: Double] = [:]) {
        self.values = values.filter { $0.value.isFinite }
    }

    public subscript(_ name: String) -> Double {
        get { values[name] ?? 0 }
        set { values[name] = newValue.isFinite && newValue != 0 ? newValue : nil }
    }

    /// The value as a whole number (0 when absent); clamped, so a stored value never traps.
    public func int(_ name: String) -> Int {
        let value = self[name]
        return value >= Double(Int.max) ? Int.max : (value <= Double(Int.min) ? Int.min : Int(value))
    }

    // MARK: Storage

    /// The stored text: `{}` when empty (most rows: the common types keep nothing here).
    public var json: String {
        guard !values.isEmpty,
            let data = try? Self.encoder.encode(values), let text = String(data: data, encoding: .utf8)
        else { return "{}" }
        return text
    }

    /// Reads the stored text; what is not an object of numbers reads as empty.
    public init(json text: String) {
        guard text.count > 2, let values = try? JSONDecoder().decode([String: Double].self, from: Data(text.utf8))
        else {
            self.init()
            return
        }
        self.init(values)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}
