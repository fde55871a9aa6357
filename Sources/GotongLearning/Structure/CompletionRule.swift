import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// When an activity counts as complete for a learner. Stored as a kind and a value, written in
/// the API as `{"viewed":true}`, `{"min_seconds":N}`, `{"min_percent":N}` or `{"posted":true}`
/// (the next issue adds submitted and passed), and `{}` for no condition.
public enum CompletionRule: Equatable, Sendable {
    case none
    case viewed
    case minSeconds(Int)
    case minPercent(Int)
    case posted

    /// Which rules a type may offer (see ``ActivityType/features``).
    public var feature: ActivityFeature? {
        switch self {
        case .none: nil
        case .viewed: .completionViewed
        case .minSeconds: .completionMinSeconds
        case .minPercent: .completionMinPercent
        case .posted: .completionPosted
        }
    }

    // MARK: Storage

    public var kind: String {
        switch self {
        case .none: "none"
        case .viewed: "viewed"
        case .minSeconds: "min_seconds"
        case .minPercent: "min_percent"
        case .posted: "posted"
        }
    }

    public var value: Int? {
        switch self {
        case .minSeconds(let n), .minPercent(let n): n
        default: nil
        }
    }

    public init(kind: String, value: Int?) {
        switch kind {
        case "viewed": self = .viewed
        case "min_seconds": self = .minSeconds(value ?? 0)
        case "min_percent": self = .minPercent(value ?? 0)
        case "posted": self = .posted
        default: self = .none
        }
    }

    /// Whether progress meets the rule.
    public func isMet(by progress: ProgressFacts) -> Bool {
        switch self {
        case .none: false
        case .viewed: progress.views > 0
        case .minSeconds(let n): progress.seconds >= n
        case .minPercent(let n): progress.videoPercent >= n
        case .posted: progress.posts > 0
        }
    }

    // MARK: Input

    /// The longest time on an activity a rule may ask for: a day.
    static let maxSeconds = 86_400

    /// Reads the API's object form. Unknown keys, several keys, or values out of range are
    /// problems for the field `completion`.
    public static func parse(_ object: [String: JSONScalar]?, problems: inout ProblemList) -> CompletionRule? {
        guard let object else { return nil }
        guard object.count <= 1, let (key, value) = object.first else {
            if object.count > 1 { problems.add("completion", "activity.error.completion") }
            return object.isEmpty ? CompletionRule.none : nil
        }
        return parse(kind: key, value: value, problems: &problems)
    }

    /// Reads a kind and its value (the web form sends them as two fields, the value as text).
    public static func parse(kind: String, value: JSONScalar?, problems: inout ProblemList) -> CompletionRule? {
        switch kind {
        case "none", "":
            return CompletionRule.none
        case "viewed", "posted":
            guard value == nil || value?.bool == true || value == .string("") else { break }
            return kind == "viewed" ? .viewed : .posted
        case "min_seconds":
            if let n = value?.int, (1...maxSeconds).contains(n) { return .minSeconds(n) }
            problems.add("completion", "activity.error.min_seconds")
            return nil
        case "min_percent":
            if let n = value?.int, (1...100).contains(n) { return .minPercent(n) }
            problems.add("completion", "activity.error.min_percent")
            return nil
        default:
            break
        }
        problems.add("completion", "activity.error.completion")
        return nil
    }

    /// The API's object form.
    public var json: [String: JSONScalar] {
        switch self {
        case .none: [:]
        case .viewed: ["viewed": .bool(true)]
        case .posted: ["posted": .bool(true)]
        case .minSeconds(let n): ["min_seconds": .int(n)]
        case .minPercent(let n): ["min_percent": .int(n)]
        }
    }
}

/// A JSON value that is not a container: what activity settings and completion rules hold.
public enum JSONScalar: Codable, Equatable, Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int.self) {
            self = .int(i)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        }
        // A number that is no whole number a setting could hold (a fraction, or beyond 64 bits)
        // is kept as its text, so the checks that follow can say what is wrong with it.
        else if let d = try? c.decode(Double.self) {
            self = .string(String(d))
        } else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "expected a string, a whole number, true/false or null")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        }
    }

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var int: Int? {
        switch self {
        case .int(let i): i
        case .string(let s): WholeNumber.parse(s.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }
    public var bool: Bool? {
        switch self {
        case .bool(let b): b
        case .string(let s):
            ["1", "true", "on", "ya"].contains(s.lowercased())
                ? true : (["0", "false", "off", "", "tidak"].contains(s.lowercased()) ? false : nil)
        default: nil
        }
    }
}
