import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// What an activity type can do. Core code asks these instead of switching on the type: the
/// completion rules an author may pick, whether time or video progress is tracked, whether it
/// takes submissions or grades (quizzes and assignments, next issue).
public enum ActivityFeature: String, Sendable, CaseIterable {
    case completionViewed, completionMinSeconds, completionMinPercent, completionPosted
    case completionSubmitted, completionPassed
    case timeTracking, videoProgress, submissions, grading
}

/// One setting of an activity type, declared once: core renders it in the settings form, reads
/// it from the form and from the API's `settings` object, and checks it.
public struct SettingField: Sendable {
    public enum Kind: Sendable {
        /// One line of text up to `max` characters.
        case text(max: Int)
        /// Markdown, rendered safely by ``SafeMarkdown``.
        case markdown(max: Int)
        /// An `https://` (or `http://`) address.
        case url
        case number(ClosedRange<Int>)
        /// An uploaded file, checked against `rule`; stored through the file store.
        case file(FileRule)
    }

    public let name: String
    public let kind: Kind
    public let required: Bool

    public init(_ name: String, _ kind: Kind, required: Bool = false) {
        self.name = name
        self.kind = kind
        self.required = required
    }
}

/// What an uploaded file may be: its size and the kinds recognised by their first bytes.
public struct FileRule: Sendable {
    public let maxBytes: Int
    public let kinds: [FileKind]

    public init(maxBytes: Int, kinds: [FileKind]) {
        self.maxBytes = maxBytes
        self.kinds = kinds
    }
}

/// The learner's view of an activity, as HTML made by the type from its own template.
public struct ActivityBody: Sendable {
    public var html: String
    /// Whether the page should send heartbeats for time on material.
    public var tracksTime: Bool

    public init(html: String, tracksTime: Bool = true) {
        self.html = html
        self.tracksTime = tracksTime
    }
}

/// Everything a type needs to draw the learner's view.
public struct ActivityViewContext: Sendable {
    public let activity: Activity
    public let course: Course
    public let tenant: Tenant
    public let progress: ActivityProgress?
    /// Trainers and coordinators of the course see the staff's controls (forum: mark an answer).
    public let isStaff: Bool
    public let request: Request
}

/// An activity type, in the manner of Moodle's `mod/` plugins: one folder per type under
/// `Learning/Types/`, registered in ``ActivityTypeRegistry``. A new type (quiz, assignment)
/// is a new conformance and a registration; core code does not change.
public protocol ActivityType: Sendable {
    /// Stored in `activities.type` and used in the API.
    var key: String { get }
    var features: Set<ActivityFeature> { get }
    var fields: [SettingField] { get }
    /// The completion rule a new activity of this type gets when the author names none.
    var defaultCompletion: CompletionRule { get }
    /// Checks what the fields cannot say (a video needs a file or a link, say); may normalise.
    func validate(_ settings: inout ActivitySettings, problems: inout ProblemList)
    /// Why authors may not choose `rule` here (a message key), or nil when they may. Types
    /// narrow the choice by their settings: only an uploaded video reports how much of it was
    /// watched, and the author is told so.
    func completionRefusal(_ rule: CompletionRule, with settings: ActivitySettings) -> String?
    /// The learner's view.
    func render(_ context: ActivityViewContext) async throws -> ActivityBody
    /// Extra values for the API's view of an activity (a forum's threads, a file's download).
    func apiContent(_ context: ActivityViewContext) async throws -> [String: JSONScalar]
    /// Routes of the type's own actions, under `/t/{slug}/belajar/{activity}/…` (web) and
    /// `/api/v1/activities/{id}/…` (API).
    func boot(web: any RoutesBuilder, api: any RoutesBuilder) throws
    /// Removes what the type keeps beside the activity row (forum posts, files).
    func deleteData(of activity: Activity, on db: any Database) async throws
    /// The type's own tables, created after the core's (the forum's threads and posts).
    var migrations: [any Migration] { get }
}

extension ActivityType {
    public var defaultCompletion: CompletionRule { features.contains(.completionViewed) ? .viewed : .none }
    public func validate(_ settings: inout ActivitySettings, problems: inout ProblemList) {}
    public func apiContent(_ context: ActivityViewContext) async throws -> [String: JSONScalar] { [:] }
    public func boot(web: any RoutesBuilder, api: any RoutesBuilder) throws {}
    public func deleteData(of activity: Activity, on db: any Database) async throws {}
    public var migrations: [any Migration] { [] }

    public func completionRefusal(_ rule: CompletionRule, with settings: ActivitySettings) -> String? {
        featureRefusal(rule)
    }

    /// The refusal every type shares: a rule that needs a feature the type does not have.
    public func featureRefusal(_ rule: CompletionRule) -> String? {
        rule.feature.map(features.contains) ?? true ? nil : "activity.error.completion_unsupported"
    }

    /// Whether authors may choose `rule` for an activity of this type with these settings.
    public func supports(_ rule: CompletionRule, with settings: ActivitySettings) -> Bool {
        completionRefusal(rule, with: settings) == nil
    }
}

/// The activity types this server knows, by key.
public final class ActivityTypeRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var types: [String: any ActivityType] = [:]
    private var order: [String] = []

    public init() {}

    public func register(_ type: any ActivityType) {
        lock.withLock {
            if types[type.key] == nil { order.append(type.key) }
            types[type.key] = type
        }
    }

    public subscript(_ key: String) -> (any ActivityType)? { lock.withLock { types[key] } }

    /// In registration order, for the "add an activity" menu.
    public var all: [any ActivityType] { lock.withLock { order.compactMap { types[$0] } } }
}

extension Application {
    private struct ActivityTypesKey: StorageKey { typealias Value = ActivityTypeRegistry }

    public var activityTypes: ActivityTypeRegistry {
        if let registry = storage[ActivityTypesKey.self] { return registry }
        let registry = ActivityTypeRegistry()
        storage[ActivityTypesKey.self] = registry
        return registry
    }
}
