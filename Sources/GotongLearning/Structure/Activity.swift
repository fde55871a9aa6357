import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// One step of a course: a page to read, a video, a file, a link, a forum… Its `type` names the
/// ``ActivityType`` plugin that gives it meaning; `settings` hold that type's own values.
public final class Activity: TenantOwned, @unchecked Sendable {
    public static let schema = "activities"
    public static var tenantKey: KeyPath<Activity, FieldProperty<Activity, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "course_id") public var courseID: UUID
    @Field(key: "section_id") public var sectionID: UUID
    /// Order within the section, from 1.
    @Field(key: "position") public var position: Int
    /// The key of its ``ActivityType`` (`page`, `video`, `file`, `link`, `forum`, …).
    @Field(key: "type") public var type: String
    @Field(key: "title") public var title: String
    /// The type's settings, a JSON object of scalars (see ``ActivitySettings``).
    @Field(key: "settings") public var settingsJSON: String
    @Field(key: "completion_kind") public var completionKind: String
    @OptionalField(key: "completion_value") public var completionValue: Int?
    /// Hidden activities are seen by staff only and never block anyone.
    @Field(key: "hidden") public var hidden: Bool
    /// Opens to learners from this moment, when set.
    @OptionalField(key: "opens_at") public var opensAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $courseID, $sectionID, $position, $type, $title, $settingsJSON, $completionKind,
            $completionValue, $hidden, $opensAt, $createdAt, $updatedAt,
        ]
    }

    public init(tenantID: UUID, courseID: UUID, sectionID: UUID, position: Int, type: String, title: String) {
        self.tenantID = tenantID
        self.courseID = courseID
        self.sectionID = sectionID
        self.position = position
        self.type = type
        self.title = title
        settingsJSON = "{}"
        completionKind = CompletionRule.none.kind
        hidden = false
    }

    public var completion: CompletionRule {
        get { CompletionRule(kind: completionKind, value: completionValue) }
        set { completionKind = newValue.kind; completionValue = newValue.value }
    }

    /// Counts toward finishing the course: it has a completion condition and learners see it.
    public var isRequired: Bool { completion != .none && !hidden }

    public var settings: ActivitySettings {
        get { ActivitySettings(json: settingsJSON) }
        set { settingsJSON = newValue.json }
    }
}

/// An activity type's settings: named scalar values, stored as one JSON object.
public struct ActivitySettings: Equatable, Sendable {
    public var values: [String: JSONScalar]

    public init(_ values: [String: JSONScalar] = [:]) { self.values = values }

    init(json: String) {
        values = (try? JSONDecoder().decode([String: JSONScalar].self, from: Data(json.utf8))) ?? [:]
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? String(decoding: encoder.encode(values), as: UTF8.self)) ?? "{}"
    }

    public subscript(_ key: String) -> JSONScalar? {
        get { values[key] }
        set { values[key] = newValue }
    }

    public func string(_ key: String) -> String { values[key]?.string ?? "" }
    public func int(_ key: String) -> Int? { values[key]?.int }
    public func bool(_ key: String) -> Bool { values[key]?.bool ?? false }
    /// A ``SettingField/Kind/dateTime`` setting, nil when not set.
    public func date(_ key: String) -> Date? {
        guard let text = values[key]?.string, case .success(let date) = LocalDates.parse(text) else { return nil }
        return date
    }
}
