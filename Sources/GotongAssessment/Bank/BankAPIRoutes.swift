import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The question bank in the JSON API: categories, questions, import (with a dry run) and export.
package struct BankAPIRoutes: RouteCollection {
    package init() {}

    /// The largest question file taken (Moodle XML carries its images inline).
    static let maxFile: ByteCount = "16mb"

    package func boot(routes: any RoutesBuilder) throws {
        typealias R = AssessmentAPIRoute
        let tenant = routes.resolvingTenant()
        tenant.get(R.categories(.key), use: categories)
        tenant.post(R.categories(.key), use: addCategory)
        tenant.patch(R.category(.key, .key), use: renameCategory)
        tenant.delete(R.category(.key, .key), use: deleteCategory)
        tenant.get(R.questions(.key), use: questions)
        tenant.post(R.questions(.key), use: addQuestion)
        tenant.get(R.question(.key, .key), use: question)
        tenant.on(.PUT, R.question(.key, .key), use: updateQuestion)
        tenant.delete(R.question(.key, .key), use: deleteQuestion)
        tenant.collecting(.POST, R.importQuestions(.key), upTo: Self.maxFile, use: importFile)
        tenant.get(R.export(.key), use: export)
    }

    private func bank(_ req: Request) async throws -> QuestionBank {
        try await req.requireTenantRole(Assessment.bankRoles)
        return QuestionBank(try req.tenantScope)
    }

    // MARK: Categories

    struct CategoryResponse: Content {
        var id: UUID
        var name: String
        var path: [String]
        var parent_id: UUID?
        var questions: Int
    }

    struct CategoryList: Content { var categories: [CategoryResponse] }

    func categories(req: Request) async throws -> CategoryList {
        let folders = try await bank(req).folders()
        return CategoryList(categories: folders.map { CategoryResponse($0, in: folders) })
    }

    struct NewCategory: Content {
        var name: String?
        var parent_id: UUID?
    }

    func addCategory(req: Request) async throws -> Response {
        let bank = try await bank(req)
        let form = try req.content.decode(NewCategory.self)
        let made = try await bank.addCategory(form.name ?? "", parent: form.parent_id)
        let folders = try await bank.folders()
        guard let folder = folders.first(where: { $0.id == made.id }) else { throw Abort(.internalServerError) }
        return try await CategoryResponse(folder, in: folders).encodeResponse(status: .created, for: req)
    }

    struct Rename: Content { var name: String? }

    func renameCategory(req: Request) async throws -> CategoryResponse {
        let bank = try await bank(req)
        let id = try req.parameter(QuestionCategoryID.self).rawValue
        try await bank.renameCategory(id, to: try req.content.decode(Rename.self).name ?? "")
        let folders = try await bank.folders()
        guard let folder = folders.first(where: { $0.id == id }) else { throw Abort(.internalServerError) }
        return CategoryResponse(folder, in: folders)
    }

    func deleteCategory(req: Request) async throws -> HTTPStatus {
        try await bank(req).deleteCategory(req.parameter(QuestionCategoryID.self).rawValue)
        return .noContent
    }

    // MARK: Questions

    struct QuestionResponse: Content {
        var id: UUID
        var category_id: UUID
        var version: Int
        var question: Question
        var updated_at: Date?
    }

    struct QuestionList: Content { var questions: [QuestionResponse] }

    func questions(req: Request) async throws -> QuestionList {
        let bank = try await bank(req)
        guard let category = try req.queryID("category") else {
            throw InputError(field: "category", key: "bank.error.category_required", status: .badRequest)
        }
        _ = try await (try req.tenantScope).require(QuestionCategory.self, category)
        return QuestionList(questions: try await bank.questions(in: category).map(QuestionResponse.init))
    }

    func question(req: Request) async throws -> QuestionResponse {
        _ = try await bank(req)
        return try QuestionResponse(
            try await req.tenantScope.require(QuestionRecord.self, req.parameter(QuestionID.self).rawValue))
    }

    /// A question as the API takes it: the question's own fields and its category.
    struct QuestionInput: Decodable {
        var category_id: UUID
        var question: Question

        enum Keys: String, CodingKey { case category_id }

        init(from decoder: any Decoder) throws {
            category_id = try decoder.container(keyedBy: Keys.self).decode(UUID.self, forKey: .category_id)
            question = try Question(from: decoder)
        }
    }

    func addQuestion(req: Request) async throws -> Response {
        let bank = try await bank(req)
        let input = try QuestionInput.read(req)
        let record = try await bank.add(input.question, to: input.category_id, by: req.requirePerson().requireID())
        return try await QuestionResponse(record).encodeResponse(status: .created, for: req)
    }

    func updateQuestion(req: Request) async throws -> QuestionResponse {
        let bank = try await bank(req)
        let input = try QuestionInput.read(req)
        let record = try await bank.update(
            req.parameter(QuestionID.self).rawValue, to: input.question, in: input.category_id)
        return try QuestionResponse(record)
    }

    func deleteQuestion(req: Request) async throws -> HTTPStatus {
        try await bank(req).delete(req.parameter(QuestionID.self).rawValue)
        return .noContent
    }

    // MARK: Import and export

    func importFile(req: Request) async throws -> Response {
        let bank = try await bank(req)
        guard let format = try req.queryChoice("format", as: QuestionFormat.self) else {
            throw InputError(field: "format", key: "bank.error.format_required", status: .badRequest)
        }
        let dryRun = try req.queryFlag("dry_run") ?? false
        let skipInvalid = try req.queryFlag("skip_invalid") ?? false
        let base = try req.queryID("category")
        if let base { _ = try await (try req.tenantScope).require(QuestionCategory.self, base) }
        guard let body = req.body.data, body.readableBytes > 0 else {
            throw InputError(field: "file", key: "bank.error.empty_file")
        }
        let file = format.read(Data(buffer: body))
        var report = ImportReport(file, format: format, req: req)
        if dryRun { return try await report.encodeResponse(status: .ok, for: req) }
        // Without `skip_invalid`, a file with any problem writes nothing.
        guard file.items.count > 0, file.problems.isEmpty || skipInvalid else {
            return try await report.encodeResponse(status: .unprocessableEntity, for: req)
        }
        let imported = try await bank.importItems(file, under: base, by: req.requirePerson().requireID())
        report.committed = true
        report.new_categories = imported.categories
        try await req.audit(
            "questions.import", subject: format.rawValue, detail: "questions=\(imported.questions)",
            tenantID: try req.tenant.id)
        return try await report.encodeResponse(status: .created, for: req)
    }

    func export(req: Request) async throws -> Response {
        let bank = try await bank(req)
        let format = try req.queryChoice("format", as: QuestionFormat.self) ?? .moodlexml
        let items = try await bank.exportItems(from: try req.queryID("category"))
        return try QuestionExport.response(format.write(items), format: format, tenant: try req.tenant)
    }
}

extension BankAPIRoutes.CategoryResponse {
    init(_ folder: QuestionBank.Folder, in folders: [QuestionBank.Folder]) {
        let parent = folder.depth == 0 ? nil : folders.last { $0.path == Array(folder.path.dropLast()) }?.id
        self.init(id: folder.id, name: folder.name, path: folder.path, parent_id: parent, questions: folder.questions)
    }
}

extension BankAPIRoutes.QuestionResponse {
    init(_ record: QuestionRecord) throws {
        self.init(
            id: try record.requireID(), category_id: record.categoryID, version: record.version,
            question: try record.question(), updated_at: record.updatedAt)
    }
}

extension BankAPIRoutes.QuestionInput {
    /// The request's JSON; a body that is not a question is a 422 naming what is wrong.
    static func read(_ req: Request) throws -> Self {
        do { return try req.content.decode(Self.self) } catch let error as DecodingError {
            throw InputError(field: error.fieldName, key: "bank.error.question_json", args: ["field": error.fieldName])
        }
    }
}

extension DecodingError {
    /// The JSON path of the value at fault (`answers.0.fraction`).
    var fieldName: String {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): path = c.codingPath
        case .keyNotFound(let key, let c): path = c.codingPath + [key]
        @unknown default: path = []
        }
        let name = path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return name.isEmpty ? "body" : name
    }
}

/// An export's file, named for the tenant and format.
enum QuestionExport {
    static func response(_ text: String, format: QuestionFormat, tenant: Tenant) throws -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.replaceOrAdd(name: .contentType, value: format.mediaType)
        response.headers.setAttachment(filename: "bank-soal-\(tenant.slug).\(format.fileExtension)")
        return response
    }
}
