import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// A change to an activity from the web form or the API: every field optional (nil leaves it
/// as it is). Settings are checked against the type's declared fields; files come separately.
public struct ActivityChange: Sendable {
    public var type: String?
    public var title: String?
    /// Only the settings named change; `null` clears one.
    public var settings: [String: JSONScalar]?
    /// A rule set by code (demo data, a copy); input from people comes as ``completionInput``.
    public var completion: CompletionRule?
    /// The completion rule as the API or the form sent it, read against the rules the
    /// registered types offer when the change is applied.
    public var completionInput: CompletionInput?
    public var hidden: Bool?
    public var opensAt: Date??
    /// Uploaded files by setting name.
    public var files: [String: ReceivedFile] = [:]
    /// Problems found while reading the input (a completion object that made no sense).
    public var inputProblems = ProblemList()

    public init() {}

    /// A completion rule as people send it.
    public enum CompletionInput: Sendable {
        /// The API's object form: `{"min_seconds": 600}`, `{}` for none.
        case object([String: JSONScalar])
        /// The form's kind and number (in the rule's form unit: minutes for time).
        case form(kind: String, value: String?)
    }

    /// The form's choice "the type's default for its settings" (a new video's: watched to 90 %
    /// when uploaded, some minutes on the page when linked).
    public static let defaultChoice = "default"

    /// Whether the author asked for the type's default rule rather than naming one.
    var asksForDefault: Bool {
        if case .form(let kind, _) = completionInput { kind == Self.defaultChoice } else { false }
    }

    /// ``completion``, or the rule ``completionInput`` names; problems go to `completion`.
    /// Nil when none is named (or the default is asked for).
    func completionRule(offered: (String) -> CompletionOption?, problems: inout ProblemList) -> CompletionRule? {
        switch completionInput {
        case nil:
            return completion
        case .form(Self.defaultChoice, _):
            return nil
        case .object(let object):
            return CompletionOption.parse(object, offered: offered, problems: &problems)
        case .form(let kind, let value):
            return CompletionOption.parse(
                kind: kind, value: value.map { .string($0) }, offered: offered, inForm: true, problems: &problems)
        }
    }

    /// The settings after the change, checked; files are checked here and stored by
    /// ``CourseStructure`` once everything else is right.
    func checkedSettings(
        for type: any ActivityType, existing: ActivitySettings, problems: inout ProblemList
    ) -> (ActivitySettings, [PendingFile]) {
        var result = existing
        var pending: [PendingFile] = []
        for field in type.fields {
            let field_ = "settings.\(field.name)"
            switch field.kind {
            case .file(let rule):
                if let file = files[field.name], file.size > 0 {
                    if file.size > rule.maxBytes {
                        problems.add(field_, "activity.error.file_size", ["max": Self.megabytes(rule.maxBytes)])
                    } else if let kind = FileKind.sniff(head: file.head, filename: file.filename, allowed: rule.kinds) {
                        pending.append(PendingFile(field: field.name, file: file, kind: kind))
                        result[field.name] = .string("pending")
                    } else {
                        problems.add(
                            field_, "activity.error.file_type",
                            ["kinds": rule.kinds.map { $0.fileExtension.uppercased() }.joined(separator: ", ")])
                    }
                }
            default:
                guard let settings, settings.keys.contains(field.name) else { break }
                let raw = settings[field.name] ?? .null
                if raw == .null || raw == .string("") { result[field.name] = nil; break }
                switch field.kind {
                case .text(let max):
                    guard let text = raw.string?.trimmed(max: max + 1), text.count <= max else {
                        problems.add(field_, "activity.error.text", ["max": "\(max)"]); break
                    }
                    result[field.name] = text.isEmpty ? nil : .string(text)
                case .markdown(let max):
                    guard let text = raw.string.map({ $0.hasControlCharacters ? $0.trimmed(max: $0.count) : $0 }),
                        text.count <= max
                    else {
                        problems.add(field_, "activity.error.text", ["max": "\(max)"]); break
                    }
                    result[field.name] = .string(text)
                case .url:
                    guard let text = raw.string?.trimmingCharacters(in: .whitespaces), Self.isWebAddress(text) else {
                        problems.add(field_, "activity.error.url"); break
                    }
                    result[field.name] = .string(text)
                case .number(let range):
                    guard let n = raw.int, range.contains(n) else {
                        problems.add(
                            field_, "activity.error.number",
                            ["min": "\(range.lowerBound)", "max": "\(range.upperBound)"]);
                        break
                    }
                    result[field.name] = .int(n)
                case .choice(let words):
                    guard let word = raw.string, words.contains(word) else {
                        problems.add(field_, "activity.error.choice", ["choices": words.joined(separator: ", ")])
                        break
                    }
                    result[field.name] = .string(word)
                case .dateTime:
                    guard let text = raw.string, case .success(let date?) = LocalDates.parse(text, localTime: true)
                    else {
                        problems.add(field_, "activity.error.datetime"); break
                    }
                    result[field.name] = .string(LocalDates.iso(date))
                case .file:
                    break
                }
            }
        }
        // Settings the type does not know are refused rather than silently dropped; files too.
        for name in Set((settings ?? [:]).keys).union(files.keys)
        where !type.fields.contains(where: { $0.name == name }) {
            problems.add("settings.\(name)", "activity.error.unknown_setting", ["name": name])
        }
        for field in type.fields where field.required && result[field.name] == nil {
            if !problems.problems.contains(where: { $0.field == "settings.\(field.name)" }) {
                problems.add("settings.\(field.name)", "activity.error.required")
            }
        }
        return (result, pending)
    }

    /// An upload that passed its checks, to be stored under the activity.
    struct PendingFile: Sendable {
        let field: String
        let file: ReceivedFile
        let kind: FileKind
    }

    static func isWebAddress(_ text: String) -> Bool { WebAddress.isValid(text) }

    static func megabytes(_ bytes: Int) -> String { "\(bytes / 1_048_576) MB" }
}
