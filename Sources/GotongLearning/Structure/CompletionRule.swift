import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// When an activity counts as complete for a learner: a kind and, for some kinds, a number.
/// Stored as its kind and value, written in the API as `{"viewed":true}`, `{"min_seconds":N}`,
/// and so on (`{}` for no condition). Which kinds exist is up to the activity types: each
/// offers its rules as ``CompletionOption``s; core offers only what it records for every type
/// (opened, time on screen). A kind no registered type offers is never met.
public struct CompletionRule: Hashable, Sendable {
    public let kind: String
    public let value: Int?

    public init(kind: String, value: Int? = nil) {
        self.kind = kind.isEmpty ? "none" : kind
        self.value = value
    }

    public static let none = CompletionRule(kind: "none")
    public static let viewed = CompletionRule(kind: CompletionOption.viewed.kind)
    public static func minSeconds(_ seconds: Int) -> CompletionRule {
        CompletionRule(kind: CompletionOption.minSeconds.kind, value: seconds)
    }

    /// The API's object form.
    public var json: [String: JSONScalar] {
        kind == Self.none.kind ? [:] : [kind: value.map { .int($0) } ?? .bool(true)]
    }
}

/// One completion rule an activity type offers authors, and how it is judged. Its texts are
/// found by its kind: `authoring.completion.<kind>` (the editor's choice) and
/// `learning.rule.<kind>` (what the learner reads, with `{value}` in the form's unit).
public struct CompletionOption: Sendable {
    public let kind: String
    /// The numbers the rule takes, as stored; nil when it takes none.
    public let values: ClosedRange<Int>?
    /// How many stored units one unit of the form is (60: the form asks minutes for seconds).
    public let formUnit: Int
    /// The number the editor suggests for a new rule, in the form's unit.
    public let suggested: Int?
    /// The message for a number out of range, in the API's unit and in the form's.
    public let errorKey: String
    public let formErrorKey: String
    private let met: @Sendable (_ value: Int, _ progress: ProgressFacts) -> Bool

    public init(
        kind: String, values: ClosedRange<Int>? = nil, formUnit: Int = 1, suggested: Int? = nil,
        errorKey: String = "activity.error.completion", formErrorKey: String? = nil,
        met: @escaping @Sendable (_ value: Int, _ progress: ProgressFacts) -> Bool
    ) {
        self.kind = kind
        self.values = values
        self.formUnit = max(1, formUnit)
        self.suggested = suggested
        self.errorKey = errorKey
        self.formErrorKey = formErrorKey ?? errorKey
        self.met = met
    }

    /// Whether progress meets `rule` (a rule of this kind).
    public func isMet(_ rule: CompletionRule, by progress: ProgressFacts) -> Bool {
        met(rule.value ?? 0, progress)
    }

    /// The rule's number as the form shows it (rounded up: "selesai setelah 2 menit" for 90 s).
    public func formValue(_ rule: CompletionRule) -> Int? {
        rule.value.map { max(1, ($0 + formUnit - 1) / formUnit) }
    }

    /// Opened at least once.
    public static let viewed = CompletionOption(kind: "viewed") { _, progress in progress.views > 0 }

    /// The longest time on an activity a rule may ask for: a day.
    public static let maxSeconds = 86_400

    /// On screen for at least so many seconds (heartbeats count them).
    public static let minSeconds = CompletionOption(
        kind: "min_seconds", values: 1...maxSeconds, formUnit: 60, suggested: 1,
        errorKey: "activity.error.min_seconds", formErrorKey: "activity.error.min_minutes"
    ) { seconds, progress in progress.seconds >= seconds }

    // MARK: Input

    /// Reads the API's object form against the rules `offered` (every registered type's).
    /// Unknown kinds, several keys, or values out of range are problems for `completion`.
    static func parse(
        _ object: [String: JSONScalar]?, offered: (String) -> CompletionOption?, problems: inout ProblemList
    ) -> CompletionRule? {
        guard let object else { return nil }
        guard object.count <= 1, let (key, value) = object.first else {
            if object.count > 1 { problems.add("completion", "activity.error.completion") }
            return object.isEmpty ? CompletionRule.none : nil
        }
        return parse(kind: key, value: value, offered: offered, problems: &problems)
    }

    /// Reads a kind and its value; `inForm` reads the number in the form's unit (minutes).
    static func parse(
        kind: String, value: JSONScalar?, offered: (String) -> CompletionOption?, inForm: Bool = false,
        problems: inout ProblemList
    ) -> CompletionRule? {
        if kind.isEmpty || kind == CompletionRule.none.kind { return CompletionRule.none }
        guard let option = offered(kind) else {
            problems.add("completion", "activity.error.completion")
            return nil
        }
        guard let values = option.values else {
            if inForm || value == nil || value?.bool == true || value == .string("") {
                return CompletionRule(kind: kind)
            }
            problems.add("completion", "activity.error.completion")
            return nil
        }
        let unit = inForm ? option.formUnit : 1
        // The number is read within the range (in the form's unit), so the product cannot overflow.
        let range = ((values.lowerBound + unit - 1) / unit)...(values.upperBound / unit)
        if let n = value?.int, range.contains(n) { return CompletionRule(kind: kind, value: n * unit) }
        problems.add("completion", inForm ? option.formErrorKey : option.errorKey)
        return nil
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
