import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// What everyone may read: a tenant's programmes, a programme with its coming and past
/// episodes, an episode's page, and the programme's calendar feed for calendar apps.
package struct PublicPages: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(LiveRoute.programmes(.key), use: programmes)
        tenant.get(LiveRoute.programme(.key, .key), use: programme)
        tenant.get(LiveRoute.calendar(.key, .key), use: calendar)
        tenant.get(LiveRoute.episode(.key, .key, .key), use: episode)
    }

    func programmes(req: Request) async throws -> Response {
        let programmes = try await req.tenantScope.query(LiveProgramme.self).sort(\.$name).all()
        let model = PublicProgrammesModel(
            slug: try req.tenant.routeSlug, tenant: try req.tenant.name,
            programmes: programmes.map { ($0.slug, $0.name, $0.description) })
        return try await req.render(model, title: "live.public.title", tenant: try req.tenant, needsToken: false)
    }

    static func programme(_ req: Request) async throws -> LiveProgramme {
        guard
            let programme = try await Programmes.find(
                try req.parameter(ProgrammeSlug.self).rawValue, in: req.tenantScope)
        else { throw Abort(.notFound) }
        return programme
    }

    static func episodes(of programme: LiveProgramme, _ req: Request) async throws -> [LiveEpisode] {
        try await req.tenantScope.query(LiveEpisode.self).filter(\.$programmeID == programme.requireID())
            .sort(\.$startsAt).all()
    }

    func programme(req: Request) async throws -> Response {
        let programme = try await Self.programme(req)
        let now = req.application.clock.now()
        let episodes = try await Self.episodes(of: programme, req)
        let line = { (e: LiveEpisode) in
            PublicProgrammeModel.Line(
                number: e.number, topic: e.topic, speakers: e.speakerNames, when: req.dayTime(e.startsAt),
                status: e.status, recording: e.recordingURL)
        }
        let model = PublicProgrammeModel(
            slug: try req.tenant.routeSlug, programme: programme,
            coming: episodes.filter { $0.endsAt >= now && $0.status != .done }.map(line),
            past: episodes.filter { $0.endsAt < now || $0.status == .done }.reversed().map(line))
        return try await req.render(
            model, title: "live.public.programme_title", titleArgs: ["name": programme.name], tenant: try req.tenant,
            needsToken: false)
    }

    func episode(req: Request) async throws -> Response {
        let programme = try await Self.programme(req)
        let episode = try await req.episode(of: programme)
        let now = req.application.clock.now()
        let keeper = req.viewer != nil ? try await req.tenantRoles().hasAny(ProgrammeDesk.keepers) : false
        let model = PublicEpisodeModel(
            slug: try req.tenant.routeSlug, programme: programme, episode: episode, when: req.dayTime(episode.startsAt),
            closes: req.dayTime(Claims.closing(episode, in: programme)),
            refusal: Claims.refusal(episode, in: programme, at: now).map { req.t($0) },
            reminder: try await Self.reminder(for: episode, req, now: now),
            remindsByMail: req.application.notificationMails, isKeeper: keeper)
        return try await req.render(
            model, title: "live.public.episode_title",
            titleArgs: ["number": "\(episode.number)", "topic": episode.topic], tenant: try req.tenant,
            needsToken: false)
    }

    /// What the page offers about a reminder: nothing once the episode is over or cancelled.
    static func reminder(
        for episode: LiveEpisode, _ req: Request, now: Date
    ) async throws -> PublicEpisodeModel.Reminder? {
        guard Registrations.refusal(episode, at: now) == nil else { return nil }
        guard let person = req.person else {
            let here = req.url.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/"
            return .signIn(IdentityRoute.signIn.path + "?next=" + here)
        }
        guard let mine = try await Registrations.find(episode, person: PersonID(try person.requireID()), on: req.db)
        else { return .offered }
        let due = episode.startsAt.addingTimeInterval(-Registrations.remindBefore)
        return .registered(reminded: mine.remindedAt != nil || due <= now)
    }

    func calendar(req: Request) async throws -> Response {
        let programme = try await Self.programme(req)
        let base = req.application.gotong.baseURL
        let slug = try req.tenant.routeSlug
        let events = try await Self.episodes(of: programme, req).map { episode in
            ICalendar.Event(
                uid: "\(episode.id!.uuidString.lowercased())@gotong", start: episode.startsAt, end: episode.endsAt,
                summary: "\(programme.name) #\(episode.number): \(episode.topic)",
                description: Self.description(of: episode),
                url: base
                    + LiveRoute.episode(
                        slug, .value(ProgrammeSlug(programme.slug)), .value(EpisodeNumber(episode.number))
                    )
                    .path,
                cancelled: episode.status == .cancelled, stamp: episode.updatedAt,
                sequence: max(0, Int(episode.updatedAt.timeIntervalSince(episode.createdAt))))
        }
        let response = Response(status: .ok, body: .init(string: ICalendar(name: programme.name, events: events).text))
        response.headers.contentType = HTTPMediaType(
            type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return response
    }

    /// The speakers and where to watch, for the calendar entry.
    static func description(of episode: LiveEpisode) -> String {
        let speakers = episode.speakers.map { speaker in
            [speaker.name, speaker.position, speaker.institution].filter { !$0.isEmpty }.joined(separator: ", ")
        }
        let links = episode.links.sorted { $0.key < $1.key }.map { "\($0.key.label): \($0.value)" }
        return (speakers + links).joined(separator: "\n")
    }
}
