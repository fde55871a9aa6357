import Crypto
import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy
import JWTKit

/// A tenant's public Open Badges addresses, absolute (the documents name each other by them).
struct BadgeAddresses {
    let base: String
    let slug: String

    private func url(_ route: CredentialsRoute) -> String { base + route.path }
    private var tenant: Param<TenantSlug> { .value(TenantSlug(rawValue: slug)) }

    var issuer: String { url(.badgeIssuer(tenant)) }
    var key: String { url(.badgeKey(tenant)) }
    var revocations: String { url(.badgeRevocations(tenant)) }
    var jwks: String { url(.badgeJWKS(tenant)) }
    func status(year: Int) -> String { url(.badgeStatus(tenant, .value(StatusListYear(year)))) }
    func badgeClass(_ course: UUID) -> String { url(.badgeClass(tenant, .value(CourseID(course)))) }
    func image(_ course: UUID) -> String { url(.badgeImage(tenant, .value(CourseID(course)))) }
    func assertion(_ code: CertificateCode) -> String { url(.badgeAssertion(tenant, .value(code))) }
}

/// Open Badges 2.0 (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html)
/// as JSON-LD: the issuer profile with its public key and revocation list, the badge class, and
/// the assertion hosted at its own address or signed as a JWS.
enum OpenBadges2 {
    static let context = "https://w3id.org/openbadges/v2"

    struct Issuer: Codable, Sendable {
        var context = OpenBadges2.context
        var type = "Issuer"
        var id: String
        var name: String
        var url: String
        var email: String
        var description: String?
        var publicKey: String
        var revocationList: String

        enum CodingKeys: String, CodingKey {
            case context = "@context", type, id, name, url, email, description, publicKey, revocationList
        }
    }

    struct CryptographicKey: Codable, Sendable {
        var context = OpenBadges2.context
        var type = "CryptographicKey"
        var id: String
        var owner: String
        var publicKeyPem: String

        enum CodingKeys: String, CodingKey { case context = "@context", type, id, owner, publicKeyPem }
    }

    struct RevocationList: Codable, Sendable {
        struct Entry: Codable, Sendable {
            var id: String
            var revocationReason: String
        }

        var context = OpenBadges2.context
        var type = "RevocationList"
        var id: String
        var issuer: String
        var revokedAssertions: [Entry]

        enum CodingKeys: String, CodingKey { case context = "@context", type, id, issuer, revokedAssertions }
    }

    struct BadgeClassDocument: Codable, Sendable {
        struct Criteria: Codable, Sendable {
            var id: String
            var narrative: String
        }

        var context = OpenBadges2.context
        var type = "BadgeClass"
        var id: String
        var name: String
        var description: String
        var image: String
        var criteria: Criteria
        var issuer: String
        var tags: [String]

        enum CodingKeys: String, CodingKey {
            case context = "@context", type, id, name, description, image, criteria, issuer, tags
        }
    }

    struct Assertion: Codable, Sendable, JWTPayload {
        struct Recipient: Codable, Sendable {
            var type = "email"
            var hashed = true
            var salt: String
            var identity: String
        }

        struct Verification: Codable, Sendable {
            var type: String
            var creator: String?
        }

        struct Evidence: Codable, Sendable {
            var id: String
            var narrative: String
        }

        var context = OpenBadges2.context
        var type = "Assertion"
        var id: String
        var recipient: Recipient
        var badge: String
        var verification: Verification
        var issuedOn: String
        var evidence: [Evidence]
        var revoked: Bool?
        var revocationReason: String?

        enum CodingKeys: String, CodingKey {
            case context = "@context", type, id, recipient, badge, verification, issuedOn, evidence, revoked
            case revocationReason
        }

        /// Gotong signs these and never reads them back.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func issuer(_ tenant: Tenant, at urls: BadgeAddresses, fallbackEmail: String) -> Issuer {
        Issuer(
            id: urls.issuer, name: tenant.name,
            url: urls.base + CatalogRoute.storefront(tenant.routeSlug).path,
            email: tenant.contactEmail.isEmpty ? fallbackEmail : tenant.contactEmail,
            description: tenant.tagline.isEmpty ? nil : tenant.tagline, publicKey: urls.key,
            revocationList: urls.revocations)
    }

    static func badgeClass(
        _ badge: BadgeClass, courseURL: String, tags: [String], at urls: BadgeAddresses
    )
        -> BadgeClassDocument
    {
        BadgeClassDocument(
            id: urls.badgeClass(badge.courseID), name: badge.name, description: badge.description,
            image: urls.image(badge.courseID), criteria: .init(id: courseURL, narrative: badge.criteria),
            issuer: urls.issuer, tags: tags)
    }

    /// The assertion of an award. Hosted, its id is its address; signed, it is the
    /// certificate's `urn:uuid:` (a signed assertion need not be fetchable), and the verifier
    /// finds the key through `verification.creator`.
    static func assertion(
        _ award: BadgeAward, signed: Bool, at urls: BadgeAddresses, verificationURL: String
    )
        -> Assertion
    {
        let certificate = award.certificate
        let salt = salt(of: certificate)
        return Assertion(
            id: signed ? signedID(certificate) : urls.assertion(certificate.verificationCode),
            recipient: .init(salt: salt, identity: identityHash(award.email, salt: salt)),
            badge: urls.badgeClass(award.badge.courseID),
            verification: signed ? .init(type: "SignedBadge", creator: urls.key) : .init(type: "HostedBadge"),
            issuedOn: LocalDates.iso(certificate.issuedAt),
            evidence: [.init(id: verificationURL, narrative: "Sertifikat \(certificate.number)")],
            revoked: certificate.isRevoked && !signed ? true : nil,
            revocationReason: certificate.isRevoked && !signed ? certificate.revokedReason : nil)
    }

    static func signedID(_ certificate: Certificate) -> String {
        "urn:uuid:" + (certificate.id?.uuidString.lowercased() ?? "")
    }

    /// The salt of an award's hashes: published with them, so it need not be secret, only
    /// different per award (the same address then hashes differently in every badge).
    static func salt(of certificate: Certificate) -> String {
        let digest = SHA256.hash(data: Data(("gotong-badge:" + (certificate.id?.uuidString ?? "")).utf8))
        return digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// `sha256$` and the hex SHA-256 of the value followed by the salt, as Open Badges hashes
    /// a recipient's identity.
    static func identityHash(_ value: String, salt: String) -> String {
        "sha256$" + SHA256.hash(data: Data((value + salt).utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
