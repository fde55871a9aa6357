import Fluent
import Foundation
import Vapor
import GotongLearning
import GotongPlatform
import GotongTenancy

/// Changes which questions a quiz asks. Attempts already started keep the questions they drew.
struct QuizSlotsEditor {
    let scope: TenantScope
    let activity: Activity

    static let maxSlots = 200

    /// A question's points as typed: `1`, `2,5`; 0.01–100.
    static func mark(_ raw: String?, problems: inout ProblemList) -> Double {
        guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return 1 }
        guard let value = QuestionGrading.number(raw), (0.01...100).contains(value) else {
            problems.add("mark", "quiz.error.mark")
            return 1
        }
        return value
    }

    /// Adds `questions` (of this tenant's bank, not yet in the quiz) and a slot drawing
    /// `random` questions from `category`.
    func add(questions: [UUID], random: Int, from category: UUID?, mark: Double) async throws {
        let activityID = try activity.requireID()
        let slots = try await scope.query(QuizSlot.self).filter(\.$activityID == activityID).all()
        let present = Set(slots.compactMap(\.questionID))
        let found = try await scope.query(QuestionRecord.self).filter(\.$id ~~ questions).all().compactMap(\.id)
        let fresh = questions.filter { found.contains($0) && !present.contains($0) }
        if random > 0 {
            guard let category else { throw InputError(field: "category", key: "quiz.error.random_category") }
            _ = try await scope.require(QuestionCategory.self, category)
        }
        if fresh.isEmpty && random == 0 { throw InputError(field: "pick", key: "quiz.error.nothing_picked") }
        if slots.count + fresh.count + (random > 0 ? 1 : 0) > Self.maxSlots {
            throw InputError(field: "pick", key: "quiz.error.too_many", args: ["max": "\(Self.maxSlots)"])
        }
        let first = (slots.map(\.position).max() ?? 0) + 1
        try await scope.db.lockingTransaction { db in
            var position = first
            for id in fresh {
                try await QuizSlot(
                    tenantID: scope.tenantID, activityID: activityID, position: position, questionID: id,
                    categoryID: nil,
                    count: 1, mark: mark
                ).create(on: db)
                position += 1
            }
            if random > 0, let category {
                try await QuizSlot(
                    tenantID: scope.tenantID, activityID: activityID, position: position, questionID: nil,
                    categoryID: category, count: random, mark: mark
                ).create(on: db)
            }
        }
    }

    func change(_ slotID: UUID, _ action: SlotAction) async throws {
        let activityID = try activity.requireID()
        let slots = try await scope.query(QuizSlot.self).filter(\.$activityID == activityID).sort(\.$position).all()
        guard let index = slots.firstIndex(where: { $0.id == slotID }) else { throw Abort(.notFound) }
        try await scope.db.lockingTransaction { db in
            switch action {
            case .remove:
                try await slots[index].delete(on: db)
            case .up, .down:
                let other = action == .up ? index - 1 : index + 1
                guard slots.indices.contains(other) else { return }
                let (a, b) = (slots[index].position, slots[other].position)
                slots[index].position = b
                slots[other].position = a
                try await slots[index].update(on: db)
                try await slots[other].update(on: db)
            }
        }
    }
}

extension QuizAttempts {
    /// Marks every finished attempt again against the questions as they are now (a trainer
    /// fixed a wrong key), keeping graders' marks for essays, and updates each learner's grade.
    /// Returns how many attempts were marked.
    func regrade(now: Date) async throws -> Int {
        let finished = try await scope.query(QuizAttempt.self).filter(\.$activityID == activity.requireID())
            .filter(\.$state == .finished).all()
        try await db.lockingTransaction { tx in
            let marking = QuizMarking(scope: TenantScope(tenantID: activity.tenantID, db: tx))
            for attempt in finished { try await marking.mark(attempt, keepManual: true) }
        }
        for person in Set(finished.map(\.personID)) { try await recordProgress(of: person, now: now) }
        return finished.count
    }

    /// A grader's points and comments for essays of a finished attempt (by slot).
    func grade(_ attempt: QuizAttempt, _ grades: [Int: (points: Double, comment: String)], now: Date) async throws {
        guard attempt.state == .finished else {
            throw InputError(field: "attempt", key: "quiz.error.not_finished", status: .conflict)
        }
        let items = attempt.layout.items
        let attemptID = try attempt.requireID()
        try await db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: activity.tenantID, db: tx)
            for (slot, grade) in grades where items.indices.contains(slot) {
                let fraction = items[slot].mark > 0 ? grade.points / items[slot].mark : 0
                if let answer = try await scope.query(QuizAnswer.self).filter(\.$attemptID == attemptID)
                    .filter(\.$slot == slot).first()
                {
                    answer.fraction = fraction
                    answer.comment = grade.comment
                    try await answer.update(on: tx)
                } else {
                    let answer = QuizAnswer()
                    answer.tenantID = activity.tenantID
                    answer.attemptID = attemptID
                    answer.slot = slot
                    answer.responseJSON = "{}"
                    answer.savedAt = now
                    answer.fraction = fraction
                    answer.comment = grade.comment
                    try await answer.create(on: tx)
                }
            }
            try await QuizMarking(scope: scope).mark(attempt, keepManual: true)
        }
        try await recordProgress(of: attempt.personID, now: now)
    }
}
