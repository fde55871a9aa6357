import Fluent
import Foundation
import GotongCatalog
import GotongCredentials
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// A signed-in civil servant claims attendance with the code the host showed: the form, and
/// what comes after a good claim — the JP and certificate on their way, or the episode's quiz.
package struct ClaimPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(LiveRoute.claim(.key, .key, .key), use: show)
        tenant.post(LiveRoute.claim(.key, .key, .key), use: claim)
    }

    /// The episode in the address, for a signed-in person (a stranger is sent to sign in).
    static func episode(_ req: Request) async throws -> (LiveProgramme, LiveEpisode, Person) {
        let person = try req.requirePerson()
        let programme = try await PublicPages.programme(req)
        let episode = try await req.episode(of: programme)
        return (programme, episode, person)
    }

    func show(req: Request) async throws -> Response {
        let (programme, episode, person) = try await Self.episode(req)
        return try await render(req, programme, episode, person, error: nil)
    }

    private func render(
        _ req: Request, _ programme: LiveProgramme, _ episode: LiveEpisode, _ person: Person, error: String?,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let claimed = try await req.tenantScope.query(LiveClaim.self).filter(\.$episodeID == episode.requireID())
            .filter(\.$personID == person.requireID()).first()
        let now = req.application.clock.now()
        let model = ClaimModel(
            slug: try req.tenant.routeSlug, programme: programme, episode: episode,
            closes: req.dayTime(Claims.closing(episode, in: programme)),
            claimedAt: claimed.map { req.dayTime($0.claimedAt) },
            refusal: claimed == nil ? Claims.refusal(episode, in: programme, at: now).map { req.t($0) } : nil,
            next: claimed == nil ? nil : try await nextStep(req, episode), error: error)
        return try await req.render(
            model, title: "live.claim.title", titleArgs: ["number": "\(episode.number)"], tenant: try req.tenant,
            status: status)
    }

    struct ClaimForm: Content {
        var code: String?
    }

    func claim(req: Request) async throws -> Response {
        let (programme, episode, person) = try await Self.episode(req)
        let code = try req.content.decode(ClaimForm.self).code ?? ""
        do {
            let outcome = try await Claims(app: req.application, db: req.db).claim(
                episode, in: programme, by: PersonID(try person.requireID()), code: code, from: req.clientAddress)
            if case .admitted = outcome { req.flash(.success, "live.claim.admitted") }
            if outcome == .credited { req.flash(.success, "live.claim.credited", ["jp": "\(episode.jp)"]) }
            return req.seeOther(try await nextStep(req, episode)?.path ?? req.url.path)
        } catch let error as InputError {
            let locked = error.problems.first?.key == "live.claim.error.locked"
            return try await render(
                req, programme, episode, person, error: error.messages(req)["code"],
                status: locked ? .tooManyRequests : .unprocessableEntity)
        }
    }

    /// Where a claimant goes next: the quiz while it is not passed, else their certificates.
    func nextStep(_ req: Request, _ episode: LiveEpisode) async throws -> (path: String, label: String)? {
        let claims = Claims(app: req.application, db: req.db)
        if let quiz = try await claims.pendingQuiz(of: episode, for: PersonID(try req.requirePerson().requireID())),
            let courseID = episode.courseID, let course = try await req.tenantScope.find(Course.self, courseID)
        {
            return (
                LearningRoute.activity(
                    try req.tenant.routeSlug, .value(CourseSlug(course.slug)), .value(ActivityID(quiz))
                )
                .path, req.t("live.claim.to_quiz")
            )
        }
        return (CredentialsRoute.myCertificates.path, req.t("live.claim.to_certificates"))
    }
}

/// The claim form, or what the claim became.
struct ClaimModel: PageBody {
    let slug: Param<TenantSlug>
    let programme: LiveProgramme
    let episode: LiveEpisode
    let closes: String
    let claimedAt: String?
    let refusal: String?
    let next: (path: String, label: String)?
    let error: String?

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let programmeSlug = Param.value(ProgrammeSlug(programme.slug))
        let number = Param.value(EpisodeNumber(episode.number))
        h.raw("<p class=\"crumbs\"><a href=\"").attr(LiveRoute.episode(slug, programmeSlug, number).path).raw("\">")
            .text(programme.name).raw(" #").text("\(episode.number)").raw("</a></p>\n<h1>")
            .text(t("live.claim.heading")).raw("</h1>\n<p>").text(episode.topic).raw("</p>\n")
        if let claimedAt {
            h.raw("<p class=\"flash success\">").text(t("live.claim.done", ["at": claimedAt])).raw("</p>\n")
            if let next {
                h.raw("<p><a class=\"button\" href=\"").attr(next.path).raw("\">").text(next.label).raw("</a></p>\n")
            }
            return
        }
        if let refusal {
            h.raw("<p class=\"flash error\">").text(refusal).raw("</p>\n")
            return
        }
        h.raw("<p>").text(t("live.claim.lead", ["jp": "\(episode.jp)", "closes": closes])).raw("</p>\n")
            .postForm(LiveRoute.claim(slug, programmeSlug, number).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "code", label: t("live.claim.code"), value: nil, error: error, hint: t("live.claim.code_hint"),
                    max: 12, required: true,
                    attributes: " autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\"")
            )
            .raw("<button type=\"submit\">").text(t("live.claim.submit")).raw("</button>\n</form>\n")
    }
}
