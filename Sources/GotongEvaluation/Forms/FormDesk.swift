import Fluent
import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy
import Vapor

/// The tenant's evaluation desk: its forms and the form builder, and its courses with their
/// evaluation. Those who build courses (coordinators and administrators) keep them.
package struct FormDesk: RouteCollection {
    package init() {}

    static let keepers: Set<Role> = [.admin, .pengelola]

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(EvaluationRoute.forms(.key), use: list)
        tenant.post(EvaluationRoute.forms(.key), use: create)
        tenant.get(EvaluationRoute.form(.key, .key), use: show)
        tenant.post(EvaluationRoute.form(.key, .key), use: rename)
        tenant.post(EvaluationRoute.copyForm(.key, .key), use: copy)
        tenant.post(EvaluationRoute.addItem(.key, .key), use: addItem)
        tenant.post(EvaluationRoute.removeItem(.key, .key, .key), use: removeItem)
        tenant.post(EvaluationRoute.moveItem(.key, .key, .key, .key), use: moveItem)
    }

    func list(req: Request) async throws -> Response {
        try await renderList(req, values: [:], errors: [:])
    }

    private func renderList(
        _ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        try await req.requireTenantRole(Self.keepers)
        let scope = try req.tenantScope
        let forms = try await scope.query(EvaluationForm.self).sort(\.$title).all()
        let counts = Dictionary(
            grouping: try await scope.query(EvaluationItem.self).field(\.$formID).all(), by: \.formID
        ).mapValues(\.count)
        let courses = try await scope.query(Course.self).sort(\.$title).all()
        let setups = Set(try await scope.query(CourseEvaluation.self).all().map(\.courseID))
        let model = FormListModel(
            slug: try req.tenant.routeSlug,
            forms: try forms.map { (EvaluationFormID(try $0.requireID()), $0.title, $0.purpose, counts[$0.id!] ?? 0) },
            courses: try courses.map { (CourseID(try $0.requireID()), $0.title, setups.contains($0.id!)) },
            values: values, errors: errors)
        return try await req.render(model, title: "evaluation.desk.title", tenant: try req.tenant, status: status)
    }

    struct NewForm: Content {
        var title: String?
        var purpose: String?
    }

    func create(req: Request) async throws -> Response {
        try await req.requireTenantRole(Self.keepers)
        let input = try req.content.decode(NewForm.self)
        do {
            let form = try await FormBuilder(req: req).create(title: input.title, purpose: input.purpose)
            return req.seeOther(
                EvaluationRoute.form(try req.tenant.routeSlug, .value(EvaluationFormID(try form.requireID()))).path)
        } catch let error as InputError {
            let values = ["title": input.title ?? "", "purpose": input.purpose ?? ""]
            return try await renderList(req, values: values, errors: error.messages(req), status: .unprocessableEntity)
        }
    }

    private func form(_ req: Request) async throws -> EvaluationForm {
        try await req.requireTenantRole(Self.keepers)
        return try await req.tenantScope.require(EvaluationForm.self, try req.parameter(EvaluationFormID.self).rawValue)
    }

    func show(req: Request) async throws -> Response {
        try await renderForm(req, try await form(req), values: nil, errors: [:])
    }

    private func renderForm(
        _ req: Request, _ form: EvaluationForm, values: [String: String]?, errors: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let builder = FormBuilder(req: req)
        let id = try form.requireID()
        let model = FormBuilderModel(
            slug: try req.tenant.routeSlug, formID: EvaluationFormID(id), form: form,
            items: try await builder.items(of: id), locked: try await builder.isAnswered(id),
            values: values ?? ["title": form.title, "intro": form.intro], errors: errors)
        return try await req.render(model, title: "evaluation.form.title", tenant: try req.tenant, status: status)
    }

    struct FormFields: Content {
        var title: String?
        var intro: String?
        var kind: String?
        var prompt: String?
        var choices: String?
        var required: String?
    }

    func rename(req: Request) async throws -> Response {
        let form = try await form(req)
        let input = try req.content.decode(FormFields.self)
        do {
            try await FormBuilder(req: req).rename(form, title: input.title, intro: input.intro)
        } catch let error as InputError {
            let values = ["title": input.title ?? "", "intro": input.intro ?? ""]
            return try await renderForm(
                req, form, values: values, errors: error.messages(req), status: .unprocessableEntity)
        }
        req.flash(.success, "evaluation.form.saved")
        return req.seeOther(req.url.path)
    }

    func addItem(req: Request) async throws -> Response {
        let form = try await form(req)
        let input = try req.content.decode(FormFields.self)
        let back = EvaluationRoute.form(try req.tenant.routeSlug, .value(EvaluationFormID(try form.requireID()))).path
        do {
            _ = try await FormBuilder(req: req).addItem(
                to: form, kind: input.kind, prompt: input.prompt, choices: input.choices,
                required: input.required != nil)
        } catch let error as InputError where error.status == .unprocessableEntity {
            var values = ["title": form.title, "intro": form.intro]
            (values["kind"], values["prompt"], values["choices"]) = (input.kind, input.prompt, input.choices)
            return try await renderForm(
                req, form, values: values, errors: error.messages(req), status: .unprocessableEntity)
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "evaluation.error.locked")
            return req.seeOther(back)
        }
        req.flash(.success, "evaluation.form.item_added")
        return req.seeOther(back + "#pertanyaan")
    }

    private func item(_ req: Request, of form: EvaluationForm) async throws -> EvaluationItem {
        let id = try req.parameter(EvaluationItemID.self).rawValue
        guard let item = try await req.tenantScope.find(EvaluationItem.self, id), item.formID == form.id else {
            throw Abort(.notFound)
        }
        return item
    }

    func removeItem(req: Request) async throws -> Response {
        let form = try await form(req)
        let item = try await item(req, of: form)
        let back = EvaluationRoute.form(try req.tenant.routeSlug, .value(EvaluationFormID(try form.requireID()))).path
        do {
            try await FormBuilder(req: req).removeItem(item, of: form)
            req.flash(.success, "evaluation.form.item_removed")
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "evaluation.error.locked")
        }
        return req.seeOther(back + "#pertanyaan")
    }

    func moveItem(req: Request) async throws -> Response {
        let form = try await form(req)
        let item = try await item(req, of: form)
        let direction = try req.parameter(ItemMove.self)
        let back = EvaluationRoute.form(try req.tenant.routeSlug, .value(EvaluationFormID(try form.requireID()))).path
        do {
            try await FormBuilder(req: req).move(item, of: form, direction)
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "evaluation.error.locked")
        }
        return req.seeOther(back + "#pertanyaan")
    }

    func copy(req: Request) async throws -> Response {
        let form = try await form(req)
        let copy = try await FormBuilder(req: req).copy(form)
        req.flash(.success, "evaluation.form.copied")
        return req.seeOther(
            EvaluationRoute.form(try req.tenant.routeSlug, .value(EvaluationFormID(try copy.requireID()))).path)
    }
}
