import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged
import Vapor

/// The catalogue and the answerer in the JSON API: services to read (public) and keep (the
/// tenant's administrators and coordinators, bearer token), the answerer (public), and the
/// questions it could not answer (officers).
package struct ServiceAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoAPIRoute.services(.key), use: list)
        tenant.post(InfoAPIRoute.services(.key), use: create)
        tenant.get(InfoAPIRoute.service(.key, .key), use: show)
        tenant.on(.PUT, InfoAPIRoute.service(.key, .key), use: update)
        tenant.on(.DELETE, InfoAPIRoute.service(.key, .key), use: delete)
        tenant.get(InfoAPIRoute.answer(.key), use: answer)
        tenant.get(InfoAPIRoute.unanswered(.key), use: unanswered)
    }

    struct Place: Content {
        var name: String?
        var address, hours: String?
    }

    struct FAQ: Content {
        var question, answer: String?
    }

    /// A service as sent: the fields of ``ServiceDraft``; `fee_rupiah` a whole number (0 is
    /// free) or null when it depends.
    struct ServiceInput: Content {
        var name, category, summary, duration, legal_basis, contact: String?
        var keywords, requirements, steps: [String]?
        var places: [Place]?
        var fee_rupiah: Int?
        var faq: [FAQ]?

        var draft: ServiceDraft {
            var d = ServiceDraft()
            (d.name, d.category, d.summary, d.duration) = (name, category, summary, duration)
            (d.legalBasis, d.contact, d.fee) = (legal_basis, contact, fee_rupiah.map(String.init))
            (d.keywords, d.requirements, d.steps) = (keywords ?? [], requirements ?? [], steps ?? [])
            d.places = (places ?? []).map {
                ServicePlace(name: $0.name ?? "", address: $0.address ?? "", hours: $0.hours ?? "")
            }
            d.faq = (faq ?? []).map { ($0.question, $0.answer) }
            return d
        }
    }

    struct ServiceItem: Content {
        var id, slug, name, category, summary, url: String
    }

    struct ServiceList: Content { var services: [ServiceItem] }

    struct ServiceView: Content {
        var id, slug, name, category, summary, duration, legal_basis, contact, updated_at, url: String
        var keywords, requirements, steps: [String]
        var places: [ServicePlace]
        var fee_rupiah: Int?
        var faq: [FAQ]
        var forms: [FormFile]
    }

    /// A form to download, with its address.
    struct FormFile: Content {
        var title, file_name, url: String
        var size: Int
    }

    static func item(_ s: ServiceFacts, _ slug: Param<TenantSlug>) -> ServiceItem {
        ServiceItem(
            id: s.id.uuidString, slug: s.slug, name: s.name, category: s.category, summary: s.summary,
            url: InfoRoute.service(slug, .value(.init(s.slug))).path)
    }

    static func view(_ s: ServiceFacts, _ slug: Param<TenantSlug>) -> ServiceView {
        ServiceView(
            id: s.id.uuidString, slug: s.slug, name: s.name, category: s.category, summary: s.summary,
            duration: s.duration, legal_basis: s.legalBasis, contact: s.contact,
            updated_at: LocalDates.iso(s.updatedAt),
            url: InfoRoute.service(slug, .value(.init(s.slug))).path, keywords: s.keywords,
            requirements: s.requirements, steps: s.steps, places: s.places, fee_rupiah: s.feeRupiah,
            faq: s.faq.map { FAQ(question: $0.question, answer: $0.answer) },
            forms: s.forms.map {
                FormFile(
                    title: $0.title, file_name: $0.fileName,
                    url: InfoRoute.serviceForm(slug, .value(.init(s.slug)), .value(.init($0.id))).path, size: $0.size)
            })
    }

    func list(req: Request) async throws -> ServiceList {
        let catalogue = try await ServicePages.catalogue(req)
        let slug = try req.tenant.routeSlug
        return ServiceList(services: catalogue.byCategory.flatMap(\.services).map { Self.item($0, slug) })
    }

    func show(req: Request) async throws -> ServiceView {
        let catalogue = try await ServicePages.catalogue(req)
        guard let service = catalogue.service(id: try req.parameter(ServiceID.self).rawValue) else {
            throw Abort(.notFound)
        }
        return Self.view(service, try req.tenant.routeSlug)
    }

    /// The caller may keep the catalogue (bearer token of an administrator or coordinator).
    private func keeper(_ req: Request) async throws -> TenantScope {
        try await ServiceEditor.scope(req)
    }

    func create(req: Request) async throws -> Response {
        let scope = try await keeper(req)
        let input = try req.content.decode(ServiceInput.self)
        let row = try await ServiceCatalogue.add(input.draft, in: scope, now: req.application.clock.now())
        try await req.audit("info.service.add", subject: row.name, tenantID: scope.tenantID)
        let catalogue = try await ServiceCatalogue.current(scope, kept: req.application.keptCatalogues)
        guard let service = catalogue.service(id: try row.requireID()) else { throw Abort(.internalServerError) }
        let response = try await Self.view(service, try req.tenant.routeSlug).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(
            name: .location, value: InfoAPIRoute.service(try req.tenant.routeSlug, .value(.init(service.id))).path)
        return response
    }

    /// Replaces the service; its FAQ too when the body has `faq`.
    func update(req: Request) async throws -> ServiceView {
        let scope = try await keeper(req)
        let id = try req.parameter(ServiceID.self).rawValue
        let input = try req.content.decode(ServiceInput.self)
        let row = try await ServiceCatalogue.update(
            id, input.draft, replacingFAQ: input.faq != nil, in: scope, now: req.application.clock.now())
        try await req.audit("info.service.update", subject: row.name, tenantID: scope.tenantID)
        let catalogue = try await ServiceCatalogue.current(scope, kept: req.application.keptCatalogues)
        guard let service = catalogue.service(id: id) else { throw Abort(.notFound) }
        return Self.view(service, try req.tenant.routeSlug)
    }

    func delete(req: Request) async throws -> HTTPStatus {
        let scope = try await keeper(req)
        let row = try await ServiceForms.removeService(
            try req.parameter(ServiceID.self).rawValue, in: scope, files: req.application.files,
            now: req.application.clock.now())
        try await req.audit("info.service.remove", subject: row.name, tenantID: scope.tenantID)
        return .noContent
    }

    struct AnswerItem: Content {
        var service: String
        var score: Double
        var text, url: String
    }

    struct AnswerView: Content {
        var answers: [AnswerItem]
        var confident: Bool
        /// Where a question the answerer is not sure of can go: the desk's report form.
        var report_url: String
    }

    func answer(req: Request) async throws -> AnswerView {
        let catalogue = try await ServicePages.catalogue(req)
        guard let question = try ServicePages.question(req, required: true) else { throw Abort(.badRequest) }
        let slug = try req.tenant.routeSlug
        let answers = Answers.of(question, slug: slug, catalogue: catalogue, texts: req.texts)
        if !answers.confident {
            try await Unanswered.record(question, from: req, in: try req.tenantScope)
        }
        return AnswerView(
            answers: answers.items.map {
                AnswerItem(service: $0.service.name, score: $0.score, text: $0.text, url: $0.path)
            },
            confident: answers.confident, report_url: DeskRoute.desk(slug).path)
    }

    struct UnansweredItem: Content {
        var id, question, first_at, last_at: String
        var asked: Int
    }

    struct UnansweredPage: Content {
        var questions: [UnansweredItem]
        var page, pages, total: Int
    }

    func unanswered(req: Request) async throws -> UnansweredPage {
        let scope = try await keeper(req)
        let (rows, window) = try await Unanswered.list(scope, page: try req.pageNumber("page"))
        return UnansweredPage(
            questions: rows.map {
                UnansweredItem(
                    id: $0.id?.uuidString ?? "", question: $0.question, first_at: LocalDates.iso($0.firstAt),
                    last_at: LocalDates.iso($0.lastAt), asked: $0.asked)
            }, page: window.page, pages: window.pages, total: window.total)
    }
}
