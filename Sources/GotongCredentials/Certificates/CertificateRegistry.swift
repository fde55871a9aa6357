import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Reading certificates and revoking them: a person's own across tenants, anyone's by its
/// public code, and a tenant's through its scope.
public struct CertificateRegistry: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    /// The most a tenant's list shows at once.
    static let pageSize = 50

    /// The person's certificates from every tenant, newest first.
    public func mine(_ person: PersonID) async throws -> [Certificate] {
        try await Certificate.query(on: db).filter(\.$personID == person.rawValue)
            .sort(\.$issuedAt, .descending).all()
    }

    /// The certificate with this public code, in whichever tenant.
    public func find(_ code: VerificationCode) async throws -> Certificate? {
        try await Certificate.query(on: db).filter(\.$code == code.compact).first()
    }

    /// A page of a tenant's certificates of a year, in number order, newest first; one more
    /// than a page says whether there is a next one.
    func list(_ scope: TenantScope, year: Int, page: Int) async throws -> (rows: [Certificate], hasNext: Bool) {
        let offset = (page - 1) * Self.pageSize
        let rows = try await scope.query(Certificate.self).filter(\.$year == year).sort(\.$sequence, .descending)
            .range(offset..<(offset + Self.pageSize + 1)).all()
        return (Array(rows.prefix(Self.pageSize)), rows.count > Self.pageSize)
    }

    /// Revokes a certificate of the tenant, with the reason the verification page shows, takes
    /// its JP off the person's ledger and tells them; the caller audits it in the same
    /// transaction. A certificate revoked before keeps its first reason (the audit log would
    /// otherwise lose who revoked it and why).
    func revoke(
        _ code: VerificationCode, in scope: TenantScope, reason: String, by actor: String, now: Date
    ) async throws -> Certificate {
        // Another tenant's code is not found before anything about the request is judged.
        guard let found = try await scope.query(Certificate.self).filter(\.$code == code.compact).first() else {
            throw Abort(.notFound)
        }
        var problems = ProblemList()
        let reason = problems.text(reason, "reason", max: 500, required: "certificate.error.reason_required")
        try problems.throwIfAny()
        // One conditional update: of two administrators revoking at once, one succeeds.
        let changed = try await scope.db.sql.raw(
            """
            UPDATE \(ident: Certificate.schema) SET revoked_at = \(bind: now), revoked_reason = \(bind: reason), \
            revoked_by = \(bind: actor) \
            WHERE tenant_id = \(bind: scope.tenantID) AND id = \(bind: found.requireID()) AND revoked_at IS NULL \
            RETURNING id
            """
        ).first()
        guard changed != nil else { throw InputError(field: "reason", key: "certificate.error.already_revoked") }
        (found.revokedAt, found.revokedReason, found.revokedBy) = (now, reason, actor)
        // The course's JP go with the certificate: its ledger line no longer counts (nor goes
        // to SIASN), and says why.
        try await scope.db.sql.raw(
            """
            UPDATE \(ident: LedgerEntry.schema) SET status = \(bind: LedgerEntry.Status.rejected.rawValue), \
            reason = \(bind: reason), decided_by = \(bind: actor), decided_at = \(bind: now) \
            WHERE person_id = \(bind: found.personID) AND course_id = \(bind: found.courseID) \
            AND source = \(bind: LedgerEntry.Source.course.rawValue)
            """
        ).run()
        try await Notifier.record(
            [
                .init(
                    personID: found.personID, tenantID: scope.tenantID, key: "notify.certificate.revoked",
                    args: ["number": found.number, "course": found.courseTitle, "reason": reason],
                    route: CredentialsRoute.myCertificates)
            ], on: scope.db, at: now)
        return found
    }

    /// The tenant's numbering and signer, or the defaults when never saved.
    func settings(_ scope: TenantScope, tenant: Tenant) async throws -> CertificateSettings {
        if let saved = try await scope.query(CertificateSettings.self).first() { return saved }
        let defaults = CertificateSettings()
        defaults.tenantID = scope.tenantID
        defaults.numberFormat = CertificateSettings.defaultFormat
        defaults.signerName = ""
        defaults.signerPosition = tenant.name
        return defaults
    }

    /// Saves the tenant's numbering and signer after checking them.
    func saveSettings(
        _ scope: TenantScope, format: String, signerName: String, signerPosition: String
    ) async throws -> CertificateSettings {
        let (format, name, position) = try CertificateSettings.validated(
            format: format, signerName: signerName, signerPosition: signerPosition)
        let settings = try await scope.query(CertificateSettings.self).first() ?? CertificateSettings()
        settings.tenantID = scope.tenantID
        settings.numberFormat = format
        settings.signerName = name
        settings.signerPosition = position
        try await settings.save(on: scope.db)
        return settings
    }
}

extension CertificateRegistry {
    /// Revokes a certificate of the request's tenant and audits it, in one transaction: the
    /// act the desk's form and the API share.
    static func revoke(_ req: Request, _ code: VerificationCode, reason: String) async throws -> Certificate {
        let scope = try req.tenantScope
        let (actor, now) = (req.actorName, req.application.clock.now())
        return try await req.database.lockingTransaction { tx in
            let certificate = try await CertificateRegistry(db: tx).revoke(
                code, in: TenantScope(tenantID: scope.tenantID, db: tx), reason: reason, by: actor, now: now)
            try await req.audit(
                "certificate.revoke", subject: certificate.number, detail: "reason=\(certificate.revokedReason)",
                tenantID: scope.tenantID, on: tx)
            return certificate
        }
    }

    /// Saves the request's tenant's numbering and signer and audits it, in one transaction.
    static func saveSettings(
        _ req: Request, format: String?, signerName: String?, signerPosition: String?
    ) async throws -> CertificateSettings {
        let scope = try req.tenantScope
        return try await req.database.lockingTransaction { tx in
            let saved = try await CertificateRegistry(db: tx).saveSettings(
                TenantScope(tenantID: scope.tenantID, db: tx), format: format ?? "", signerName: signerName ?? "",
                signerPosition: signerPosition ?? "")
            try await req.audit(
                "certificate.settings", subject: saved.numberFormat,
                detail: "signer=\(saved.signerName); position=\(saved.signerPosition)", tenantID: scope.tenantID, on: tx
            )
            return saved
        }
    }
}
