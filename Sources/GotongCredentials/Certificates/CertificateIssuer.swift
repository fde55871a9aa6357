import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Issues the certificate of a finished course, exactly once: the completion hook may be told
/// again (its job is retried) and two may hear the same completion at once.
///
/// Numbers run without gaps per tenant and year: the number is taken from the tenant's counter
/// in the same transaction that saves the certificate, so a number is used exactly when a
/// certificate is saved. Two issuers of one tenant wait for each other at the counter's row
/// (on SQLite, the write gate), and one that finds the certificate already saved rolls back
/// the number it took.
public struct CertificateIssuer: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    private struct AlreadyIssued: Error {}

    /// The person's certificate of the course, issued now unless it was before; nil when the
    /// course, the person or the tenant is gone.
    @discardableResult
    public func issue(_ event: CourseCompletion.Event, now: Date) async throws -> Certificate? {
        if let issued = try await existing(event) { return issued }
        guard let (certificate, format, slug) = try await draft(event, now: now) else { return nil }
        do {
            try await db.lockingTransaction { tx in
                let sequence = try await Self.nextSequence(tenant: certificate.tenantID, year: certificate.year, on: tx)
                certificate.sequence = sequence
                certificate.number = CertificateSettings.number(
                    format: format, slug: slug, year: certificate.year, sequence: sequence)
                guard try await Self.insert(certificate, on: tx) else { throw AlreadyIssued() }
            }
        } catch is AlreadyIssued {
            return try await existing(event)
        }
        return certificate
    }

    private func existing(_ event: CourseCompletion.Event) async throws -> Certificate? {
        try await Certificate.query(on: db).filter(\.$personID == event.person.rawValue)
            .filter(\.$courseID == event.course.rawValue).first()
    }

    /// Everything the certificate says, read now, with the number's format and the tenant's
    /// slug for when the sequence is taken.
    private func draft(
        _ event: CourseCompletion.Event, now: Date
    ) async throws -> (Certificate, format: String, slug: String)? {
        let scope = TenantScope(tenantID: event.tenant.rawValue, db: db)
        guard
            let course = try await scope.find(Course.self, event.course.rawValue),
            let tenant = try await Tenant.find(event.tenant.rawValue, on: db),
            let person = try await Person.find(event.person.rawValue, on: db)
        else { return nil }
        let enrolment = try await scope.query(Enrolment.self).filter(\.$courseID == event.course.rawValue)
            .filter(\.$personID == event.person.rawValue).first()
        let settings = try await scope.query(CertificateSettings.self).first()
        let signer = try await scope.query(CourseSigner.self).filter(\.$courseID == event.course.rawValue).first()
        let certificate = Certificate()
        certificate.id = UUID()
        certificate.code = VerificationCode.random().compact
        certificate.tenantID = event.tenant.rawValue
        certificate.personID = event.person.rawValue
        certificate.courseID = event.course.rawValue
        certificate.year = LocalDates.year(of: event.completedAt)
        certificate.personName = person.name
        certificate.personNIP = person.nip
        certificate.courseTitle = course.title
        certificate.jp = course.jp
        certificate.tenantName = tenant.name
        certificate.brandColor = tenant.primaryColor
        certificate.signerName = signer?.signerName ?? settings?.signerName ?? ""
        certificate.signerPosition = signer?.signerPosition ?? settings?.signerPosition ?? tenant.name
        certificate.startedAt = enrolment?.enrolledAt
        certificate.completedAt = event.completedAt
        certificate.issuedAt = now
        certificate.revokedReason = ""
        certificate.revokedBy = ""
        return (certificate, settings?.numberFormat ?? CertificateSettings.defaultFormat, tenant.slug)
    }

    /// Takes the tenant's next number for the year; the row stays locked until the
    /// transaction ends, and a rollback gives the number back.
    static func nextSequence(tenant: UUID, year: Int, on db: any Database) async throws -> Int {
        let row = try await db.sql.raw(
            """
            INSERT INTO \(ident: CertificateCounter.schema) (id, tenant_id, year, last_sequence) \
            VALUES (\(bind: UUID()), \(bind: tenant), \(bind: year), 1) \
            ON CONFLICT (tenant_id, year) \
            DO UPDATE SET last_sequence = \(ident: CertificateCounter.schema).last_sequence + 1 \
            RETURNING last_sequence
            """
        ).first()
        guard let row else { throw Abort(.internalServerError, reason: "certificate counter gave no number") }
        return try row.decode(column: "last_sequence", as: Int.self)
    }

    /// Saves the certificate unless the person has one for the course; false when they had.
    static func insert(_ c: Certificate, on db: any Database) async throws -> Bool {
        let values: [any SQLExpression] = [
            SQLBind(c.id), SQLBind(c.code), SQLBind(c.number), SQLBind(c.tenantID), SQLBind(c.personID),
            SQLBind(c.courseID), SQLBind(c.year), SQLBind(c.sequence), SQLBind(c.personName), SQLBind(c.personNIP),
            SQLBind(c.courseTitle), SQLBind(c.jp), SQLBind(c.tenantName), SQLBind(c.brandColor), SQLBind(c.signerName),
            SQLBind(c.signerPosition), SQLBind(c.startedAt), SQLBind(c.completedAt), SQLBind(c.issuedAt),
            SQLBind(c.revokedReason), SQLBind(c.revokedBy),
        ]
        let insert: SQLQueryString = """
            INSERT INTO \(ident: Certificate.schema) (id, code, number, tenant_id, person_id, course_id, year, \
            sequence, \
            person_name, person_nip, course_title, jp, tenant_name, brand_color, signer_name, signer_position, \
            started_at, completed_at, issued_at, revoked_reason, revoked_by) VALUES (\(SQLList(values))) \
            ON CONFLICT (person_id, course_id) DO NOTHING RETURNING id
            """
        return try await db.sql.raw(insert).first() != nil
    }
}
