import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The activity form as posted (multipart when a file is chosen): plain text values by name,
/// and files by setting name, read by the upload reader so any type's fields come through
/// without a form struct that would have to know every type.
struct ActivityForm {
    var values: [String: String] = [:]
    var files: [String: ReceivedFile] = [:]
    var type: String? { values["type"] }
    var sectionID: UUID? { values["section"].flatMap(UUID.init(uuidString:)) }

    static func read(_ req: Request) async throws -> ActivityForm {
        let received = try await req.receivedForm()
        return ActivityForm(values: received.values, files: received.files)
    }

    /// The change this form asks of an activity of `type`.
    func change(for type: any ActivityType) -> ActivityChange {
        var change = ActivityChange()
        change.title = values["title"] ?? ""
        var settings: [String: JSONScalar] = [:]
        for field in type.fields {
            if case .file = field.kind {
                if let file = files[field.name], file.size > 0 { change.files[field.name] = file }
            } else {
                settings[field.name] = .string(values[field.name] ?? "")
            }
        }
        change.settings = settings
        let kind = values["completion"] ?? "none"
        var value: JSONScalar? = values["completion_value"].map { .string($0) }
        // Minutes in the form, seconds in the rule: the minutes are read by the shared reader
        // within a day, so the product cannot overflow; anything else leaves no value, and the
        // rule's own message (in minutes) says what is wrong.
        if kind == "min_seconds" {
            var unused = ProblemList()
            let minutes = WholeNumber.read(
                values["completion_value"], field: "completion", in: 1...(CompletionRule.maxSeconds / 60),
                problems: &unused)
            value = minutes.map { .int($0 * 60) }
        }
        var ruleProblems = ProblemList()
        change.completion = CompletionRule.parse(
            kind: kind, value: kind == "min_seconds" || kind == "min_percent" ? value : nil,
            problems: &ruleProblems)
        // The form asks for minutes, so its message speaks of minutes.
        for problem in ruleProblems.problems {
            change.inputProblems.add(
                problem.field, problem.key == "activity.error.min_seconds" ? "activity.error.min_minutes" : problem.key,
                problem.args, row: problem.row)
        }
        change.hidden = values["hidden"] == "on"
        switch LocalDates.parse(values["opens_at"]) {
        case .success(let date): change.opensAt = .some(date)
        case .failure: change.inputProblems.add("opens_at", "activity.error.opens_at")
        }
        return change
    }
}
