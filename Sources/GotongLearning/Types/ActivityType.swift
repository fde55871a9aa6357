import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// What an activity type can do, besides the completion rules it offers. Core code asks these
/// instead of switching on the type: whether time on screen is tracked (the page sends
/// heartbeats), whether it is a video (the monitoring filter "has not opened every video").
public enum ActivityFeature: String, Sendable, CaseIterable {
    case timeTracking, videoProgress
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
        /// One of fixed words (`highest`, `last`, `average`), shown as a list whose labels are the
        /// strings `activity.choice.<type>.<field>.<word>`; the first word is the default.
        case choice([String])
        /// An uploaded file, checked against `rule`; stored through the file store.
        case file(FileRule)
        /// A moment (an assignment's due date): `2026-12-10T17:00` in the form, read as Jakarta
        /// time, or ISO 8601 with its zone in the API; stored as ISO 8601 in UTC and read back
        /// with ``ActivitySettings/date(_:)``.
        case dateTime
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
///
/// The open contract: a type offers its completion rules (``completionOptions``) and judges
/// them on the views and time core records for every type plus the ``ProgressState`` it keeps
/// itself; it hears each credited heartbeat (``heartbeat(_:credited:state:)``) and changes its
/// state on its own actions through ``ProgressStore/update(_:person:at:change:)``; and it adds
/// its figures to the monitoring table (``monitorNote(_:req:)``, ``monitorFacts(_:)``).
public protocol ActivityType: Sendable {
    /// Stored in `activities.type` and used in the API.
    var key: String { get }
    var features: Set<ActivityFeature> { get }
    var fields: [SettingField] { get }
    /// The completion rules authors may pick, besides none (core's ``CompletionOption/viewed``
    /// and ``CompletionOption/minSeconds``, or the type's own).
    var completionOptions: [CompletionOption] { get }
    /// The completion rule a new activity of this type gets when the author names none.
    var defaultCompletion: CompletionRule { get }
    /// The same for an activity with these settings: a type whose rules depend on its settings
    /// (an uploaded video reports how far it was watched, a linked one only that it was opened)
    /// picks the rule its source can keep.
    func defaultCompletion(for settings: ActivitySettings) -> CompletionRule
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
    /// Hears a beat as it is credited (`credited` seconds, never more than passed), to move the
    /// type's state: the video's furthest point. Runs inside the heartbeat batch: no database.
    func heartbeat(_ beat: Heartbeat, credited: Int, state: inout ProgressState)
    /// A short text for a learner's cell in the monitoring table ("ditonton 80%"), or nil.
    func monitorNote(_ state: ProgressState, req: Request) -> String?
    /// The type's figures for a learner, as the monitoring API gives them.
    func monitorFacts(_ state: ProgressState) -> [String: Double]
    /// The type's own strings, by language, for a type that ships without a module of its own.
    var strings: [Language: [String: String]] { get }
}

extension ActivityType {
    public var defaultCompletion: CompletionRule {
        completionOptions.contains { $0.kind == CompletionOption.viewed.kind } ? .viewed : .none
    }
    public func defaultCompletion(for settings: ActivitySettings) -> CompletionRule { defaultCompletion }
    public func heartbeat(_ beat: Heartbeat, credited: Int, state: inout ProgressState) {}
    public func monitorNote(_ state: ProgressState, req: Request) -> String? { nil }
    public func monitorFacts(_ state: ProgressState) -> [String: Double] { state.values }
    public var strings: [Language: [String: String]] { [:] }

    /// The option of `rule`'s kind this type offers, if it does.
    public func option(for rule: CompletionRule) -> CompletionOption? {
        completionOptions.first { $0.kind == rule.kind }
    }

    /// Whether `progress` meets `rule` for an activity of this type (never for a rule it does
    /// not offer, nor for none).
    public func isMet(_ rule: CompletionRule, by progress: ProgressFacts) -> Bool {
        option(for: rule)?.isMet(rule, by: progress) ?? false
    }
    public func validate(_ settings: inout ActivitySettings, problems: inout ProblemList) {}
    public func apiContent(_ context: ActivityViewContext) async throws -> [String: JSONScalar] { [:] }
    public func boot(web: any RoutesBuilder, api: any RoutesBuilder) throws {}
    public func deleteData(of activity: Activity, on db: any Database) async throws {}
    public var migrations: [any Migration] { [] }

    public func completionRefusal(_ rule: CompletionRule, with settings: ActivitySettings) -> String? {
        featureRefusal(rule)
    }

    /// The refusal every type shares: a rule the type does not offer.
    public func featureRefusal(_ rule: CompletionRule) -> String? {
        rule == .none || option(for: rule) != nil ? nil : "activity.error.completion_unsupported"
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

    /// Adds a type. Refuses a key that is not lowercase letters, digits, `-` and `_` (keys travel
    /// in progress tickets, whose parts are separated by dots, and in addresses and CSV), and a
    /// key already taken: a plug-in must not silently replace another type.
    public func register(_ type: any ActivityType) throws {
        let key = type.key
        guard Self.isValidKey(key) else { throw RegistrationError(key: key, reason: "use a–z, 0–9, - and _ only") }
        try lock.withLock {
            guard types[key] == nil else { throw RegistrationError(key: key, reason: "already registered") }
            order.append(key)
            types[key] = type
        }
    }

    /// Why a type was refused, said when the server starts.
    public struct RegistrationError: Error, CustomStringConvertible {
        public let key: String
        public let reason: String
        public var description: String { "activity type \"\(key)\" refused: \(reason)" }
    }

    static func isValidKey(_ key: String) -> Bool {
        (1...40).contains(key.utf8.count)
            && key.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
    }

    public subscript(_ key: String) -> (any ActivityType)? { lock.withLock { types[key] } }

    /// In registration order, for the "add an activity" menu.
    public var all: [any ActivityType] { lock.withLock { order.compactMap { types[$0] } } }

    /// The rule of `kind` as some registered type offers it (the first that does): what the
    /// API and the form read a rule against before the activity's own type judges it.
    public func completionOption(_ kind: String) -> CompletionOption? {
        all.lazy.compactMap { type in type.completionOptions.first { $0.kind == kind } }.first
    }
}
