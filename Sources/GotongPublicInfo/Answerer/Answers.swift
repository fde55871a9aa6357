import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import NIOConcurrencyHelpers
import Tagged
import SQLKit
import Vapor

/// The answerer's reply to a question, as the desk page, the API and the channels give it:
/// the services found, each with the facts the question asks for, and whether it is sure.
public struct Answers: Sendable {
    public struct Item: Sendable, Equatable {
        public let service: ServiceFacts
        public let score: Double
        /// The facts asked for, in a few lines of plain text.
        public let text: String
        /// The service's public page.
        public let path: String
    }

    public let question: String
    public let items: [Item]
    public let confident: Bool

    /// The longest question read: a question is a sentence or two, and every word is looked up.
    public static let maxQuestion = 500

    /// Answers `question` from the tenant's catalogue; a question it is not sure of is kept for
    /// the officers (``Unanswered``).
    public static func of(
        _ question: String, slug: Param<TenantSlug>, catalogue: Catalogue, texts t: Texts
    ) -> Answers {
        let result = catalogue.index.answer(question)
        let items = result.hits.map { hit in
            let service = catalogue.index.services[hit.service]
            return Item(
                service: service, score: (hit.score * 100).rounded() / 100,
                text: text(service, hit: hit, intent: result.intent, t),
                path: InfoRoute.service(slug, .value(.init(service.slug))).path)
        }
        return Answers(question: question, items: items, confident: result.confident)
    }

    /// The facts of `service` that `intent` asks for; an FAQ entry that matches the question
    /// comes first.
    static func text(_ service: ServiceFacts, hit: AnswerIndex.Hit, intent: Intent, _ t: Texts) -> String {
        var lines: [String] = []
        if let faq = hit.faq { lines.append(service.faq[faq].answer) }
        switch intent {
        case .requirements where !service.requirements.isEmpty:
            lines.append(t("info.answer.requirements"))
            lines += service.requirements.map { "• " + $0 }
        case .steps where !service.steps.isEmpty:
            lines.append(t("info.answer.steps"))
            lines += service.steps.enumerated().map { "\($0.offset + 1). " + $0.element }
        case .places where !service.places.isEmpty:
            lines += service.places.map { place in
                [place.name, place.address, place.hours].filter { !$0.isEmpty }.joined(separator: " — ")
            }
        case .fee:
            lines.append(
                t("info.answer.fee", ["fee": service.fee(t("info.service.free")) ?? t("info.service.fee_depends")]))
        case .duration where !service.duration.isEmpty:
            lines.append(t("info.answer.duration", ["duration": service.duration]))
        case .legal where !service.legalBasis.isEmpty:
            lines.append(t("info.answer.legal", ["legal": service.legalBasis]))
        default:
            if lines.isEmpty { lines.append(service.summary) }
        }
        return lines.joined(separator: "\n")
    }
}

/// The questions the answerer was not sure of, counted per question, for officers to answer
/// with an FAQ entry.
public enum Unanswered {
    /// The question's key: its words, lower-case, one space apart (at most 200 characters).
    static func key(_ question: String) -> String {
        String(IndonesianStemmer.words(question).joined(separator: " ").prefix(200))
    }

    /// The most questions a tenant's list keeps. When it is full, the least asked (then the
    /// oldest) question goes to make room; a question not asked for 180 days goes anyway: the
    /// list is of what citizens ask now, and their words may hold personal details.
    static let capacity = 5_000
    static let kept: TimeInterval = 180 * 86_400

    /// Counts `question` once more (one statement: two at once both count).
    public static func record(_ question: String, in scope: TenantScope, now: Date) async throws {
        let key = key(question)
        guard !key.isEmpty else { return }
        let text = String(question.cleanedText.prefix(Answers.maxQuestion))
        try await scope.query(InfoUnanswered.self).filter(\.$lastAt < now.addingTimeInterval(-kept)).delete()
        if try await scope.query(InfoUnanswered.self).count() >= capacity,
            try await scope.query(InfoUnanswered.self).filter(\.$key == key).count() == 0,
            let least = try await scope.query(InfoUnanswered.self).sort(\.$asked).sort(\.$lastAt).first()
        {
            try await least.delete(on: scope.db)
        }
        try await scope.db.sql.raw(
            """
            INSERT INTO \(ident: InfoUnanswered.schema) \
            (id, tenant_id, question_key, question, asked, first_at, last_at) VALUES (\(bind: UUID()), \
            \(bind: scope.tenantID), \(bind: key), \(bind: text), 1, \(bind: now), \(bind: now)) \
            ON CONFLICT (tenant_id, question_key) DO UPDATE SET \
            asked = \(ident: InfoUnanswered.schema).asked + 1, question = \(bind: text), last_at = \(bind: now)
            """
        ).run()
    }

    /// Counts a question asked on the public site, at most ``perSender`` an hour from one
    /// address (kept by a keyed hash, in this process): the answerer is public, and a robot or
    /// another site's page must not fill the officers' list.
    public static func record(_ question: String, from req: Request, in scope: TenantScope) async throws {
        let now = req.application.clock.now()
        let sender = "\(scope.tenantID):\(req.clientAddress)"
        guard req.application.unansweredSenders.allow(sender, now: now, most: perSender) else { return }
        try await record(question, in: scope, now: now)
    }

    static let perSender = 20

    /// The most asked first, then the latest; a page of them.
    public static func list(
        _ scope: TenantScope, page: Int, per: Int = 50
    ) async throws -> (
        [InfoUnanswered], PageWindow
    ) {
        let total = try await scope.query(InfoUnanswered.self).count()
        let window = PageWindow(requested: page, per: per, total: total)
        let rows = try await scope.query(InfoUnanswered.self).sort(\.$asked, .descending).sort(\.$lastAt, .descending)
            .range(window.range).all()
        return (rows, window)
    }

    /// Takes a question off the list (answered elsewhere, or not a question for the catalogue).
    public static func dismiss(_ id: UUID, in scope: TenantScope) async throws -> InfoUnanswered {
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            guard let row = try await scope.find(InfoUnanswered.self, id) else { throw Abort(.notFound) }
            try await row.delete(on: tx)
            return row
        }
    }
}

/// How many questions each sender had counted this hour, in this process.
final class SenderCounts: Sendable {
    private let counts = NIOLockedValueBox([String: (hour: Int, count: Int)]())

    func allow(_ sender: String, now: Date, most: Int) -> Bool {
        let hour = Int(now.timeIntervalSince1970 / 3600)
        return counts.withLockedValue { counts in
            if counts.count > 100_000 { counts.removeAll(keepingCapacity: true) }
            let held = counts[sender].flatMap { $0.hour == hour ? $0.count : nil } ?? 0
            guard held < most else { return false }
            counts[sender] = (hour, held + 1)
            return true
        }
    }
}

extension Application {
    private struct SenderCountsKey: StorageKey { typealias Value = SenderCounts }

    var unansweredSenders: SenderCounts {
        if let kept = storage[SenderCountsKey.self] { return kept }
        let made = SenderCounts()
        storage[SenderCountsKey.self] = made
        return made
    }
}
