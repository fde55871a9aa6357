import Foundation
import GotongPlatform
import GotongTenancy
import JWTKit
import Vapor

/// Open Badges 3.0 (https://www.imsglobal.org/spec/ob/v3p0/): the same award as an
/// `OpenBadgeCredential`, a W3C Verifiable Credential secured as a JWT (VC-JWT, §8.2): the
/// credential is the payload, with the registered claims `iss`, `jti` and `nbf` beside it,
/// signed ES256 with the tenant's key from its published JWK set. Revocation is a W3C
/// Bitstring Status List per tenant and year whose bit is the certificate's place in that
/// year's numbering.
enum OpenBadges3 {
    static let contexts = [
        "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    /// The smallest list the Bitstring Status List spec allows (16 KB), so a list does not
    /// tell how many certificates a tenant gave.
    static let minimumBits = 131_072

    struct Profile: Codable, Sendable {
        var id: String
        var type = ["Profile"]
        var name: String
        var url: String
        var email: String
    }

    struct IdentityObject: Codable, Sendable {
        var type = "IdentityObject"
        /// The plain value when not hashed; else `sha256$` and the hash of value and salt.
        var identityHash: String
        var identityType: String
        var hashed: Bool
        var salt: String?
    }

    struct Achievement: Codable, Sendable {
        struct Criteria: Codable, Sendable { var narrative: String }

        struct Image: Codable, Sendable {
            var id: String
            var type = "Image"
        }

        var id: String
        var type = ["Achievement"]
        var achievementType = "Course"
        var name: String
        var description: String
        var criteria: Criteria
        var image: Image
        /// The course's JP: the credit the achievement is worth.
        var creditsAvailable: Double
    }

    struct Subject: Codable, Sendable {
        var type = ["AchievementSubject"]
        var identifier: [IdentityObject]
        var achievement: Achievement
        var creditsEarned: Double
        var activityEndDate: String
    }

    struct Status: Codable, Sendable {
        var id: String
        var type = "BitstringStatusListEntry"
        var statusPurpose = "revocation"
        var statusListIndex: String
        var statusListCredential: String
    }

    struct Credential: Codable, Sendable, JWTPayload {
        var context = OpenBadges3.contexts
        var id: String
        var type = ["VerifiableCredential", "OpenBadgeCredential"]
        var issuer: Profile
        var validFrom: String
        var name: String
        var credentialSubject: Subject
        var credentialStatus: Status
        // The JWT's registered claims (RFC 7519), as VC-JWT maps them from the credential.
        var iss: String
        var jti: String
        var nbf: Int

        enum CodingKeys: String, CodingKey {
            case context = "@context", id, type, issuer, validFrom, name, credentialSubject, credentialStatus
            case iss, jti, nbf
        }

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func credential(
        _ award: BadgeAward, issuer: OpenBadges2.Issuer, at urls: BadgeAddresses
    ) -> Credential {
        let certificate = award.certificate
        let badge = award.badge
        let salt = OpenBadges2.salt(of: certificate)
        var identifiers = [IdentityObject(identityHash: award.email, identityType: "emailAddress", hashed: false)]
        if let nip = certificate.personNIP, !nip.isEmpty {
            // An employer who knows the NIP can check it; the credential does not reveal it.
            identifiers.append(
                IdentityObject(
                    identityHash: OpenBadges2.identityHash(nip, salt: salt), identityType: "ext:nip", hashed: true,
                    salt: salt))
        }
        let id = OpenBadges2.signedID(certificate)
        let statusList = urls.status(year: certificate.year)
        return Credential(
            id: id, issuer: .init(id: issuer.id, name: issuer.name, url: issuer.url, email: issuer.email),
            validFrom: LocalDates.iso(certificate.issuedAt), name: badge.name,
            credentialSubject: .init(
                identifier: identifiers,
                achievement: .init(
                    id: urls.badgeClass(badge.courseID), name: badge.name, description: badge.description,
                    criteria: .init(narrative: badge.criteria),
                    image: .init(id: urls.image(badge.courseID)), creditsAvailable: Double(certificate.jp)),
                creditsEarned: Double(certificate.jp), activityEndDate: LocalDates.iso(certificate.completedAt)),
            credentialStatus: .init(
                id: statusList + "#\(certificate.sequence)", statusListIndex: "\(certificate.sequence)",
                statusListCredential: statusList),
            iss: issuer.id, jti: id, nbf: Int(certificate.issuedAt.timeIntervalSince1970))
    }

    struct StatusListCredential: Codable, Sendable, JWTPayload {
        struct Subject: Codable, Sendable {
            var id: String
            var type = "BitstringStatusList"
            var statusPurpose = "revocation"
            var encodedList: String
        }

        var context = [OpenBadges3.contexts[0]]
        var id: String
        var type = ["VerifiableCredential", "BitstringStatusListCredential"]
        var issuer: String
        var validFrom: String
        var credentialSubject: Subject
        var iss: String
        var jti: String
        var nbf: Int

        enum CodingKeys: String, CodingKey {
            case context = "@context", id, type, issuer, validFrom, credentialSubject, iss, jti, nbf
        }

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// A year's status list: bit `n` (counted from the first byte's highest bit) is set when
    /// the certificate numbered `n` that year is revoked; GZIP, base64url, multibase `u`.
    static func statusList(
        revoked: [Int], last: Int, url: String, issuer: String, now: Date
    ) throws -> StatusListCredential {
        let bits = max(minimumBits, (last / 8 + 1) * 8)
        var bytes = [UInt8](repeating: 0, count: bits / 8)
        for n in revoked where n >= 0 && n < bits { bytes[n / 8] |= 0x80 >> UInt8(n % 8) }
        guard let zipped = Gzip.compress(.init(bytes: bytes)).map({ Data($0.readableBytesView) }) else {
            throw Abort(.internalServerError, reason: "the status list could not be compressed")
        }
        return StatusListCredential(
            id: url, issuer: issuer, validFrom: LocalDates.iso(now),
            credentialSubject: .init(id: url + "#list", encodedList: "u" + zipped.base64URL), iss: issuer, jti: url,
            nbf: Int(now.timeIntervalSince1970))
    }
}
