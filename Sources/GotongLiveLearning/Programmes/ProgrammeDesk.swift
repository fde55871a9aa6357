import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The Live Learning desk: the tenant's programmes, one programme's settings and episodes
/// (with the next ones its cadence proposes), and the import of platform figures. Those who
/// run training (administrators and coordinators) keep it.
package struct ProgrammeDesk: RouteCollection {
    package init() {}

    static let keepers: Set<Role> = [.admin, .pengelola]

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(LiveRoute.desk(.key), use: list)
        tenant.post(LiveRoute.desk(.key), use: create)
        tenant.get(LiveRoute.deskProgramme(.key, .key), use: show)
        tenant.post(LiveRoute.deskProgramme(.key, .key), use: save)
        tenant.post(LiveRoute.newEpisode(.key, .key), use: newEpisode)
        tenant.post(LiveRoute.importFigures(.key, .key), use: importFigures)
    }

    func list(req: Request) async throws -> Response {
        try await renderList(req, values: [:], errors: [:])
    }

    private func renderList(
        _ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        try await req.requireTenantRole(Self.keepers)
        let programmes = try await req.tenantScope.query(LiveProgramme.self).sort(\.$name).all()
        let model = ProgrammeListModel(
            slug: try req.tenant.routeSlug, programmes: programmes.map { ($0.slug, $0.name) }, values: values,
            errors: errors)
        return try await req.render(model, title: "live.desk.title", tenant: try req.tenant, status: status)
    }

    func create(req: Request) async throws -> Response {
        try await req.requireTenantRole(Self.keepers)
        let form = try req.content.decode(ProgrammeForm.self)
        do {
            let change = try form.change()
            let programme = try await Programmes.create(
                change, in: try req.tenantScope, now: req.application.clock.now())
            try await req.audit("live.programme.create", subject: programme.name, tenantID: programme.tenantID)
            return req.seeOther(
                LiveRoute.deskProgramme(try req.tenant.routeSlug, .value(ProgrammeSlug(programme.slug))).path)
        } catch let error as InputError {
            return try await renderList(
                req, values: form.values, errors: error.messages(req), status: .unprocessableEntity)
        }
    }

    /// The programme in the address, for its keepers only (404 for another tenant's).
    static func programme(_ req: Request) async throws -> LiveProgramme {
        try await req.requireTenantRole(keepers)
        guard
            let programme = try await Programmes.find(
                try req.parameter(ProgrammeSlug.self).rawValue, in: req.tenantScope)
        else { throw Abort(.notFound) }
        return programme
    }

    func show(req: Request) async throws -> Response {
        try await render(req, try await Self.programme(req))
    }

    func render(
        _ req: Request, _ programme: LiveProgramme, values: [String: String]? = nil, errors: [String: String] = [:],
        episodeValues: [String: String]? = nil, importReport: [String]? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let now = req.application.clock.now()
        let episodes = try await req.tenantScope.query(LiveEpisode.self).filter(\.$programmeID == programme.requireID())
            .sort(\.$number, .descending).all()
        let proposals = Programmes.proposals(programme, episodes: episodes, now: now)
        let next = (episodes.map(\.number).max() ?? 0) + 1
        let model = ProgrammeDeskModel(
            slug: try req.tenant.routeSlug, programme: programme,
            episodes: episodes.map { ($0.number, $0.topic, req.dayTime($0.startsAt), $0.status, $0.speakerNames) },
            proposals: proposals.map { (LocalDates.formValue(moment: $0), req.dayTime($0)) },
            values: values ?? ProgrammeForm.values(of: programme),
            episodeValues: episodeValues
                ?? [
                    "number": "\(next)", "starts_at": proposals.first.map { LocalDates.formValue(moment: $0) } ?? "",
                    "jp": "\(programme.defaultJP)", "minutes": "\(programme.defaultMinutes)",
                ],
            errors: errors, importReport: importReport)
        return try await req.render(
            model, title: "live.programme.title", titleArgs: ["name": programme.name], tenant: try req.tenant,
            status: status)
    }

    func save(req: Request) async throws -> Response {
        let programme = try await Self.programme(req)
        let form = try req.content.decode(ProgrammeForm.self)
        do {
            try await Programmes.update(programme, try form.change(), in: try req.tenantScope)
            try await req.audit("live.programme.update", subject: programme.name, tenantID: programme.tenantID)
        } catch let error as InputError {
            return try await render(
                req, programme, values: form.values, errors: error.messages(req), status: .unprocessableEntity)
        }
        req.flash(.success, "live.programme.saved")
        return req.seeOther(
            LiveRoute.deskProgramme(try req.tenant.routeSlug, .value(ProgrammeSlug(programme.slug))).path)
    }

    func newEpisode(req: Request) async throws -> Response {
        let programme = try await Self.programme(req)
        let form = try req.content.decode(EpisodeForm.self)
        do {
            let episode = try await Episodes.create(
                try form.change(), in: programme, on: req.db, now: req.application.clock.now())
            try await req.audit(
                "live.episode.create", subject: "\(programme.name) #\(episode.number)", tenantID: programme.tenantID)
            return req.seeOther(
                LiveRoute.deskEpisode(
                    try req.tenant.routeSlug, .value(ProgrammeSlug(programme.slug)),
                    .value(EpisodeNumber(episode.number))
                ).path)
        } catch let error as InputError {
            return try await render(
                req, programme, errors: error.messages(req), episodeValues: form.values, status: .unprocessableEntity)
        }
    }

    struct ImportForm: Content {
        var file: File?
        var episode: String?
    }

    func importFigures(req: Request) async throws -> Response {
        let programme = try await Self.programme(req)
        let form = try req.content.decode(ImportForm.self)
        do {
            guard let file = form.file, file.data.readableBytes > 0 else {
                throw InputError(field: "file", key: "live.import.no_file")
            }
            let episode = try WholeNumber.read(form.episode, field: "episode", in: 1...100_000)
            let format: FiguresImport.Format = file.filename.lowercased().hasSuffix(".json") ? .json : .csv
            let summary = try await FiguresImport(programme: programme, db: req.db, now: req.application.clock.now())
                .run(Data(buffer: file.data), format: format, episode: episode)
            try await req.audit(
                "live.figures.import", subject: programme.name, detail: String(file.filename.prefix(200)),
                tenantID: programme.tenantID)
            req.flash(
                .success, "live.import.done",
                [
                    "episodes": "\(summary.episodesCreated + summary.episodesUpdated)",
                    "figures": "\(summary.figuresCreated + summary.figuresUpdated)",
                    "unchanged": "\(summary.figuresUnchanged)",
                ])
            if !summary.ignoredMetrics.isEmpty {
                req.flash(.info, "live.import.ignored", ["metrics": summary.ignoredMetrics.joined(separator: ", ")])
            }
            return req.seeOther(
                LiveRoute.deskProgramme(try req.tenant.routeSlug, .value(ProgrammeSlug(programme.slug))).path)
        } catch let error as InputError {
            let report = error.problems.map { problem in
                let message = req.t(problem.key, problem.args)
                return problem.row.map {
                    req.t("live.import.problem", ["row": "\($0)", "column": problem.field]) + message
                }
                    ?? message
            }
            return try await render(req, programme, importReport: report, status: .unprocessableEntity)
        }
    }
}

/// The programme's settings as a form sends them.
struct ProgrammeForm: Content {
    var slug: String?
    var name: String?
    var description: String?
    var instagram: String?
    var tiktok: String?
    var youtube: String?
    var cadence_days: String?
    var cadence_anchor: String?
    var default_minutes: String?
    var default_jp: String?
    var claim_hours: String?

    func change() throws -> ProgrammeChange {
        var p = ProblemList()
        var change = ProgrammeChange()
        (change.slug, change.name, change.description) = (slug?.lowercased(), name, description)
        (change.instagram, change.tiktok, change.youtube) = (instagram, tiktok, youtube)
        change.cadenceDays = WholeNumber.read(cadence_days, field: "cadence_days", in: 0...366, problems: &p)
        change.defaultMinutes = WholeNumber.read(default_minutes, field: "default_minutes", in: 10...600, problems: &p)
        change.defaultJP = WholeNumber.read(default_jp, field: "default_jp", in: 1...10, problems: &p)
        change.claimHours = WholeNumber.read(claim_hours, field: "claim_hours", in: 1...720, problems: &p)
        switch LocalDates.parse(cadence_anchor, localTime: true) {
        case .success(let date): change.cadenceAnchor = date
        case .failure: p.add("cadence_anchor", "live.error.moment")
        }
        try p.throwIfAny()
        return change
    }

    var values: [String: String] {
        [
            "slug": slug ?? "", "name": name ?? "", "description": description ?? "", "instagram": instagram ?? "",
            "tiktok": tiktok ?? "", "youtube": youtube ?? "", "cadence_days": cadence_days ?? "",
            "cadence_anchor": cadence_anchor ?? "", "default_minutes": default_minutes ?? "",
            "default_jp": default_jp ?? "", "claim_hours": claim_hours ?? "",
        ]
    }

    static func values(of programme: LiveProgramme) -> [String: String] {
        [
            "slug": programme.slug, "name": programme.name, "description": programme.description,
            "instagram": programme.instagram, "tiktok": programme.tiktok, "youtube": programme.youtube,
            "cadence_days": "\(programme.cadenceDays)",
            "cadence_anchor": LocalDates.formValue(moment: programme.cadenceAnchor),
            "default_minutes": "\(programme.defaultMinutes)", "default_jp": "\(programme.defaultJP)",
            "claim_hours": "\(programme.claimHours)",
        ]
    }
}

/// An episode's details as a form sends them.
struct EpisodeForm: Content {
    var number: String?
    var topic: String?
    var speakers: String?
    var starts_at: String?
    var minutes: String?
    var competency_type: String?
    var jp: String?
    var status: String?
    var recording_url: String?
    var instagram_url: String?
    var tiktok_url: String?
    var youtube_url: String?

    func change() throws -> EpisodeChange {
        var p = ProblemList()
        var change = EpisodeChange()
        change.number = WholeNumber.read(number, field: "number", in: 1...100_000, problems: &p)
        change.topic = topic
        change.speakers = speakers.map(EpisodeChange.speakers(fromLines:))
        switch LocalDates.parse(starts_at, localTime: true) {
        case .success(let date): change.startsAt = date
        case .failure: p.add("starts_at", "live.error.moment")
        }
        change.minutes = WholeNumber.read(minutes, field: "minutes", in: 10...600, problems: &p)
        change.jp = WholeNumber.read(jp, field: "jp", in: 1...10, problems: &p)
        change.competencyType = competency_type
        change.status = status
        change.recordingURL = recording_url
        if instagram_url != nil || tiktok_url != nil || youtube_url != nil {
            change.links = ["instagram": instagram_url ?? "", "tiktok": tiktok_url ?? "", "youtube": youtube_url ?? ""]
        }
        try p.throwIfAny()
        return change
    }

    var values: [String: String] {
        [
            "number": number ?? "", "topic": topic ?? "", "speakers": speakers ?? "", "starts_at": starts_at ?? "",
            "minutes": minutes ?? "", "competency_type": competency_type ?? "", "jp": jp ?? "",
            "status": status ?? "", "recording_url": recording_url ?? "", "instagram_url": instagram_url ?? "",
            "tiktok_url": tiktok_url ?? "", "youtube_url": youtube_url ?? "",
        ]
    }

    static func values(of episode: LiveEpisode) -> [String: String] {
        let links = episode.links
        return [
            "number": "\(episode.number)", "topic": episode.topic,
            "speakers": EpisodeChange.lines(of: episode.speakers),
            "starts_at": LocalDates.formValue(moment: episode.startsAt), "minutes": "\(episode.minutes)",
            "competency_type": episode.competencyType, "jp": "\(episode.jp)", "status": episode.status.rawValue,
            "recording_url": episode.recordingURL, "instagram_url": links[.instagram] ?? "",
            "tiktok_url": links[.tiktok] ?? "", "youtube_url": links[.youtube] ?? "",
        ]
    }
}
