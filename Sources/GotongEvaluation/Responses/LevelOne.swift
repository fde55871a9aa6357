import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Level 1 (reaction): after finishing a course, its participant fills in the course's form on
/// its organisation and the trainer form once per trainer. A course can make its certificate
/// wait for them (``allowsCertificate(_:)``).
public struct LevelOne: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    public struct Trainer: Sendable, Equatable {
        public let id: UUID
        public let name: String
    }

    /// One form a participant fills in: the course form, or the trainer form about one trainer.
    public struct Sheet: Sendable {
        public let form: EvaluationForm
        public let trainer: Trainer?
        public let done: Bool
    }

    public func setup(_ scope: TenantScope, course: UUID) async throws -> CourseEvaluation? {
        try await scope.query(CourseEvaluation.self).filter(\.$courseID == course).first()
    }

    /// The participant's finished enrolment in the course (nil: not finished).
    func completion(_ scope: TenantScope, course: UUID, person: UUID) async throws -> Enrolment? {
        try await scope.query(Enrolment.self).filter(\.$courseID == course).filter(\.$personID == person)
            .filter(\.$status == .completed).first()
    }

    /// The course's trainers (pengajar), by name.
    public func trainers(_ scope: TenantScope, course: UUID) async throws -> [Trainer] {
        let staff = try await scope.query(CourseStaff.self).filter(\.$courseID == course).filter(\.$role == .pengajar)
            .all().map(\.personID)
        guard !staff.isEmpty else { return [] }
        return try await Person.query(on: db).filter(\.$id ~~ staff).sort(\.$name).all().map {
            Trainer(id: try $0.requireID(), name: $0.name)
        }
    }

    /// Every form the participant fills in for the course, in order, each saying whether it is
    /// done: level 1's, and with `now` the level-3 follow-up once it is due.
    public func sheets(
        _ scope: TenantScope, setup: CourseEvaluation, person: UUID, now: Date? = nil
    ) async throws -> [Sheet] {
        var due = false
        if let now, setup.followUpFormID != nil {
            let followUp = try await scope.query(EvaluationFollowUp.self).filter(\.$courseID == setup.courseID)
                .filter(\.$personID == person).first()
            due = (followUp?.dueAt).map { $0 <= now } ?? false
        }
        let formIDs = [setup.courseFormID, setup.trainerFormID, due ? setup.followUpFormID : nil].compactMap { $0 }
        guard !formIDs.isEmpty else { return [] }
        let forms = Dictionary(
            try await scope.query(EvaluationForm.self).filter(\.$id ~~ formIDs).all().map { ($0.id!, $0) },
            uniquingKeysWith: { a, _ in a })
        let answered = Set(
            try await scope.query(EvaluationResponse.self).filter(\.$courseID == setup.courseID)
                .filter(\.$participantID == person).filter(\.$purpose ~~ [.course, .trainer, .followUp]).all()
                .map { "\($0.purpose.rawValue)/\($0.trainerID)" })
        var sheets: [Sheet] = []
        if let id = setup.courseFormID, let form = forms[id] {
            sheets.append(
                Sheet(form: form, trainer: nil, done: answered.contains("course/\(EvaluationResponse.noTrainer)")))
        }
        if let id = setup.trainerFormID, let form = forms[id] {
            for trainer in try await trainers(scope, course: setup.courseID) {
                sheets.append(Sheet(form: form, trainer: trainer, done: answered.contains("trainer/\(trainer.id)")))
            }
        }
        if due, let id = setup.followUpFormID, let form = forms[id] {
            sheets.append(
                Sheet(form: form, trainer: nil, done: answered.contains("follow_up/\(EvaluationResponse.noTrainer)")))
        }
        return sheets
    }

    /// Whether the certificate of a finished course may be issued: yes, unless the course
    /// requires its level-1 evaluation and a form of it is still to be filled in.
    public func allowsCertificate(_ event: CourseCompletion.Event) async throws -> Bool {
        let scope = TenantScope(tenantID: event.tenant.rawValue, db: db)
        guard let setup = try await setup(scope, course: event.course.rawValue), setup.required, setup.hasLevelOne
        else { return true }
        return try await sheets(scope, setup: setup, person: event.person.rawValue).allSatisfy(\.done)
    }

    /// The courses of the person whose certificate waits for their evaluation, for the pages
    /// that list their certificates.
    public func awaiting(person: UUID) async throws -> [(tenantID: UUID, courseID: UUID)] {
        let done = try await Enrolment.query(on: db).filter(\.$personID == person).filter(\.$status == .completed)
            .all()
        guard !done.isEmpty else { return [] }
        let setups = try await CourseEvaluation.query(on: db).filter(\.$courseID ~~ done.map(\.courseID))
            .filter(\.$required == true).all()
        var waiting: [(UUID, UUID)] = []
        for setup in setups where setup.hasLevelOne {
            let scope = TenantScope(tenantID: setup.tenantID, db: db)
            if try await !sheets(scope, setup: setup, person: person).allSatisfy(\.done) {
                waiting.append((setup.tenantID, setup.courseID))
            }
        }
        return waiting
    }
}

extension LevelOne {
    /// Saves the participant's answers to one form of a finished course, once (a second
    /// submission of the same form is refused, also when two arrive together). When the course
    /// requires its evaluation, the completion is told again, so the certificate that waited
    /// is issued once the last form is in (the hooks do their work once).
    static func submit(
        _ req: Request, in scope: TenantScope, course: Course, form formID: UUID?, trainer trainerID: UUID?,
        sheet: @escaping @Sendable ([EvaluationItem]) -> AnswerSheet
    ) async throws {
        let person = try req.requirePerson()
        let personID = try person.requireID()
        let courseID = try course.requireID()
        let levelOne = LevelOne(db: req.database)
        guard let setup = try await levelOne.setup(scope, course: courseID), setup.hasLevelOne || setup.hasFollowUp,
            let enrolment = try await levelOne.completion(scope, course: courseID, person: personID)
        else { throw LocalizedAbort(.forbidden, req.t("evaluation.error.not_finished")) }
        let now = req.application.clock.now()
        let sheets = try await levelOne.sheets(scope, setup: setup, person: personID, now: now)
        guard let target = sheets.first(where: { $0.form.id == formID && $0.trainer?.id == trainerID }) else {
            throw Abort(.notFound)
        }
        guard !target.done else { throw InputError(field: "form", key: "evaluation.error.already", status: .conflict) }
        guard let formID else { throw Abort(.notFound) }  // (the target's: found above)
        let responseID = UUID()
        let tellsCertificate = setup.required && target.form.purpose != .followUp
        let completedAt = enrolment.completedAt ?? now
        let completion = req.application.learning.courseCompletion(on: req.database)
        try await req.database.lockingTransaction { tx in
            // The form's questions as they are now: a change of them waits for this answer.
            try await FormBuilder.lock(formID, on: tx)
            let items = try await EvaluationItem.query(on: tx).filter(\.$formID == formID).sort(\.$position).all()
            let answers = try sheet(items).checked(against: items, response: responseID)
            let saved = try await tx.sql.raw(
                """
                INSERT INTO \(ident: EvaluationResponse.schema) (id, tenant_id, course_id, form_id, purpose, \
                participant_id, trainer_id, year, submitted_at) VALUES (\(bind: responseID), \(bind: scope.tenantID), \
                \(bind: courseID), \(bind: formID), \(bind: target.form.purpose.rawValue), \(bind: personID), \
                \(bind: trainerID ?? EvaluationResponse.noTrainer), \(bind: LocalDates.year(of: completedAt)), \
                \(bind: now)) ON CONFLICT (course_id, participant_id, purpose, trainer_id) DO NOTHING RETURNING id
                """
            ).first()
            guard saved != nil else {
                throw InputError(field: "form", key: "evaluation.error.already", status: .conflict)
            }
            if !answers.isEmpty { try await answers.create(on: tx) }
            if tellsCertificate {
                let event = CourseCompletion.Event(
                    tenant: TenantID(scope.tenantID), course: CourseID(courseID), person: PersonID(personID),
                    completedAt: completedAt)
                try await req.application.learning.courseCompletion(on: tx).retell(event, now: now)
            }
        }
        if tellsCertificate { completion.kick() }
    }
}
