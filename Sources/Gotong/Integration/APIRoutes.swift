import Fluent
import Vapor

/// The JSON API under `/api/v1`, described by `openapi.json` (kept in step by a test).
struct APIRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1")
        api.get("openapi.json", use: openAPIDocument)
        api.post("tokens", use: createToken)
        api.get("tokens", use: listTokens)
        api.delete("tokens", ":id", use: revokeToken)
        api.get("me", use: me)
        api.get("tenants", use: listTenants)
        api.post("tenants", use: createTenant)
        let tenant = api.grouped("tenants", ":slug").grouped(TenantResolver())
        tenant.get(use: showTenant)
        tenant.patch(use: updateTenant)
        tenant.upload(.POST, "people", "import", maxSize: "16mb", use: importPeople)
    }

    func openAPIDocument(req: Request) async throws -> Response {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources") else {
            throw Abort(.notFound)
        }
        let response = Response(status: .ok, body: .init(data: try Data(contentsOf: url)))
        response.headers.contentType = .json
        return response
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
                throw InputError(field: "expires_in_days", key: "identity.error.token_lifetime", args: ["max": "\(APIToken.longestLifetimeDays)"])
            }
            lifetime = TimeInterval(days) * 86400
        }
        let person: Person
        switch try await req.accounts.signIn(email: body.email, password: body.password, from: req.clientAddress) {
        case .success(let found): person = found
        case .failed, .unverified: throw LocalizedAbort(.unauthorized, req.t("identity.signin.failed"))
        case .locked(let until): throw LocalizedAbort(.tooManyRequests, req.t("identity.signin.locked", ["minutes": Accounts.minutes(until: until)]))
        }
        let (token, secret) = try await APIToken.create(for: try person.requireID(), name: (body.name ?? "API").trimmed(max: 100),
                                                        lifetime: lifetime, on: req.db)
        return try await TokenResponse(token: secret, id: try token.requireID(), name: token.name, expires_at: token.expiresAt)
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
        return try await APIToken.query(on: req.db).filter(\.$personID == person.requireID()).sort(\.$createdAt, .descending).all()
            .map {
                TokenSummary(id: $0.id!, name: $0.name, created_at: $0.createdAt, expires_at: $0.expiresAt, expired: $0.expiresAt <= now,
                             last_used_at: $0.lastUsedAt)
            }
    }

    func revokeToken(req: Request) async throws -> HTTPStatus {
        let person = try req.requirePerson()
        guard let id = req.parameters.get("id", as: UUID.self),
              let token = try await APIToken.query(on: req.db).filter(\.$id == id).filter(\.$personID == person.requireID()).first()
        else { throw Abort(.notFound) }
        try await token.delete(on: req.db)
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
        let links = try await TenantLink.memberships(of: try person.requireID(), on: req.db)
        return MeResponse(
            id: try person.requireID(), name: person.name, email: person.email, nip: person.nip, phone: person.phone,
            unit_kerja: person.unitKerja, jabatan: person.jabatan, is_platform_admin: person.isPlatformAdmin,
            locale: person.locale, tenants: links.map { .init(slug: $0.slug, name: $0.name, roles: $0.roles) }
        )
    }

    // MARK: Tenants

    struct TenantResponse: Content {
        var id: UUID
        var slug: String
        var name: String
        var kind: Tenant.Kind
        var status: Tenant.Status
        var description: String
        var tagline: String
        var primary_color: String
        var contact_email: String
        var contact_phone: String
        var address: String
        var website: String
        var url: String
        var provisioning_ms: Double?

        init(_ tenant: Tenant, baseURL: String, provisioningMS: Double? = nil) {
            id = tenant.id!
            slug = tenant.slug
            name = tenant.name
            kind = tenant.kind
            status = tenant.status
            description = tenant.description
            tagline = tenant.tagline
            primary_color = tenant.primaryColor
            contact_email = tenant.contactEmail
            contact_phone = tenant.contactPhone
            address = tenant.address
            website = tenant.website
            url = "\(baseURL)/t/\(tenant.slug)"
            provisioning_ms = provisioningMS
        }
    }

    struct TenantList: Content { var tenants: [TenantResponse] }

    func listTenants(req: Request) async throws -> TenantList {
        var query = Tenant.listed(on: req.db)
        if req.person?.isPlatformAdmin != true { query = query.filter(\.$status == .active) }
        let base = req.application.gotong.baseURL
        return TenantList(tenants: try await query.sort(\.$name).all().map { TenantResponse($0, baseURL: base) })
    }

    struct CreateTenantRequest: Content { var slug: String; var name: String; var kind: String }

    func createTenant(req: Request) async throws -> Response {
        _ = try req.requirePlatformAdmin()
        let body = try req.content.decode(CreateTenantRequest.self)
        let result = try await TenantProvisioner(db: req.db, cloners: req.application.tenantCloners)
            .provision(.init(slug: body.slug, name: body.name, kind: Tenant.Kind(rawValue: body.kind)))
        try await req.audit("tenant.create", subject: result.tenant.slug, detail: String(format: "%.1f ms", result.milliseconds), tenantID: result.tenant.id)
        return try await TenantResponse(result.tenant, baseURL: req.application.gotong.baseURL, provisioningMS: result.milliseconds)
            .encodeResponse(status: .created, for: req)
    }

    func showTenant(req: Request) async throws -> TenantResponse {
        TenantResponse(try req.tenant, baseURL: req.application.gotong.baseURL)
    }

    struct UpdateTenantRequest: Content {
        var name: String?
        var description: String?
        var tagline: String?
        var primary_color: String?
        var contact_email: String?
        var contact_phone: String?
        var address: String?
        var website: String?
        var status: String?
    }

    func updateTenant(req: Request) async throws -> TenantResponse {
        let person = try await req.requireTenantRole([.admin])
        let tenant = try req.tenant
        let body = try req.content.decode(UpdateTenantRequest.self)
        let change = TenantProfileChange(
            name: body.name, description: body.description, tagline: body.tagline, primaryColor: body.primary_color,
            contactEmail: body.contact_email, contactPhone: body.contact_phone, address: body.address, website: body.website
        )
        var problems = change.problems()
        var status = tenant.status
        if let raw = body.status {
            if let parsed = Tenant.Status(rawValue: raw) {
                // Suspending or reactivating is the platform administrator's act, not the tenant's.
                if parsed != tenant.status, !person.isPlatformAdmin { throw Abort(.forbidden) }
                status = parsed
            } else {
                problems.add("status", "tenant.error.status_invalid")
            }
        }
        try problems.throwIfAny()
        try change.apply(to: tenant)
        tenant.status = status
        try await tenant.save(on: req.db)
        try await req.audit("tenant.update", subject: tenant.slug, detail: "api", tenantID: tenant.id)
        return TenantResponse(tenant, baseURL: req.application.gotong.baseURL)
    }

    // MARK: People import

    func importPeople(req: Request) async throws -> Response {
        try await req.requireTenantRole([.admin])
        let tenant = try req.tenant
        guard let buffer = req.body.data, let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes) else {
            throw InputError([.init(field: "file", key: "import.error.empty", row: 1)])
        }
        let importer = PeopleImport(tenantID: try tenant.requireID(), db: req.db)
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
        try await req.audit("people.import", subject: "api",
                            detail: "rows=\(report.totalRows) new=\(report.newPeople) memberships=\(report.newMemberships)", tenantID: tenant.id)
        req.sendActivationMails(links, tenantName: tenant.name)
        return try await report.encodeResponse(status: .created, for: req)
    }
}

extension KeyedDecodingContainer {
    /// The value when the key is there, nil when it is absent; a `null` is refused (400), for
    /// properties that have no "no value" (a title, a position).
    func decodeUnlessNull<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "\(key.stringValue) may not be null"))
        }
        return try decode(type, forKey: key)
    }
}
