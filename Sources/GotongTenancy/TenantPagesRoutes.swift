import Fluent
import Foundation
import GotongPlatform
import Vapor

/// A tenant's own pages under `/t/{slug}`: its standard pages, its logo, joining it as a
/// learner, and its administrator's editor of profile, branding, pages and categories. (The
/// storefront's course shelves are Catalog's; members and imports are Identity's.)
package struct TenantPagesRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(TenancyRoute.page(.key, .key), use: page)
        tenant.get(TenancyRoute.logo(.key), use: logo)
        tenant.post(TenancyRoute.join(.key), use: join)
        TenantEditor.register(on: tenant.grouped(TenantRoleMiddleware(roles: [.admin])), desk: .tenant(.key))
    }

    struct PageModel: Sendable {
        let title: String
        let paragraphs: [String]
    }

    func page(req: Request) async throws -> Response {
        let key = try req.parameter(PageKey.self).rawValue
        guard let page = try await req.tenantScope.query(TenantPage.self).filter(\.$key == key).first() else {
            throw Abort(.notFound)
        }
        return try await req.render(
            PageModel(title: page.title, paragraphs: page.paragraphs), title: "tenant.page.title",
            titleArgs: ["title": page.title], tenant: try req.tenant)
    }

    func logo(req: Request) async throws -> Response {
        let tenant = try req.tenant
        guard let key = tenant.logoPath, let data = try await req.application.files.get(key) else {
            throw Abort(.notFound)
        }
        let response = Response(status: .ok, body: .init(buffer: data))
        response.headers.contentType = LogoUpload.mediaType(forKey: key)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return response
    }

    /// Joins the tenant as a learner, when the tenant allows it.
    func join(req: Request) async throws -> Response {
        let viewer = try req.requireViewer()
        let tenant = try req.tenant
        let scope = try req.tenantScope
        let open =
            try await scope.query(TenantSetting.self).filter(\.$key == TenantSetting.Key.openMembership.rawValue)
            .first()?.value == "true"
        guard open else { throw Abort(.forbidden) }
        let personID = viewer.id
        if try await scope.query(Membership.self).filter(\.$personID == personID).filter(\.$role == .peserta).count()
            == 0
        {
            try await Membership(tenantID: try tenant.requireID(), personID: personID, role: .peserta).create(
                on: req.database)
        }
        req.flash(.success, "tenant.join.done", ["name": tenant.name])
        return req.seeOther(TenancyRoute.pages(tenant.routeSlug).path)
    }
}

/// Checks an uploaded logo: size, declared type and the file's own first bytes must agree.
package enum LogoUpload {
    static let maxBytes = 512 * 1024

    package static func mediaType(forKey key: String) -> HTTPMediaType {
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
    package static func checkImage(
        _ file: File, field: String, keys: String, maxBytes: Int
    ) -> Result<String, InputError> {
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
    package var nilIfEmpty: String? { isEmpty ? nil : self }
}
