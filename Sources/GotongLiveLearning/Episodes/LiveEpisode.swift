import Fluent
import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy
import Tagged

/// One broadcast of a programme: its number, topic and speakers (narasumber), when it is on
/// and where, the JP its attendance earns, and the course that carries its attendance and quiz
/// to the JP ledger and the certificate.
public final class LiveEpisode: TenantOwned, @unchecked Sendable {
    public static let schema = "live_episodes"
    public static var tenantKey: KeyPath<LiveEpisode, FieldProperty<LiveEpisode, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "programme_id") public var programmeID: UUID
    /// The episode's number in its programme (unique there): "Episode 12".
    @Field(key: "number") public var number: Int
    @Field(key: "topic") public var topic: String
    /// The speakers, as JSON (``speakers``).
    @Field(key: "speakers_json") public var speakersJSON: String
    @Field(key: "starts_at") public var startsAt: Date
    @Field(key: "minutes") public var minutes: Int
    /// Where it is broadcast: a link per platform, as JSON (``links``).
    @Field(key: "links_json") public var linksJSON: String
    @Field(key: "competency_type") public var competencyType: String
    /// The JP its attendance credits.
    @Field(key: "jp") public var jp: Int
    @Enum(key: "status") public var status: Status
    @Field(key: "recording_url") public var recordingURL: String
    /// The host's attendance code, shown during the broadcast (``AttendanceCode``).
    @Field(key: "code") public var code: String
    /// The course that carries attendance to the ledger and the certificate (``EpisodeCourse``).
    @OptionalField(key: "course_id") public var courseID: UUID?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}

    public enum Status: String, Codable, CaseIterable, Sendable {
        case planned, live, done, cancelled
    }

    /// A speaker (narasumber): the name with academic titles, position and institution.
    public struct Speaker: Codable, Sendable, Equatable {
        public var name: String
        public var position: String
        public var institution: String

        public init(name: String, position: String = "", institution: String = "") {
            self.name = name
            self.position = position
            self.institution = institution
        }

        /// Position and institution may be left out (a name alone is a speaker).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            position = try c.decodeIfPresent(String.self, forKey: .position) ?? ""
            institution = try c.decodeIfPresent(String.self, forKey: .institution) ?? ""
        }
    }

    public var speakers: [Speaker] {
        get { (try? JSONDecoder().decode([Speaker].self, from: Data(speakersJSON.utf8))) ?? [] }
        set { speakersJSON = Self.json(newValue) }
    }

    public var links: [LivePlatform: String] {
        get {
            let raw = (try? JSONDecoder().decode([String: String].self, from: Data(linksJSON.utf8))) ?? [:]
            return Dictionary(
                uniqueKeysWithValues: raw.compactMap { key, value in
                    LivePlatform(rawValue: key).map { ($0, value) }
                })
        }
        set { linksJSON = Self.json(Dictionary(uniqueKeysWithValues: newValue.map { ($0.key.rawValue, $0.value) })) }
    }

    /// The speakers' names, as the programme's own tables write them: "A dan B".
    public var speakerNames: String {
        let names = speakers.map(\.name)
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " dan " + names.last!
    }

    public var endsAt: Date { startsAt.addingTimeInterval(Double(minutes) * 60) }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "[]"
    }

    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $programmeID, $number, $topic, $speakersJSON, $startsAt, $minutes, $linksJSON,
            $competencyType, $jp, $status, $recordingURL, $code, $courseID, $createdAt, $updatedAt,
        ]
    }
}

extension LiveEpisode: PathTag { public static let parameterName = "episodeID" }
public typealias LiveEpisodeID = Tagged<LiveEpisode, UUID>
