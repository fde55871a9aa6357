import Fluent
import Foundation
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// A grader's decision on one round, as a form or the API gives it, before it is checked.
struct GradeInput: Sendable {
    /// A score in percent (`85`, `72,5`), for a score assignment without a rubric.
    var score: String?
    /// `yes` / `no`, for a pass/fail assignment.
    var passed: String?
    /// The chosen level per criterion, for an assignment with a rubric.
    var levels: [Int?] = []
    var feedback: String = ""
    var feedbackFile: ReceivedFile?
    /// Shows the grade to the participant now.
    var release: Bool = false

    static let maxFeedback = 10_000
}

extension Submissions {
    // MARK: Grading

    /// Grades a handed-in round; releases it too when asked (or when it was released before,
    /// so a corrected grade reaches the participant as a released one would).
    @discardableResult
    func grade(
        _ submission: AssignmentSubmission, _ input: GradeInput, by grader: UUID, now: Date
    ) async throws -> AssignmentSubmission {
        var problems = ProblemList()
        guard submission.status == .submitted else { throw Refusal(key: "assignment.error.not_submitted") }
        let (percent, passed, levels) = decide(input, problems: &problems)
        let feedback = problems.text(input.feedback, "feedback", max: GradeInput.maxFeedback)
        let checked = Self.check(input.feedbackFile.map { [$0] } ?? [], field: "feedback_file", problems: &problems)
        try problems.throwIfAny()
        let stored = try await store(checked, for: submission, role: .feedback, now: now)
        let replaced =
            stored.isEmpty ? [] : try await files(of: [submission.id!], role: .feedback)[submission.id!] ?? []
        do {
            try await db.lockingTransaction { tx in
                submission.percent = percent
                submission.passed = passed
                submission.rubricLevels = levels.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }
                submission.feedback = feedback
                submission.gradedBy = grader
                submission.gradedAt = now
                if input.release || submission.isReleased { submission.releasedAt = now }
                try await submission.save(on: tx)
                try await stored.create(on: tx)
                try await FileReferences(db: tx).add(
                    stored.map(\.key), tenantID: activity.tenantID, ownerID: activity.id!)
            }
        } catch {
            for file in stored { try? await files.delete(file.key) }
            throw error
        }
        try await forget(replaced)
        if submission.isReleased { try await recordProgress(of: submission.personID, now: now) }
        return submission
    }

    /// The grade the input gives, by the assignment's way of grading.
    private func decide(_ input: GradeInput, problems: inout ProblemList) -> (Double?, Bool?, [Int]?) {
        if let rubric = settings.rubric {
            let levels = input.levels.compactMap { $0 }
            guard input.levels.count == rubric.criteria.count, levels.count == rubric.criteria.count,
                let percent = rubric.percent(levels)
            else {
                problems.add("rubric", "assignment.error.rubric_grade")
                return (nil, nil, nil)
            }
            return (percent, settings.passes(percent), levels)
        }
        switch settings.grading {
        case .score:
            guard let raw = input.score, let score = QuestionGrading.number(raw), (0...100).contains(score) else {
                problems.add("score", "assignment.error.score")
                return (nil, nil, nil)
            }
            let percent = (score * 10).rounded() / 10
            return (percent, settings.passes(percent), nil)
        case .passFail:
            guard let word = input.passed, ["yes", "no"].contains(word) else {
                problems.add("passed", "assignment.error.passed")
                return (nil, nil, nil)
            }
            return (word == "yes" ? 100 : 0, word == "yes", nil)
        }
    }

    /// Shows every graded, unreleased round's grade to its participant (an earlier round too,
    /// graded before it was reopened). Returns how many.
    @discardableResult
    func releaseAll(now: Date) async throws -> Int {
        let waiting = try await scope.query(AssignmentSubmission.self).filter(\.$activityID == activity.requireID())
            .filter(\.$gradedAt != nil).filter(\.$releasedAt == nil).all()
        guard !waiting.isEmpty else { return 0 }
        try await scope.query(AssignmentSubmission.self).filter(\.$id ~~ waiting.compactMap(\.id))
            .filter(\.$releasedAt == nil).set(\.$releasedAt, to: now).update()
        for person in Set(waiting.map(\.personID)) { try await recordProgress(of: person, now: now) }
        return waiting.count
    }

    /// Opens a new round for a handed-in latest round: a draft with the same text and files,
    /// taken even past the cut-off. Reopening twice makes one new round.
    @discardableResult
    func reopen(_ submission: AssignmentSubmission, now: Date) async throws -> AssignmentSubmission {
        let latest = try await rounds(of: submission.personID).last
        guard latest?.id == submission.id, submission.status == .submitted else {
            throw Refusal(key: "assignment.error.not_latest")
        }
        let next = AssignmentSubmission(
            tenantID: submission.tenantID, courseID: submission.courseID, activityID: submission.activityID,
            personID: submission.personID, round: submission.round + 1, text: submission.text, now: now)
        let carried = try await files(of: [submission.id!], role: .submission)[submission.id!] ?? []
        do {
            try await db.lockingTransaction { tx in
                try await next.create(on: tx)
                try await carried.map { $0.copy(to: next) }.create(on: tx)
                try await TenantScope(tenantID: submission.tenantID, db: tx).query(AssignmentSubmission.self)
                    .filter(\.$id == submission.id!).set(\.$reopenedAt, to: now).update()
            }
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            // Reopened twice at once: the other made the next round. Anything else stands.
            guard let made = try await rounds(of: submission.personID).last, made.round == next.round else {
                throw error
            }
            return made
        }
        return next
    }

    // MARK: Progress

    /// The participant's progress from their rounds: how many were handed in, and the grade of
    /// the latest released one (a reopened round keeps the last released grade until regraded).
    func recordProgress(of person: UUID, now: Date) async throws {
        let rounds = try await rounds(of: person)
        let handedIn = rounds.filter { $0.status == .submitted }.count
        let released = rounds.last { $0.isReleased && $0.percent != nil }
        try await progress.update(activity, person: PersonID(person), at: now) { state in
            state.submissions = handedIn
            state.grade = released?.percent ?? -1
            state.passed = released?.passed ?? false
        }
    }
}
