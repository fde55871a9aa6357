import Crypto
import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// Who answers: one person, one answer. A person is known by their signed-in account, or by an
/// email address they proved they hold with a six-digit code sent to it; either way only a
/// keyed hash of it is kept (`akun:…` or `surel:…`), so the same person answers once whatever
/// browser they use, and the tables do not say who they are.
public enum Participants {
    /// The cookie holding the token a proved address gives (two hours).
    static let cookie = "gotong_peserta"
    /// The cookie naming the proof waiting for its code.
    static let pendingCookie = "gotong_bukti"
    static let codeLifetime: TimeInterval = 15 * 60
    static let tokenLifetime: TimeInterval = 2 * 3600
    static let maxAttempts = 5
    static let maxCodesPerHour = 5

    static func key(_ app: Application) async throws -> SymmetricKey {
        try await app.secretKeys.key("info.participants", on: app.db)
    }

    static func voter(account: UUID, key: SymmetricKey) -> String { "akun:" + hashed("account:\(account)", key) }
    static func voter(email: String, key: SymmetricKey) -> String { "surel:" + hashed("email:\(email)", key) }

    static func hashed(_ text: String, _ key: SymmetricKey) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)).hex
    }

    static func digest(_ text: String) -> String { Data(SHA256.hash(data: Data(text.utf8))).hex }

    /// The person the request answers as: the signed-in account, or the proved address of the
    /// cookie's token; nil when neither.
    static func voter(_ req: Request, scope: TenantScope) async throws -> String? {
        let key = try await key(req.application)
        if let viewer = req.viewer { return voter(account: viewer.id, key: key) }
        guard let token = req.cookies[cookie]?.string, token.utf8.count == 64, token.allSatisfy(\.isHexDigit) else {
            return nil
        }
        let now = req.application.clock.now()
        return try await scope.query(ParticipantProof.self).filter(\.$tokenHash == digest(token))
            .filter(\.$expiresAt > now).first()?.voter
    }

    /// Sends a code to `email` and returns the proof it answers (for the pending cookie). At
    /// most five codes an hour go to one address.
    static func sendCode(
        to raw: String?, tenant: String, in scope: TenantScope, app: Application, texts t: Texts
    ) async throws -> UUID {
        let email = EmailAddress.normalise(raw ?? "")
        guard EmailAddress.isValid(email) else { throw InputError(field: "email", key: "info.error.participant_email") }
        let now = app.clock.now()
        let voter = voter(email: email, key: try await key(app))
        let recent = try await scope.query(ParticipantProof.self).filter(\.$voter == voter)
            .filter(\.$createdAt > now.addingTimeInterval(-3600)).count()
        guard recent < maxCodesPerHour else {
            throw InputError(field: "email", key: "info.error.participant_codes", status: .tooManyRequests)
        }
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000))
        let proof = ParticipantProof()
        proof.id = UUID()
        (proof.tenantID, proof.voter, proof.attempts, proof.createdAt) = (scope.tenantID, voter, 0, now)
        (proof.codeHash, proof.expiresAt) = (digest("\(proof.id!.uuidString):\(code)"), now + codeLifetime)
        try await proof.create(on: scope.db)
        try await app.mailer.send(
            Mail(
                to: email, subject: t("info.participate.mail_subject", ["tenant": tenant]),
                body: t("info.participate.mail_body", ["code": code, "tenant": tenant])))
        return proof.id!
    }

    /// Checks the code against the pending proof; the token to keep in the cookie.
    static func confirm(_ proofID: UUID, code raw: String?, in scope: TenantScope, now: Date) async throws -> String {
        let code = (raw ?? "").filter(\.isNumber)
        return try await scope.db.lockingTransaction { tx in
            guard
                let proof = try await TenantScope(tenantID: scope.tenantID, db: tx).locked(
                    ParticipantProof.self, proofID),
                proof.tokenHash == nil, proof.expiresAt > now
            else { throw InputError(field: "code", key: "info.error.participant_expired") }
            guard proof.attempts < maxAttempts else {
                throw InputError(field: "code", key: "info.error.participant_attempts", status: .tooManyRequests)
            }
            guard digest("\(proofID.uuidString):\(code)") == proof.codeHash else {
                proof.attempts += 1
                try await proof.save(on: tx)
                throw InputError(field: "code", key: "info.error.participant_code")
            }
            let token = Data([UInt8].random(count: 32)).hex
            (proof.tokenHash, proof.expiresAt) = (digest(token), now + tokenLifetime)
            try await proof.save(on: tx)
            return token
        }
    }
}
