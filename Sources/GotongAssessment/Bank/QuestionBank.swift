import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// One tenant's question bank: its categories and questions, reached only through the tenant's
/// scope. Imports and exports go through here.
public struct QuestionBank: Sendable {
    let scope: TenantScope

    public init(_ scope: TenantScope) { self.scope = scope }

    /// The category questions go to when a file names none and the trainer chose none.
    static let defaultCategoryName = "Umum"
    static let maxDepth = 8

    // MARK: Categories

    /// A category with its place in the tree and how many questions it holds.
    public struct Folder: Sendable, Hashable {
        public let id: UUID
        public let name: String
        public let path: [String]
        public let depth: Int
        public let questions: Int
    }

    /// Every category, depth first, names in order.
    public func folders() async throws -> [Folder] {
        let categories = try await scope.query(QuestionCategory.self).all()
        let counts = try await questionCounts()
        let children = Dictionary(grouping: categories, by: \.parentID)
        var result: [Folder] = []
        func walk(_ parent: UUID?, _ path: [String]) {
            let sorted = (children[parent] ?? []).sorted {
                $0.name.localizedStandardCompare($1.name) == .orderedAscending
            }
            for category in sorted {
                guard let id = category.id, path.count < Self.maxDepth else { continue }
                result.append(
                    Folder(
                        id: id, name: category.name, path: path + [category.name], depth: path.count,
                        questions: counts[id] ?? 0))
                walk(id, path + [category.name])
            }
        }
        walk(nil, [])
        return result
    }

    private func questionCounts() async throws -> [UUID: Int] {
        let rows = try await scope.db.sql.select().column("category_id").column(
            SQLFunction("COUNT", args: SQLLiteral.all), as: "n"
        )
        .from(QuestionRecord.schema).where("tenant_id", .equal, scope.tenantID).groupBy("category_id").all()
        var counts: [UUID: Int] = [:]
        for row in rows {
            counts[try row.decode(column: "category_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// A new category under `parent` (or at the top). Names are one line, 1–120 characters,
    /// unique among their siblings.
    public func addCategory(_ rawName: String, parent: UUID?) async throws -> QuestionCategory {
        var problems = ProblemList()
        let name = problems.text(rawName, "name", max: 120, required: "bank.error.category_name")
        // One line: a name is a step of a path, written as such in a GIFT file's `$CATEGORY:`.
        if name.contains(where: \.isNewline) { problems.add("name", "bank.error.category_line") }
        try problems.throwIfAny()
        if let parent { _ = try await scope.require(QuestionCategory.self, parent) }
        if try await child(named: name, of: parent) != nil {
            throw InputError(field: "name", key: "bank.error.category_exists", args: ["name": name], status: .conflict)
        }
        let category = QuestionCategory(tenantID: scope.tenantID, parentID: parent, name: name)
        try await category.create(on: scope.db)
        return category
    }

    /// Renames a category; the name is checked as a new one's is.
    @discardableResult
    public func renameCategory(_ id: UUID, to rawName: String) async throws -> QuestionCategory {
        let category = try await scope.require(QuestionCategory.self, id)
        var problems = ProblemList()
        let name = problems.text(rawName, "name", max: 120, required: "bank.error.category_name")
        // One line: a name is a step of a path, written as such in a GIFT file's `$CATEGORY:`.
        if name.contains(where: \.isNewline) { problems.add("name", "bank.error.category_line") }
        try problems.throwIfAny()
        if let other = try await child(named: name, of: category.parentID), other.id != id {
            throw InputError(field: "name", key: "bank.error.category_exists", args: ["name": name], status: .conflict)
        }
        category.name = name
        try await category.update(on: scope.db)
        return category
    }

    /// Deletes an empty category: one holding questions or categories, or one a quiz draws
    /// questions from, is refused with the reason (409), so no question is lost with it.
    public func deleteCategory(_ id: UUID) async throws {
        let category = try await scope.require(QuestionCategory.self, id)
        let held =
            try await scope.query(QuestionRecord.self).filter(\.$categoryID == id).count()
            + scope.query(QuestionCategory.self).filter(\.$parentID == id).count()
        if held > 0 { throw InputError(field: "category", key: "bank.error.category_not_empty", status: .conflict) }
        if try await scope.query(QuizSlot.self).filter(\.$categoryID == id).count() > 0 {
            throw InputError(field: "category", key: "bank.error.category_in_use", status: .conflict)
        }
        try await category.delete(on: scope.db)
    }

    private func child(named name: String, of parent: UUID?) async throws -> QuestionCategory? {
        var query = scope.query(QuestionCategory.self).filter(\.$name == name)
        query = parent.map { query.filter(\.$parentID == $0) } ?? query.filter(\.$parentID == nil)
        return try await query.first()
    }

    /// The category at `path` below `base`, made as needed (inside the caller's transaction).
    func category(at path: [String], under base: UUID?, on db: any Database) async throws -> UUID {
        let scope = TenantScope(tenantID: self.scope.tenantID, db: db)
        let bank = QuestionBank(scope)
        var parent = base
        let names = path.isEmpty && base == nil ? [Self.defaultCategoryName] : path
        for raw in names.prefix(Self.maxDepth) {
            let name = String(raw.prefix(120))
            if let found = try await bank.child(named: name, of: parent) {
                parent = found.id
            } else {
                let made = QuestionCategory(tenantID: scope.tenantID, parentID: parent, name: name)
                try await made.create(on: db)
                parent = made.id
            }
        }
        guard let parent else { throw Abort(.internalServerError) }
        return parent
    }

    // MARK: Questions

    public func questions(in category: UUID) async throws -> [QuestionRecord] {
        try await scope.query(QuestionRecord.self).filter(\.$categoryID == category).sort(\.$name).all()
    }

    /// Adds a question to `category`, refused with every problem when it is not usable.
    public func add(_ question: Question, to category: UUID, by person: UUID?) async throws -> QuestionRecord {
        try Self.check(question)
        _ = try await scope.require(QuestionCategory.self, category)
        let record = try QuestionRecord(
            tenantID: scope.tenantID, categoryID: category, question: question, createdBy: person)
        try await record.create(on: scope.db)
        return record
    }

    /// Saves a changed question as its next version (moved to `category` if that differs).
    public func update(_ id: UUID, to question: Question, in category: UUID) async throws -> QuestionRecord {
        try Self.check(question)
        let record = try await scope.require(QuestionRecord.self, id)
        _ = try await scope.require(QuestionCategory.self, category)
        try record.set(question)
        record.categoryID = category
        record.version += 1
        // With the raise of the kept quizzes' version (``KeptQuizzes``), or neither.
        try await scope.db.lockingTransaction { tx in try await record.update(on: tx) }
        return record
    }

    /// Deletes a question no quiz asks and no attempt drew; one in use is refused with the reason
    /// (its attempts' reviews and statistics still read it).
    public func delete(_ id: UUID) async throws {
        let record = try await scope.require(QuestionRecord.self, id)
        let inSlots = try await scope.query(QuizSlot.self).filter(\.$questionID == id).count()
        let drawn = try await scope.query(QuizAttempt.self).filter(\.$layoutJSON ~~ id.uuidString).count()
        if inSlots + drawn > 0 {
            throw InputError(field: "question", key: "bank.error.in_use", status: .conflict)
        }
        try await scope.db.lockingTransaction { tx in try await record.delete(on: tx) }
    }

    static func check(_ question: Question) throws {
        let found = QuestionCheck.problems(of: question)
        if !found.isEmpty { throw InputError(found.map { .init(field: "question", key: $0.key, args: $0.args) }) }
    }

    // MARK: Import and export

    /// What importing `file` did.
    public struct Imported: Sendable {
        public let questions: Int
        public let categories: Int
    }

    /// Writes the file's importable questions in one transaction, below `base` (or the top).
    public func importItems(_ file: QuestionFile, under base: UUID?, by person: UUID?) async throws -> Imported {
        if let base { _ = try await scope.require(QuestionCategory.self, base) }
        let before = try await scope.query(QuestionCategory.self).count()
        try await scope.db.lockingTransaction { db in try await write(file, under: base, by: person, on: db) }
        let after = try await scope.query(QuestionCategory.self).count()
        return Imported(questions: file.items.count, categories: after - before)
    }

    /// The file's questions and the categories they need, inside the caller's transaction.
    private func write(_ file: QuestionFile, under base: UUID?, by person: UUID?, on db: any Database) async throws {
        var categories: [[String]: UUID] = [:]
        var records: [QuestionRecord] = []
        for item in file.items {
            let categoryID: UUID
            if let known = categories[item.category] {
                categoryID = known
            } else {
                categoryID = try await category(at: item.category, under: base, on: db)
                categories[item.category] = categoryID
            }
            records.append(
                try QuestionRecord(
                    tenantID: scope.tenantID, categoryID: categoryID, question: item.question, createdBy: person))
        }
        for chunk in stride(from: 0, to: records.count, by: 500) {
            try await records[chunk..<min(chunk + 500, records.count)].create(on: db)
        }
    }

    /// Writes a previewed file's questions, once: the pending import is claimed in the same
    /// transaction, so a second confirmation (a double click, two tabs) writes nothing and
    /// answers nil.
    func confirm(_ pending: PendingQuestionImport, file: QuestionFile, by person: UUID?) async throws -> Imported? {
        let id = try pending.requireID()
        let before = try await scope.query(QuestionCategory.self).count()
        let written = try await scope.db.lockingTransaction { db -> Bool in
            // Only the transaction whose update found the row unclaimed gets it back.
            let claimed = try await db.sql.update(PendingQuestionImport.schema).set("committed_at", to: Date())
                .where("id", .equal, id).where("tenant_id", .equal, scope.tenantID)
                .where("committed_at", .is, SQLLiteral.null).returning("id").all()
            guard !claimed.isEmpty else { return false }
            try await write(file, under: pending.categoryID, by: person, on: db)
            return true
        }
        guard written else { return nil }
        let after = try await scope.query(QuestionCategory.self).count()
        return Imported(questions: file.items.count, categories: after - before)
    }

    /// The questions of `category` and the categories below it (or of the whole bank), with
    /// their paths relative to it, ready for ``QuestionFormat/write(_:)``.
    public func exportItems(from category: UUID?) async throws -> [(category: [String], question: Question)] {
        let folders = try await folders()
        let base = category.flatMap { id in folders.first { $0.id == id } }
        if category != nil, base == nil { throw Abort(.notFound) }
        let included = folders.filter { folder in
            guard let base else { return true }
            return folder.path.starts(with: base.path)
        }
        let ids = included.map(\.id)
        let records = try await scope.query(QuestionRecord.self).filter(\.$categoryID ~~ ids).sort(\.$name).all()
        let byCategory = Dictionary(grouping: records, by: \.categoryID)
        var result: [(category: [String], question: Question)] = []
        for folder in included {
            let relative = Array(folder.path.dropFirst(base.map { $0.path.count - 1 } ?? 0))
            for record in byCategory[folder.id] ?? [] {
                result.append((relative, try record.question()))
            }
        }
        return result
    }
}
