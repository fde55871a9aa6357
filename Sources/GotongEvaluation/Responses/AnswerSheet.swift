import Foundation
import GotongPlatform

/// Answers as sent, before they are checked against the form: from the web form's fields
/// (`q-{item}`; a multiple-choice question's boxes `q-{item}-{n}`) or the API's JSON.
public struct AnswerSheet: Sendable {
    public enum Value: Sendable, Equatable {
        case number(Int)
        case numbers([Int])
        case text(String)
    }

    public var values: [UUID: Value] = [:]

    public init(values: [UUID: Value] = [:]) { self.values = values }

    /// Reads a posted form. Unknown fields are ignored; a number that does not parse is kept as
    /// text, so the check says it is not one of the choices.
    public init(form: [String: String], items: [EvaluationItem]) {
        for item in items {
            guard let id = item.id else { continue }
            let key = "q-" + id.uuidString.lowercased()
            switch item.kind {
            case .multiple:
                let taken = item.choices.indices.compactMap { n in form["\(key)-\(n + 1)"] == nil ? nil : n + 1 }
                if !taken.isEmpty { values[id] = .numbers(taken) }
            case .short, .long:
                if let text = form[key] { values[id] = .text(text) }
            case .likert4, .likert5, .single:
                if let raw = form[key], !raw.isEmpty { values[id] = Int(raw).map(Value.number) ?? .text(raw) }
            }
        }
    }

    /// The field name of an item's answer on the web form.
    public static func field(_ item: EvaluationItem) -> String { "q-" + (item.id?.uuidString.lowercased() ?? "") }

    /// The answers to save, each checked against its question: a scale's point or a choice in
    /// range, text within its length, every required question answered. All problems are
    /// reported at once, each under its question's field.
    public func checked(against items: [EvaluationItem], response: UUID) throws -> [EvaluationAnswer] {
        var problems = ProblemList()
        var answers: [EvaluationAnswer] = []
        for item in items {
            guard let id = item.id else { continue }
            let field = Self.field(item)
            let value = values[id]
            switch (item.kind, value) {
            case (_, nil), (.multiple, .numbers([])):
                if item.required { problems.add(field, "evaluation.error.required") }
            case (.likert4, .number(let n)), (.likert5, .number(let n)):
                guard let scale = item.kind.scale, (1...scale).contains(n) else {
                    problems.add(field, "evaluation.error.scale", ["max": "\(item.kind.scale ?? 0)"])
                    continue
                }
                answers.append(.init(response: response, item: id, number: n, text: ""))
            case (.single, .number(let n)):
                guard (1...max(1, item.choices.count)).contains(n), !item.choices.isEmpty else {
                    problems.add(field, "evaluation.error.choice")
                    continue
                }
                answers.append(.init(response: response, item: id, number: n, text: ""))
            case (.multiple, .numbers(let taken)):
                guard Set(taken).count == taken.count, taken.allSatisfy({ (1...item.choices.count).contains($0) })
                else {
                    problems.add(field, "evaluation.error.choice")
                    continue
                }
                answers += taken.sorted().map { .init(response: response, item: id, number: $0, text: "") }
            case (.short, .text(let raw)), (.long, .text(let raw)):
                let text = problems.text(raw, field, max: item.kind == .short ? 300 : 4000)
                if text.isEmpty {
                    if item.required { problems.add(field, "evaluation.error.required") }
                } else {
                    answers.append(.init(response: response, item: id, number: nil, text: text))
                }
            default:
                problems.add(field, item.kind.isText ? "evaluation.error.text" : "evaluation.error.choice")
            }
        }
        try problems.throwIfAny()
        return answers
    }
}
