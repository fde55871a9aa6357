import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged
import Vapor

/// The public side of the catalogue, on the desk's site: the services by category, a page per
/// service (prints on one sheet or two, no form, no cookie), and the answerer's page. All of it
/// works without script; a tenant without its desk on has none of it (404).
package struct ServicePages: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoRoute.services(.key), use: list)
        tenant.get(InfoRoute.service(.key, .key), use: show)
        tenant.get(InfoRoute.serviceForm(.key, .key, .key), use: form)
        tenant.get(InfoRoute.ask(.key), use: ask)
        tenant.get(InfoRoute.offlineWorker(.key), use: offlineWorker)
    }

    /// The worker that keeps the services' pages for reading offline (Platform's).
    func offlineWorker(req: Request) async throws -> Response {
        _ = try await Self.catalogue(req)
        return try StaticAsset.offlineWorker.get().response(for: req)
    }

    /// The tenant's catalogue, when its desk is on (404 otherwise).
    static func catalogue(_ req: Request) async throws -> Catalogue {
        let scope = try req.tenantScope
        let now = req.application.clock.now()
        guard try await DeskSetup.isOn(scope, now: now) else { throw Abort(.notFound) }
        return try await ServiceCatalogue.current(scope, kept: req.application.keptCatalogues, now: now)
    }

    func list(req: Request) async throws -> Response {
        let catalogue = try await Self.catalogue(req)
        // A province lists hundreds of services: ten of each category, or one category whole.
        let chosen = req.query[String.self, at: "kategori"]?.trimmed(max: 60)
        let groups = catalogue.byCategory.filter { chosen == nil || chosen == "" || $0.category == chosen }
        let model = ServiceListModel(
            slug: try req.tenant.routeSlug, tenant: try req.tenant.name, groups: groups,
            shown: chosen?.isEmpty == false ? nil : ServiceListModel.perCategory)
        return try await req.render(
            model, title: "info.services.title", titleArgs: ["tenant": try req.tenant.name], tenant: try req.tenant,
            needsToken: false)
    }

    func show(req: Request) async throws -> Response {
        let catalogue = try await Self.catalogue(req)
        let slug = try req.parameter(ServiceSlug.self).rawValue
        guard let service = catalogue.service(slug: slug) else { throw Abort(.notFound) }
        let model = ServicePageModel(slug: try req.tenant.routeSlug, service: service)
        let response = try await req.render(
            model, title: "info.service.title", titleArgs: ["name": service.name], tenant: try req.tenant,
            needsToken: false)
        // For everyone alike (no one signed in, no form): the offline worker may keep it.
        if req.viewer == nil { response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache") }
        return response
    }

    /// A service's form, by its id among the service's forms.
    func form(req: Request) async throws -> Response {
        let catalogue = try await Self.catalogue(req)
        let id = try req.parameter(ServiceFormID.self).rawValue
        guard let service = catalogue.service(slug: try req.parameter(ServiceSlug.self).rawValue),
            service.forms.contains(where: { $0.id == id }),
            let row = try await req.tenantScope.find(InfoServiceForm.self, id)
        else { throw Abort(.notFound) }
        return try await ServiceForms.serve(row, req)
    }

    /// The answerer's page: the best services for `?q=`, each with the facts asked for; when it
    /// is not sure it says so, keeps the question for the officers, and offers the report form
    /// with the question in it.
    func ask(req: Request) async throws -> Response {
        let catalogue = try await Self.catalogue(req)
        let question = try Self.question(req, required: false)
        let slug = try req.tenant.routeSlug
        var answers: Answers?
        if let question {
            let found = Answers.of(question, slug: slug, catalogue: catalogue, texts: req.texts)
            if !found.confident {
                try await Unanswered.record(question, from: req, in: try req.tenantScope)
            }
            answers = found
        }
        let model = AskModel(slug: slug, tenant: try req.tenant.name, answers: answers)
        return try await req.render(model, title: "info.ask.title", tenant: try req.tenant, needsToken: false)
    }

    /// The question of `?q=`: trimmed, at most ``Answers/maxQuestion`` characters (400 beyond);
    /// nil when absent or blank, or a 400 when `required`.
    static func question(_ req: Request, required: Bool) throws -> String? {
        let raw = req.query[String.self, at: "q"]
        var p = ProblemList()
        let text = p.text(raw, "q", max: Answers.maxQuestion, required: required ? "info.error.question" : nil)
        if !p.isEmpty { throw InputError(p.problems, status: .badRequest) }
        return text.isEmpty ? nil : text
    }
}
