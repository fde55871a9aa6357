import Fluent
import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy
import Vapor

/// A tenant's course badges at its desk: which courses award one, and the form that makes or
/// changes a badge (name, description, criteria, an uploaded PNG or the drawn image). Those who
/// build courses (coordinators and administrators) keep them; every change is audited.
package struct BadgeDesk: RouteCollection {
    package init() {}

    static let keepers: Set<Role> = [.admin, .pengelola]
    /// The largest picture taken (a badge is shown at 240 px or less).
    static let maxImageBytes = 256 * 1024

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(CredentialsRoute.badges(.key), use: list)
        tenant.get(CredentialsRoute.badge(.key, .key), use: form)
        tenant.upload(.POST, CredentialsRoute.badge(.key, .key), maxSize: "1mb", use: save)
        tenant.post(CredentialsRoute.removeBadge(.key, .key), use: remove)
    }

    func list(req: Request) async throws -> Response {
        try await req.requireTenantRole(Self.keepers)
        let tenant = try req.tenant
        let scope = try req.tenantScope
        let courses = try await scope.query(Course.self).sort(\.$title).all()
        let badges = Dictionary(
            try await BadgeRegistry(db: req.database).list(scope).map { ($0.courseID, $0) },
            uniquingKeysWith: { a, _ in a })
        let urls = try req.badgeAddresses(tenant)
        let model = BadgeListModel(
            slug: tenant.routeSlug, issuerURL: urls.issuer, jwksURL: urls.jwks,
            rows: try courses.map { course in
                let id = try course.requireID()
                return .init(courseID: CourseID(id), course: course.title, jp: course.jp, badge: badges[id]?.name)
            })
        return try await req.render(model, title: "badge.desk.title", tenant: tenant)
    }

    func form(req: Request) async throws -> Response {
        try await req.requireTenantRole(Self.keepers)
        let course = try await req.tenantScope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        return try await render(req, course: course, values: nil, errors: [:])
    }

    private func render(
        _ req: Request, course: Course, values: [String: String]?, errors: [String: String], status: HTTPStatus = .ok
    ) async throws -> Response {
        let tenant = try req.tenant
        let scope = try req.tenantScope
        let courseID = try course.requireID()
        let registry = BadgeRegistry(db: req.database)
        let badge = try await registry.badge(scope, course: courseID)
        let holders = try await registry.holders(scope, course: courseID)
        let urls = try req.badgeAddresses(tenant)
        let model = BadgeFormModel(
            slug: tenant.routeSlug, courseID: CourseID(courseID), course: course.title, jp: course.jp,
            exists: badge != nil, uploaded: badge?.imageKey != nil, holders: holders,
            imagePath: badge == nil
                ? nil : CredentialsRoute.badgeImage(tenant.routeSlug, .value(CourseID(courseID))).path,
            classURL: badge == nil ? nil : urls.badgeClass(courseID),
            values: values ?? [
                "name": badge?.name ?? course.title,
                "description": badge?.description ?? (course.summary.isEmpty ? course.title : course.summary),
                "criteria": badge?.criteria
                    ?? req.t("badge.default_criteria", ["course": course.title, "jp": "\(course.jp)"]),
            ], errors: errors)
        return try await req.render(model, title: "badge.form.title", tenant: tenant, status: status)
    }

    func save(req: Request) async throws -> Response {
        try await req.requireTenantRole(Self.keepers)
        let scope = try req.tenantScope
        let course = try await scope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        let received = try await req.receivedForm()
        let v = received.values
        let input = BadgeRegistry.Input(name: v["name"], description: v["description"], criteria: v["criteria"])
        // The fields and the picture are judged together, so every problem is shown at once.
        var problems = ProblemList()
        _ = input.checked(&problems)
        let upload = received.files["image"].flatMap { $0.size > 0 ? $0 : nil }
        if let upload { Self.check(upload, problems: &problems) }
        var key: String?
        do {
            try problems.throwIfAny()
            if let upload {
                key = "badges/\(scope.tenantID.uuidString.lowercased())/\(UUID().uuidString.lowercased()).png"
                try await req.application.files.put(upload, at: key!)
            }
            let saved = try await BadgeRegistry.save(
                req, course: course, input: input, image: key, dropImage: v["drawn_image"] == "1")
            if let unused = saved.unusedImage { try? await req.application.files.delete(unused) }
        } catch let error as InputError {
            if let key { try? await req.application.files.delete(key) }
            let errors = error.messages(req)
            return try await render(req, course: course, values: v, errors: errors, status: .unprocessableEntity)
        } catch {
            // No badge saved, no picture kept.
            if let key { try? await req.application.files.delete(key) }
            throw error
        }
        req.flash(.success, "badge.desk.saved", ["course": course.title])
        return req.seeOther(CredentialsRoute.badges(try req.tenant.routeSlug).path)
    }

    func remove(req: Request) async throws -> Response {
        try await req.requireTenantRole(Self.keepers)
        let course = try await req.tenantScope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        let slug = try req.tenant.routeSlug
        do {
            if let image = try await BadgeRegistry.remove(req, course: course) {
                try? await req.application.files.delete(image)
            }
            req.flash(.success, "badge.desk.removed", ["course": course.title])
            return req.seeOther(CredentialsRoute.badges(slug).path)
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "badge.error.has_holders")
            return req.seeOther(CredentialsRoute.badge(slug, .value(CourseID(try course.requireID()))).path)
        }
    }

    /// A badge picture: a PNG by its bytes, at most 256 KB.
    static func check(_ file: ReceivedFile, problems: inout ProblemList) {
        if file.size > maxImageBytes {
            problems.add("image", "badge.error.image_size", ["max": "\(maxImageBytes / 1024) KB"])
        } else if FileKind.sniff(head: file.head, filename: file.filename, allowed: [.png]) == nil {
            problems.add("image", "badge.error.image_type")
        }
    }
}
