import Fluent
import GotongPlatform
import Vapor

/// The editor for a tenant's profile, branding, settings, standard pages and categories. Tenant
/// administrators use it for their tenant; the platform administrator uses it for the master
/// template, which is tenant-shaped, so one editor serves both.
enum TenantEditor {
    /// The most characters of the welcome text and of a standard page's body.
    static let welcomeLimit = 2000
    static let pageBodyLimit = 20_000
    /// Registers the editor of `desk` (`.key` parameters) on `routes`, whose tenant is resolved.
    static func register(on routes: any RoutesBuilder, desk: TenantDesk) {
        routes.get(TenancyRoute.desk(desk), use: show)
        routes.post(TenancyRoute.desk(desk), use: saveProfile)
        routes.post(TenancyRoute.savePage(desk, .key), use: savePage)
        routes.post(TenancyRoute.categories(desk), use: addCategory)
        routes.post(TenancyRoute.deleteCategory(desk, .key), use: deleteCategory)
    }

    /// Where the editor lives for this tenant.
    static func base(_ tenant: Tenant) -> String {
        TenancyRoute.desk(TenantDesk(tenant)).path
    }

    struct Model: Sendable {
        struct PageRow: Sendable { let key: String; let title: String; let body: String }
        struct CategoryRow: Sendable { let id: CategoryID; let name: String }
        /// A page another module adds to the desk (see ``DeskTools``): its text and address.
        struct Tool: Sendable { let label: String; let url: String }
        let desk: TenantDesk
        let tools: [Tool]
        let values: [String: String]
        let openMembership: Bool
        let errors: [String: String]
        let pages: [PageRow]
        let categories: [CategoryRow]
    }

    static func show(req: Request) async throws -> Response {
        try await render(req, values: nil, errors: [:])
    }

    private static func render(
        _ req: Request, values: [String: String]?, errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        let tenant = try req.tenant
        let scope = try req.tenantScope
        let settings = Dictionary(
            try await scope.query(TenantSetting.self).all().map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let pages = try await scope.query(TenantPage.self).sort(\.$position).all()
        let categories = try await scope.query(TenantCategory.self).sort(\.$position).all()
        let values =
            values ?? [
                "name": tenant.name, "description": tenant.description, "tagline": tenant.tagline,
                "primary_color": tenant.primaryColor, "contact_email": tenant.contactEmail,
                "contact_phone": tenant.contactPhone,
                "address": tenant.address, "website": tenant.website,
                "welcome": settings[TenantSetting.Key.welcome.rawValue] ?? "",
            ]
        let desk = TenantDesk(tenant)
        let model = Model(
            desk: desk,
            tools: req.application.deskTools.links(at: desk).map { .init(label: req.t($0.label), url: $0.path) },
            values: values,
            openMembership: settings[TenantSetting.Key.openMembership.rawValue] == "true", errors: errors,
            pages: pages.map { .init(key: $0.key, title: $0.title, body: $0.body) },
            categories: try categories.map { .init(id: try $0.typedID(), name: $0.name) }
        )
        return try await req.render(
            model, title: tenant.isMaster ? "master.title" : "tenant.admin.title",
            titleArgs: ["name": tenant.name], tenant: tenant.isMaster ? nil : tenant, status: status)
    }

    struct ProfileForm: Content {
        var name: String
        var description: String?
        var tagline: String?
        var primary_color: String?
        var contact_email: String?
        var contact_phone: String?
        var address: String?
        var website: String?
        var welcome: String?
        var open_membership: String?
        var logo: File?
    }

    static func saveProfile(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let form = try req.content.decode(ProfileForm.self)
        let change = TenantProfileChange(
            name: form.name, description: form.description ?? "", tagline: form.tagline ?? "",
            primaryColor: form.primary_color ?? "", contactEmail: form.contact_email ?? "",
            contactPhone: form.contact_phone ?? "", address: form.address ?? "", website: form.website ?? ""
        )
        var problems = change.problems()
        let welcome = problems.text(form.welcome, "welcome", max: Self.welcomeLimit)
        var logoExtension: String?
        if let logo = form.logo, logo.data.readableBytes > 0 {
            switch LogoUpload.check(logo) {
            case .success(let ext): logoExtension = ext
            case .failure(let error): problems.problems.append(contentsOf: error.problems)
            }
        }
        guard problems.isEmpty else {
            var values: [String: String] = [
                "name": form.name, "description": form.description ?? "", "tagline": form.tagline ?? "",
                "primary_color": form.primary_color ?? "", "contact_email": form.contact_email ?? "",
                "contact_phone": form.contact_phone ?? "", "address": form.address ?? "",
                "website": form.website ?? "", "welcome": form.welcome ?? "",
            ]
            values["open_membership"] = form.open_membership
            return try await render(
                req, values: values, errors: InputError(problems.problems).messages(req), status: .unprocessableEntity)
        }
        if let logoExtension, let logo = form.logo {
            let version = Int(Date().timeIntervalSince1970)
            let key = "tenants/\(try tenant.requireID().uuidString)/logo-\(version).\(logoExtension)"
            try await req.application.files.put(logo.data, at: key)
            tenant.logoPath = key
        }
        try change.apply(to: tenant)
        let scope = try req.tenantScope
        try await req.database.lockingTransaction { tx in
            try await tenant.save(on: tx)
            let txScope = TenantScope(tenantID: scope.tenantID, db: tx)
            try await setSetting(.welcome, welcome, scope: txScope)
            try await setSetting(.openMembership, form.open_membership == "true" ? "true" : "false", scope: txScope)
            try await req.audit(
                tenant.isMaster ? "master.update" : "tenant.update", subject: tenant.slug,
                tenantID: tenant.isMaster ? nil : tenant.id, on: tx)
        }
        req.flash(.success, "tenant.admin.saved")
        return req.seeOther(base(tenant))
    }

    private static func setSetting(_ key: TenantSetting.Key, _ value: String, scope: TenantScope) async throws {
        if let row = try await scope.query(TenantSetting.self).filter(\.$key == key.rawValue).first() {
            row.value = value
            try await row.save(on: scope.db)
        } else {
            try await TenantSetting(tenantID: scope.tenantID, key: key.rawValue, value: value).create(on: scope.db)
        }
    }

    struct PageForm: Content { var title: String; var body: String }

    static func savePage(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let key = try req.parameter(PageKey.self).rawValue
        guard let page = try await req.tenantScope.query(TenantPage.self).filter(\.$key == key).first() else {
            throw Abort(.notFound)
        }
        let form = try req.content.decode(PageForm.self)
        var problems = ProblemList()
        let title = problems.text(form.title, "title", max: 200, required: "tenant.error.page_title_required")
        let body = problems.text(form.body, "body", max: Self.pageBodyLimit)
        if let problem = problems.problems.first {
            req.flash(.error, problem.key, problem.args)
            return req.seeOther(base(tenant))
        }
        page.title = title
        page.body = body
        try await page.save(on: req.database)
        try await req.audit(
            "page.update", subject: "\(tenant.slug)/\(key)", tenantID: tenant.isMaster ? nil : tenant.id)
        req.flash(.success, "tenant.admin.page_saved", ["title": title])
        return req.seeOther(base(tenant))
    }

    struct CategoryForm: Content { var name: String }

    static func addCategory(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let scope = try req.tenantScope
        var problems = ProblemList()
        let name = problems.text(try req.content.decode(CategoryForm.self).name, "name", max: 100)
        if let problem = problems.problems.first {
            req.flash(.error, problem.key, problem.args)
            return req.seeOther(base(tenant))
        }
        let slug = slugify(name)
        guard !name.isEmpty, !slug.isEmpty else {
            req.flash(.error, "tenant.error.category_name")
            return req.seeOther(base(tenant))
        }
        guard try await scope.query(TenantCategory.self).filter(\.$slug == slug).count() == 0 else {
            req.flash(.error, "tenant.error.category_exists", ["name": name])
            return req.seeOther(base(tenant))
        }
        let position = (try await scope.query(TenantCategory.self).max(\.$position) ?? 0) + 1
        try await TenantCategory(tenantID: scope.tenantID, slug: slug, name: name, position: position).create(
            on: req.database)
        try await req.audit("category.create", subject: name, tenantID: tenant.isMaster ? nil : tenant.id)
        req.flash(.success, "tenant.admin.category_added", ["name": name])
        return req.seeOther(base(tenant))
    }

    static func deleteCategory(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let category = try await req.tenantScope.require(
            TenantCategory.self, req.parameter(CategoryID.self).rawValue)
        try await category.delete(on: req.database)
        try await req.audit("category.delete", subject: category.name, tenantID: tenant.isMaster ? nil : tenant.id)
        req.flash(.success, "tenant.admin.category_deleted", ["name": category.name])
        return req.seeOther(base(tenant))
    }

    /// `Kompetensi Teknis` → `kompetensi-teknis`.
    static func slugify(_ text: String) -> String { Slugs.make(text, max: 60) }
}
