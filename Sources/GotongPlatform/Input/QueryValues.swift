import Foundation
import Vapor

/// The one place where an address's query parameters that are not numbers become values: a
/// choice among fixed words (`format=gift|moodlexml`), a yes/no (`dry_run=true|false`), or a
/// record's id. Absent means nil (the caller's default applies); anything else that is not
/// one of the accepted spellings is a 400 naming the parameter and what it accepts, in the
/// reader's language, never a guess. In an address an empty value (`?category=`) is refused
/// too; a form's empty choice (a list's "none") is absent (`blankIsAbsent`).
public enum QueryValue {
    /// The longest text any of these reads; longer is refused before it is compared.
    static let maxLength = 64

    public static func choice<T: RawRepresentable & CaseIterable>(
        _ raw: String?, field: String, as type: T.Type, blankIsAbsent: Bool = true
    ) throws -> T? where T.RawValue == String {
        guard let text = present(raw, blankIsAbsent: blankIsAbsent) else { return nil }
        if text.count <= maxLength, let value = T(rawValue: text.lowercased()) { return value }
        throw InputError(
            field: field, key: "input.error.choice",
            args: ["field": field, "choices": T.allCases.map(\.rawValue).joined(separator: ", ")], status: .badRequest)
    }

    public static func flag(_ raw: String?, field: String, blankIsAbsent: Bool = true) throws -> Bool? {
        guard let text = present(raw, blankIsAbsent: blankIsAbsent) else { return nil }
        switch text.count <= maxLength ? text.lowercased() : "" {
        case "true", "1": return true
        case "false", "0": return false
        default: throw InputError(field: field, key: "input.error.flag", args: ["field": field], status: .badRequest)
        }
    }

    public static func id(_ raw: String?, field: String, blankIsAbsent: Bool = true) throws -> UUID? {
        guard let text = present(raw, blankIsAbsent: blankIsAbsent) else { return nil }
        if text.count <= maxLength, let id = UUID(uuidString: text) { return id }
        throw InputError(field: field, key: "input.error.id", args: ["field": field], status: .badRequest)
    }

    /// A day, `YYYY-MM-DD` (Jakarta time): its start, or its last second when `endOfDay` (a
    /// period's last day is part of it). Nothing else, and no day before 2000 or after 2100.
    public static func day(_ raw: String?, field: String, endOfDay: Bool = false) throws -> Date? {
        guard let text = present(raw, blankIsAbsent: true) else { return nil }
        if text.count == 10, case .success(let day?) = LocalDates.parse(text, endOfDay: endOfDay),
            (2000...2100).contains(LocalDates.year(of: day))
        {
            return day
        }
        throw InputError(field: field, key: "input.error.day", args: ["field": field], status: .badRequest)
    }

    /// The trimmed text; nil when absent (or blank, when that means absent). A blank that does
    /// not mean absent comes back as itself, to be refused.
    private static func present(_ raw: String?, blankIsAbsent: Bool) -> String? {
        guard let text = raw?.trimmingCharacters(in: .whitespaces) else { return nil }
        return text.isEmpty && blankIsAbsent ? nil : text
    }
}

extension Request {
    /// `name` from the query as one of `T`'s words; nil when absent; 400 otherwise.
    public func queryChoice<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws -> T?
    where T.RawValue == String {
        try QueryValue.choice(query[String.self, at: name], field: name, as: type, blankIsAbsent: false)
    }

    /// `name` from the query as true or false (`1`, `0`); nil when absent; 400 otherwise.
    public func queryFlag(_ name: String) throws -> Bool? {
        try QueryValue.flag(query[String.self, at: name], field: name, blankIsAbsent: false)
    }

    /// `name` from the query as a record's id; nil when absent; 400 otherwise.
    public func queryID(_ name: String) throws -> UUID? {
        try QueryValue.id(query[String.self, at: name], field: name, blankIsAbsent: false)
    }
}
