import Fluent
import Vapor

/// A tenant's public storefront under `/t/{slug}`: its front page, standard pages and logo.
struct TenancyRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.grouped("t", ":slug").grouped(TenantResolver())
        tenant.get(use: storefront)
        tenant.get("halaman", ":key", use: page)
        tenant.get("logo", use: logo)
        tenant.post("gabung", use: join)
        try TenantAdminRoutes().boot(routes: tenant.grouped("kelola"))
    }

    struct StorefrontModel: Encodable, Sendable {
        struct Link: Encodable, Sendable { let key: String; let title: String }
        struct CategoryLink: Encodable, Sendable { let name: String; let url: String; let count: Int }
        let name: String
        let description: String?
        let welcome: String?
        let tagline: String
        let kind: String
        // nil when empty, so the page leaves the line out (Leaf treats "" as true).
        let contactEmail: String?
        let contactPhone: String?
        let address: String?
        let website: String?
        let categories: [CategoryLink]
        let pages: [Link]
        let isMember: Bool
        let canJoin: Bool
        let roles: [String]
        let featured: [CourseCard]
        let newest: [CourseCard]
        var hasCourses: Bool { !featured.isEmpty || !newest.isEmpty }
        var rolesText: String { roles.joined(separator: ", ") }
        var hasContact: Bool { [contactEmail, contactPhone, address, website].contains { $0 != nil } }

        enum CodingKeys: String, CodingKey {
            case name, description, welcome, tagline, kind, contactEmail, contactPhone, address, website, hasContact, categories, pages, isMember, canJoin, roles, rolesText, featured, newest, hasCourses
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name); try c.encodeIfPresent(description, forKey: .description)
            try c.encodeIfPresent(welcome, forKey: .welcome); try c.encode(tagline, forKey: .tagline); try c.encode(kind, forKey: .kind)
            try c.encodeIfPresent(contactEmail, forKey: .contactEmail); try c.encodeIfPresent(contactPhone, forKey: .contactPhone)
            try c.encodeIfPresent(address, forKey: .address); try c.encodeIfPresent(website, forKey: .website)
            try c.encode(hasContact, forKey: .hasContact)
            try c.encode(categories, forKey: .categories); try c.encode(pages, forKey: .pages)
            try c.encode(isMember, forKey: .isMember); try c.encode(canJoin, forKey: .canJoin)
            try c.encode(roles, forKey: .roles); try c.encode(rolesText, forKey: .rolesText)
            try c.encode(featured, forKey: .featured); try c.encode(newest, forKey: .newest)
            try c.encode(hasCourses, forKey: .hasCourses)
        }
    }

    func storefront(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let scope = try req.tenantScope
        async let categories = scope.query(TenantCategory.self).sort(\.$position).all()
        async let pages = scope.query(TenantPage.self).sort(\.$position).all()
        async let settings = scope.query(TenantSetting.self).all()
        async let shelves = StorefrontCourses.shelves(tenantID: try tenant.requireID(), on: req.db)
        let roles = try await req.tenantRoles()
        let shelf = try await shelves
        let now = Date()
        let values = Dictionary(try await settings.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let ownRoles = req.person?.isPlatformAdmin == true
            ? [] : Role.allCases.filter { roles.has($0) }.map { req.t("role.\($0.rawValue)") }
        let model = StorefrontModel(
            name: tenant.name, description: tenant.description.nilIfEmpty,
            welcome: values[TenantSetting.Key.welcome.rawValue]?.nilIfEmpty, tagline: tenant.tagline,
            kind: req.t("tenant.kind.\(tenant.kind.rawValue)"),
            contactEmail: tenant.contactEmail.nilIfEmpty, contactPhone: tenant.contactPhone.nilIfEmpty,
            address: tenant.address.nilIfEmpty, website: tenant.website.nilIfEmpty,
            categories: try await categories.map { category in
                .init(name: category.name, url: "/t/\(tenant.slug)/pelatihan?kategori=\(category.slug)",
                      count: category.id.flatMap { shelf.countByCategory[$0] } ?? 0)
            },
            pages: try await pages.map { .init(key: $0.key, title: $0.title) },
            isMember: !ownRoles.isEmpty,
            canJoin: req.person != nil && ownRoles.isEmpty && req.person?.isPlatformAdmin != true
                && values[TenantSetting.Key.openMembership.rawValue] == "true",
            roles: ownRoles,
            featured: shelf.featured.map { CourseCard($0, tenant: tenant, req: req, now: now) },
            newest: shelf.newest.map { CourseCard($0, tenant: tenant, req: req, now: now) }
        )
        return try await req.render("tenancy/storefront", title: "tenant.storefront.title", titleArgs: ["name": tenant.name],
                                    page: model, tenant: tenant)
    }

    struct PageModel: Encodable, Sendable {
        let title: String
        let paragraphs: [String]
    }

    func page(req: Request) async throws -> Response {
        let key = req.parameters.get("key") ?? ""
        guard let page = try await req.tenantScope.query(TenantPage.self).filter(\.$key == key).first() else {
            throw Abort(.notFound)
        }
        return try await req.render("tenancy/page", title: "tenant.page.title", titleArgs: ["title": page.title],
                                    page: PageModel(title: page.title, paragraphs: page.paragraphs), tenant: try req.tenant)
    }

    func logo(req: Request) async throws -> Response {
        let tenant = try req.tenant
        guard let key = tenant.logoPath, let data = try await req.application.files.get(key) else { throw Abort(.notFound) }
        let response = Response(status: .ok, body: .init(buffer: data))
        response.headers.contentType = LogoUpload.mediaType(forKey: key)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return response
    }

    /// Joins the tenant as a learner, when the tenant allows it.
    func join(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let tenant = try req.tenant
        let scope = try req.tenantScope
        let open = try await scope.query(TenantSetting.self).filter(\.$key == TenantSetting.Key.openMembership.rawValue).first()?.value == "true"
        guard open else { throw Abort(.forbidden) }
        let personID = try person.requireID()
        if try await scope.query(Membership.self).filter(\.$personID == personID).filter(\.$role == .peserta).count() == 0 {
            try await Membership(tenantID: try tenant.requireID(), personID: personID, role: .peserta).create(on: req.db)
        }
        req.flash(.success, "tenant.join.done", ["name": tenant.name])
        return req.seeOther("/t/\(tenant.slug)")
    }
}

/// Checks an uploaded logo: size, declared type and the file's own first bytes must agree.
enum LogoUpload {
    static let maxBytes = 512 * 1024

    static func mediaType(forKey key: String) -> HTTPMediaType {
        if key.hasSuffix(".png") { return .png }
        if key.hasSuffix(".jpg") { return .jpeg }
        return HTTPMediaType(type: "application", subType: "octet-stream")
    }

    /// The file extension to store the logo under, or a problem key.
    static func check(_ file: File) -> Result<String, InputError> {
        checkImage(file, field: "logo", keys: "tenant.error.logo", maxBytes: maxBytes)
    }

    /// Checks any uploaded picture (logo, course cover): size, and PNG or JPEG by its first bytes.
    /// Problems use the keys `{keys}_size` and `{keys}_type`.
    static func checkImage(_ file: File, field: String, keys: String, maxBytes: Int) -> Result<String, InputError> {
        guard file.data.readableBytes <= maxBytes else {
            return .failure(InputError(field: field, key: keys + "_size", args: ["max": "\(maxBytes / 1024) KB"]))
        }
        let bytes = Array(file.data.readableBytesView.prefix(8))
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .success("png") }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .success("jpg") }
        return .failure(InputError(field: field, key: keys + "_type"))
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
