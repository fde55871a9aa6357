import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Badges in the JSON API: a tenant's, a course's (made, changed and removed by those who keep
/// them; the picture is uploaded on the desk's form) and the caller's own in its Open Badges
/// forms.
package struct BadgeAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        typealias R = CredentialsAPIRoute
        routes.get(R.myBadge(.key), use: mine)
        let tenant = routes.resolvingTenant()
        tenant.get(R.badges(.key), use: list)
        tenant.get(R.courseBadge(.key, .key), use: one)
        tenant.on(.PUT, R.courseBadge(.key, .key), use: save)
        tenant.on(.DELETE, R.courseBadge(.key, .key), use: remove)
    }

    struct Item: Content {
        var course_id: UUID
        var name: String
        var description: String
        var criteria: String
        var image_url: String
        var badge_class_url: String
        var uploaded_image: Bool
        var updated_at: Date
    }

    struct List: Content { var badges: [Item] }

    func list(req: Request) async throws -> List {
        try await req.requireTenantRole(BadgeDesk.keepers)
        let urls = try req.badgeAddresses(try req.tenant)
        let badges = try await BadgeRegistry(db: req.database).list(try req.tenantScope)
        return List(badges: badges.map { Item($0, urls: urls) })
    }

    func one(req: Request) async throws -> Item {
        try await req.requireTenantRole(BadgeDesk.keepers)
        let scope = try req.tenantScope
        let course = try await scope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        guard let badge = try await BadgeRegistry(db: req.database).badge(scope, course: try course.requireID()) else {
            throw Abort(.notFound)
        }
        return Item(badge, urls: try req.badgeAddresses(try req.tenant))
    }

    struct Form: Content {
        var name: String?
        var description: String?
        var criteria: String?
    }

    func save(req: Request) async throws -> Item {
        try await req.requireTenantRole(BadgeDesk.keepers)
        let course = try await req.tenantScope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        let form = try req.content.decode(Form.self)
        let saved = try await BadgeRegistry.save(
            req, course: course, input: .init(name: form.name, description: form.description, criteria: form.criteria))
        return Item(saved.badge, urls: try req.badgeAddresses(try req.tenant))
    }

    func remove(req: Request) async throws -> HTTPStatus {
        try await req.requireTenantRole(BadgeDesk.keepers)
        let course = try await req.tenantScope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        if let image = try await BadgeRegistry.remove(req, course: course) {
            try? await req.application.files.delete(image)
        }
        return .noContent
    }

    struct Mine: Content {
        /// The hosted Open Badges 2.0 assertion, and the same signed (a JWS).
        var assertion_url: String
        var signed_assertion_url: String
        /// The Open Badges 3.0 credential: a JWT signed ES256 with a key of `jwks_url`.
        var credential: String
        var jwks_url: String
        var issuer_url: String
    }

    func mine(req: Request) async throws -> Mine {
        let person = try req.requirePerson()
        let code = try req.parameter(CertificateCode.self).rawValue
        guard let certificate = try await CertificateRegistry(db: req.database).find(code),
            certificate.personID == (try person.requireID()),
            let tenant = try await Tenant.find(certificate.tenantID, on: req.database),
            let award = try await BadgeRegistry(db: req.database).award(
                code, in: TenantScope(tenantID: certificate.tenantID, db: req.database))
        else { throw Abort(.notFound) }
        guard !certificate.isRevoked else { throw Abort(.gone) }
        let urls = try req.badgeAddresses(tenant)
        let slug = tenant.routeSlug
        return Mine(
            assertion_url: urls.assertion(certificate.verificationCode),
            signed_assertion_url: req.application.gotong.baseURL
                + CredentialsRoute.signedAssertion(slug, .value(certificate.verificationCode)).path,
            credential: try await OpenBadgeRoutes.credentialJWT(award, tenant: tenant, req: req), jwks_url: urls.jwks,
            issuer_url: urls.issuer)
    }
}

extension BadgeAPIRoutes.Item {
    init(_ badge: BadgeClass, urls: BadgeAddresses) {
        self.init(
            course_id: badge.courseID, name: badge.name, description: badge.description, criteria: badge.criteria,
            image_url: urls.image(badge.courseID), badge_class_url: urls.badgeClass(badge.courseID),
            uploaded_image: badge.imageKey != nil, updated_at: badge.updatedAt)
    }
}
