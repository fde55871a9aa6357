import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The episode page's "remind me" button and its undoing, for a signed-in person; both go back
/// to the episode's page with a word on what happened.
package struct RegistrationPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.post(LiveRoute.register(.key, .key, .key), use: register)
        tenant.post(LiveRoute.unregister(.key, .key, .key), use: unregister)
        // Someone whose session ran out while on the page comes back here after signing in.
        tenant.get(LiveRoute.register(.key, .key, .key), use: toEpisode)
        tenant.get(LiveRoute.unregister(.key, .key, .key), use: toEpisode)
    }

    func register(req: Request) async throws -> Response {
        let (programme, episode, person) = try await ClaimPage.episode(req)
        let now = req.application.clock.now()
        do {
            try await Registrations.register(episode, person: PersonID(try person.requireID()), on: req.db, now: now)
            let due = episode.startsAt.addingTimeInterval(-Registrations.remindBefore)
            req.flash(.success, due > now ? "live.register.done" : "live.register.done_soon")
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "live.register.error.over")
        }
        return req.seeOther(try Self.page(req, programme, episode))
    }

    /// The episode's page, where the buttons are.
    func toEpisode(req: Request) async throws -> Response {
        let programme = try await PublicPages.programme(req)
        return req.seeOther(try Self.page(req, programme, try await req.episode(of: programme)))
    }

    func unregister(req: Request) async throws -> Response {
        let (programme, episode, person) = try await ClaimPage.episode(req)
        if try await Registrations.cancel(episode, person: PersonID(try person.requireID()), on: req.db) {
            req.flash(.success, "live.register.cancelled")
        }
        return req.seeOther(try Self.page(req, programme, episode))
    }

    static func page(_ req: Request, _ programme: LiveProgramme, _ episode: LiveEpisode) throws -> String {
        LiveRoute.episode(
            try req.tenant.routeSlug, .value(ProgrammeSlug(programme.slug)), .value(EpisodeNumber(episode.number))
        ).path
    }
}
