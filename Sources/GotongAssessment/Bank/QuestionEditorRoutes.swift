import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Writing questions on the web: a new question of any kind in a category, changing one (its
/// next version), and deleting one no quiz uses. Each is checked by the bank as the API's are.
struct QuestionEditorRoutes {
    func register(_ keepers: any RoutesBuilder) {
        typealias R = AssessmentRoute
        keepers.get(R.newQuestion(.key), use: newForm)
        keepers.post(R.newQuestion(.key), use: create)
        keepers.get(R.editQuestion(.key, .key), use: editForm)
        keepers.post(R.editQuestion(.key, .key), use: update)
        keepers.post(R.deleteQuestion(.key, .key), use: delete)
    }

    func newForm(req: Request) async throws -> Response {
        let kind = try req.queryChoice("jenis", as: QuestionKind.self) ?? .multipleChoice
        let values = QuestionEditorForm.defaults(for: kind)
        return try await render(req, kind: kind, values: values, category: try req.queryID("kategori"), record: nil)
    }

    func editForm(req: Request) async throws -> Response {
        let record = try await req.tenantScope.require(QuestionRecord.self, req.parameter(QuestionID.self).rawValue)
        let question = try record.question()
        return try await render(
            req, kind: question.kind, values: QuestionEditorForm.values(of: question), category: record.categoryID,
            record: record)
    }

    func create(req: Request) async throws -> Response {
        try await save(req, record: nil)
    }

    func update(req: Request) async throws -> Response {
        let record = try await req.tenantScope.require(QuestionRecord.self, req.parameter(QuestionID.self).rawValue)
        return try await save(req, record: record)
    }

    private func save(_ req: Request, record: QuestionRecord?) async throws -> Response {
        let tenant = try req.tenant
        let values = try req.content.decode([String: String].self)
        let stored = try record?.question()
        let kind =
            try stored?.kind ?? QueryValue.choice(values["kind"], field: "kind", as: QuestionKind.self)
            ?? .multipleChoice
        var problems = ProblemList()
        let question = QuestionEditorForm.read(values, kind: kind, base: stored, problems: &problems)
        let category = try QueryValue.id(values["category"], field: "category")
        if category == nil { problems.add("category", "bank.error.category_required") }
        let bank = QuestionBank(try req.tenantScope)
        do {
            try problems.throwIfAny()
            let saved: QuestionRecord
            if let record {
                saved = try await bank.update(try record.requireID(), to: question, in: category!)
            } else {
                saved = try await bank.add(question, to: category!, by: try req.requirePerson().requireID())
            }
            req.flash(.success, record == nil ? "bank.form.added" : "bank.form.saved", ["name": saved.name])
            return req.seeOther(
                AssessmentRoute.question(tenant.routeSlug, .value(QuestionID(try saved.requireID()))).path)
        } catch let error as InputError {
            return try await render(
                req, kind: kind, values: values, category: category, record: record, error: error,
                status: .unprocessableEntity)
        }
    }

    func delete(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let record = try await req.tenantScope.require(QuestionRecord.self, req.parameter(QuestionID.self).rawValue)
        do {
            try await QuestionBank(try req.tenantScope).delete(try record.requireID())
            req.flash(.success, "bank.form.deleted", ["name": record.name])
            return req.seeOther(
                AssessmentRoute.bank(tenant.routeSlug).path(query: ["kategori": record.categoryID.uuidString]))
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "bank.error.in_use")
            return req.seeOther(
                AssessmentRoute.question(tenant.routeSlug, .value(QuestionID(try record.requireID()))).path)
        }
    }

    private func render(
        _ req: Request, kind: QuestionKind, values: [String: String], category: UUID?, record: QuestionRecord?,
        error: InputError? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let tenant = try req.tenant
        let folders = try await QuestionBank(try req.tenantScope).folders()
        if let category, !folders.contains(where: { $0.id == category }) { throw Abort(.notFound) }
        // The bank's findings are about the whole question; the form's name one field.
        let fieldErrors = error.map { $0.messages(req) } ?? [:]
        let whole = (error?.problems ?? []).filter { $0.field == "question" }.map { req.t($0.key, $0.args) }
        let question = record.flatMap { try? $0.question() }
        let model = QuestionEditorModel(
            kind: kind, values: values, errors: fieldErrors, problems: whole,
            rows: max(QuestionEditorForm.rows(for: question), Self.rowsPosted(values)), folders: folders,
            category: category ?? folders.first?.id,
            action: record.map { AssessmentRoute.editQuestion(tenant.routeSlug, .value(QuestionID($0.id!))).path }
                ?? AssessmentRoute.newQuestion(tenant.routeSlug).path,
            cancelURL: record.map { AssessmentRoute.question(tenant.routeSlug, .value(QuestionID($0.id!))).path }
                ?? AssessmentRoute.bank(tenant.routeSlug).path(query: ["kategori": category?.uuidString]),
            isNew: record == nil)
        return try await req.render(
            model, title: record == nil ? "bank.form.new" : "bank.form.edit",
            titleArgs: ["kind": req.t("bank.kind.\(kind.rawValue)")], tenant: tenant, status: status)
    }

    /// Rows a posted form filled, so a refused form shows every row that was typed.
    static func rowsPosted(_ values: [String: String]) -> Int {
        let filled = (0..<QuestionEditorForm.maxRows).filter { index in
            ["answer", "item", "match"].contains { !(values["\($0)_\(index)"] ?? "").isEmpty }
        }
        return min(QuestionEditorForm.maxRows, (filled.last.map { $0 + 1 } ?? 0) + QuestionEditorForm.spareRows)
    }
}
