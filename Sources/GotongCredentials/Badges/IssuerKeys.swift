import CryptoExtras
import Fluent
import Foundation
import GotongPlatform
import JWTKit
import SQLKit
import Synchronization
import Vapor

/// A tenant's two Open Badges signing keys, ready to sign with.
struct IssuerSigner: Sendable {
    let rsaKID: String
    let rsa: JWTKit.Insecure.RSA.PrivateKey
    let ecKID: String
    let ec: ES256PrivateKey
    private let keys: JWTKeyCollection

    init(rsaKID: String, rsa: JWTKit.Insecure.RSA.PrivateKey, ecKID: String, ec: ES256PrivateKey) async {
        (self.rsaKID, self.rsa, self.ecKID, self.ec) = (rsaKID, rsa, ecKID, ec)
        keys = JWTKeyCollection()
        await keys.add(rsa: rsa, digestAlgorithm: .sha256, kid: JWKIdentifier(string: rsaKID))
        await keys.add(ecdsa: ec, kid: JWKIdentifier(string: ecKID))
    }

    /// A compact JWS of `payload` signed RS256 (an Open Badges 2.0 signed assertion).
    func signRS256(_ payload: some JWTPayload) async throws -> String {
        var header = JWTHeader()
        header.alg = "RS256"
        return try await keys.sign(payload, kid: JWKIdentifier(string: rsaKID), header: header)
    }

    /// A compact JWS of `payload` signed ES256 with the key's id in its header (a 3.0 credential).
    func signES256(_ payload: some JWTPayload) async throws -> String {
        var header = JWTHeader()
        header.alg = "ES256"
        return try await keys.sign(payload, kid: JWKIdentifier(string: ecKID), header: header)
    }

    /// The public halves as a JWK set (RFC 7517), for anyone checking a signature.
    var jwks: JWKSet {
        var keys: [JWKSet.Key] = []
        if let (x, y) = ec.publicKey.parameters {
            keys.append(.init(kty: "EC", kid: ecKID, alg: "ES256", crv: "P-256", x: x, y: y))
        }
        if let (n, e) = try? rsa.publicKey.getKeyPrimitives() {
            keys.append(.init(kty: "RSA", kid: rsaKID, alg: "RS256", n: n.base64URL, e: e.base64URL))
        }
        return JWKSet(keys: keys)
    }
}

/// A JWK set as published; only the public members are ever in it.
struct JWKSet: Content {
    struct Key: Codable, Sendable {
        var kty: String
        var use = "sig"
        var kid: String
        var alg: String
        var crv: String?
        var x: String?
        var y: String?
        var n: String?
        var e: String?
    }

    var keys: [Key]
}

/// Reads (or makes, once) each tenant's issuer keys and keeps them for the life of the process,
/// as ``SecretKeys`` does for the platform's own: a badge verifier fetches the key on every
/// check, and an RSA key takes a noticeable moment to make or parse.
final class IssuerKeys: Sendable {
    private let cache = Mutex<[UUID: IssuerSigner]>([:])

    func signer(for tenantID: UUID, on db: any Database, now: Date) async throws -> IssuerSigner {
        if let signer = cache.withLock({ $0[tenantID] }) { return signer }
        let rsa = try await stored(.rs256, tenantID: tenantID, on: db, now: now)
        let ec = try await stored(.es256, tenantID: tenantID, on: db, now: now)
        let signer = await IssuerSigner(
            rsaKID: rsa.kid, rsa: try JWTKit.Insecure.RSA.PrivateKey(pem: rsa.privatePEM), ecKID: ec.kid,
            ec: try ES256PrivateKey(pem: ec.privatePEM))
        cache.withLock { $0[tenantID] = signer }
        return signer
    }

    /// The stored key; made first when there is none. Two processes may make one at the same
    /// moment: the first insert wins, and both read it.
    private func stored(
        _ algorithm: IssuerKey.Algorithm, tenantID: UUID, on db: any Database, now: Date
    ) async throws -> IssuerKey {
        if let key = try await find(algorithm, tenantID: tenantID, on: db) { return key }
        let pem: String
        switch algorithm {
        case .rs256: pem = try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation
        case .es256: pem = ES256PrivateKey().pemRepresentation
        }
        let kid = algorithm.rawValue.lowercased() + "-" + String(UUID().uuidString.lowercased().prefix(8))
        try await db.sql.raw(
            """
            INSERT INTO \(ident: IssuerKey.schema) (id, tenant_id, algorithm, kid, private_pem, created_at) \
            VALUES (\(bind: UUID()), \(bind: tenantID), \(bind: algorithm.rawValue), \(bind: kid), \(bind: pem), \
            \(bind: now)) ON CONFLICT (tenant_id, algorithm) DO NOTHING
            """
        ).run()
        guard let key = try await find(algorithm, tenantID: tenantID, on: db) else {
            throw Abort(.internalServerError, reason: "issuer key \(algorithm.rawValue) was not kept")
        }
        return key
    }

    private func find(_ algorithm: IssuerKey.Algorithm, tenantID: UUID, on db: any Database) async throws -> IssuerKey?
    {
        try await IssuerKey.query(on: db).filter(\.$tenantID == tenantID)
            .filter(\.$algorithm == algorithm.rawValue).first()
    }
}

extension Application {
    private struct IssuerKeysKey: StorageKey { typealias Value = IssuerKeys }

    /// Made by `Credentials.setUp` before the server answers, so requests only ever read it.
    var issuerKeys: IssuerKeys {
        if let keys = storage[IssuerKeysKey.self] { return keys }
        let keys = IssuerKeys()
        storage[IssuerKeysKey.self] = keys
        return keys
    }
}
