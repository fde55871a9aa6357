import Fluent
import Foundation
import GotongCatalog
import GotongCredentials
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// One episode at the desk: its details, its figures per platform, the host's code screen,
/// and who claimed attendance (with their certificates), also as CSV.
package struct EpisodeDesk: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(LiveRoute.deskEpisode(.key, .key, .key), use: show)
        tenant.post(LiveRoute.deskEpisode(.key, .key, .key), use: save)
        tenant.post(LiveRoute.figures(.key, .key, .key, .key), use: saveFigures)
        tenant.get(LiveRoute.hostCode(.key, .key, .key), use: hostCode)
        tenant.get(LiveRoute.claimsCSV(.key, .key, .key), use: claimsCSV)
    }

    /// The programme and episode in the address, for the desk's keepers (404 for another tenant's).
    static func episode(_ req: Request) async throws -> (LiveProgramme, LiveEpisode) {
        let programme = try await ProgrammeDesk.programme(req)
        let episode = try await req.episode(of: programme)
        return (programme, episode)
    }

    func show(req: Request) async throws -> Response {
        let (programme, episode) = try await Self.episode(req)
        return try await render(req, programme, episode)
    }

    private func render(
        _ req: Request, _ programme: LiveProgramme, _ episode: LiveEpisode, values: [String: String]? = nil,
        errors: [String: String] = [:], status: HTTPStatus = .ok
    ) async throws -> Response {
        let scope = try req.tenantScope
        let figures = try await scope.query(EpisodeFigures.self).filter(\.$episodeID == episode.requireID()).all()
        let claims = try await ClaimList.read(episode, on: req.db, limit: 100)
        let model = EpisodeDeskModel(
            slug: try req.tenant.routeSlug, programme: programme, episode: episode,
            when: req.dayTime(episode.startsAt),
            closes: req.dayTime(Claims.closing(episode, in: programme)),
            figures: Dictionary(figures.map { ($0.platform, $0.counts) }, uniquingKeysWith: { a, _ in a }),
            claims: claims.rows.map { ($0.name, $0.email, req.dayTime($0.claimedAt), $0.certificate ?? "") },
            claimCount: claims.total, registrations: try await Registrations.count(episode, on: req.db),
            values: values ?? EpisodeForm.values(of: episode), errors: errors)
        return try await req.render(
            model, title: "live.episode.title", titleArgs: ["number": "\(episode.number)"], tenant: try req.tenant,
            status: status)
    }

    func save(req: Request) async throws -> Response {
        let (programme, episode) = try await Self.episode(req)
        let form = try req.content.decode(EpisodeForm.self)
        do {
            try await Episodes.update(
                episode, try form.change(), in: programme, on: req.db, now: req.application.clock.now())
            try await req.audit(
                "live.episode.update", subject: "\(programme.name) #\(episode.number)", tenantID: programme.tenantID)
        } catch let error as InputError {
            return try await render(
                req, programme, episode, values: form.values, errors: error.messages(req), status: .unprocessableEntity)
        }
        req.flash(.success, "live.episode.saved")
        return req.seeOther(
            LiveRoute.deskEpisode(
                try req.tenant.routeSlug, .value(ProgrammeSlug(programme.slug)), .value(EpisodeNumber(episode.number))
            ).path)
    }

    func saveFigures(req: Request) async throws -> Response {
        let (programme, episode) = try await Self.episode(req)
        let platform = try req.parameter(LivePlatform.self)
        let form = try req.content.decode([String: String].self)
        var problems = ProblemList()
        var counts = PlatformCounts()
        for key in PlatformCounts.keys {
            counts[key] = FigureCells.count(
                form[key]?.trimmingCharacters(in: .whitespaces) ?? "", column: key, row: nil, into: &problems)
        }
        if !problems.isEmpty {
            let errors = InputError(problems.problems).messages(req)
            return try await render(
                req, programme, episode,
                errors: Dictionary(uniqueKeysWithValues: errors.map { ("\(platform.rawValue).\($0.key)", $0.value) }),
                status: .unprocessableEntity)
        }
        try await FiguresEntry.save(counts, for: episode, on: platform, db: req.db, now: req.application.clock.now())
        try await req.audit(
            "live.figures.update", subject: "\(programme.name) #\(episode.number)", detail: platform.rawValue,
            tenantID: programme.tenantID)
        req.flash(.success, "live.figures.saved", ["platform": platform.label])
        return req.seeOther(
            LiveRoute.deskEpisode(
                try req.tenant.routeSlug, .value(ProgrammeSlug(programme.slug)), .value(EpisodeNumber(episode.number))
            ).path)
    }

    func hostCode(req: Request) async throws -> Response {
        let (programme, episode) = try await Self.episode(req)
        let model = HostCodeModel(
            programme: programme.name, number: episode.number, topic: episode.topic,
            code: AttendanceCode.spaced(episode.code),
            claimAt: req.application.gotong.baseURL
                + LiveRoute.claim(
                    try req.tenant.routeSlug, .value(ProgrammeSlug(programme.slug)),
                    .value(EpisodeNumber(episode.number))
                ).path)
        return try await req.render(
            model, title: "live.episode.title", titleArgs: ["number": "\(episode.number)"], tenant: try req.tenant)
    }

    func claimsCSV(req: Request) async throws -> Response {
        let (programme, episode) = try await Self.episode(req)
        let claims = try await ClaimList.read(episode, on: req.db, limit: nil)
        let t = req.texts
        let header = [
            t("live.claims.name"), t("live.claims.email"), "NIP", t("live.claims.at"), t("live.claims.certificate"),
        ]
        let rows = claims.rows.map { [$0.name, $0.email, $0.nip ?? "", shortDate($0.claimedAt), $0.certificate ?? ""] }
        return Response.csv([header] + rows, filename: "klaim-\(programme.slug)-\(episode.number).csv")
    }
}

/// Figures entered by hand for one platform: what the form shows is what is stored (an empty
/// field is "not reported").
enum FiguresEntry {
    static func save(
        _ counts: PlatformCounts, for episode: LiveEpisode, on platform: LivePlatform, db: any Database, now: Date
    ) async throws {
        try await db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: episode.tenantID, db: tx)
            let figures =
                try await scope.query(EpisodeFigures.self).filter(\.$episodeID == episode.requireID())
                .filter(\.$platform == platform).first() ?? EpisodeFigures()
            if figures.id == nil {
                figures.tenantID = episode.tenantID
                figures.episodeID = try episode.requireID()
                figures.platform = platform
            }
            figures.counts = counts
            figures.updatedAt = now
            try await figures.save(on: tx)
        }
    }
}

/// Who claimed attendance at an episode, newest first, with the certificate each now holds.
enum ClaimList {
    struct Row {
        let name: String
        let email: String
        let nip: String?
        let claimedAt: Date
        let certificate: String?
    }

    static func read(_ episode: LiveEpisode, on db: any Database, limit: Int?) async throws -> (rows: [Row], total: Int)
    {
        let scope = TenantScope(tenantID: episode.tenantID, db: db)
        let episodeID = try episode.requireID()
        let query = scope.query(LiveClaim.self).filter(\.$episodeID == episodeID)
        let total = try await query.copy().count()
        var ordered = query.sort(\.$claimedAt, .descending)
        if let limit { ordered = ordered.limit(limit) }
        let claims = try await ordered.all()
        // In chunks: a national broadcast's claimants are more than a statement may bind.
        var people: [UUID: Person] = [:]
        var certificates: [UUID: String] = [:]
        for chunk in claims.map(\.personID).chunked(1_000) {
            let ids = Array(chunk)
            for person in try await Person.query(on: db).filter(\.$id ~~ ids).all() { people[person.id!] = person }
            guard let courseID = episode.courseID else { continue }
            for certificate in try await scope.query(Certificate.self).filter(\.$courseID == courseID)
                .filter(\.$personID ~~ ids).filter(\.$revokedAt == nil).all()
            {
                certificates[certificate.personID] = certificate.number
            }
        }
        let rows = claims.map { claim in
            let person = people[claim.personID]
            return Row(
                name: person?.name ?? "", email: person?.email ?? "", nip: person?.nip, claimedAt: claim.claimedAt,
                certificate: certificates[claim.personID])
        }
        return (rows, total)
    }
}
