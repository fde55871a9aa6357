import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit

/// Level 1 of a course in one run (the participants who finished it in a year): per question
/// the distribution and average, the comments, the response rate, per trainer the same; and
/// the averages of every run, to compare them. Answers are counted in the database; only the
/// counts travel.
public struct LevelOneResults: Sendable {
    public struct Question: Sendable {
        public let item: EvaluationItem
        /// How many chose each point or choice, 1 first.
        public let counts: [Int]
        /// The comments of a text question, newest first.
        public let texts: [String]

        public var answered: Int { item.kind.isText ? texts.count : counts.reduce(0, +) }
        /// The mean point of a scale question.
        public var average: Double? {
            guard item.kind.scale != nil, answered > 0 else { return nil }
            return Double(counts.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }) / Double(answered)
        }
    }

    /// One form's results: the course's, or one trainer's.
    public struct Part: Sendable {
        public let form: EvaluationForm
        public let trainer: LevelOne.Trainer?
        public let responses: Int
        public let questions: [Question]

        /// The mean of its scale answers (nil: none).
        public var average: Double? {
            let scored = questions.filter { $0.average != nil }
            let n = scored.reduce(0) { $0 + $1.answered }
            guard n > 0 else { return nil }
            return scored.reduce(0) { $0 + ($1.average ?? 0) * Double($1.answered) } / Double(n)
        }
    }

    /// A run's averages, to compare runs of the course.
    public struct Run: Sendable {
        public let year: Int
        public let finished: Int
        public let responses: Int
        public let courseAverage: Double?
        public let trainerAverage: Double?
    }

    public let year: Int
    /// Participants who finished the course in the year, and those of them who answered (any of
    /// the forms read).
    public let finished: Int
    public let responded: Int
    public let parts: [Part]
    public let runs: [Run]

    public var responseRate: Double? { finished > 0 ? Double(responded) / Double(finished) : nil }
}

extension LevelOneResults {
    /// Comments shown per question: the newest this many.
    static let commentLimit = 100

    /// `purposes`: level 1's forms by default; level 3's (follow-up and supervisor) are read
    /// the same way.
    public static func load(
        _ scope: TenantScope, course: UUID, year: Int,
        purposes: [EvaluationForm.Purpose] = [.course, .trainer]
    ) async throws -> LevelOneResults {
        let db = scope.db
        let responses = try await scope.query(EvaluationResponse.self).filter(\.$courseID == course)
            .filter(\.$purpose ~~ purposes).all()
        let finishedYears = try await scope.query(Enrolment.self).filter(\.$courseID == course)
            .filter(\.$status == .completed).field(\.$completedAt).all().compactMap(\.completedAt)
            .map { LocalDates.year(of: $0) }
        let ofYear = responses.filter { $0.year == year }
        let formIDs = Array(Set(ofYear.map(\.formID)))
        let forms = Dictionary(
            try await scope.query(EvaluationForm.self).filter(\.$id ~~ formIDs).all().map { ($0.id!, $0) },
            uniquingKeysWith: { a, _ in a })
        let items = Dictionary(
            grouping: try await scope.query(EvaluationItem.self).filter(\.$formID ~~ formIDs).sort(\.$position).all(),
            by: \.formID)
        let counts = try await Self.counts(scope, course: course, year: year, forms: formIDs)
        let texts = try await Self.texts(scope, course: course, year: year, forms: formIDs)
        let trainerIDs = Set(ofYear.filter { $0.purpose == .trainer }.map(\.trainerID))
        let trainerNames = Dictionary(
            try await Person.query(on: db).filter(\.$id ~~ Array(trainerIDs)).all().map { ($0.id!, $0.name) },
            uniquingKeysWith: { a, _ in a })
        // One part per form and trainer, the course's first, trainers by name.
        let keys = Set(ofYear.map { PartKey(form: $0.formID, trainer: $0.trainerID) })
        let parts: [Part] = keys.compactMap { key in
            guard let form = forms[key.form] else { return nil }
            let trainer =
                key.trainer == EvaluationResponse.noTrainer
                ? nil : LevelOne.Trainer(id: key.trainer, name: trainerNames[key.trainer] ?? "—")
            let questions = (items[key.form] ?? []).map { item in
                let width = item.kind.scale ?? item.choices.count
                var row = [Int](repeating: 0, count: max(0, width))
                for (number, n) in counts[CountKey(trainer: key.trainer, item: item.id!)] ?? [:]
                where number >= 1 && number <= width {
                    row[number - 1] = n
                }
                return Question(
                    item: item, counts: row, texts: texts[CountKey(trainer: key.trainer, item: item.id!)] ?? [])
            }
            let answered = ofYear.filter { $0.formID == key.form && $0.trainerID == key.trainer }.count
            return Part(form: form, trainer: trainer, responses: answered, questions: questions)
        }.sorted { ($0.trainer?.name ?? "") < ($1.trainer?.name ?? "") }
        let runs = try await Self.runs(scope, course: course, responses: responses, finishedYears: finishedYears)
        return LevelOneResults(
            year: year, finished: finishedYears.filter { $0 == year }.count,
            responded: Set(ofYear.map(\.participantID)).count, parts: parts, runs: runs)
    }

    struct PartKey: Hashable {
        let form: UUID
        let trainer: UUID
    }

    struct CountKey: Hashable {
        let trainer: UUID
        let item: UUID
    }

    /// How many answers took each point or choice, per trainer (or none) and question.
    static func counts(
        _ scope: TenantScope, course: UUID, year: Int, forms: [UUID]
    ) async throws -> [CountKey: [Int: Int]] {
        guard !forms.isEmpty else { return [:] }
        struct Row: Decodable {
            let trainer_id: UUID
            let item_id: UUID
            let number: Int
            let n: Int
        }
        let rows = try await scope.db.sql.raw(
            """
            SELECT r.trainer_id, a.item_id, a.number, COUNT(*) AS n FROM \(ident: EvaluationAnswer.schema) a \
            JOIN \(ident: EvaluationResponse.schema) r ON r.id = a.response_id \
            WHERE r.tenant_id = \(bind: scope.tenantID) AND r.course_id = \(bind: course) AND r.year = \(bind: year) \
            AND r.form_id IN (\(binds: forms)) AND a.number IS NOT NULL GROUP BY r.trainer_id, a.item_id, a.number
            """
        ).all(decoding: Row.self)
        var counts: [CountKey: [Int: Int]] = [:]
        for row in rows {
            counts[CountKey(trainer: row.trainer_id, item: row.item_id), default: [:]][row.number] = row.n
        }
        return counts
    }

    /// The newest comments of each text question.
    static func texts(_ scope: TenantScope, course: UUID, year: Int, forms: [UUID]) async throws -> [CountKey: [String]]
    {
        guard !forms.isEmpty else { return [:] }
        struct Row: Decodable {
            let trainer_id: UUID
            let item_id: UUID
            let text: String
        }
        let rows = try await scope.db.sql.raw(
            """
            SELECT r.trainer_id, a.item_id, a.text FROM \(ident: EvaluationAnswer.schema) a \
            JOIN \(ident: EvaluationResponse.schema) r ON r.id = a.response_id \
            WHERE r.tenant_id = \(bind: scope.tenantID) AND r.course_id = \(bind: course) AND r.year = \(bind: year) \
            AND r.form_id IN (\(binds: forms)) AND a.number IS NULL AND a.text <> '' ORDER BY r.submitted_at DESC
            """
        ).all(decoding: Row.self)
        var texts: [CountKey: [String]] = [:]
        for row in rows {
            let key = CountKey(trainer: row.trainer_id, item: row.item_id)
            if texts[key, default: []].count < commentLimit { texts[key, default: []].append(row.text) }
        }
        return texts
    }

    /// Every run's averages of the scale answers, course form and trainer forms apart.
    static func runs(
        _ scope: TenantScope, course: UUID, responses: [EvaluationResponse], finishedYears: [Int]
    ) async throws -> [Run] {
        // (SUM of PostgreSQL's bigint is numeric: cast back to a whole number.)
        struct Row: Decodable {
            let year: Int
            let purpose: String
            let total: Int
            let n: Int
        }
        let rows = try await scope.db.sql.raw(
            """
            SELECT r.year, r.purpose, CAST(SUM(a.number) AS BIGINT) AS total, COUNT(*) AS n \
            FROM \(ident: EvaluationAnswer.schema) a \
            JOIN \(ident: EvaluationResponse.schema) r ON r.id = a.response_id \
            JOIN \(ident: EvaluationItem.schema) i ON i.id = a.item_id \
            WHERE r.tenant_id = \(bind: scope.tenantID) AND r.course_id = \(bind: course) \
            AND i.kind IN ('likert4', 'likert5') GROUP BY r.year, r.purpose
            """
        ).all(decoding: Row.self)
        let years = Set(responses.map(\.year)).union(finishedYears)
        return years.sorted(by: >).map { year in
            func average(_ purpose: EvaluationForm.Purpose) -> Double? {
                rows.first { $0.year == year && $0.purpose == purpose.rawValue }.map { Double($0.total) / Double($0.n) }
            }
            return Run(
                year: year, finished: finishedYears.filter { $0 == year }.count,
                responses: Set(responses.filter { $0.year == year }.map(\.participantID)).count,
                courseAverage: average(.course), trainerAverage: average(.trainer))
        }
    }
}
