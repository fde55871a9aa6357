import Crypto
import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// Who answers: one person, one answer. A person is known by an email address: their signed-in
/// account's (accounts are verified by email), or one they proved they hold with a six-digit
/// code sent to it. Only a keyed hash of it is kept, so the same person answers once whatever
/// browser they use or however they prove it, and the tables do not say who they are.
///
/// Guessing is bounded: a code takes five tries (each counted even when it fails), an address
/// five codes an hour, a sender twenty codes an hour, a tenant five hundred.
public enum Participants {
    /// The cookie holding the token a proved address gives (two hours).
    static let cookie = "gotong_peserta"
    /// The cookie naming the proof waiting for its code.
    static let pendingCookie = "gotong_bukti"
    static let codeLifetime: TimeInterval = 15 * 60
    static let tokenLifetime: TimeInterval = 2 * 3600
    static let maxAttempts = 5
    static let maxCodesPerHour = 5
    static let maxCodesPerSender = 20
    static let maxCodesPerTenant = 500

    static func key(_ app: Application) async throws -> SymmetricKey {
        try await app.secretKeys.key("info.participants", on: app.db)
    }

    static func voter(email: String, key: SymmetricKey) -> String {
        "surel:" + LiveQA.hashed("email:\(EmailAddress.normalise(email))", key: key)
    }

    /// The token of the request's cookie, when it has the form tokens have.
    static func token(_ req: Request) -> String? {
        guard let token = req.cookies[cookie]?.string, token.utf8.count == 64, token.allSatisfy(\.isHexDigit) else {
            return nil
        }
        return token
    }

    /// The person the request answers as: the signed-in account, or the proved address of the
    /// cookie's token; nil when neither.
    static func voter(_ req: Request, scope: TenantScope) async throws -> String? {
        let key = try await key(req.application)
        if let viewer = req.viewer { return voter(email: viewer.email, key: key) }
        guard let token = token(req) else { return nil }
        let now = req.application.clock.now()
        return try await scope.query(ParticipantProof.self).filter(\.$tokenHash == SecretToken.hash(token))
            .filter(\.$expiresAt > now).first()?.voter
    }

    /// Sends a code to `email` and returns the proof it answers (for the pending cookie). At
    /// most five codes an hour go to one address.
    static func sendCode(
        to raw: String?, sender: String, tenant: String, in scope: TenantScope, app: Application, texts t: Texts
    ) async throws -> UUID {
        let email = EmailAddress.normalise(raw ?? "")
        guard EmailAddress.isValid(email) else { throw InputError(field: "email", key: "info.error.participant_email") }
        let now = app.clock.now()
        let voter = voter(email: email, key: try await key(app))
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000))
        let proof = ParticipantProof()
        proof.id = UUID()
        (proof.tenantID, proof.voter, proof.sender, proof.attempts) = (scope.tenantID, voter, sender, 0)
        (proof.codeHash, proof.expiresAt, proof.createdAt) = (
            SecretToken.hash("\(proof.id!.uuidString):\(code)"), now + codeLifetime, now
        )
        // Counted and written under the tenant's lock (PostgreSQL; SQLite has one writer), so
        // requests at once cannot pass the caps together.
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            try await tx.takeTurn(Self.lockKey(scope.tenantID))
            let hour = scope.query(ParticipantProof.self).filter(\.$createdAt > now.addingTimeInterval(-3600))
            let caps = [
                (try await hour.copy().filter(\.$voter == voter).count(), maxCodesPerHour),
                (try await hour.copy().filter(\.$sender == sender).count(), maxCodesPerSender),
                (try await hour.copy().count(), maxCodesPerTenant),
            ]
            guard caps.allSatisfy({ $0.0 < $0.1 }) else {
                throw InputError(field: "email", key: "info.error.participant_codes", status: .tooManyRequests)
            }
            try await proof.create(on: tx)
        }
        try await app.mailer.send(
            Mail(
                to: email, subject: t("info.participate.mail_subject", ["tenant": tenant]),
                body: t("info.participate.mail_body", ["code": code, "tenant": tenant])))
        return proof.id!
    }

    /// Checks the code against the pending proof; the token to keep in the cookie. A wrong code
    /// is counted in a transaction that commits: the refusal is thrown after it, not inside it
    /// (a throw would roll the count back, and the code could be guessed without end).
    static func confirm(_ proofID: UUID, code raw: String?, in scope: TenantScope, now: Date) async throws -> String {
        let code = (raw ?? "").filter(\.isNumber)
        let outcome: Result<String, InputError> = try await scope.db.lockingTransaction { tx in
            guard
                let proof = try await TenantScope(tenantID: scope.tenantID, db: tx).locked(
                    ParticipantProof.self, proofID),
                proof.tokenHash == nil, proof.expiresAt > now
            else { return .failure(InputError(field: "code", key: "info.error.participant_expired")) }
            guard proof.attempts < maxAttempts else {
                return .failure(
                    InputError(field: "code", key: "info.error.participant_attempts", status: .tooManyRequests))
            }
            proof.attempts += 1
            guard SecretToken.matches("\(proofID.uuidString):\(code)", hash: proof.codeHash) else {
                try await proof.save(on: tx)
                return .failure(InputError(field: "code", key: "info.error.participant_code"))
            }
            let token = Data([UInt8].random(count: 32)).hex
            (proof.tokenHash, proof.expiresAt) = (SecretToken.hash(token), now + tokenLifetime)
            try await proof.save(on: tx)
            return .success(token)
        }
        return try outcome.get()
    }

    /// A 64-bit key for the tenant's lock on sending codes.
    static func lockKey(_ tenant: UUID) -> Int64 {
        let digest = SHA256.hash(data: Data("info-participants:\(tenant.uuidString)".utf8))
        return digest.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
    }
}
