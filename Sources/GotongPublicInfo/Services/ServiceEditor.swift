import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged
import Vapor

/// The officers' side of the catalogue (`/t/{slug}/kelola/layanan/informasi`): the tenant's
/// administrators and coordinators add, change and remove services and their FAQ entries.
/// Every change is audited and seen by the public site and the answerer at once.
package struct ServiceEditor: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoRoute.editor(.key), use: list)
        tenant.post(InfoRoute.editor(.key), use: add)
        tenant.get(InfoRoute.edit(.key, .key), use: edit)
        tenant.post(InfoRoute.edit(.key, .key), use: save)
        tenant.post(InfoRoute.remove(.key, .key), use: remove)
        tenant.post(InfoRoute.faqAdd(.key, .key), use: addFAQ)
        tenant.post(InfoRoute.faqRemove(.key, .key), use: removeFAQ)
        tenant.upload(.POST, InfoRoute.formAdd(.key, .key), maxSize: ServiceForms.maxRequest, use: addForm)
        tenant.post(InfoRoute.formRemove(.key, .key), use: removeForm)
    }

    /// Who keeps the catalogue: the tenant's administrators and coordinators, its desk on.
    static func scope(_ req: Request) async throws -> TenantScope {
        try await DeskSetup.administered(req, by: [.admin, .pengelola])
    }

    func list(req: Request) async throws -> Response {
        try await renderList(req, try await Self.scope(req), values: [:], errors: [:])
    }

    private func renderList(
        _ req: Request, _ scope: TenantScope, values: [String: String], errors: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let catalogue = try await ServiceCatalogue.current(scope, kept: req.application.keptCatalogues)
        let unanswered = try await scope.query(InfoUnanswered.self).count()
        let model = EditorListModel(
            slug: try req.tenant.routeSlug, groups: catalogue.byCategory, unanswered: unanswered,
            form: ServiceFormModel(values: values, errors: errors))
        return try await req.render(model, title: "info.editor.title", tenant: try req.tenant, status: status)
    }

    /// The form's fields, as sent.
    struct Form: Content {
        var name, category, summary, keywords, requirements, steps, places, duration, fee_rupiah: String?
        var legal_basis, contact: String?

        var draft: ServiceDraft {
            var d = ServiceDraft()
            (d.name, d.category, d.summary, d.duration, d.fee) = (name, category, summary, duration, fee_rupiah)
            (d.legalBasis, d.contact) = (legal_basis, contact)
            d.keywords = ServiceDraft.lines(keywords)
            d.requirements = ServiceDraft.lines(requirements)
            d.steps = ServiceDraft.lines(steps)
            d.places = ServiceDraft.places(places)
            return d
        }

        var values: [String: String] {
            [
                "name": name, "category": category, "summary": summary, "keywords": keywords,
                "requirements": requirements, "steps": steps, "places": places, "duration": duration,
                "fee_rupiah": fee_rupiah, "legal_basis": legal_basis, "contact": contact,
            ].compactMapValues { $0 }
        }

        /// The form's values for a service as it is.
        static func values(of s: ServiceFacts) -> [String: String] {
            [
                "name": s.name, "category": s.category, "summary": s.summary,
                "keywords": s.keywords.joined(separator: "\n"), "requirements": s.requirements.joined(separator: "\n"),
                "steps": s.steps.joined(separator: "\n"),
                "places": s.places.map { "\($0.name) | \($0.address) | \($0.hours)" }.joined(separator: "\n"),
                "duration": s.duration, "fee_rupiah": s.feeRupiah.map(String.init) ?? "", "legal_basis": s.legalBasis,
                "contact": s.contact,
            ]
        }
    }

    func add(req: Request) async throws -> Response {
        let scope = try await Self.scope(req)
        let form = try req.content.decode(Form.self)
        do {
            let row = try await ServiceCatalogue.add(form.draft, in: scope, now: req.application.clock.now())
            try await req.audit("info.service.add", subject: row.name, tenantID: scope.tenantID)
            req.flash(.success, "info.editor.added", ["name": row.name])
            return req.seeOther(InfoRoute.edit(try req.tenant.routeSlug, .value(.init(row.id ?? UUID()))).path)
        } catch let error as InputError {
            return try await renderList(
                req, scope, values: form.values, errors: error.messages(req), status: error.status)
        }
    }

    /// The service of the address, in the tenant's catalogue (404 otherwise).
    private func service(_ req: Request, _ scope: TenantScope) async throws -> ServiceFacts {
        let id = try req.parameter(ServiceID.self).rawValue
        let catalogue = try await ServiceCatalogue.current(scope, kept: req.application.keptCatalogues)
        guard let service = catalogue.service(id: id) else { throw Abort(.notFound) }
        return service
    }

    func edit(req: Request) async throws -> Response {
        let scope = try await Self.scope(req)
        let service = try await service(req, scope)
        return try await renderEdit(req, service, values: Form.values(of: service), errors: [:])
    }

    private func renderEdit(
        _ req: Request, _ service: ServiceFacts, values: [String: String], errors: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let model = EditorServiceModel(
            slug: try req.tenant.routeSlug, service: service, form: ServiceFormModel(values: values, errors: errors))
        return try await req.render(
            model, title: "info.editor.edit_title", titleArgs: ["name": service.name], tenant: try req.tenant,
            status: status)
    }

    func save(req: Request) async throws -> Response {
        let scope = try await Self.scope(req)
        let service = try await service(req, scope)
        let form = try req.content.decode(Form.self)
        do {
            let row = try await ServiceCatalogue.update(
                service.id, form.draft, replacingFAQ: false, in: scope, now: req.application.clock.now())
            try await req.audit("info.service.update", subject: row.name, tenantID: scope.tenantID)
            req.flash(.success, "info.editor.saved")
            return req.seeOther(InfoRoute.edit(try req.tenant.routeSlug, .value(.init(service.id))).path)
        } catch let error as InputError {
            return try await renderEdit(
                req, service, values: form.values, errors: error.messages(req), status: error.status)
        }
    }

    func remove(req: Request) async throws -> Response {
        let scope = try await Self.scope(req)
        let service = try await service(req, scope)
        let row = try await ServiceForms.removeService(
            service.id, in: scope, files: req.application.files, now: req.application.clock.now())
        try await req.audit("info.service.remove", subject: row.name, tenantID: scope.tenantID)
        req.flash(.success, "info.editor.removed", ["name": row.name])
        return req.seeOther(InfoRoute.editor(try req.tenant.routeSlug).path)
    }

    struct FAQForm: Content { var question, answer, id: String? }

    func addFAQ(req: Request) async throws -> Response {
        let scope = try await Self.scope(req)
        let service = try await service(req, scope)
        let form = try req.content.decode(FAQForm.self)
        do {
            let entry = try await ServiceCatalogue.addFAQ(
                question: form.question, answer: form.answer, to: service.id, in: scope,
                now: req.application.clock.now())
            try await req.audit("info.faq.add", subject: "\(service.name): \(entry.question)", tenantID: scope.tenantID)
            req.flash(.success, "info.editor.faq_added")
            return req.seeOther(InfoRoute.edit(try req.tenant.routeSlug, .value(.init(service.id))).path + "#faq")
        } catch let error as InputError {
            var values = Form.values(of: service)
            (values["question"], values["answer"]) = (form.question ?? "", form.answer ?? "")
            return try await renderEdit(req, service, values: values, errors: error.messages(req), status: error.status)
        }
    }

    func removeFAQ(req: Request) async throws -> Response {
        let scope = try await Self.scope(req)
        let service = try await service(req, scope)
        let id = try QueryValue.id(try req.content.decode(FAQForm.self).id, field: "id")
        guard let id, service.faq.contains(where: { $0.id == id }) else { throw Abort(.notFound) }
        let entry = try await ServiceCatalogue.removeFAQ(id, in: scope, now: req.application.clock.now())
        try await req.audit("info.faq.remove", subject: "\(service.name): \(entry.question)", tenantID: scope.tenantID)
        req.flash(.success, "info.editor.faq_removed")
        return req.seeOther(InfoRoute.edit(try req.tenant.routeSlug, .value(.init(service.id))).path + "#faq")
    }

    func addForm(req: Request) async throws -> Response {
        let scope = try await Self.scope(req)
        let service = try await service(req, scope)
        let form = try await req.receivedForm()
        do {
            let row = try await ServiceForms.add(
                title: form.values["form_title"], file: form.files[ServiceForms.field], to: service.id, in: scope,
                files: req.application.files, now: req.application.clock.now())
            try await req.audit("info.form.add", subject: "\(service.name): \(row.title)", tenantID: scope.tenantID)
            req.flash(.success, "info.editor.form_added")
            return req.seeOther(InfoRoute.edit(try req.tenant.routeSlug, .value(.init(service.id))).path + "#formulir")
        } catch let error as InputError {
            var values = Form.values(of: service)
            values["form_title"] = form.values["form_title"] ?? ""
            return try await renderEdit(req, service, values: values, errors: error.messages(req), status: error.status)
        }
    }

    func removeForm(req: Request) async throws -> Response {
        let scope = try await Self.scope(req)
        let service = try await service(req, scope)
        guard let id = try QueryValue.id(try req.content.decode(FAQForm.self).id, field: "id") else {
            throw Abort(.notFound)
        }
        let row = try await ServiceForms.remove(
            id, of: service.id, in: scope, files: req.application.files, now: req.application.clock.now())
        try await req.audit("info.form.remove", subject: "\(service.name): \(row.title)", tenantID: scope.tenantID)
        req.flash(.success, "info.editor.form_removed")
        return req.seeOther(InfoRoute.edit(try req.tenant.routeSlug, .value(.init(service.id))).path + "#formulir")
    }
}
