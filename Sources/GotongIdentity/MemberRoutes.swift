import Fluent
import GotongPlatform
import GotongTenancy
import Vapor

/// A tenant administrator's pages about people under `/t/{slug}/kelola`: members, bulk import
/// and the audit log. (The profile, branding and page editor is Tenancy's.)
package struct MemberRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let admin = routes.resolvingTenant().grouped(TenantRoleMiddleware(roles: [.admin]))
        admin.get(IdentityRoute.members(.key), use: members)
        admin.get(IdentityRoute.tenantAudit(.key), use: audit)
        // Coordinators bring in their own participants (as learners only; see ``PeopleImport``).
        let importers = routes.resolvingTenant().grouped(TenantRoleMiddleware(roles: [.admin, .pengelola]))
        importers.get(IdentityRoute.importPeople(.key), use: importForm)
        importers.post(IdentityRoute.importPeople(.key), use: importPreview)
        importers.post(IdentityRoute.saveImport(.key, .key), use: importCommit)
        importers.get(IdentityRoute.importTemplate(.key), use: importTemplate)
    }

    // MARK: Members

    struct MembersModel: Sendable {
        struct Row: Sendable {
            let name: String; let email: String; let nip: String; let unit: String; let roles: String
        }
        let rows: [Row]
        let total: Int
        let page: Int
        let pages: Int
        let tenant: Param<TenantSlug>
        var hasPrevious: Bool { page > 1 }
        var previous: Int { page - 1 }
        var hasNext: Bool { page < pages }
        var next: Int { page + 1 }
    }

    func members(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let scope = try req.tenantScope
        let perPage = 50
        let total = try await scope.query(Membership.self).unique().count(\.$personID)
        let window = PageWindow(requested: try req.pageNumber("halaman"), per: perPage, total: total)
        let pageNumber = window.page
        // Distinct people of this tenant, one page at a time, then their roles.
        let people = try await Person.query(on: req.database)
            .join(Membership.self, on: \Person.$id == \Membership.$personID)
            .filter(Membership.self, \.$tenantID == tenant.requireID())
            .unique()
            .sort(\.$name)
            .range(window.range)
            .all()
        let ids = people.compactMap(\.id)
        let roles = try await scope.query(Membership.self).filter(\.$personID ~~ ids).all()
        let rolesByPerson = Dictionary(grouping: roles, by: \.personID)
        let rows = people.map { person in
            MembersModel.Row(
                name: person.name, email: person.email, nip: person.nip.map(NIP.masked) ?? "",
                unit: person.unitKerja,
                roles: (rolesByPerson[person.id!] ?? []).map(\.role).sorted().map { req.t("role.\($0.rawValue)") }
                    .joined(separator: ", ")
            )
        }
        return try await req.render(
            MembersModel(rows: rows, total: total, page: pageNumber, pages: window.pages, tenant: tenant.routeSlug),
            title: "tenant.members.title", tenant: tenant)
    }

    // MARK: Bulk import

    struct ImportModel: Sendable {
        struct ProblemRow: Sendable { let row: Int; let column: String; let message: String }
        let tenant: Param<TenantSlug>
        let importID: ImportID?
        let filename: String?
        let report: PeopleImport.Report?
        let problems: [ProblemRow]
        let columns: String
        var problemCount: Int = 0
        /// A coordinator's import: learners only, and no links to the administrator's pages.
        var learnersOnly = false
        var hasProblems: Bool { problemCount > 0 }
    }

    /// The roles the signed-in importer may give in this tenant.
    private static func allowedRoles(_ req: Request) async throws -> Set<Role> {
        PeopleImport.allowedRoles(for: try await req.tenantRoles().roles)
    }

    func importForm(req: Request) async throws -> Response {
        let tenant = try req.tenant
        return try await req.render(
            ImportModel(
                tenant: tenant.routeSlug, importID: nil, filename: nil, report: nil, problems: [],
                columns: PeopleImport.columns.joined(separator: ","),
                learnersOnly: !(try await Self.allowedRoles(req)).contains(.admin)
            ), title: "import.title", tenant: tenant)
    }

    func importTemplate(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(string: "\u{FEFF}" + PeopleImport.template))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.setAttachment(filename: "templat-peserta.csv")
        return response
    }

    struct UploadForm: Content { var file: File }

    func importPreview(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let tenant = try req.tenant
        let upload = try req.content.decode(UploadForm.self)
        guard let text = String(data: Data(buffer: upload.file.data), encoding: .utf8) else {
            return try await renderImport(
                req, tenant: tenant, problems: [.init(row: 1, column: "file", message: req.t("import.error.encoding"))])
        }
        do {
            let allowed = try await Self.allowedRoles(req)
            let report = try await PeopleImport(
                tenantID: try tenant.requireID(), db: req.database, allowedRoles: allowed
            )
            .dryRun(csv: text)
            let pending = PendingImport(
                tenantID: try tenant.requireID(), createdBy: try person.requireID(),
                filename: String(upload.file.filename.prefix(200)), content: text)
            try await pending.create(on: req.database)
            return try await req.render(
                ImportModel(
                    tenant: tenant.routeSlug, importID: try pending.typedID(), filename: pending.filename,
                    report: report, problems: [], columns: PeopleImport.columns.joined(separator: ","),
                    learnersOnly: !allowed.contains(.admin)
                ), title: "import.title", tenant: tenant)
        } catch let error as InputError {
            let rows = error.problems.map {
                ImportModel.ProblemRow(row: $0.row ?? 1, column: $0.field, message: req.t($0.key, $0.args))
            }
            return try await renderImport(req, tenant: tenant, problems: rows)
        }
    }

    private func renderImport(
        _ req: Request, tenant: Tenant, problems: [ImportModel.ProblemRow]
    ) async throws -> Response {
        // Long files can have thousands of problems; the page shows the first ones and the count.
        try await req.render(
            ImportModel(
                tenant: tenant.routeSlug, importID: nil, filename: nil, report: nil,
                problems: Array(problems.prefix(200)),
                columns: PeopleImport.columns.joined(separator: ","), problemCount: problems.count,
                learnersOnly: !(try await Self.allowedRoles(req)).contains(.admin)
            ), title: "import.title", tenant: tenant, status: .unprocessableEntity)
    }

    func importCommit(req: Request) async throws -> Response {
        let tenant = try req.tenant
        let pending = try await req.tenantScope.require(PendingImport.self, req.parameter(ImportID.self).rawValue)
        guard pending.committedAt == nil else {
            req.flash(.info, "import.already_committed")
            return req.seeOther(IdentityRoute.importPeople(tenant.routeSlug).path)
        }
        do {
            let allowed = try await Self.allowedRoles(req)
            let (report, links) = try await PeopleImport(
                tenantID: try tenant.requireID(), db: req.database, allowedRoles: allowed
            ).commit(csv: pending.content)
            pending.committedAt = Date()
            pending.content = ""
            try await pending.save(on: req.database)
            try await req.audit(
                "people.import", subject: pending.filename,
                detail: "rows=\(report.totalRows) new=\(report.newPeople) memberships=\(report.newMemberships)",
                tenantID: tenant.id)
            req.sendActivationMails(links, tenantName: tenant.name)
            req.flash(
                .success, "import.committed", ["new": "\(report.newPeople)", "memberships": "\(report.newMemberships)"])
            // A coordinator may not see the members list: back to the import page, with the message.
            return req.seeOther(
                allowed.contains(.admin)
                    ? IdentityRoute.members(tenant.routeSlug).path : IdentityRoute.importPeople(tenant.routeSlug).path)
        } catch let error as InputError {
            let rows = error.problems.map {
                ImportModel.ProblemRow(row: $0.row ?? 1, column: $0.field, message: req.t($0.key, $0.args))
            }
            return try await renderImport(req, tenant: tenant, problems: rows)
        }
    }

    // MARK: Audit

    func audit(req: Request) async throws -> Response {
        let tenant = try req.tenant
        return try await AuditPage.render(req, tenantID: try tenant.requireID(), tenant: tenant)
    }
}
