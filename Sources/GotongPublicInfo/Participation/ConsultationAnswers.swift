import Fluent
import Foundation
import GotongEvaluation
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Taking answers while a consultation is open — one per person, checked before anything is
/// written — moderating comments, and counting what was said.
public enum ConsultationAnswers {
    /// The questions of a survey, in order; none for the others.
    static func items(of row: Consultation, in scope: TenantScope) async throws -> [EvaluationItem] {
        guard row.kind == .survei, let form = row.formID else { return [] }
        return try await scope.query(EvaluationItem.self).filter(\.$formID == form).sort(\.$position).all()
    }

    /// A poll's choice (`pilihan`) or a survey's answers (`q-{item}` fields), from `voter`.
    public static func answer(
        _ row: Consultation, values: [String: String], voter: String, in scope: TenantScope, now: Date
    ) async throws {
        try requireOpen(row, now: now)
        let id = try row.requireID()
        let response = UUID()
        var answers: [(item: UUID?, number: Int?, text: String)] = []
        switch row.kind {
        case .jajak:
            guard let choice = values["pilihan"].flatMap(WholeNumber.parse), (1...row.choices.count).contains(choice)
            else {
                throw InputError(field: "pilihan", key: "info.error.consultation_choice")
            }
            answers = [(nil, choice, "")]
        case .survei:
            let items = try await items(of: row, in: scope)
            answers = try AnswerSheet(form: values, items: items).checked(against: items, response: response).map {
                ($0.itemID, $0.number, $0.text)
            }
        case .konsultasi:
            throw Abort(.notFound)
        }
        let taken = answers
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            // The consultation held until commit: one person's two answers at once are one.
            guard try await scope.locked(Consultation.self, id) != nil else { throw Abort(.notFound) }
            guard try await !hasAnswered(voter, row, in: scope) else {
                throw InputError(field: "consultation", key: "info.error.consultation_answered", status: .conflict)
            }
            let made = ConsultationResponse()
            (made.id, made.tenantID, made.consultationID, made.voter, made.createdAt) =
                (response, scope.tenantID, id, voter, now)
            try await made.create(on: tx)
            for answer in taken {
                let item = ConsultationAnswer()
                (item.tenantID, item.consultationID, item.responseID) = (scope.tenantID, id, response)
                (item.itemID, item.number, item.text) = (answer.item, answer.number, answer.text)
                try await item.create(on: tx)
            }
        }
    }

    /// A comment on a section of a draft, waiting for an officer; one a section per person.
    public static func comment(
        _ row: Consultation, section sectionID: UUID?, name: String?, text: String?, voter: String,
        in scope: TenantScope, now: Date
    ) async throws -> ConsultationComment {
        try requireOpen(row, now: now)
        var p = ProblemList()
        let name = p.text(name, "name", max: 80)
        let text = p.text(text, "text", max: 2000, required: "info.error.consultation_comment")
        try p.throwIfAny()
        let id = try row.requireID()
        guard row.kind == .konsultasi, let sectionID,
            let section = try await scope.find(ConsultationSection.self, sectionID), section.consultationID == id
        else { throw Abort(.notFound) }
        return try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            guard try await scope.locked(Consultation.self, id) != nil else { throw Abort(.notFound) }
            guard
                try await scope.query(ConsultationComment.self).filter(\.$sectionID == sectionID)
                    .filter(\.$voter == voter).count() == 0
            else { throw InputError(field: "text", key: "info.error.consultation_commented", status: .conflict) }
            let made = ConsultationComment()
            (made.tenantID, made.consultationID, made.sectionID, made.voter) = (scope.tenantID, id, sectionID, voter)
            (made.name, made.text, made.state, made.createdAt) = (name, text, .menunggu, now)
            try await made.create(on: tx)
            return made
        }
    }

    /// An officer lets a comment through or turns it down.
    public static func moderate(
        _ commentID: UUID, of row: Consultation, to state: ConsultationComment.State, in scope: TenantScope, now: Date
    ) async throws -> ConsultationComment {
        try await scope.db.lockingTransaction { tx in
            guard
                let comment = try await TenantScope(tenantID: scope.tenantID, db: tx).locked(
                    ConsultationComment.self, commentID), comment.consultationID == row.id
            else { throw Abort(.notFound) }
            (comment.state, comment.moderatedAt) = (state, now)
            try await comment.save(on: tx)
            return comment
        }
    }

    /// Whether `voter` already answered (a poll or survey).
    static func hasAnswered(_ voter: String?, _ row: Consultation, in scope: TenantScope) async throws -> Bool {
        guard let voter, let id = row.id else { return false }
        return try await scope.query(ConsultationResponse.self).filter(\.$consultationID == id)
            .filter(\.$voter == voter).count() > 0
    }

    private static func requireOpen(_ row: Consultation, now: Date) throws {
        guard row.phase(at: now) == .open else {
            throw InputError(field: "consultation", key: "info.error.consultation_not_open", status: .conflict)
        }
    }

}

/// What people said, counted: a poll's choices; each survey question's points or choices (and
/// how many wrote text); each section's comments shown and waiting.
public struct ConsultationResults: Sendable {
    public struct Bars: Sendable {
        public let prompt: String
        public let labels: [String]
        public let counts: [Int]
        /// How many answered in words (a text question): the words stay with the officers.
        public let texts: Int
        /// Those words (at most 200), for the officers' page only.
        public var words: [String] = []
        public var total: Int { counts.reduce(0, +) }
    }

    public let responses: Int
    /// A survey's questions, read once for the page's form and its counts.
    public let items: [EvaluationItem]
    public let questions: [Bars]
    public let sections: [ConsultationSection]
    public let comments: [UUID: [ConsultationComment]]

    /// The counts (`counts`: a poll's or survey's, when they are to be shown), counted by the
    /// database in groups, never row by row; with `words`, up to 200 written answers a question
    /// (the officers' page).
    static func of(
        _ row: Consultation, in scope: TenantScope, texts t: Texts, counts: Bool = true, words: Bool = false
    ) async throws -> ConsultationResults {
        let id = try row.requireID()
        let items = try await ConsultationAnswers.items(of: row, in: scope)
        var responses = 0
        var questions: [Bars] = []
        if counts, row.kind != .konsultasi {
            responses = try await scope.query(ConsultationResponse.self).filter(\.$consultationID == id).count()
            let tally = try await groups(of: id, in: scope)
            switch row.kind {
            case .jajak:
                questions = [bars(row.title, labels: row.choices, tally[nil] ?? [:])]
            case .survei:
                for item in items {
                    let mine = tally[item.id] ?? [:]
                    let labels =
                        item.kind.scale.map { points in
                            QuestionsHTML.scaleWords(points, t).enumerated().map { "\($0.offset + 1) — \($0.element)" }
                        } ?? item.choices
                    guard item.kind.isText else {
                        questions.append(bars(item.prompt, labels: labels, mine))
                        continue
                    }
                    let written =
                        words
                        ? try await scope.query(ConsultationAnswer.self).filter(\.$consultationID == id)
                            .filter(\.$itemID == item.id)
                            .filter(\.$number == nil).limit(200).all(\.$text) : []
                    questions.append(
                        Bars(prompt: item.prompt, labels: [], counts: [], texts: mine[nil] ?? 0, words: written))
                }
            case .konsultasi: break
            }
        }
        var sections: [ConsultationSection] = []
        var comments: [UUID: [ConsultationComment]] = [:]
        if row.kind == .konsultasi {
            sections = try await scope.query(ConsultationSection.self).filter(\.$consultationID == id)
                .sort(\.$position).all()
            comments = Dictionary(
                grouping: try await scope.query(ConsultationComment.self).filter(\.$consultationID == id)
                    .sort(\.$createdAt).all(), by: \.sectionID)
        }
        return ConsultationResults(
            responses: responses, items: items, questions: questions, sections: sections, comments: comments)
    }

    /// How many answers each question (nil: the poll) has of each number (nil: text).
    private static func groups(of id: UUID, in scope: TenantScope) async throws -> [UUID?: [Int?: Int]] {
        struct Group: Decodable {
            var item_id: UUID?
            var number: Int?
            var n: Int
        }
        let rows = try await scope.db.sql.raw(
            """
            SELECT item_id, number, COUNT(*) AS n FROM \(ident: ConsultationAnswer.schema) \
            WHERE tenant_id = \(bind: scope.tenantID) AND consultation_id = \(bind: id) GROUP BY item_id, number
            """
        ).all(decoding: Group.self)
        var tally: [UUID?: [Int?: Int]] = [:]
        for row in rows { tally[row.item_id, default: [:]][row.number] = row.n }
        return tally
    }

    private static func bars(_ prompt: String, labels: [String], _ tally: [Int?: Int]) -> Bars {
        Bars(
            prompt: prompt, labels: labels, counts: labels.indices.map { tally[$0 + 1] ?? 0 }, texts: 0)
    }
}
