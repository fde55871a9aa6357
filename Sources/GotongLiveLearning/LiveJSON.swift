import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The shapes of Live Learning in the JSON API. Moments are ISO 8601 text; input is read into
/// the same checked changes as the desk's forms.
enum LiveJSON {
    struct Programme: Content {
        var slug, name, description, instagram, tiktok, youtube: String
        var cadence_days: Int
        var cadence_anchor: String?
        var default_minutes, default_jp, claim_hours: Int

        init(_ p: LiveProgramme) {
            (slug, name, description) = (p.slug, p.name, p.description)
            (instagram, tiktok, youtube) = (p.instagram, p.tiktok, p.youtube)
            (cadence_days, cadence_anchor) = (p.cadenceDays, p.cadenceAnchor.map(LocalDates.iso))
            (default_minutes, default_jp, claim_hours) = (p.defaultMinutes, p.defaultJP, p.claimHours)
        }
    }

    /// A `null` is refused (400) for every field: none of them has "no value" (text is emptied
    /// with "", a field left out stays as it is).
    struct ProgrammeInput: Decodable {
        var slug, name, description, instagram, tiktok, youtube: String?
        var cadence_days: Int?
        var cadence_anchor: String?
        var default_minutes, default_jp, claim_hours: Int?

        enum CodingKeys: String, CodingKey {
            case slug, name, description, instagram, tiktok, youtube, cadence_days, cadence_anchor, default_minutes
            case default_jp, claim_hours
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            (slug, name) = (
                try c.decodeUnlessNull(String.self, forKey: .slug), try c.decodeUnlessNull(String.self, forKey: .name)
            )
            description = try c.decodeUnlessNull(String.self, forKey: .description)
            instagram = try c.decodeUnlessNull(String.self, forKey: .instagram)
            tiktok = try c.decodeUnlessNull(String.self, forKey: .tiktok)
            youtube = try c.decodeUnlessNull(String.self, forKey: .youtube)
            cadence_days = try c.decodeUnlessNull(Int.self, forKey: .cadence_days)
            cadence_anchor = try c.decodeUnlessNull(String.self, forKey: .cadence_anchor)
            default_minutes = try c.decodeUnlessNull(Int.self, forKey: .default_minutes)
            default_jp = try c.decodeUnlessNull(Int.self, forKey: .default_jp)
            claim_hours = try c.decodeUnlessNull(Int.self, forKey: .claim_hours)
        }

        func change() throws -> ProgrammeChange {
            var change = ProgrammeChange()
            (change.slug, change.name, change.description) = (slug, name, description)
            (change.instagram, change.tiktok, change.youtube) = (instagram, tiktok, youtube)
            (change.cadenceDays, change.defaultMinutes) = (cadence_days, default_minutes)
            (change.defaultJP, change.claimHours) = (default_jp, claim_hours)
            change.cadenceAnchor = try LiveJSON.moment(cadence_anchor, field: "cadence_anchor")
            return change
        }
    }

    struct Episode: Content {
        var number: Int
        var topic: String
        var speakers: [LiveEpisode.Speaker]
        var starts_at, ends_at: String
        var minutes: Int
        var links: [String: String]
        var competency_type: String
        var jp: Int
        var status: String
        var recording_url: String
        var attendance_code: String
        var course_id: UUID?
        var claims: Int
        /// How many asked to be reminded.
        var registrations: Int
        var url: String

        init(_ e: LiveEpisode, in programme: LiveProgramme, claims: Int, registrations: Int, req: Request) throws {
            (number, topic, speakers) = (e.number, e.topic, e.speakers)
            (starts_at, ends_at, minutes) = (LocalDates.iso(e.startsAt), LocalDates.iso(e.endsAt), e.minutes)
            links = Dictionary(uniqueKeysWithValues: e.links.map { ($0.key.rawValue, $0.value) })
            (competency_type, jp, status, recording_url) = (e.competencyType, e.jp, e.status.rawValue, e.recordingURL)
            (attendance_code, course_id, self.claims) = (e.code, e.courseID, claims)
            self.registrations = registrations
            url =
                req.application.gotong.baseURL
                + LiveRoute.episode(
                    try req.tenant.routeSlug, .value(ProgrammeSlug(programme.slug)), .value(EpisodeNumber(e.number))
                ).path
        }
    }

    struct EpisodeInput: Decodable {
        var number: Int?
        var topic: String?
        var speakers: [LiveEpisode.Speaker]?
        var starts_at: String?
        var minutes: Int?
        var links: [String: String]?
        var competency_type: String?
        var jp: Int?
        var status: String?
        var recording_url: String?

        enum CodingKeys: String, CodingKey {
            case number, topic, speakers, starts_at, minutes, links, competency_type, jp, status, recording_url
        }

        /// As ``ProgrammeInput``: a `null` is refused.
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            number = try c.decodeUnlessNull(Int.self, forKey: .number)
            topic = try c.decodeUnlessNull(String.self, forKey: .topic)
            speakers = try c.decodeUnlessNull([LiveEpisode.Speaker].self, forKey: .speakers)
            starts_at = try c.decodeUnlessNull(String.self, forKey: .starts_at)
            minutes = try c.decodeUnlessNull(Int.self, forKey: .minutes)
            links = try c.decodeUnlessNull([String: String].self, forKey: .links)
            competency_type = try c.decodeUnlessNull(String.self, forKey: .competency_type)
            jp = try c.decodeUnlessNull(Int.self, forKey: .jp)
            status = try c.decodeUnlessNull(String.self, forKey: .status)
            recording_url = try c.decodeUnlessNull(String.self, forKey: .recording_url)
        }

        func change() throws -> EpisodeChange {
            var change = EpisodeChange()
            (change.number, change.topic, change.speakers) = (number, topic, speakers)
            change.startsAt = try LiveJSON.moment(starts_at, field: "starts_at")
            (change.minutes, change.links, change.competencyType) = (minutes, links, competency_type)
            (change.jp, change.status, change.recordingURL) = (jp, status, recording_url)
            return change
        }
    }

    struct Claims: Content {
        struct Claim: Content {
            var name, email: String
            var nip: String?
            var claimed_at: String
            var certificate_number: String?
        }
        var total: Int
        var claims: [Claim]
    }

    struct ClaimInput: Decodable {
        var code: String
    }

    struct ClaimResult: Content {
        var status: String
        var quiz_activity_id: UUID?
    }

    /// The caller's registration for an episode's reminder.
    struct Registration: Content {
        var registered_at: String
        /// When the reminder goes (an hour before the start); nil once it went, that moment has
        /// passed, or the episode is cancelled or done.
        var reminder_at: String?
        var reminded_at: String?

        init(_ r: LiveRegistration, of episode: LiveEpisode, now: Date) {
            registered_at = LocalDates.iso(r.registeredAt)
            let due = episode.startsAt.addingTimeInterval(-Registrations.remindBefore)
            let goes = r.remindedAt == nil && due > now && ![.cancelled, .done].contains(episode.status)
            reminder_at = goes ? LocalDates.iso(due) : nil
            reminded_at = r.remindedAt.map(LocalDates.iso)
        }
    }

    struct EffectivenessReport: Content {
        struct Line: Content {
            var episode: Int
            var topic, speakers, date, platform: String
            var figures: PlatformCounts
            var engagement_rate, comments_per_peak_viewer, followers_per_100_reached: Double?
            var claims: Int
            var claims_per_100_reached: Double?
        }
        struct Platform: Content {
            var platform: String
            var episodes, accounts_reached, followers_gained: Int
            var average_reached, average_peak_viewers, engagement_rate: Double?
        }
        var lines: [Line]
        var platforms: [Platform]

        init(_ report: Effectiveness) {
            lines = report.lines.map { line in
                Line(
                    episode: line.number, topic: line.topic, speakers: line.speakers, date: line.day,
                    platform: line.platform.rawValue, figures: line.counts, engagement_rate: line.engagementRate,
                    comments_per_peak_viewer: line.commentsPerPeakViewer,
                    followers_per_100_reached: line.followersPer100Reached, claims: line.claims,
                    claims_per_100_reached: line.claimsPer100Reached)
            }
            platforms = report.platforms.map { summary in
                Platform(
                    platform: summary.platform.rawValue, episodes: summary.episodes, accounts_reached: summary.reached,
                    followers_gained: summary.followersGained, average_reached: summary.averageReached,
                    average_peak_viewers: summary.averagePeak, engagement_rate: summary.engagementRate)
            }
        }
    }

    /// An ISO 8601 moment (or a `2026-12-10T17:00` Jakarta time); a problem for `field` otherwise.
    static func moment(_ raw: String?, field: String) throws -> Date? {
        switch LocalDates.parse(raw, localTime: true) {
        case .success(let date): return date
        case .failure: throw InputError(field: field, key: "live.error.moment")
        }
    }
}

extension PlatformCounts: Content {}
extension FiguresImport.Summary: Content {}
