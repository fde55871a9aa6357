import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Tagged
import Vapor

/// A folder of a tenant's question bank. Categories nest (`parent_id`); a question belongs to
/// one, and any of the tenant's courses may draw on it.
public final class QuestionCategory: TenantOwned, @unchecked Sendable {
    public static let schema = "question_categories"
    public static var tenantKey: KeyPath<QuestionCategory, FieldProperty<QuestionCategory, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @OptionalField(key: "parent_id") public var parentID: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "info") public var info: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    /// Fluent's property list, written out (see docs/performance.md); a test checks it.
    public var properties: [any AnyProperty] { [$id, $tenantID, $parentID, $name, $info, $createdAt] }

    init(tenantID: UUID, parentID: UUID?, name: String, info: String = "") {
        self.tenantID = tenantID
        self.parentID = parentID
        self.name = name
        self.info = info
    }
}

/// A question in the bank: the ``Question`` value as JSON, with its kind and name beside it
/// for lists. `version` counts saved changes, so a quiz attempt can tell it was regraded.
public final class QuestionRecord: TenantOwned, @unchecked Sendable {
    public static let schema = "questions"
    public static var tenantKey: KeyPath<QuestionRecord, FieldProperty<QuestionRecord, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "category_id") public var categoryID: UUID
    @Field(key: "kind") public var kind: String
    @Field(key: "name") public var name: String
    @Field(key: "content") public var content: String
    @Field(key: "version") public var version: Int
    @Field(key: "created_by") public var createdBy: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $categoryID, $kind, $name, $content, $version, $createdBy, $createdAt, $updatedAt]
    }

    init(tenantID: UUID, categoryID: UUID, question: Question, createdBy: UUID?) throws {
        self.tenantID = tenantID
        self.categoryID = categoryID
        self.version = 1
        self.createdBy = createdBy
        try set(question)
    }

    /// The question as trainers wrote it.
    public func question() throws -> Question {
        if let kept = Self.decoded.value(content, at: 0) { return kept }
        let question = try JSONDecoder().decode(Question.self, from: Data(content.utf8))
        Self.decoded.keep([content: question], at: 0)
        return question
    }

    /// Questions decoded before, by their JSON text: when a post-test starts for thousands at
    /// once, every start and page reads the same twenty questions, and decoding them was the
    /// largest part of a start. Keyed by the text itself, so an edited question is never given
    /// back as it was.
    private static let decoded = KeptValues<String, Question>(capacity: 5000)

    /// The scope's questions with these ids, in one plain read
    /// (``TenantScope/rows(_:where:order:limit:)``).
    static func byID(_ ids: [UUID], in scope: TenantScope) async throws -> [UUID: QuestionRecord] {
        guard !ids.isEmpty else { return [:] }
        let records = try await scope.rows(QuestionRecord.self, where: "id IN (\(binds: Array(Set(ids))))")
        return Dictionary(
            records.compactMap { record in record.id.map { ($0, record) } }, uniquingKeysWith: { a, _ in a })
    }

    func set(_ question: Question) throws {
        kind = question.kind.rawValue
        name = question.name
        content = String(decoding: try JSONEncoder.sorted.encode(question), as: UTF8.self)
    }
}

extension JSONEncoder {
    /// Keys in a fixed order: the same question is always the same text.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

/// A question file waiting for its preview to be confirmed. Nothing of it is in the bank until
/// then; the file is read again on confirming, so what is written is what was previewed.
public final class PendingQuestionImport: TenantOwned, @unchecked Sendable {
    public static let schema = "question_imports"
    public static var tenantKey: KeyPath<PendingQuestionImport, FieldProperty<PendingQuestionImport, UUID>> {
        \.$tenantID
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "created_by") public var createdBy: UUID
    @Field(key: "format") public var format: String
    @Field(key: "filename") public var filename: String
    @Field(key: "content") public var content: Data
    @OptionalField(key: "category_id") public var categoryID: UUID?
    @OptionalField(key: "committed_at") public var committedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $createdBy, $format, $filename, $content, $categoryID, $committedAt, $createdAt]
    }

    init(tenantID: UUID, createdBy: UUID, format: QuestionFormat, filename: String, content: Data, categoryID: UUID?) {
        self.tenantID = tenantID
        self.createdBy = createdBy
        self.format = format.rawValue
        self.filename = filename
        self.content = content
        self.categoryID = categoryID
    }
}

extension QuestionCategory: PathTag { public static let parameterName = "questionCategoryID" }
public typealias QuestionCategoryID = Tagged<QuestionCategory, UUID>
extension QuestionRecord: PathTag { public static let parameterName = "questionID" }
public typealias QuestionID = Tagged<QuestionRecord, UUID>
extension PendingQuestionImport: PathTag { public static let parameterName = "questionImportID" }
public typealias QuestionImportID = Tagged<PendingQuestionImport, UUID>

/// The two files Moodle exports question banks in.
public enum QuestionFormat: String, Sendable, CaseIterable, Codable {
    case gift
    case moodlexml

    /// Reads a file of this format; nothing is written.
    public func read(_ data: Data) -> QuestionFile {
        switch self {
        case .gift: GIFTReader.read(String(decoding: data, as: UTF8.self))
        case .moodlexml: MoodleXMLReader.read(data)
        }
    }

    public func write(_ items: [(category: [String], question: Question)]) -> String {
        switch self {
        case .gift: GIFTWriter.write(items)
        case .moodlexml: MoodleXMLWriter.write(items)
        }
    }

    public var fileExtension: String { self == .gift ? "gift.txt" : "xml" }
    public var mediaType: String { self == .gift ? "text/plain; charset=utf-8" : "application/xml; charset=utf-8" }
}

/// The bank's tables. Keys and indexes lead with `tenant_id`.
package struct CreateQuestionBank: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(QuestionCategory.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("parent_id", .uuid, .references(QuestionCategory.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("info", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.sql.create(index: "question_categories_tenant_idx").on(QuestionCategory.schema)
            .column("tenant_id").column("parent_id").run()
        try await db.schema(QuestionRecord.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("category_id", .uuid, .required, .references(QuestionCategory.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("content", .string, .required)
            .field("version", .int, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await db.sql.create(index: "questions_tenant_category_idx").on(QuestionRecord.schema)
            .column("tenant_id").column("category_id").column("name").run()
        try await db.schema(PendingQuestionImport.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("created_by", .uuid, .required)
            .field("format", .string, .required)
            .field("filename", .string, .required)
            .field("content", .data, .required)
            .field("category_id", .uuid, .references(QuestionCategory.schema, "id", onDelete: .cascade))
            .field("committed_at", .datetime)
            .field("created_at", .datetime)
            .create()
        try await db.sql.create(index: "question_imports_tenant_idx").on(PendingQuestionImport.schema)
            .column("tenant_id").column("created_at").run()
    }

    package func revert(on db: any Database) async throws {
        try await db.schema(PendingQuestionImport.schema).delete()
        try await db.schema(QuestionRecord.schema).delete()
        try await db.schema(QuestionCategory.schema).delete()
    }
}
