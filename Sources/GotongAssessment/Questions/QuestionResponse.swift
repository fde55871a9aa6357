import Foundation

/// What a learner answered to one question, as given: the answers chosen (by their place in the
/// question's own list, whatever order they were shown in), the text typed, or for matching the
/// answer chosen for each item. Stored as JSON as soon as it is given.
public struct QuestionResponse: Codable, Hashable, Sendable {
    /// Multiple choice: the chosen answers' indices. True/false: `[0]` true, `[1]` false.
    public var choices: [Int]?
    /// Short answer, numerical, essay.
    public var text: String?
    /// Matching: for each item, the index of the chosen answer in ``Matching/choices`` (nil: none).
    public var matches: [Int?]?

    public init(choices: [Int]? = nil, text: String? = nil, matches: [Int?]? = nil) {
        self.choices = choices
        self.text = text
        self.matches = matches
    }

    /// Whether anything was answered.
    public var isEmpty: Bool {
        (choices ?? []).isEmpty && (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            && (matches ?? []).allSatisfy { $0 == nil }
    }

    /// The longest typed answer kept (an essay of some pages).
    public static let maxText = 50_000
}

/// How an answer is marked: the share of the question's mark it earns (0…1), or nil when a
/// person must grade it (an essay). Kept apart from the pages so regrading and statistics use
/// the same judgement.
public enum QuestionGrading {
    public static func fraction(of response: QuestionResponse, for question: Question) -> Double? {
        switch question.body {
        case .multipleChoice(let mc):
            let chosen = Set((response.choices ?? []).filter { mc.answers.indices.contains($0) })
            if mc.single { return chosen.first.map { max(0, mc.answers[$0].fraction) } ?? 0 }
            return clamp(chosen.map { mc.answers[$0].fraction }.reduce(0, +))
        case .trueFalse(let tf):
            guard let choice = response.choices?.first else { return 0 }
            return (choice == 0) == tf.correct ? 1 : 0
        case .shortAnswer(let sa):
            guard let typed = response.text, let answer = matchingAnswer(typed, in: sa) else { return 0 }
            return clamp(answer.fraction)
        case .numerical(let n):
            guard let value = number(response.text ?? "") else { return 0 }
            // The first answer whose range holds the value counts, as in Moodle.
            return clamp(n.answers.first { abs($0.value - value) <= $0.tolerance + 1e-9 }?.fraction ?? 0)
        case .matching(let m):
            let items = m.items, choices = m.choices
            guard !items.isEmpty else { return 0 }
            let given = response.matches ?? []
            let right = items.indices.filter { i in
                i < given.count
                    && given[i].map { choices.indices.contains($0) && choices[$0] == items[i].answer } == true
            }
            return Double(right.count) / Double(items.count)
        case .essay:
            return nil
        }
    }

    private static func clamp(_ value: Double) -> Double { min(1, max(0, value)) }

    /// The short answer a typed text matches: spaces collapsed, case ignored unless the question
    /// says otherwise, and `*` standing for any text.
    public static func matchingAnswer(_ typed: String, in question: ShortAnswer) -> Answer? {
        let given = normalised(typed, caseSensitive: question.caseSensitive)
        guard !given.isEmpty else { return nil }
        return question.answers.first { answer in
            wildcard(normalised(answer.text, caseSensitive: question.caseSensitive), matches: given)
        }
    }

    static func normalised(_ text: String, caseSensitive: Bool) -> String {
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return caseSensitive ? words : words.lowercased()
    }

    /// `*` matches any run of characters (none too); everything else matches itself.
    static func wildcard(_ pattern: String, matches text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == text }
        var rest = Substring(text)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let found = rest.range(of: part) else { return false }
            rest = rest[found.upperBound...]
        }
        let last = parts[parts.count - 1]
        return rest.count >= last.count && rest.hasSuffix(last)
    }

    /// A number as Indonesians and others type it: `3,5` or `3.5`, `1.000,5` or `1,000.5`.
    public static func number(_ typed: String) -> Double? {
        var text = typed.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "")
        guard !text.isEmpty, text.count <= 40 else { return nil }
        let commas = text.filter { $0 == "," }.count, dots = text.filter { $0 == "." }.count
        if commas == 1, dots == 0 {
            text = text.replacingOccurrences(of: ",", with: ".")
        } else if commas >= 1, dots >= 1 {
            // The last of the two separators is the decimal one.
            let decimalIsComma = text.lastIndex(of: ",")! > text.lastIndex(of: ".")!
            text =
                decimalIsComma
                ? text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
                : text.replacingOccurrences(of: ",", with: "")
        } else if dots > 1 {
            text = text.replacingOccurrences(of: ".", with: "")
        }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
