import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The public Open Badges addresses a verifier or a backpack fetches (no account: they hold
/// only what the badge shows, the recipient as a salted hash), and the holder's download of the
/// signed 3.0 credential.
package struct OpenBadgeRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(CredentialsRoute.badgeIssuer(.key), use: issuer)
        tenant.get(CredentialsRoute.badgeKey(.key), use: key)
        tenant.get(CredentialsRoute.badgeRevocations(.key), use: revocations)
        tenant.get(CredentialsRoute.badgeJWKS(.key), use: jwks)
        tenant.get(CredentialsRoute.badgeStatus(.key, .key), use: status)
        tenant.get(CredentialsRoute.badgeClass(.key, .key), use: badgeClass)
        tenant.get(CredentialsRoute.badgeImage(.key, .key), use: image)
        tenant.get(CredentialsRoute.badgeAssertion(.key, .key), use: assertion)
        tenant.get(CredentialsRoute.signedAssertion(.key, .key), use: signedAssertion)
        routes.get(CredentialsRoute.myBadgeCredential(.key), use: myCredential)
    }

    func issuer(req: Request) async throws -> Response {
        let tenant = try req.tenant
        return try Self.json(OpenBadges2.issuer(tenant, at: req.badgeAddresses(tenant), fallbackEmail: req.issuerEmail))
    }

    func key(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let urls = try req.badgeAddresses(tenant)
        let signer = try await req.issuerSigner(tenant)
        return try Self.json(
            OpenBadges2.CryptographicKey(
                id: urls.key, owner: urls.issuer, publicKeyPem: signer.rsa.publicKey.pemRepresentation))
    }

    func revocations(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let urls = try req.badgeAddresses(tenant)
        let revoked = try await BadgeRegistry(db: req.database).revoked(try req.tenantScope)
        // Both ids of each award are listed: the signed assertion's and the hosted one's.
        let entries = revoked.flatMap { certificate in
            [OpenBadges2.signedID(certificate), urls.assertion(certificate.verificationCode)].map {
                OpenBadges2.RevocationList.Entry(id: $0, revocationReason: certificate.revokedReason)
            }
        }
        let list = OpenBadges2.RevocationList(id: urls.revocations, issuer: urls.issuer, revokedAssertions: entries)
        return try Self.json(list, maxAge: 60)
    }

    func jwks(req: Request) async throws -> Response {
        let signer = try await req.issuerSigner(try req.tenant)
        return try Self.json(signer.jwks, type: HTTPMediaType(type: "application", subType: "jwk-set+json"))
    }

    func status(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let year = try req.parameter(StatusListYear.self).value
        let urls = try req.badgeAddresses(tenant)
        let (revoked, last) = try await BadgeRegistry(db: req.database).statusBits(try req.tenantScope, year: year)
        let list = try OpenBadges3.statusList(
            revoked: revoked, last: last, url: urls.status(year: year), issuer: urls.issuer,
            now: req.application.clock.now())
        let token = try await req.issuerSigner(tenant).signES256(list)
        return Self.text(token, type: HTTPMediaType(type: "application", subType: "vc+jwt"), maxAge: 60)
    }

    func badgeClass(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let (badge, course) = try await badgeAndCourse(req)
        let courseURL = req.application.gotong.baseURL + CatalogRoute.course(tenant.routeSlug, course.routeSlug).path
        return try Self.json(
            OpenBadges2.badgeClass(
                badge, courseURL: courseURL, tags: [course.competencyType.rawValue], at: req.badgeAddresses(tenant)))
    }

    func image(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let (badge, course) = try await badgeAndCourse(req)
        let response: Response
        if let key = badge.imageKey {
            response = try await req.application.files.serve(key, as: .png, for: req)
        } else {
            let svg = BadgeImage.svg(courseTitle: course.title, jp: course.jp, color: tenant.primaryColor)
            response = Self.text(svg, type: HTTPMediaType(type: "image", subType: "svg+xml"), maxAge: 3600)
        }
        // An image is shown, never run, whoever opens it.
        response.headers.replaceOrAdd(
            name: "Content-Security-Policy", value: "default-src 'none'; style-src 'unsafe-inline'")
        response.headers.replaceOrAdd(name: .accessControlAllowOrigin, value: "*")
        return response
    }

    /// The hosted assertion; a revoked one answers 410 Gone with `revoked` and its reason, as
    /// Open Badges 2.0 asks.
    func assertion(req: Request) async throws -> Response {
        let (award, urls) = try await self.award(req)
        let document = OpenBadges2.assertion(
            award, signed: false, at: urls, verificationURL: req.verificationURL(award))
        let response = try Self.json(document, maxAge: 60)
        if award.certificate.isRevoked { response.status = .gone }
        return response
    }

    /// The same assertion signed: still handed out when revoked, since a verifier learns that
    /// from the issuer's revocation list.
    func signedAssertion(req: Request) async throws -> Response {
        let (award, urls) = try await self.award(req)
        let document = OpenBadges2.assertion(award, signed: true, at: urls, verificationURL: req.verificationURL(award))
        let token = try await req.issuerSigner(try req.tenant).signRS256(document)
        return Self.text(token, type: .plainText, maxAge: 60)
    }

    /// The holder's Open Badges 3.0 credential, signed for them to keep in a wallet or pass on.
    func myCredential(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let code = try req.parameter(CertificateCode.self).rawValue
        guard let certificate = try await CertificateRegistry(db: req.database).find(code),
            certificate.personID == (try person.requireID()),
            let tenant = try await Tenant.find(certificate.tenantID, on: req.database)
        else { throw Abort(.notFound) }
        let scope = TenantScope(tenantID: certificate.tenantID, db: req.database)
        guard let award = try await BadgeRegistry(db: req.database).award(code, in: scope) else {
            throw Abort(.notFound)
        }
        guard !certificate.isRevoked else { throw Abort(.gone) }
        let token = try await Self.credentialJWT(award, tenant: tenant, req: req)
        let response = Self.text(token, type: HTTPMediaType(type: "application", subType: "vc+jwt"), maxAge: nil)
        response.headers.setAttachment(
            filename: "lencana-" + certificate.number.map { $0.isLetter || $0.isNumber ? $0 : "-" } + ".jwt")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    static func credentialJWT(_ award: BadgeAward, tenant: Tenant, req: Request) async throws -> String {
        let urls = try req.badgeAddresses(tenant)
        let issuer = OpenBadges2.issuer(tenant, at: urls, fallbackEmail: req.issuerEmail)
        return try await req.issuerSigner(tenant).signES256(OpenBadges3.credential(award, issuer: issuer, at: urls))
    }

    private func badgeAndCourse(_ req: Request) async throws -> (BadgeClass, Course) {
        let scope = try req.tenantScope
        let courseID = try req.parameter(CourseID.self).rawValue
        guard let badge = try await BadgeRegistry(db: req.database).badge(scope, course: courseID),
            let course = try await scope.find(Course.self, courseID)
        else { throw Abort(.notFound) }
        return (badge, course)
    }

    private func award(_ req: Request) async throws -> (BadgeAward, BadgeAddresses) {
        let code = try req.parameter(CertificateCode.self).rawValue
        guard let award = try await BadgeRegistry(db: req.database).award(code, in: try req.tenantScope) else {
            throw Abort(.notFound)
        }
        return (award, try req.badgeAddresses(try req.tenant))
    }

    /// JSON-LD for any fetcher: UTF-8 said outright (some clients guess otherwise), readable
    /// from any web page (a backpack fetches from the browser).
    static func json(
        _ value: some Encodable, type: HTTPMediaType = HTTPMediaType(type: "application", subType: "ld+json"),
        maxAge: Int? = 300
    ) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return text(String(decoding: try encoder.encode(value), as: UTF8.self), type: type, maxAge: maxAge)
    }

    static func text(_ body: String, type: HTTPMediaType, maxAge: Int?) -> Response {
        let response = Response(status: .ok, body: .init(string: body))
        response.headers.replaceOrAdd(name: .contentType, value: type.serialize() + "; charset=utf-8")
        response.headers.replaceOrAdd(name: .accessControlAllowOrigin, value: "*")
        if let maxAge { response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=\(maxAge)") }
        return response
    }
}

extension Request {
    func badgeAddresses(_ tenant: Tenant) throws -> BadgeAddresses {
        BadgeAddresses(base: application.gotong.baseURL, slug: tenant.slug)
    }

    func issuerSigner(_ tenant: Tenant) async throws -> IssuerSigner {
        try await application.issuerKeys.signer(for: try tenant.requireID(), on: db, now: application.clock.now())
    }

    /// The issuer's address when the tenant gave none: the platform's sender, else a no-reply
    /// one at the platform's host (Open Badges 2.0 requires an issuer address).
    var issuerEmail: String {
        if let from = application.gotong.smtp?.from, !from.isEmpty { return from }
        let host = URL(string: application.gotong.baseURL)?.host ?? "localhost"
        return "noreply@" + (host.contains(".") ? host : host + ".invalid")
    }

    func verificationURL(_ award: BadgeAward) -> String {
        application.gotong.baseURL + CredentialsRoute.verification(.value(award.certificate.verificationCode)).path
    }
}
