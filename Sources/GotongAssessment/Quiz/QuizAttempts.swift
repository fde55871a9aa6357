import Fluent
import Foundation
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// The attempts at one quiz: starting (once, however often the button is pressed), saving an
/// answer the moment it is given, finishing by the learner or by the clock, marking, and what
/// the learner's progress records. Time is the server's: a save after the deadline is refused
/// and closes the attempt, and a job closes it at the deadline if nobody comes back.
struct QuizAttempts: Sendable {
    let activity: Activity
    let settings: QuizSettings
    let db: any Database
    let progress: ProgressStore
    let writer: QuizWriter
    let kept: KeptQuizzes

    /// A save this late after the deadline still counts: the answer was sent in time but the
    /// network was slow.
    static let grace: TimeInterval = 15
    static let closeJob = "quiz.close"

    struct CloseJob: Codable, Sendable {
        let attempt: UUID
        let tenant: UUID
    }

    var scope: TenantScope { TenantScope(tenantID: activity.tenantID, db: db) }

    // MARK: Reading

    func attempts(of person: UUID) async throws -> [QuizAttempt] {
        try await scope.query(QuizAttempt.self).filter(\.$activityID == activity.requireID())
            .filter(\.$personID == person).sort(\.$number).all()
    }

    func attempt(_ id: UUID) async throws -> QuizAttempt? {
        try await scope.query(QuizAttempt.self).filter(\.$id == id).filter(\.$activityID == activity.requireID())
            .first()
    }

    /// The person's attempts with any whose time ran out closed first: one read, and a write only
    /// for an attempt that was overdue.
    func current(of person: UUID, now: Date) async throws -> [QuizAttempt] {
        var attempts = try await attempts(of: person)
        for (index, attempt) in attempts.enumerated() where attempt.state == .open {
            if let closed = try await closeIfOverdue(attempt, now: now) { attempts[index] = closed }
        }
        return attempts
    }

    func answers(of attempt: QuizAttempt) async throws -> [Int: QuizAnswer] {
        let rows = try await scope.query(QuizAnswer.self).filter(\.$attemptID == attempt.requireID()).all()
        return Dictionary(rows.map { ($0.slot, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: Starting

    /// The person's open attempt, or a new one: a double click, a second tab or a retry after
    /// a dropped answer all land on the same attempt.
    func start(for person: UUID, now: Date) async throws -> (attempt: QuizAttempt, created: Bool) {
        let existing = try await current(of: person, now: now)
        if let open = existing.first(where: { $0.state == .open }) { return (open, false) }
        let finished = existing.filter { $0.state == .finished }.count
        if let allowed = settings.attempts, finished >= allowed {
            throw InputError(field: "attempt", key: "quiz.error.no_attempts_left", status: .conflict)
        }
        let layout = try await QuizLayout(activity: activity, settings: settings, scope: scope, kept: kept).draw()
        guard !layout.items.isEmpty else {
            throw InputError(field: "attempt", key: "quiz.error.no_questions", status: .conflict)
        }
        let attempt = QuizAttempt()
        attempt.tenantID = activity.tenantID
        attempt.courseID = activity.courseID
        attempt.activityID = try activity.requireID()
        attempt.personID = person
        attempt.number = (existing.map(\.number).max() ?? 0) + 1
        attempt.state = .open
        attempt.layout = layout
        attempt.startedAt = now
        attempt.deadline = settings.timeLimit.map { now.addingTimeInterval(TimeInterval($0)) }
        attempt.maxScore = layout.items.map(\.mark).reduce(0, +)
        attempt.needsGrading = false
        do {
            try await writer.run { db in
                try await db.lockingTransaction { tx in
                    try await attempt.create(on: tx)
                    if let deadline = attempt.deadline {
                        let job = CloseJob(attempt: try attempt.requireID(), tenant: attempt.tenantID)
                        try await JobQueue.enqueue(
                            Self.closeJob, job, on: tx, at: deadline.addingTimeInterval(Self.grace))
                    }
                }
            }
        } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
            // Another request started the same attempt a moment earlier: that one is this one.
            if let open = try await attempts(of: person).first(where: { $0.state == .open }) { return (open, false) }
            throw error
        }
        return (attempt, true)
    }

    // MARK: Saving

    /// Why an answer was not saved.
    enum SaveRefusal: Error { case closed, timeUp }

    /// Keeps `response` as the answer to the question at `slot`, in one statement that writes
    /// only while the attempt is open: an answer that arrives after the attempt was handed in
    /// (by another tab, or by the clock) changes nothing.
    func save(_ response: QuestionResponse, slot: Int, in attempt: QuizAttempt, now: Date) async throws {
        try Self.check(response, slot: slot, slots: attempt.layout.items.count)
        guard attempt.state == .open else { throw attempt.finishedBy == "timer" ? SaveRefusal.timeUp : .closed }
        if let deadline = attempt.deadline, now > deadline.addingTimeInterval(Self.grace) {
            _ = try await finish(attempt, by: "timer", now: now)
            throw SaveRefusal.timeUp
        }
        let written = try await Self.write(
            response, slot: slot, attempt: attempt.requireID(), tenant: attempt.tenantID, now: now, with: writer)
        if !written { throw SaveRefusal.closed }
    }

    /// What no answer may be: a question number outside the attempt, a text over its limit, or
    /// more choices than any question has.
    static func check(_ response: QuestionResponse, slot: Int, slots: Int) throws {
        guard (0..<slots).contains(slot) else { throw InputError(field: "slot", key: "quiz.error.slot") }
        if (response.text ?? "").count > QuestionResponse.maxText {
            throw InputError(
                field: "response", key: "quiz.error.too_long", args: ["max": "\(QuestionResponse.maxText)"])
        }
        let most = QuestionCheck.maxAnswers
        if (response.choices ?? []).count > most || (response.matches ?? []).count > most {
            throw InputError(field: "response", key: "quiz.error.answer_json", args: ["field": "response"])
        }
    }

    /// A save, through the process's batching writer (``QuizWriter``): written only while the
    /// attempt is open; false when it is not.
    static func write(
        _ response: QuestionResponse, slot: Int, attempt attemptID: UUID, tenant: UUID, now: Date,
        with writer: QuizWriter
    ) async throws -> Bool {
        let json = String(decoding: try JSONEncoder.sorted.encode(response), as: UTF8.self)
        return try await writer.save(.init(attempt: attemptID, tenant: tenant, slot: slot, json: json, at: now))
    }

    // MARK: Finishing

    /// An attempt just handed in, with its answers as marked: what the hand-in shows, without
    /// reading either again.
    struct HandedIn: Sendable {
        let attempt: QuizAttempt
        let answers: [Int: QuizAnswer]
    }

    /// Hands the attempt in and marks it, once: nil when it was already handed in (by another
    /// tab, a double click, or the clock).
    @discardableResult
    func finish(_ attempt: QuizAttempt, by who: String, now: Date) async throws -> HandedIn? {
        let finishedAt = attempt.deadline.map { min(now, $0) } ?? now
        let claimed = try await writer.run { db in
            try await Self.claim(attempt, by: who, at: finishedAt, on: db, kept: kept)
        }
        guard let claimed else { return nil }
        attempt.state = .finished
        attempt.finishedAt = finishedAt
        attempt.finishedBy = who
        attempt.score = claimed.score
        attempt.needsGrading = claimed.waiting
        // The progress store writes on the writer's database too (``Quiz``).
        try await writer.run { _ in try await record(claimed.finished, of: attempt.personID, now: now) }
        return HandedIn(attempt: attempt, answers: claimed.answers)
    }

    /// Marks the attempt handed in and marks it, in one transaction of three round trips
    /// (``Database/pipelinedTransaction(turn:reading:then:)``): the claim, the answers and the
    /// person's attempts read together, the marks worked out in Swift, the fractions and the
    /// score written together. A hand-in held the write turn for eight round trips before, and
    /// at 10,000 participants the hand-ins' turns were what answers queued behind; and it read
    /// the attempt, its answers and the person's attempts again afterwards, for the grade and
    /// the reply. Nil when the attempt was not open.
    private static func claim(
        _ attempt: QuizAttempt, by who: String, at finishedAt: Date, on db: any Database, kept: KeptQuizzes
    ) async throws -> Claimed? {
        let attemptID = try attempt.requireID()
        let tenant = attempt.tenantID
        let layout = attempt.layout
        let maxScore = attempt.maxScore
        let questions = try await kept.questions(
            layout.items.map(\.question), in: TenantScope(tenantID: tenant, db: db)
        )
        .mapValues(\.question)
        let reads: [SQLQueryString] = [
            """
            UPDATE quiz_attempts SET state = \(bind: QuizAttempt.State.finished.rawValue), \
            finished_at = \(bind: finishedAt), finished_by = \(bind: who) WHERE id = \(bind: attemptID) \
            AND tenant_id = \(bind: tenant) AND state = \(bind: QuizAttempt.State.open.rawValue) RETURNING id
            """,
            "SELECT * FROM quiz_answers WHERE tenant_id = \(bind: tenant) AND attempt_id = \(bind: attemptID)",
            """
            SELECT id, state, score, max_score, needs_grading FROM quiz_attempts WHERE tenant_id = \(bind: tenant) \
            AND activity_id = \(bind: attempt.activityID) AND person_id = \(bind: attempt.personID) ORDER BY number
            """,
        ]
        return try await db.pipelinedTransaction(turn: turn(of: attemptID), reading: reads) {
            rows -> (writes: [SQLQueryString], result: Claimed?) in
            guard !rows[0].isEmpty else { return ([], nil) }
            var answers: [Int: QuizAnswer] = [:]
            for row in rows[1] {
                let answer = try row.decode(fluentModel: QuizAnswer.self)
                answers[answer.slot] = answer
            }
            let marks = QuizMarking.marks(
                layout, given: answers.mapValues { .init(response: $0.response, fraction: $0.fraction) },
                questions: questions, keepManual: true)
            for (slot, fraction) in marks.changed { answers[slot]?.fraction = fraction }
            var writes = [QuizMarking.recording(marks.changed, attempt: attemptID)].compactMap { $0 }
            writes.append(
                """
                UPDATE quiz_attempts SET score = \(bind: marks.score), needs_grading = \(bind: marks.waiting) \
                WHERE id = \(bind: attemptID)
                """)
            var finished: [FinishedMark] = []
            for row in rows[2] {
                if try row.decode(column: "id", as: UUID.self) == attemptID {
                    finished.append(.init(score: marks.score, maxScore: maxScore, waiting: marks.waiting))
                } else if try row.decode(column: "state", as: String.self) == QuizAttempt.State.finished.rawValue {
                    finished.append(
                        .init(
                            score: try row.decode(column: "score", as: Double?.self),
                            maxScore: try row.decode(column: "max_score", as: Double.self),
                            waiting: try row.decode(column: "needs_grading", as: Bool.self)))
                }
            }
            return (
                writes,
                Claimed(score: marks.score, waiting: marks.waiting, answers: answers, finished: finished)
            )
        }
    }

    private struct Claimed: Sendable {
        let score: Double
        let waiting: Bool
        let answers: [Int: QuizAnswer]
        /// The person's finished attempts at the quiz, in order, this one included.
        let finished: [FinishedMark]
    }

    /// The PostgreSQL advisory lock a hand-in takes: its attempt's own, so hand-ins of
    /// different attempts never wait for each other.
    private static func turn(of attempt: UUID) -> Int64 {
        let b = attempt.uuid
        return Int64(bitPattern: [b.0, b.1, b.2, b.3, b.4, b.5, b.6, b.7].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    /// Closes the attempt when its time is over (graded as it stands); nil when it was.
    func closeIfOverdue(_ attempt: QuizAttempt, now: Date) async throws -> QuizAttempt? {
        guard attempt.state == .open, let deadline = attempt.deadline, now > deadline.addingTimeInterval(Self.grace)
        else { return attempt.state == .open ? nil : attempt }
        return try await finish(attempt, by: "timer", now: now)?.attempt ?? attempt
    }

    /// The job queued when a timed attempt starts, run at its deadline: closes the attempt
    /// unless it was handed in.
    static func close(_ job: CloseJob, app: Application) async throws {
        let scope = TenantScope(tenantID: job.tenant, db: app.db)
        guard let attempt = try await scope.find(QuizAttempt.self, job.attempt), attempt.state == .open,
            let activity = try await scope.find(Activity.self, attempt.activityID)
        else { return }
        let attempts = QuizAttempts(
            activity: activity, settings: QuizSettings(activity.settings), db: app.db,
            progress: app.learning.progressStore(on: app.quizWriter.database), writer: app.quizWriter,
            kept: app.keptQuizzes)
        _ = try await attempts.closeIfOverdue(attempt, now: app.clock.now())
    }

    // MARK: Progress

    /// A finished attempt as the quiz's grade counts it.
    struct FinishedMark: Sendable {
        let percent: Double?
        /// An essay waits for a grader: the attempt does not count yet.
        let waiting: Bool

        init(score: Double?, maxScore: Double, waiting: Bool) {
            percent = QuizAttempt.percent(score: score, maxScore: maxScore)
            self.waiting = waiting
        }
    }

    /// What the person's finished attempts add up to, by the quiz's grading method, written to
    /// their progress (which completes a "submitted" or "passed" activity).
    func recordProgress(of person: UUID, now: Date) async throws {
        let finished = try await attempts(of: person).filter { $0.state == .finished }.map {
            FinishedMark(score: $0.score, maxScore: $0.maxScore, waiting: $0.needsGrading)
        }
        try await record(finished, of: person, now: now)
    }

    /// Writes what `finished` (the person's finished attempts, in order) add up to.
    private func record(_ finished: [FinishedMark], of person: UUID, now: Date) async throws {
        let percents = finished.filter { !$0.waiting }.compactMap(\.percent)
        let grade = settings.grade(of: percents)
        let passes = grade.map(settings.passes) ?? false
        let count = finished.count
        try await progress.update(activity, person: PersonID(person), at: now) { state in
            state.submissions = count
            state.grade = grade ?? -1
            // A regrade may lower a grade; what was once passed stays completed, as in Moodle.
            state.passed = passes
        }
    }
}
