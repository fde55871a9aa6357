import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// A tenant's certificates at its desk: the year's certificates in number order, completions
/// recorded by hand for training attended in person (coordinators), and for administrators
/// the numbering, the signer and revocation. Every change is audited.
package struct CertificateDesk: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(CredentialsRoute.certificates(.key), use: page)
        tenant.post(CredentialsRoute.certificates(.key), use: saveSettings)
        tenant.post(CredentialsRoute.revokeCertificate(.key, .key), use: revoke)
        tenant.post(CredentialsRoute.recordCompletion(.key), use: recordCompletion)
        tenant.post(CredentialsRoute.courseSigner(.key), use: saveCourseSigner)
    }

    struct SignerForm: Content {
        var course_id: String?
        var signer_name: String?
        var signer_position: String?
    }

    /// A course's own signer, printed on its certificates from now on instead of the tenant's;
    /// both fields left empty go back to the tenant's. Audited.
    func saveCourseSigner(req: Request) async throws -> Response {
        try await req.requireTenantRole(CertificateAPIRoutes.keepers)
        let form = (try? req.content.decode(SignerForm.self)) ?? SignerForm()
        let scope = try req.tenantScope
        let back = CredentialsRoute.certificates(try req.tenant.routeSlug).path
        guard let courseID = form.course_id.flatMap(UUID.init(uuidString:)),
            let course = try await scope.find(Course.self, courseID)
        else {
            req.flash(.error, "certificate.error.course_required")
            return req.seeOther(back)
        }
        var problems = ProblemList()
        let name = problems.text(form.signer_name, "signer_name", max: 120)
        let position = problems.text(form.signer_position, "signer_position", max: 160)
        if name.isEmpty != position.isEmpty { problems.add("signer_name", "certificate.error.course_signer_both") }
        guard problems.isEmpty else {
            req.flash(.error, problems.problems.first?.key ?? "certificate.error.course_signer_both")
            return req.seeOther(back)
        }
        try await req.database.lockingTransaction { tx in
            if name.isEmpty {
                try await TenantScope(tenantID: scope.tenantID, db: tx).query(CourseSigner.self)
                    .filter(\.$courseID == courseID).delete()
            } else {
                try await tx.sql.raw(
                    """
                    INSERT INTO \(ident: CourseSigner.schema) (id, tenant_id, course_id, signer_name, \
                    signer_position) VALUES (\(bind: UUID()), \(bind: scope.tenantID), \(bind: courseID), \
                    \(bind: name), \(bind: position)) ON CONFLICT (course_id) DO UPDATE SET \
                    signer_name = \(bind: name), signer_position = \(bind: position)
                    """
                ).run()
            }
            try await req.audit(
                "certificate.course_signer", subject: course.title, detail: "signer=\(name); position=\(position)",
                tenantID: scope.tenantID, on: tx)
        }
        req.flash(
            .success, name.isEmpty ? "certificate.desk.course_signer_removed" : "certificate.desk.course_signer_saved",
            ["course": course.title])
        return req.seeOther(back)
    }

    func page(req: Request) async throws -> Response {
        try await render(req, errors: [:], values: nil)
    }

    private func render(
        _ req: Request, errors: [String: String], values: [String: String]?, status: HTTPStatus = .ok
    ) async throws -> Response {
        try await req.requireTenantRole(CertificateAPIRoutes.coordinators)
        let tenant = try req.tenant
        let scope = try req.tenantScope
        let year =
            try req.queryNumber("tahun", in: LedgerAPIRoutes.years) ?? LocalDates.year(of: req.application.clock.now())
        let page = try req.pageNumber("halaman")
        let registry = CertificateRegistry(db: req.database)
        let (rows, hasNext) = try await registry.list(scope, year: year, page: page)
        let settings = try await registry.settings(scope, tenant: tenant)
        let courses = try await scope.query(Course.self).sort(\.$title).all()
        let isAdmin = try await req.tenantRoles().hasAny(CertificateAPIRoutes.keepers)
        let model = CertificateDeskModel(
            slug: tenant.routeSlug, year: year, page: page, hasNext: hasNext, isAdmin: isAdmin,
            rows: rows.map {
                .init(
                    number: $0.number, name: $0.personName, course: $0.courseTitle, day: req.day($0.issuedAt) ?? "",
                    revoked: $0.isRevoked, code: $0.verificationCode)
            },
            courses: try courses.map { (try $0.requireID(), $0.title) },
            courseSigners: try await scope.query(CourseSigner.self).all().compactMap { signer in
                courses.first { $0.id == signer.courseID }.map { ($0.title, signer.signerName, signer.signerPosition) }
            }.sorted { $0.course < $1.course },
            values: values ?? [
                "number_format": settings.numberFormat, "signer_name": settings.signerName,
                "signer_position": settings.signerPosition,
            ], errors: errors)
        return try await req.render(model, title: "certificate.desk.title", tenant: tenant, status: status)
    }

    struct SettingsForm: Content {
        var number_format: String?
        var signer_name: String?
        var signer_position: String?
    }

    func saveSettings(req: Request) async throws -> Response {
        try await req.requireTenantRole(CertificateAPIRoutes.keepers)
        let form = try req.content.decode(SettingsForm.self)
        do {
            _ = try await CertificateRegistry.saveSettings(
                req, format: form.number_format, signerName: form.signer_name, signerPosition: form.signer_position)
        } catch let error as InputError {
            let values = [
                "number_format": form.number_format ?? "", "signer_name": form.signer_name ?? "",
                "signer_position": form.signer_position ?? "",
            ]
            return try await render(req, errors: error.messages(req), values: values, status: .unprocessableEntity)
        }
        req.flash(.success, "certificate.desk.saved")
        return req.seeOther(CredentialsRoute.certificates(try req.tenant.routeSlug).path)
    }

    struct RevokeForm: Content { var reason: String? }

    func revoke(req: Request) async throws -> Response {
        try await req.requireTenantRole(CertificateAPIRoutes.keepers)
        let code = try req.parameter(CertificateCode.self).rawValue
        let reason = try req.content.decode(RevokeForm.self).reason ?? ""
        let back = CredentialsRoute.certificates(try req.tenant.routeSlug).path
        do {
            let revoked = try await CertificateRegistry.revoke(req, code, reason: reason)
            req.flash(.success, "certificate.desk.revoked", ["number": revoked.number])
        } catch let error as InputError {
            let problem = error.problems.first
            req.flash(.error, problem?.key ?? "certificate.error.reason_required", problem?.args ?? [:])
        }
        return req.seeOther(back)
    }

    struct CompletionForm: Content {
        var course_id: String?
        var email: String?
    }

    func recordCompletion(req: Request) async throws -> Response {
        try await req.requireTenantRole(CertificateAPIRoutes.coordinators)
        let form = try req.content.decode(CompletionForm.self)
        let scope = try req.tenantScope
        let back = CredentialsRoute.certificates(try req.tenant.routeSlug).path
        let courseID = try QueryValue.id(form.course_id, field: "course_id")
        guard let course = try await scope.find(Course.self, courseID) else {
            req.flash(.error, "certificate.error.course_required")
            return req.seeOther(back)
        }
        let typed = (form.email ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard typed.utf8.count <= 254, let person = try await Person.find(email: typed, on: req.database) else {
            req.flash(.error, "certificate.error.no_account", ["email": String(typed.prefix(254))])
            return req.seeOther(back)
        }
        let outcome: CourseCompletion.ByHand
        do {
            outcome = try await CompletionByHand.record(req, person: person, course: course)
        } catch let error as InputError {
            req.flash(.error, error.problems.first?.key ?? "certificate.error.own_completion")
            return req.seeOther(back)
        }
        req.flash(
            .success, outcome == .recorded ? "certificate.desk.recorded" : "certificate.desk.already_complete",
            ["name": person.name, "course": course.title])
        return req.seeOther(back)
    }
}
