import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Live Learning in the JSON API: programmes, episodes, figures, claims and effectiveness for
/// those who run training (administrators and coordinators), and the caller's own claim.
package struct LiveAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(LiveAPIRoute.programmes(.key), use: programmes)
        tenant.post(LiveAPIRoute.programmes(.key), use: createProgramme)
        tenant.get(LiveAPIRoute.programme(.key, .key), use: programme)
        tenant.on(.PUT, LiveAPIRoute.programme(.key, .key), use: updateProgramme)
        tenant.get(LiveAPIRoute.episodes(.key, .key), use: episodes)
        tenant.post(LiveAPIRoute.episodes(.key, .key), use: createEpisode)
        tenant.get(LiveAPIRoute.episode(.key, .key, .key), use: episode)
        tenant.on(.PUT, LiveAPIRoute.episode(.key, .key, .key), use: updateEpisode)
        tenant.on(.PUT, LiveAPIRoute.figures(.key, .key, .key, .key), use: putFigures)
        tenant.get(LiveAPIRoute.claims(.key, .key, .key), use: claims)
        tenant.collecting(.POST, LiveAPIRoute.importFigures(.key, .key), upTo: "4mb", use: importFigures)
        tenant.get(LiveAPIRoute.effectiveness(.key, .key), use: effectiveness)
        tenant.post(LiveAPIRoute.claim(.key, .key, .key), use: claim)
        tenant.get(LiveAPIRoute.registration(.key, .key, .key), use: registration)
        tenant.on(.PUT, LiveAPIRoute.registration(.key, .key, .key), use: register)
        tenant.on(.DELETE, LiveAPIRoute.registration(.key, .key, .key), use: unregister)
    }

    // MARK: Programmes

    func programmes(req: Request) async throws -> [LiveJSON.Programme] {
        try await req.requireTenantRole(ProgrammeDesk.keepers)
        return try await req.tenantScope.query(LiveProgramme.self).sort(\.$name).all().map(LiveJSON.Programme.init)
    }

    func createProgramme(req: Request) async throws -> Response {
        try await req.requireTenantRole(ProgrammeDesk.keepers)
        let change = try req.content.decode(LiveJSON.ProgrammeInput.self).change()
        let programme = try await Programmes.create(change, in: try req.tenantScope, now: req.application.clock.now())
        try await req.audit("live.programme.create", subject: programme.name, tenantID: programme.tenantID)
        return try await LiveJSON.Programme(programme).encodeResponse(status: .created, for: req)
    }

    func programme(req: Request) async throws -> LiveJSON.Programme {
        LiveJSON.Programme(try await ProgrammeDesk.programme(req))
    }

    func updateProgramme(req: Request) async throws -> LiveJSON.Programme {
        let programme = try await ProgrammeDesk.programme(req)
        let change = try req.content.decode(LiveJSON.ProgrammeInput.self).change()
        try await Programmes.update(programme, change, in: try req.tenantScope)
        try await req.audit("live.programme.update", subject: programme.name, tenantID: programme.tenantID)
        return LiveJSON.Programme(programme)
    }

    // MARK: Episodes

    func episodes(req: Request) async throws -> [LiveJSON.Episode] {
        let programme = try await ProgrammeDesk.programme(req)
        let list = try await req.tenantScope.query(LiveEpisode.self).filter(\.$programmeID == programme.requireID())
            .sort(\.$number).all()
        return try await json(list, of: programme, req)
    }

    /// Episodes as the API shows them, their claims and registrations counted by the database.
    private func json(
        _ episodes: [LiveEpisode], of programme: LiveProgramme, _ req: Request
    ) async throws -> [LiveJSON.Episode] {
        let ids = episodes.compactMap(\.id)
        let claims = try await Effectiveness.claimCounts(ids, tenantID: programme.tenantID, on: req.db)
        let registered = try await Effectiveness.counts(
            in: LiveRegistration.schema, ids, tenantID: programme.tenantID, on: req.db)
        return try episodes.map { episode in
            try LiveJSON.Episode(
                episode, in: programme, claims: claims[episode.id!] ?? 0,
                registrations: registered[episode.id!] ?? 0, req: req)
        }
    }

    func createEpisode(req: Request) async throws -> Response {
        let programme = try await ProgrammeDesk.programme(req)
        let change = try req.content.decode(LiveJSON.EpisodeInput.self).change()
        let episode = try await Episodes.create(change, in: programme, on: req.db, now: req.application.clock.now())
        try await req.audit(
            "live.episode.create", subject: "\(programme.name) #\(episode.number)", tenantID: programme.tenantID)
        return try await LiveJSON.Episode(episode, in: programme, claims: 0, registrations: 0, req: req)
            .encodeResponse(status: .created, for: req)
    }

    func episode(req: Request) async throws -> LiveJSON.Episode {
        let (programme, episode) = try await EpisodeDesk.episode(req)
        return try await json([episode], of: programme, req)[0]
    }

    func updateEpisode(req: Request) async throws -> LiveJSON.Episode {
        let (programme, episode) = try await EpisodeDesk.episode(req)
        let change = try req.content.decode(LiveJSON.EpisodeInput.self).change()
        try await Episodes.update(episode, change, in: programme, on: req.db, now: req.application.clock.now())
        try await req.audit(
            "live.episode.update", subject: "\(programme.name) #\(episode.number)", tenantID: programme.tenantID)
        return try await json([episode], of: programme, req)[0]
    }

    // MARK: Figures, claims, effectiveness

    func putFigures(req: Request) async throws -> PlatformCounts {
        let (programme, episode) = try await EpisodeDesk.episode(req)
        let platform = try req.parameter(LivePlatform.self)
        let counts = try req.content.decode(PlatformCounts.self)
        var problems = ProblemList()
        for key in PlatformCounts.keys {
            if let value = counts[key], !(0...FigureCells.largest).contains(value) {
                problems.add(key, "live.import.error.count", ["value": "\(value)"])
            }
        }
        try problems.throwIfAny()
        try await FiguresEntry.save(counts, for: episode, on: platform, db: req.db, now: req.application.clock.now())
        try await req.audit(
            "live.figures.update", subject: "\(programme.name) #\(episode.number)", detail: platform.rawValue,
            tenantID: programme.tenantID)
        return counts
    }

    func claims(req: Request) async throws -> LiveJSON.Claims {
        let (_, episode) = try await EpisodeDesk.episode(req)
        let list = try await ClaimList.read(episode, on: req.db, limit: nil)
        return LiveJSON.Claims(
            total: list.total,
            claims: list.rows.map {
                .init(
                    name: $0.name, email: $0.email, nip: $0.nip, claimed_at: LocalDates.iso($0.claimedAt),
                    certificate_number: $0.certificate)
            })
    }

    func importFigures(req: Request) async throws -> FiguresImport.Summary {
        let programme = try await ProgrammeDesk.programme(req)
        let format: FiguresImport.Format
        switch req.headers.contentType?.subType.lowercased() {
        case "csv": format = .csv
        case "json": format = .json
        default: throw Abort(.unsupportedMediaType)
        }
        let episode = try req.queryNumber("episode", in: 1...100_000)
        let body = req.body.data.map { Data(buffer: $0) } ?? Data()
        let summary = try await FiguresImport(programme: programme, db: req.db, now: req.application.clock.now())
            .run(body, format: format, episode: episode)
        try await req.audit("live.figures.import", subject: programme.name, detail: "api", tenantID: programme.tenantID)
        return summary
    }

    func effectiveness(req: Request) async throws -> LiveJSON.EffectivenessReport {
        let programme = try await ProgrammeDesk.programme(req)
        return LiveJSON.EffectivenessReport(try await Effectiveness.load(programme, on: req.db))
    }

    /// The caller claims attendance with the code the host showed.
    func claim(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let programme = try await PublicPages.programme(req)
        let episode = try await req.episode(of: programme)
        let input = try req.content.decode(LiveJSON.ClaimInput.self)
        do {
            let outcome = try await Claims(app: req.application, db: req.db).claim(
                episode, in: programme, by: PersonID(try person.requireID()), code: input.code,
                from: req.clientAddress)
            switch outcome {
            case .credited:
                return try await LiveJSON.ClaimResult(status: "credited", quiz_activity_id: nil)
                    .encodeResponse(status: .created, for: req)
            case .admitted(let quiz):
                return try await LiveJSON.ClaimResult(status: "admitted", quiz_activity_id: quiz)
                    .encodeResponse(status: .created, for: req)
            case .alreadyClaimed:
                // An admitted claimant who has not passed the quiz yet is shown the way again.
                let quiz = try await Claims(app: req.application, db: req.db).pendingQuiz(
                    of: episode, for: PersonID(try person.requireID()))
                return try await LiveJSON.ClaimResult(status: "already_claimed", quiz_activity_id: quiz)
                    .encodeResponse(status: .ok, for: req)
            }
        } catch var error as InputError where error.problems.first?.key == "live.claim.error.locked" {
            error.status = .tooManyRequests
            throw error
        }
    }

    // MARK: The caller's registration

    /// The caller's registration for the episode's reminder (404 when they have none).
    func registration(req: Request) async throws -> LiveJSON.Registration {
        let (_, episode, person) = try await ClaimPage.episode(req)
        guard
            let registration = try await Registrations.find(
                episode, person: PersonID(try person.requireID()), on: req.db)
        else {
            throw Abort(.notFound)
        }
        return LiveJSON.Registration(registration, of: episode, now: req.application.clock.now())
    }

    /// Registers the caller (201; 200 when they were already), until the episode ends.
    func register(req: Request) async throws -> Response {
        let (_, episode, person) = try await ClaimPage.episode(req)
        let now = req.application.clock.now()
        let made = try await Registrations.register(
            episode, person: PersonID(try person.requireID()), on: req.db, now: now)
        return try await LiveJSON.Registration(made.registration, of: episode, now: now)
            .encodeResponse(status: made.isNew ? .created : .ok, for: req)
    }

    /// Takes the caller's registration back (204; 404 when there was none).
    func unregister(req: Request) async throws -> HTTPStatus {
        let (_, episode, person) = try await ClaimPage.episode(req)
        guard try await Registrations.cancel(episode, person: PersonID(try person.requireID()), on: req.db) else {
            throw Abort(.notFound)
        }
        return .noContent
    }
}
