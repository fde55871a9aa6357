import Crypto
import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Vapor

/// Live Q&A's rules: one parser for a session as officers send it; questions taken while the
/// session is not over, at most five from one address per session; one vote per person (or
/// browser) per question, counted in the question's row in the vote's transaction.
public enum LiveQA {
    public struct Draft: Sendable {
        public var topic, official, summary, startsAt, liveURL: String?
        public init() {}
    }

    struct Checked {
        let topic, official, summary, liveURL: String
        let startsAt: Date
    }

    static func check(_ d: Draft) throws -> Checked {
        var p = ProblemList()
        let topic = p.text(d.topic, "topic", max: 200, required: "info.error.qa_topic")
        let official = p.text(d.official, "official", max: 200, required: "info.error.qa_official")
        let summary = p.text(d.summary, "summary", max: 2000)
        let url = p.text(d.liveURL, "live_url", max: 500)
        if !url.isEmpty,
            URL(string: url).map({ ["http", "https"].contains($0.scheme?.lowercased() ?? "") && $0.host != nil })
                != true
        {
            p.add("live_url", "info.error.source_url")
        }
        var startsAt: Date?
        switch LocalDates.parse(d.startsAt, localTime: true) {
        case .success(let date?): startsAt = date
        case .success(nil): p.add("starts_at", "info.error.qa_starts")
        case .failure: p.add("starts_at", "info.error.qa_starts")
        }
        try p.throwIfAny()
        return Checked(topic: topic, official: official, summary: summary, liveURL: url, startsAt: startsAt!)
    }

    public static func add(_ draft: Draft, in scope: TenantScope, now: Date) async throws -> QASession {
        let c = try check(draft)
        let row = QASession()
        (row.id, row.tenantID, row.state, row.createdAt) = (UUID(), scope.tenantID, .upcoming, now)
        fill(row, c, now: now)
        try await scope.db.lockingTransaction { tx in try await row.create(on: tx) }
        return row
    }

    public static func update(_ id: UUID, _ draft: Draft, in scope: TenantScope, now: Date) async throws -> QASession {
        let c = try check(draft)
        return try await scope.db.lockingTransaction { tx in
            guard let row = try await TenantScope(tenantID: scope.tenantID, db: tx).locked(QASession.self, id) else {
                throw Abort(.notFound)
            }
            fill(row, c, now: now)
            try await row.save(on: tx)
            return row
        }
    }

    private static func fill(_ row: QASession, _ c: Checked, now: Date) {
        (row.topic, row.official, row.summary, row.startsAt, row.liveURL, row.updatedAt) =
            (c.topic, c.official, c.summary, c.startsAt, c.liveURL, now)
    }

    /// The host moves the session on (upcoming → live → ended; or back, by mistake).
    public static func set(_ state: QASession.State, of id: UUID, in scope: TenantScope, now: Date) async throws {
        try await scope.db.lockingTransaction { tx in
            guard let row = try await TenantScope(tenantID: scope.tenantID, db: tx).locked(QASession.self, id) else {
                throw Abort(.notFound)
            }
            (row.state, row.updatedAt) = (state, now)
            try await row.save(on: tx)
        }
    }

    static let perSender = 5
    /// Questions a session takes in all, and votes one address may cast for one question (a
    /// carrier's NAT puts many phones behind one address; a script behind one is stopped).
    static let perSession = 1_000
    static let votesPerSender = 20

    /// A citizen's question, while the session takes them.
    public static func ask(
        _ text: String?, name: String?, session: QASession, sender: String, in scope: TenantScope, now: Date
    ) async throws -> QAQuestion {
        var p = ProblemList()
        let text = p.text(text, "question", max: 500, required: "info.error.qa_question")
        let name = p.text(name, "name", max: 80)
        if session.state == .ended { p.add("question", "info.error.qa_ended") }
        try p.throwIfAny()
        return try await scope.db.lockingTransaction { tx in
            let held = TenantScope(tenantID: scope.tenantID, db: tx)
            // The session's row held first: questions to it are counted one after another, and
            // its state is as it is now, not as the page saw it.
            guard let current = try await held.locked(QASession.self, try session.requireID()) else {
                throw Abort(.notFound)
            }
            if current.state == .ended { throw InputError(field: "question", key: "info.error.qa_ended") }
            let asked = held.query(QAQuestion.self).filter(\.$sessionID == (try session.requireID()))
            let sent = try await asked.copy().filter(\.$sender == sender).count()
            guard sent < perSender, try await asked.count() < perSession else {
                throw InputError(
                    field: "question", key: "info.error.qa_too_many", args: ["max": "\(perSender)"],
                    status: .tooManyRequests)
            }
            let row = QAQuestion()
            (row.id, row.tenantID, row.sessionID, row.text, row.name) =
                (UUID(), scope.tenantID, try session.requireID(), text, name)
            (row.votes, row.state, row.answer, row.sender, row.createdAt) = (0, .waiting, "", sender, now)
            try await row.create(on: tx)
            return row
        }
    }

    /// A vote for a question of `session`; false when this voter voted for it already.
    public static func vote(
        for questionID: UUID, of session: QASession, voter: String, sender: String, in scope: TenantScope,
        now: Date
    ) async throws -> Bool {
        guard session.state != .ended else {
            throw InputError(field: "question", key: "info.error.qa_ended", status: .conflict)
        }
        do {
            return try await scope.db.lockingTransaction { tx in
                let held = TenantScope(tenantID: scope.tenantID, db: tx)
                guard
                    let question = try await held.query(QAQuestion.self).filter(\.$id == questionID)
                        .filter(\.$sessionID == session.requireID()).filter(\.$state != .hidden).first()
                else { throw Abort(.notFound) }
                let fromSender = try await held.query(QAVote.self).filter(\.$questionID == questionID)
                    .filter(\.$sender == sender).count()
                guard fromSender < votesPerSender else {
                    throw InputError(field: "question", key: "info.error.qa_votes", status: .tooManyRequests)
                }
                let vote = QAVote()
                (vote.id, vote.tenantID, vote.questionID, vote.voter, vote.sender, vote.createdAt) =
                    (UUID(), scope.tenantID, try question.requireID(), voter, sender, now)
                try await vote.create(on: tx)
                try await tx.sql.raw(
                    """
                    UPDATE \(ident: QAQuestion.schema) SET votes = votes + 1 \
                    WHERE tenant_id = \(bind: scope.tenantID) AND id = \(bind: questionID)
                    """
                ).run()
                return true
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
    }

    /// The host's work on a question: being answered now, answered (with what was said),
    /// hidden, or shown again.
    public enum Move: String, CaseIterable, Sendable { case answering, answered, hide, show }

    public static func host(
        _ move: Move, question questionID: UUID, of session: QASession, answer: String?, in scope: TenantScope
    ) async throws -> QAQuestion {
        var p = ProblemList()
        let answer = p.text(answer, "answer", max: 4000)
        try p.throwIfAny()
        return try await scope.db.lockingTransaction { tx in
            guard let row = try await TenantScope(tenantID: scope.tenantID, db: tx).locked(QAQuestion.self, questionID),
                row.sessionID == (try session.requireID())
            else { throw Abort(.notFound) }
            switch move {
            case .answering: row.state = .answering
            case .answered: (row.state, row.answer) = (.answered, answer.isEmpty ? row.answer : answer)
            case .hide: row.state = .hidden
            case .show: row.state = row.answer.isEmpty ? .waiting : .answered
            }
            try await row.save(on: tx)
            return row
        }
    }

    /// A session's questions, most votes first; the hidden ones only for the host.
    public static func questions(of session: QASession, in scope: TenantScope, host: Bool) async throws -> [QAQuestion]
    {
        var query = scope.query(QAQuestion.self).filter(\.$sessionID == (try session.requireID()))
        if !host { query = query.filter(\.$state != .hidden) }
        return try await query.sort(\.$votes, .descending).sort(\.$createdAt).sort(\.$id).limit(shown).all()
    }

    /// The most questions a session's page and the API list (the most backed).
    static let shown = 200

    /// A sender's keyed hash for the limits: the address (an IPv6 one by its /64, the desk's
    /// rule for reports), per tenant.
    static func sender(_ req: Request, tenant: UUID) async throws -> String {
        let key = try await req.application.secretKeys.key("info.qa", on: req.db)
        return Intake.source(of: req.clientAddress, key: key) + ":" + tenant.uuidString
    }

    /// The sessions, the coming ones first (soonest first), then the past (latest first).
    public static func sessions(
        in scope: TenantScope, now: Date
    ) async throws -> (coming: [QASession], past: [QASession]) {
        let all = try await scope.query(QASession.self).sort(\.$startsAt, .descending).limit(200).all()
        let coming = all.filter { $0.state != .ended }.sorted { $0.startsAt < $1.startsAt }
        return (coming, all.filter { $0.state == .ended })
    }

    /// A keyed hash of `value`: a voter's browser token or a sender's address, never kept plain.
    static func hashed(_ value: String, key: SymmetricKey) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key)).hex
    }
}
