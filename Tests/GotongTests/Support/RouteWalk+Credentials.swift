import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongCatalog
@testable import GotongCredentials
@testable import GotongEvaluation
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

extension WalkRecords {
    /// What a tenant's walk needs of what learning earns: the first learner's certificate of the
    /// course (with the course's badge), the course's evaluation with a form and its first
    /// question, and a record of learning elsewhere awaiting the learner's home institution.
    static func addCredentials(
        to records: inout WalkRecords, _ app: Application, slug: String, step: inout String
    ) async throws {
        let db = app.db
        let tenantID = records.tenantID
        let mark = RouteWalk.marker(slug)
        guard let course = try await Course.find(records.courseID, on: db) else { return }
        step = "certificate"
        let learner = try #require(try await Person.find(email: "peserta1@\(slug).gotong.test", on: db))
        let event = CourseCompletion.Event(
            tenant: TenantID(tenantID), course: CourseID(try course.requireID()),
            person: PersonID(try learner.requireID()), completedAt: Date())
        let certificate = try await CertificateIssuer(db: db).issue(event, now: Date())
        records.certificateCode = certificate?.verificationCode.rawValue.description
        step = "badge"
        let badge = BadgeClass()
        // (public by design: no secret mark in what a badge shows)
        (badge.tenantID, badge.courseID, badge.name) = (tenantID, try course.requireID(), "Lencana Jelajah")
        (badge.description, badge.criteria, badge.createdAt, badge.updatedAt) = ("Lulus", "Selesai", Date(), Date())
        try await badge.create(on: db)
        step = "evaluation"
        let scope = TenantScope(tenantID: tenantID, db: db)
        if let form = try await scope.query(EvaluationForm.self).filter(\.$purpose == .course).first() {
            records.evaluationFormID = form.id
            records.evaluationItemID = try await scope.query(EvaluationItem.self).filter(\.$formID == form.id!)
                .sort(\.$position).first()?.id
            let setup = CourseEvaluation()
            (setup.tenantID, setup.courseID, setup.courseFormID) = (tenantID, try course.requireID(), form.id)
            (setup.required, setup.updatedAt) = (false, Date())
            try await setup.create(on: db)
            step = "follow-up"
            let token = SecretToken()
            let followUp = EvaluationFollowUp()
            (followUp.tenantID, followUp.courseID, followUp.personID) = (
                tenantID, try course.requireID(), try learner.requireID()
            )
            (followUp.completedAt, followUp.dueAt, followUp.sentAt) = (Date(), Date(), Date())
            (followUp.supervisorName, followUp.supervisorEmail) = ("Atasan Jelajah", "atasan.\(slug)@contoh.go.id")
            (followUp.tokenHash, followUp.linkExpiresAt, followUp.updatedAt) = (token.hash, Date() + 86_400, Date())
            try await followUp.create(on: db)
            records.supervisorToken = token.plain
        }
        step = "learning recorded from elsewhere"
        var form = ExternalLearning.Form()
        (form.title, form.kind, form.provider, form.jp) = ("Seminar \(mark)", "seminar", "ANRI", "4")
        (form.completedOn, form.competencyType) = (LocalDates.isoDay.string(from: Date()), "teknis")
        let entry = try ExternalLearning.entry(from: form, person: try learner.requireID(), now: Date())
        try await entry.create(on: db)
        records.ledgerEntryID = entry.id
    }
}
