import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// Certificates in the JSON API: the caller's own, anyone's status by its code, a tenant's
/// list, revocation and settings for its administrators, and completions recorded by hand.
package struct CertificateAPIRoutes: RouteCollection {
    package init() {}

    /// Who keeps a tenant's certificates: its administrators.
    static let keepers: Set<Role> = [.admin]
    /// Who sees a tenant's certificates and records completions by hand: coordinators too.
    static let coordinators: Set<Role> = [.admin, .pengelola]

    package func boot(routes: any RoutesBuilder) throws {
        typealias R = CredentialsAPIRoute
        routes.get(R.myCertificates, use: mine)
        routes.get(R.verification(.key), use: verification)
        let tenant = routes.resolvingTenant()
        tenant.get(R.certificates(.key), use: list)
        tenant.post(R.revokeCertificate(.key, .key), use: revoke)
        tenant.get(R.certificateSettings(.key), use: settings)
        tenant.on(.PUT, R.certificateSettings(.key), use: saveSettings)
        tenant.post(R.completions(.key, .key), use: recordCompletion)
    }

    struct Item: Content {
        var number: String
        var code: String
        var course: String
        var course_id: UUID
        var tenant: String
        var jp: Int
        var issued_at: Date
        var completed_at: Date
        var verification_url: String
        var pdf_url: String
        var revoked: Bool
        var revoked_reason: String?
        /// The hosted Open Badges 2.0 assertion when the course awards a badge (its other forms
        /// are at `/me/certificates/{code}/badge`).
        var badge_url: String?
    }

    struct List: Content { var certificates: [Item] }

    func mine(req: Request) async throws -> List {
        let person = try req.requirePerson()
        let rows = try await CertificateRegistry(db: req.database).mine(PersonID(person.requireID()))
        let badges = try await BadgeRegistry(db: req.database).badgeSlugs(of: rows)
        let base = req.application.gotong.baseURL
        return List(
            certificates: rows.map { c in
                var item = Item(c, base: base)
                if let slug = c.id.flatMap({ badges[$0] }) {
                    item.badge_url = base + CredentialsRoute.badgeAssertion(slug, .value(c.verificationCode)).path
                }
                return item
            })
    }

    /// What the verification page shows, for an employer's system.
    struct Verification: Content {
        var status: String
        var number: String
        var name: String
        var nip: String?
        var course: String
        var jp: Int
        var issuer: String
        var started_at: Date?
        var completed_at: Date
        var issued_at: Date
        var signer_name: String
        var signer_position: String
        var revoked_at: Date?
        var revoked_reason: String?
    }

    func verification(req: Request) async throws -> Verification {
        let code = try req.parameter(CertificateCode.self).rawValue
        guard let c = try await CertificateRegistry(db: req.database).find(code) else { throw Abort(.notFound) }
        return Verification(
            status: c.isRevoked ? "revoked" : "valid", number: c.number, name: c.personName, nip: c.maskedNIP,
            course: c.courseTitle, jp: c.jp, issuer: c.tenantName, started_at: c.startedAt, completed_at: c.completedAt,
            issued_at: c.issuedAt, signer_name: c.signerName, signer_position: c.signerPosition,
            revoked_at: c.revokedAt, revoked_reason: c.isRevoked ? c.revokedReason : nil)
    }

    struct TenantItem: Content {
        var certificate: Item
        var person_id: UUID
        var name: String
        var nip: String?
    }

    struct TenantList: Content {
        var year: Int
        var page: Int
        var has_next: Bool
        var certificates: [TenantItem]
    }

    func list(req: Request) async throws -> TenantList {
        try await req.requireTenantRole(Self.coordinators)
        let year =
            try req.queryNumber("year", in: LedgerAPIRoutes.years) ?? LocalDates.year(of: req.application.clock.now())
        let page = try req.pageNumber("page")
        let (rows, hasNext) = try await CertificateRegistry(db: req.database).list(
            req.tenantScope, year: year, page: page)
        let base = req.application.gotong.baseURL
        return TenantList(
            year: year, page: page, has_next: hasNext,
            certificates: rows.map {
                TenantItem(
                    certificate: Item($0, base: base), person_id: $0.personID, name: $0.personName, nip: $0.personNIP)
            })
    }

    struct Revocation: Content { var reason: String? }

    func revoke(req: Request) async throws -> Item {
        try await req.requireTenantRole(Self.keepers)
        let code = try req.parameter(CertificateCode.self).rawValue
        let reason = try req.content.decode(Revocation.self).reason ?? ""
        let revoked = try await CertificateRegistry.revoke(req, code, reason: reason)
        return Item(revoked, base: req.application.gotong.baseURL)
    }

    struct Settings: Content {
        var number_format: String?
        var signer_name: String?
        var signer_position: String?
    }

    func settings(req: Request) async throws -> Settings {
        try await req.requireTenantRole(Self.keepers)
        let saved = try await CertificateRegistry(db: req.database).settings(req.tenantScope, tenant: req.tenant)
        return Settings(
            number_format: saved.numberFormat, signer_name: saved.signerName, signer_position: saved.signerPosition)
    }

    func saveSettings(req: Request) async throws -> Settings {
        try await req.requireTenantRole(Self.keepers)
        let form = try req.content.decode(Settings.self)
        let saved = try await CertificateRegistry.saveSettings(
            req, format: form.number_format, signerName: form.signer_name, signerPosition: form.signer_position)
        return Settings(
            number_format: saved.numberFormat, signer_name: saved.signerName, signer_position: saved.signerPosition)
    }

    struct NewCompletion: Content { var email: String? }

    struct Recorded: Content {
        var status: String
        var person_id: UUID
        var course_id: UUID
    }

    /// A participant's completion, recorded by a coordinator for training attended in person:
    /// credited and certified by the same hooks as a course finished online.
    func recordCompletion(req: Request) async throws -> Response {
        try await req.requireTenantRole(Self.coordinators)
        let scope = try req.tenantScope
        let course = try await scope.require(Course.self, req.parameter(CourseID.self).rawValue)
        let email = try req.content.decode(NewCompletion.self).email ?? ""
        var problems = ProblemList()
        let typed = problems.text(email, "email", max: 254, required: "certificate.error.email_required")
        try problems.throwIfAny()
        guard let person = try await Person.find(email: typed, on: req.database) else {
            throw InputError(field: "email", key: "certificate.error.no_account", args: ["email": typed])
        }
        let outcome = try await CompletionByHand.record(req, person: person, course: course)
        let body = Recorded(
            status: outcome == .recorded ? "recorded" : "already_complete", person_id: try person.requireID(),
            course_id: try course.requireID())
        return try await body.encodeResponse(status: outcome == .recorded ? .created : .ok, for: req)
    }
}

extension CertificateAPIRoutes.Item {
    init(_ c: Certificate, base: String) {
        let code = c.verificationCode
        self.init(
            number: c.number, code: code.rawValue.description, course: c.courseTitle, course_id: c.courseID,
            tenant: c.tenantName, jp: c.jp, issued_at: c.issuedAt, completed_at: c.completedAt,
            verification_url: base + CredentialsRoute.verification(.value(code)).path,
            pdf_url: base + CredentialsRoute.certificatePDF(.value(code)).path, revoked: c.isRevoked,
            revoked_reason: c.isRevoked ? c.revokedReason : nil, badge_url: nil)
    }
}
