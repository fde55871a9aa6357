import Fluent
import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy
import Vapor

/// Making episodes, each with its course, in the caller's transaction.
enum Episodes {
    /// A new episode with the programme's defaults for what is not given: its length, JP, a
    /// fresh attendance code; "done" when it is over, "live" when it is on, else "planned".
    static func make(
        number: Int, topic: String, speakers: [LiveEpisode.Speaker], startsAt: Date, in programme: LiveProgramme,
        on db: any Database, now: Date
    ) async throws -> LiveEpisode {
        let episode = LiveEpisode()
        episode.id = UUID()
        episode.tenantID = programme.tenantID
        episode.programmeID = try programme.requireID()
        episode.number = number
        episode.topic = topic
        episode.speakers = speakers
        episode.startsAt = startsAt
        episode.minutes = programme.defaultMinutes
        episode.links = [:]
        episode.competencyType = Course.CompetencyType.teknis.rawValue
        episode.jp = programme.defaultJP
        episode.status =
            episode.endsAt < now ? .done : startsAt <= now ? .live : .planned
        episode.recordingURL = ""
        episode.code = AttendanceCode.random()
        episode.createdAt = now
        episode.updatedAt = now
        let course = try await EpisodeCourse.make(for: episode, in: programme, on: db, now: now)
        episode.courseID = try course.requireID()
        try await episode.create(on: db)
        try await Reminders.schedule(for: episode, on: db, now: now)
        return episode
    }

    /// Saves an edited episode and brings its course in line; the registered hear of a new
    /// start or a cancellation, and are reminded of the new start.
    static func save(_ episode: LiveEpisode, in programme: LiveProgramme, on db: any Database, now: Date) async throws {
        let scope = TenantScope(tenantID: episode.tenantID, db: db)
        let stored = try await scope.find(LiveEpisode.self, episode.id)
        episode.updatedAt = now
        try await episode.save(on: db)
        if let stored {
            try await Reminders.episodeChanged(episode, from: (stored.startsAt, stored.status), on: db, now: now)
        }
        if let id = episode.courseID, let course = try await scope.find(Course.self, id) {
            try await EpisodeCourse.update(course, for: episode, in: programme, on: db, now: now)
        }
    }
}

extension Request {
    /// The episode the address numbers, of `programme` (404 when it has none by that number).
    func episode(of programme: LiveProgramme) async throws -> LiveEpisode {
        let number = try parameter(EpisodeNumber.self).rawValue
        guard
            let episode = try await tenantScope.query(LiveEpisode.self)
                .filter(\.$programmeID == programme.requireID()).filter(\.$number == number).first()
        else { throw Abort(.notFound) }
        return episode
    }
}
