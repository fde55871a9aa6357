import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The question bank's pages at a tenant's desk: categories and their questions, import with a
/// preview that writes nothing until confirmed, export, and one question's page.
package struct BankRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        typealias R = AssessmentRoute
        let keepers = routes.resolvingTenant().grouped(TenantRoleMiddleware(roles: Assessment.bankRoles))
        keepers.get(R.bank(.key), use: bankPage)
        keepers.post(R.addCategory(.key), use: addCategory)
        keepers.post(R.renameCategory(.key, .key), use: renameCategory)
        keepers.post(R.deleteCategory(.key, .key), use: deleteCategory)
        keepers.get(R.importQuestions(.key), use: importForm)
        keepers.post(R.importQuestions(.key), use: importPreview)
        keepers.post(R.confirmImport(.key, .key), use: confirmImport)
        keepers.get(R.export(.key), use: export)
        keepers.get(R.question(.key, .key), use: questionPage)
        QuestionEditorRoutes().register(keepers)
    }

    // MARK: The bank

    func bankPage(req: Request) async throws -> Response {
        try await renderBank(req, selected: try req.queryID("kategori"))
    }

    func renderBank(
        _ req: Request, selected: UUID?, categoryForm: BankModel.CategoryForm = .init(), status: HTTPStatus = .ok
    ) async throws -> Response {
        let tenant = try req.tenant
        let bank = QuestionBank(try req.tenantScope)
        let folders = try await bank.folders()
        let current = selected.flatMap { id in folders.first { $0.id == id } }
        if selected != nil, current == nil { throw Abort(.notFound) }
        let questions = try await current.asyncMap { try await bank.questions(in: $0.id) } ?? []
        let model = BankModel(
            tenant: tenant.routeSlug, folders: folders, selected: current,
            questions: try questions.map {
                BankModel.Row(
                    name: $0.name, kind: QuestionKind(rawValue: $0.kind) ?? .essay, version: $0.version,
                    url: AssessmentRoute.question(tenant.routeSlug, .value(QuestionID(try $0.requireID()))).path)
            }, categoryForm: categoryForm)
        return try await req.render(model, title: "bank.title", tenant: tenant, status: status)
    }

    struct CategoryForm: Content {
        var name: String?
        var parent: String?
    }

    func addCategory(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let form = try req.content.decode(CategoryForm.self)
        let parent = try QueryValue.id(form.parent, field: "parent")
        do {
            let made = try await QuestionBank(try req.tenantScope).addCategory(form.name ?? "", parent: parent)
            req.flash(.success, "bank.category_added", ["name": made.name])
            return req.seeOther(AssessmentRoute.bank(tenant.routeSlug).path(query: ["kategori": made.id?.uuidString]))
        } catch let error as InputError {
            return try await renderBank(
                req, selected: parent,
                categoryForm: .init(name: form.name ?? "", parent: parent, error: error.messages(req)["name"]),
                status: error.status)
        }
    }

    func renameCategory(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let id = try req.parameter(QuestionCategoryID.self).rawValue
        let form = try req.content.decode(CategoryForm.self)
        do {
            let renamed = try await QuestionBank(try req.tenantScope).renameCategory(id, to: form.name ?? "")
            req.flash(.success, "bank.category_renamed", ["name": renamed.name])
        } catch let error as InputError {
            req.flash(
                .error, error.problems.first?.key ?? "bank.error.category_name", error.problems.first?.args ?? [:])
        }
        return req.seeOther(AssessmentRoute.bank(tenant.routeSlug).path(query: ["kategori": id.uuidString]))
    }

    func deleteCategory(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let id = try req.parameter(QuestionCategoryID.self).rawValue
        do {
            try await QuestionBank(try req.tenantScope).deleteCategory(id)
            req.flash(.success, "bank.category_deleted")
            return req.seeOther(AssessmentRoute.bank(tenant.routeSlug).path)
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "bank.error.category_not_empty")
            return req.seeOther(AssessmentRoute.bank(tenant.routeSlug).path(query: ["kategori": id.uuidString]))
        }
    }

    // MARK: Import

    func importForm(req: Request) async throws -> Response {
        try await renderImport(req, model: try await importModel(req, target: try req.queryID("kategori")))
    }

    private func importModel(_ req: Request, target: UUID?) async throws -> ImportModel {
        ImportModel(
            tenant: try req.tenant.routeSlug, folders: try await QuestionBank(try req.tenantScope).folders(),
            target: target)
    }

    private func renderImport(_ req: Request, model: ImportModel, status: HTTPStatus = .ok) async throws -> Response {
        try await req.render(model, title: "bank.import.title", tenant: try req.tenant, status: status)
    }

    struct UploadForm: Content {
        var file: File?
        var format: String?
        var category: String?
    }

    func importPreview(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let upload = try req.content.decode(UploadForm.self)
        let target = try QueryValue.id(upload.category, field: "category")
        var model = try await importModel(req, target: target)
        if let target, !model.folders.contains(where: { $0.id == target }) { throw Abort(.notFound) }
        guard let file = upload.file, file.data.readableBytes > 0 else {
            model.error = req.t("bank.import.no_file")
            return try await renderImport(req, model: model, status: .unprocessableEntity)
        }
        let format =
            try QueryValue.choice(upload.format, field: "format", as: QuestionFormat.self)
            ?? QuestionFormat.guess(filename: file.filename, data: Data(buffer: file.data))
        let data = Data(buffer: file.data)
        let read = format.read(data)
        let pending = PendingQuestionImport(
            tenantID: try tenant.requireID(), createdBy: try req.requirePerson().requireID(), format: format,
            filename: String(file.filename.prefix(200)), content: data, categoryID: target)
        try await pending.create(on: req.database)
        model.preview = ImportModel.Preview(
            importID: try pending.typedID(), filename: pending.filename, format: format,
            report: ImportReport(read, format: format, req: req),
            kinds: read.countsByKind.sorted { $0.key.rawValue < $1.key.rawValue })
        return try await renderImport(req, model: model)
    }

    func confirmImport(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let scope = try req.tenantScope
        let pending = try await scope.require(PendingQuestionImport.self, req.parameter(QuestionImportID.self).rawValue)
        guard let format = QuestionFormat(rawValue: pending.format) else { throw Abort(.notFound) }
        let file = format.read(pending.content)
        guard
            let imported = try await QuestionBank(scope).confirm(
                pending, file: file, by: req.requirePerson().requireID())
        else {
            req.flash(.info, "bank.import.already")
            return req.seeOther(AssessmentRoute.bank(tenant.routeSlug).path)
        }
        try await req.audit(
            "questions.import", subject: pending.filename, detail: "questions=\(imported.questions)",
            tenantID: tenant.id)
        req.flash(
            .success, "bank.import.done",
            ["count": "\(imported.questions)", "skipped": "\(file.problems.count)"])
        return req.seeOther(
            AssessmentRoute.bank(tenant.routeSlug).path(query: ["kategori": pending.categoryID?.uuidString]))
    }

    // MARK: Export and one question

    func export(req: Request) async throws -> Response {
        let format = try req.queryChoice("format", as: QuestionFormat.self) ?? .moodlexml
        let items = try await QuestionBank(try req.tenantScope).exportItems(from: try req.queryID("kategori"))
        return try QuestionExport.response(format.write(items), format: format, tenant: try req.tenant)
    }

    func questionPage(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let scope = try req.tenantScope
        let record = try await scope.require(QuestionRecord.self, req.parameter(QuestionID.self).rawValue)
        let folders = try await QuestionBank(scope).folders()
        let folder = folders.first { $0.id == record.categoryID }
        let model = QuestionModel(
            tenant: tenant.routeSlug, id: QuestionID(try record.requireID()), question: try record.question(),
            version: record.version,
            category: folder?.path ?? [],
            categoryURL: AssessmentRoute.bank(tenant.routeSlug).path(query: ["kategori": record.categoryID.uuidString]))
        return try await req.render(
            model, title: "bank.question.title", titleArgs: ["name": record.name], tenant: tenant)
    }
}

extension QuestionFormat {
    /// The format of a file the trainer did not name: Moodle XML starts with `<`, GIFT does not.
    static func guess(filename: String, data: Data) -> QuestionFormat {
        if filename.lowercased().hasSuffix(".xml") { return .moodlexml }
        let start = data.prefix(64).drop { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        return start.first == UInt8(ascii: "<") ? .moodlexml : .gift
    }
}
