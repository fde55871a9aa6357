import Fluent
import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy

/// A change to an episode, from the desk's form or the API: every field optional (nil leaves
/// it as it is), checked all at once. A new episode needs its topic and start.
public struct EpisodeChange: Sendable, Codable {
    public var number: Int?
    public var topic: String?
    public var speakers: [LiveEpisode.Speaker]?
    public var startsAt: Date?
    public var minutes: Int?
    public var links: [String: String]?
    public var competencyType: String?
    public var jp: Int?
    public var status: String?
    public var recordingURL: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case number, topic, speakers, minutes, links, jp, status
        case startsAt = "starts_at", competencyType = "competency_type", recordingURL = "recording_url"
    }

    /// Speakers typed one per line as `Nama | Jabatan | Instansi` (position and institution may
    /// be left out): a name with academic titles keeps its commas.
    public static func speakers(fromLines text: String) -> [LiveEpisode.Speaker] {
        text.split(whereSeparator: \.isNewline).map { line in
            let parts = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            return LiveEpisode.Speaker(
                name: parts[0], position: parts.count > 1 ? parts[1] : "",
                institution: parts.count > 2 ? parts[2...].joined(separator: " | ") : "")
        }.filter { !$0.name.isEmpty }
    }

    public static func lines(of speakers: [LiveEpisode.Speaker]) -> String {
        speakers.map { speaker in
            [speaker.name, speaker.position, speaker.institution].reversed().drop { $0.isEmpty }.reversed()
                .joined(separator: " | ")
        }.joined(separator: "\n")
    }

    /// Checks the change against `episode` (new when unsaved) and writes it in; throws every problem.
    func apply(to episode: LiveEpisode, in programme: LiveProgramme, on db: any Database) async throws {
        var p = ProblemList()
        let isNew = episode.id == nil
        if let number {
            ProgrammeChange.check(number, "number", 1...100_000, &p)
            let scope = TenantScope(tenantID: programme.tenantID, db: db)
            if let other = try await scope.query(LiveEpisode.self).filter(\.$programmeID == programme.requireID())
                .filter(\.$number == number).first(), other.id != episode.id
            {
                p.add("number", "live.error.number_taken", ["number": "\(number)"])
            }
        } else if isNew {
            p.add("number", "live.error.number")
        }
        let topic = topic.map { p.text($0, "topic", max: 300, required: "live.error.topic") }
        if topic == nil, isNew { p.add("topic", "live.error.topic") }
        if let speakers {
            if speakers.count > 20 { p.add("speakers", "live.error.speakers") }
            for speaker in speakers {
                p.text(speaker.name, "speakers", max: 200, required: "live.error.speaker_name")
                p.text(speaker.position, "speakers", max: 200)
                p.text(speaker.institution, "speakers", max: 200)
            }
        }
        if startsAt == nil, isNew { p.add("starts_at", "live.error.starts_at") }
        ProgrammeChange.check(minutes, "minutes", ProgrammeChange.minutesRange, &p)
        ProgrammeChange.check(jp, "jp", ProgrammeChange.jpRange, &p)
        var links: [LivePlatform: String]?
        if let raw = self.links {
            var checked: [LivePlatform: String] = [:]
            for (key, value) in raw {
                guard let platform = LivePlatform(rawValue: key) else {
                    p.add("links", "live.error.platform", ["value": String(key.prefix(40))])
                    continue
                }
                let link = p.webAddress(value, "links.\(key)")
                if !link.isEmpty { checked[platform] = link }
            }
            links = checked
        }
        if let competencyType, Course.CompetencyType(rawValue: competencyType) == nil {
            p.add("competency_type", "course.error.competency_type")
        }
        let status = status.flatMap { raw in
            LiveEpisode.Status(rawValue: raw)
                ?? {
                    p.add("status", "live.error.status"); return nil
                }()
        }
        let recording = recordingURL.map { p.webAddress($0, "recording_url") }
        try p.throwRefusal()
        if let number { episode.number = number }
        if let topic { episode.topic = topic }
        if let speakers { episode.speakers = speakers.map { Self.cleaned($0) } }
        if let startsAt { episode.startsAt = startsAt }
        if let minutes { episode.minutes = minutes }
        if let links { episode.links = links }
        if let competencyType { episode.competencyType = competencyType }
        if let jp { episode.jp = jp }
        if let status { episode.status = status }
        if let recording { episode.recordingURL = recording }
    }

    private static func cleaned(_ speaker: LiveEpisode.Speaker) -> LiveEpisode.Speaker {
        LiveEpisode.Speaker(
            name: speaker.name.cleanedText, position: speaker.position.cleanedText,
            institution: speaker.institution.cleanedText)
    }
}

extension Episodes {
    /// A new episode of the programme from a checked change, with its course; in one transaction.
    static func create(
        _ change: EpisodeChange, in programme: LiveProgramme, on db: any Database, now: Date
    )
        async throws -> LiveEpisode
    {
        try await db.lockingTransaction { tx in
            let draft = LiveEpisode()
            draft.speakersJSON = "[]"
            draft.linksJSON = "{}"
            draft.competencyType = Course.CompetencyType.teknis.rawValue
            try await change.apply(to: draft, in: programme, on: tx)
            let episode = try await make(
                number: draft.number, topic: draft.topic, speakers: draft.speakers, startsAt: draft.startsAt,
                in: programme, on: tx, now: now)
            var rest = change
            (rest.number, rest.topic, rest.speakers, rest.startsAt) = (nil, nil, nil, nil)
            try await rest.apply(to: episode, in: programme, on: tx)
            try await save(episode, in: programme, on: tx, now: now)
            return episode
        }
    }

    /// An existing episode changed; its course follows.
    static func update(
        _ episode: LiveEpisode, _ change: EpisodeChange, in programme: LiveProgramme, on db: any Database, now: Date
    ) async throws {
        try await db.lockingTransaction { tx in
            try await change.apply(to: episode, in: programme, on: tx)
            try await save(episode, in: programme, on: tx, now: now)
        }
    }
}
