import Fluent
import GotongPlatform
import GotongTenancy
import Vapor

/// Identity's part of the JSON API under `/api/v1`: tokens, the caller, and bulk import of people.
package struct IdentityAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.post(IdentityAPIRoute.tokens, use: createToken)
        routes.get(IdentityAPIRoute.tokens, use: listTokens)
        routes.delete(IdentityAPIRoute.token(.key), use: revokeToken)
        routes.get(IdentityAPIRoute.me, use: me)
        routes.resolvingTenant().collecting(.POST, IdentityAPIRoute.importPeople(.key), upTo: "16mb", use: importPeople)
    }

    // MARK: Tokens

    struct TokenRequest: Content {
        var email: String
        var password: String
        var name: String?
        /// 1–365; absent or null: 90.
        var expires_in_days: Int?
    }

    struct TokenResponse: Content {
        var token: String
        var id: UUID
        var name: String
        var expires_at: Date
    }

    func createToken(req: Request) async throws -> Response {
        let body = try req.content.decode(TokenRequest.self)
        var lifetime = APIToken.defaultLifetime
        if let days = body.expires_in_days {
            guard (1...APIToken.longestLifetimeDays).contains(days) else {
                throw InputError(
                    field: "expires_in_days", key: "identity.error.token_lifetime",
                    args: ["max": "\(APIToken.longestLifetimeDays)"])
            }
            lifetime = TimeInterval(days) * 86400
        }
        let person: Person
        switch try await req.accounts.signIn(email: body.email, password: body.password, from: req.clientAddress) {
        case .success(let found): person = found
        case .failed(_), .unverified: throw LocalizedAbort(.unauthorized, req.t("identity.signin.failed"))
        case .locked(let until):
            throw LocalizedAbort(
                .tooManyRequests, req.t("identity.signin.locked", ["minutes": Accounts.minutes(until: until)]))
        }
        let (token, secret) = try await APIToken.create(
            for: try person.requireID(), name: (body.name ?? "API").trimmed(max: 100),
            lifetime: lifetime, on: req.database)
        return try await TokenResponse(
            token: secret, id: try token.requireID(), name: token.name, expires_at: token.expiresAt
        )
        .encodeResponse(status: .created, for: req)
    }

    struct TokenSummary: Content {
        var id: UUID
        var name: String
        var created_at: Date?
        var expires_at: Date
        var expired: Bool
        var last_used_at: Date?
    }

    func listTokens(req: Request) async throws -> [TokenSummary] {
        let person = try req.requirePerson()
        let now = Date()
        return try await APIToken.query(on: req.database).filter(\.$personID == person.requireID()).sort(
            \.$createdAt, .descending
        ).all()
            .map {
                TokenSummary(
                    id: $0.id!, name: $0.name, created_at: $0.createdAt, expires_at: $0.expiresAt,
                    expired: $0.expiresAt <= now,
                    last_used_at: $0.lastUsedAt)
            }
    }

    func revokeToken(req: Request) async throws -> HTTPStatus {
        let person = try req.requirePerson()
        guard let id = try? req.parameter(APITokenID.self).rawValue,
            let token = try await APIToken.query(on: req.database).filter(\.$id == id).filter(
                \.$personID == person.requireID()
            ).first()
        else { throw Abort(.notFound) }
        try await token.delete(on: req.database)
        return .noContent
    }

    // MARK: Me

    struct MeResponse: Content {
        struct Membership: Content { var slug: String; var name: String; var roles: [Role] }
        var id: UUID
        var name: String
        var email: String
        var nip: String?
        var phone: String
        var unit_kerja: String
        var jabatan: String
        var is_platform_admin: Bool
        var locale: String
        var tenants: [Membership]
    }

    func me(req: Request) async throws -> MeResponse {
        let person = try req.requirePerson()
        let links = try await TenantLink.memberships(of: try person.requireID(), on: req.database)
        return MeResponse(
            id: try person.requireID(), name: person.name, email: person.email, nip: person.nip, phone: person.phone,
            unit_kerja: person.unitKerja, jabatan: person.jabatan, is_platform_admin: person.isPlatformAdmin,
            locale: person.locale, tenants: links.map { .init(slug: $0.slug, name: $0.name, roles: $0.roles) }
        )
    }

    // MARK: People import

    func importPeople(req: Request) async throws -> Response {
        try await req.requireTenantRole([.admin])
        let tenant = try req.tenant
        guard let buffer = req.body.data,
            let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes)
        else {
            throw InputError([.init(field: "file", key: "import.error.empty", row: 1)])
        }
        let importer = PeopleImport(tenantID: try tenant.requireID(), db: req.database)
        let dryRun: Bool
        switch req.query[String.self, at: "dry_run"]?.lowercased() {
        case nil, "false", "0": dryRun = false
        case "true", "1": dryRun = true
        default: throw InputError(field: "dry_run", key: "import.error.dry_run")
        }
        if dryRun {
            return try await importer.dryRun(csv: text).encodeResponse(status: .ok, for: req)
        }
        let (report, links) = try await importer.commit(csv: text)
        try await req.audit(
            "people.import", subject: "api",
            detail: "rows=\(report.totalRows) new=\(report.newPeople) memberships=\(report.newMemberships)",
            tenantID: tenant.id)
        req.sendActivationMails(links, tenantName: tenant.name)
        return try await report.encodeResponse(status: .created, for: req)
    }
}
