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
        // Each rule's number has a field of its own; `completion_value` is the older single field.
        let kind = values["completion"] ?? "none"
        change.completionInput = .form(
            kind: kind, value: values["completion_value_\(kind)"] ?? values["completion_value"])
        change.hidden = values["hidden"] == "on"
        switch LocalDates.parse(values["opens_at"]) {
        case .success(let date): change.opensAt = .some(date)
        case .failure: change.inputProblems.add("opens_at", "activity.error.opens_at")
        }
        return change
    }
}
