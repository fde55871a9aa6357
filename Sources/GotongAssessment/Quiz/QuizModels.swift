import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Tagged
import Vapor

/// One place in a quiz: a question of the bank, or `count` questions drawn at random from a
/// category (and those below it) when an attempt starts. `mark` is each question's points.
public final class QuizSlot: TenantOwned, @unchecked Sendable {
    public static let schema = "quiz_slots"
    public static var tenantKey: KeyPath<QuizSlot, FieldProperty<QuizSlot, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "activity_id") public var activityID: UUID
    @Field(key: "position") public var position: Int
    @OptionalField(key: "question_id") public var questionID: UUID?
    @OptionalField(key: "category_id") public var categoryID: UUID?
    @Field(key: "count") public var count: Int
    @Field(key: "mark") public var mark: Double

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $activityID, $position, $questionID, $categoryID, $count, $mark]
    }

    init(
        tenantID: UUID, activityID: UUID, position: Int, questionID: UUID?, categoryID: UUID?, count: Int, mark: Double
    ) {
        self.tenantID = tenantID
        self.activityID = activityID
        self.position = position
        self.questionID = questionID
        self.categoryID = categoryID
        self.count = count
        self.mark = mark
    }
}

/// One go at a quiz by one person. Its questions, their order and the order of their answers
/// are fixed when it starts (``layout``). Time runs by the server's clock: `deadline` is when
/// it closes whether or not the learner is there.
public final class QuizAttempt: TenantOwned, @unchecked Sendable {
    public static let schema = "quiz_attempts"
    public static var tenantKey: KeyPath<QuizAttempt, FieldProperty<QuizAttempt, UUID>> { \.$tenantID }

    public enum State: String, Codable, Sendable {
        /// Being answered.
        case open
        /// Handed in (by the learner, or closed at its time limit) and marked, perhaps waiting
        /// for a person to grade its essays.
        case finished
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "course_id") public var courseID: UUID
    @Field(key: "activity_id") public var activityID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "number") public var number: Int
    @Enum(key: "state") public var state: State
    @Field(key: "layout") public var layoutJSON: String
    @Field(key: "started_at") public var startedAt: Date
    @OptionalField(key: "deadline") public var deadline: Date?
    @OptionalField(key: "finished_at") public var finishedAt: Date?
    /// Who handed it in: `learner`, or `timer` when its time ran out.
    @OptionalField(key: "finished_by") public var finishedBy: String?
    @OptionalField(key: "score") public var score: Double?
    @Field(key: "max_score") public var maxScore: Double
    /// Essays not graded yet: the score is not final.
    @Field(key: "needs_grading") public var needsGrading: Bool

    public init() {}

    public var properties: [any AnyProperty] {
        [
            $id, $tenantID, $courseID, $activityID, $personID, $number, $state, $layoutJSON, $startedAt, $deadline,
            $finishedAt, $finishedBy, $score, $maxScore, $needsGrading,
        ]
    }

    /// The attempt's score in percent of its maximum, once finished.
    public var percent: Double? { Self.percent(score: score, maxScore: maxScore) }

    /// A score as a percentage of the attempt's most; nil before it is marked.
    static func percent(score: Double?, maxScore: Double) -> Double? {
        guard let score, maxScore > 0 else { return nil }
        return score / maxScore * 100
    }

    var layout: AttemptLayout {
        get {
            if let kept = keptLayout, kept.json == layoutJSON { return kept.layout }
            let layout =
                (try? JSONDecoder().decode(AttemptLayout.self, from: Data(layoutJSON.utf8))) ?? AttemptLayout(items: [])
            keptLayout = (layoutJSON, layout)
            return layout
        }
        set {
            layoutJSON = String(decoding: (try? JSONEncoder.sorted.encode(newValue)) ?? Data("{}".utf8), as: UTF8.self)
            keptLayout = (layoutJSON, newValue)
        }
    }

    /// The layout as last decoded, with the text it came from: a request reads it several
    /// times (the ticket, the questions, the summary), and it is decoded once.
    private var keptLayout: (json: String, layout: AttemptLayout)?
}

/// The questions of one attempt, in the order shown, each with its points and the order its
/// answers are shown in (indices into the question's own list).
struct AttemptLayout: Codable, Equatable, Sendable {
    struct Item: Codable, Equatable, Sendable {
        var question: UUID
        /// The question's version when the attempt started.
        var version: Int
        var mark: Double
        /// Multiple choice and matching: the order of the answers (or of matching's choices).
        var order: [Int]
    }

    var items: [Item]
}

/// A learner's answer to one question of an attempt, saved the moment it is given; and, once
/// the attempt is finished, what it earned (`fraction` nil: waiting for a grader).
public final class QuizAnswer: TenantOwned, @unchecked Sendable {
    public static let schema = "quiz_answers"
    public static var tenantKey: KeyPath<QuizAnswer, FieldProperty<QuizAnswer, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Field(key: "attempt_id") public var attemptID: UUID
    /// The question's place in the attempt's layout, from 0.
    @Field(key: "slot") public var slot: Int
    @Field(key: "response") public var responseJSON: String
    @Field(key: "saved_at") public var savedAt: Date
    @OptionalField(key: "fraction") public var fraction: Double?
    /// A grader's comment (essays).
    @OptionalField(key: "comment") public var comment: String?

    public init() {}

    public var properties: [any AnyProperty] {
        [$id, $tenantID, $attemptID, $slot, $responseJSON, $savedAt, $fraction, $comment]
    }

    var response: QuestionResponse { Self.response(from: responseJSON) }

    /// An answer's stored text as a response; an unreadable one as no answer.
    static func response(from json: String) -> QuestionResponse {
        (try? JSONDecoder().decode(QuestionResponse.self, from: Data(json.utf8))) ?? QuestionResponse()
    }
}

extension QuizAttempt: PathTag { public static let parameterName = "attemptID" }
public typealias AttemptID = Tagged<QuizAttempt, UUID>

/// The quiz's tables, made after Learning's (the activity type's migration).
struct CreateQuizzes: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(QuizSlot.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("activity_id", .uuid, .required, .references("activities", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("question_id", .uuid, .references(QuestionRecord.schema, "id", onDelete: .restrict))
            .field("category_id", .uuid, .references(QuestionCategory.schema, "id", onDelete: .restrict))
            .field("count", .int, .required)
            .field("mark", .double, .required)
            .create()
        try await db.sql.create(index: "quiz_slots_activity_idx").on(QuizSlot.schema)
            .column("tenant_id").column("activity_id").column("position").run()
        try await db.schema(QuizAttempt.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("course_id", .uuid, .required)
            .field("activity_id", .uuid, .required, .references("activities", "id", onDelete: .cascade))
            .field("person_id", .uuid, .required)
            .field("number", .int, .required)
            .field("state", .string, .required)
            .field("layout", .string, .required)
            .field("started_at", .datetime, .required)
            .field("deadline", .datetime)
            .field("finished_at", .datetime)
            .field("finished_by", .string)
            .field("score", .double)
            .field("max_score", .double, .required)
            .field("needs_grading", .bool, .required)
            // One attempt of each number per person: two starts at once cannot make two.
            .unique(on: "activity_id", "person_id", "number")
            .create()
        try await db.sql.create(index: "quiz_attempts_person_idx").on(QuizAttempt.schema)
            .column("tenant_id").column("activity_id").column("person_id").run()
        try await db.schema(QuizAnswer.schema)
            .id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("attempt_id", .uuid, .required, .references(QuizAttempt.schema, "id", onDelete: .cascade))
            .field("slot", .int, .required)
            .field("response", .string, .required)
            .field("saved_at", .datetime, .required)
            .field("fraction", .double)
            .field("comment", .string)
            .unique(on: "attempt_id", "slot")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(QuizAnswer.schema).delete()
        try await db.schema(QuizAttempt.schema).delete()
        try await db.schema(QuizSlot.schema).delete()
    }
}
