import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// A quiz's slots and the bank's questions, kept per process while the quiz version holds:
/// when thousands start the same post-test, every start, page and hand-in read the same slots
/// and the same twenty questions, and those reads were round trips that waited on busy event
/// loops. Every Fluent write of a slot, and every change or deletion of a question, raises the
/// version (``ModelChangeMiddleware``) in any process; a new question is in no slot and no
/// drawn attempt yet, so its creation does not. Random slots still read their category's
/// questions when an attempt is drawn.
///
/// Values, not models: requests share them.
final class KeptQuizzes: Sendable {
    let version = ContentVersion(name: "quizzes")
    /// A slot list is a few hundred bytes.
    private let slots = KeptValues<UUID, (tenantID: UUID, slots: [Slot])>(capacity: 5000)
    /// A question is one to a few kilobytes: 20,000 of them are some tens of megabytes.
    private let questions = KeptValues<UUID, KeptQuestion>(capacity: 20_000)

    /// A slot of the quiz, as an attempt is drawn from it.
    struct Slot: Sendable {
        let questionID: UUID?
        let categoryID: UUID?
        let count: Int
        let mark: Double
    }

    /// A question of the bank as attempts show and mark it.
    struct KeptQuestion: Sendable {
        let tenantID: UUID
        let version: Int
        let question: Question
    }

    /// The quiz's slots in order.
    func slots(of activity: UUID, in scope: TenantScope) async throws -> [Slot] {
        let version = try await version.current(on: scope.db)
        if let kept = slots.value(activity, at: version), kept.tenantID == scope.tenantID { return kept.slots }
        let read = try await scope.rows(QuizSlot.self, where: "activity_id = \(bind: activity)", order: "position")
            .map { Slot(questionID: $0.questionID, categoryID: $0.categoryID, count: $0.count, mark: $0.mark) }
        slots.keep([activity: (scope.tenantID, read)], at: version)
        return read
    }

    /// These questions of the scope's tenant, by id; one read for those not kept (a question of
    /// another tenant is never given, kept or not). A question whose stored text does not
    /// decode is left out, as attempts have always left it out.
    func questions(_ ids: [UUID], in scope: TenantScope) async throws -> [UUID: KeptQuestion] {
        let version = try await version.current(on: scope.db)
        var found: [UUID: KeptQuestion] = [:]
        var missing: [UUID] = []
        for id in Set(ids) {
            if let kept = questions.value(id, at: version), kept.tenantID == scope.tenantID {
                found[id] = kept
            } else {
                missing.append(id)
            }
        }
        guard !missing.isEmpty else { return found }
        var read: [UUID: KeptQuestion] = [:]
        for (id, record) in try await QuestionRecord.byID(missing, in: scope) {
            guard let question = try? record.question() else { continue }
            read[id] = KeptQuestion(tenantID: record.tenantID, version: record.version, question: question)
        }
        questions.keep(read, at: version)
        return found.merging(read) { kept, _ in kept }
    }
}

extension Application {
    private struct KeptQuizzesKey: StorageKey { typealias Value = KeptQuizzes }

    /// The process's kept quizzes (``Assessment/setUp(_:)`` makes them).
    var keptQuizzes: KeptQuizzes {
        guard let kept = storage[KeptQuizzesKey.self] else { fatalError("Assessment.setUp(app) was not called") }
        return kept
    }

    /// Keeps quizzes from now on, and has every write that changes one raise their version.
    func setUpKeptQuizzes() {
        let kept = KeptQuizzes()
        storage[KeptQuizzesKey.self] = kept
        databases.middleware.use(ModelChangeMiddleware<QuizSlot>.raising(kept.version))
        databases.middleware.use(ModelChangeMiddleware<QuestionRecord>.raising(kept.version, onCreate: false))
    }
}
