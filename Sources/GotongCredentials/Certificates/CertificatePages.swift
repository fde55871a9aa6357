import Fluent
import Foundation
import GotongCatalog
import GotongEvaluation
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// The certificate pages anyone may need: the learner's own list, and the public check of a
/// certificate by its code (what an employer opens from the QR code), with its PDF.
package struct CertificatePages: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(CredentialsRoute.myCertificates, use: mine)
        routes.get(CredentialsRoute.verify, use: verify)
        routes.get(CredentialsRoute.verification(.key), use: verification)
        routes.get(CredentialsRoute.certificatePDF(.key), use: pdf)
    }

    func mine(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let rows = try await CertificateRegistry(db: req.database).mine(PersonID(person.requireID()))
        let badges = try await BadgeRegistry(db: req.database).badgeSlugs(of: rows)
        // (a course certified before it came to require its evaluation does not wait)
        let certified = Set(rows.map(\.courseID))
        let waiting = try await Self.awaitingEvaluation(req, person: try person.requireID())
            .filter { !certified.contains($0.courseID) }
        let model = MyCertificatesModel(
            waiting: waiting,
            rows: rows.map {
                .init(
                    course: $0.courseTitle, tenant: $0.tenantName, number: $0.number, day: req.day($0.issuedAt) ?? "",
                    jp: $0.jp, revoked: $0.isRevoked, code: $0.verificationCode,
                    badgeTenant: $0.id.flatMap { badges[$0] })
            })
        return try await req.render(model, title: "certificate.mine.title", brand: nil)
    }

    /// The courses whose certificate waits for the person's evaluation, with where to fill it in.
    static func awaitingEvaluation(_ req: Request, person: UUID) async throws -> [MyCertificatesModel.Waiting] {
        let waiting = try await LevelOne(db: req.database).awaiting(person: person)
        guard !waiting.isEmpty else { return [] }
        let courses = try await Course.query(on: req.database).filter(\.$id ~~ waiting.map(\.courseID)).all()
        let tenants = Dictionary(
            try await Tenant.query(on: req.database).filter(\.$id ~~ waiting.map(\.tenantID)).all().map {
                ($0.id!, $0)
            },
            uniquingKeysWith: { a, _ in a })
        return courses.compactMap { course in
            guard let tenant = tenants[course.tenantID], let id = course.id else { return nil }
            return .init(
                courseID: id, course: course.title,
                path: EvaluationRoute.participant(tenant.routeSlug, .value(CourseID(id))).path)
        }.sorted { $0.course < $1.course }
    }

    /// The check form; with `?kode=` it goes to that certificate's page, so a code read out on
    /// the phone can be typed in.
    func verify(req: Request) async throws -> Response {
        let typed = try req.query.get(String?.self, at: "kode") ?? ""
        if !typed.isEmpty, typed.utf8.count <= 40, let code = VerificationCode(typed) {
            return req.seeOther(CredentialsRoute.verification(.value(CertificateCode(rawValue: code))).path)
        }
        let model = VerifyModel(typed: String(typed.prefix(40)), unreadable: !typed.isEmpty)
        return try await req.render(
            model, title: "certificate.verify.title", brand: nil, status: typed.isEmpty ? .ok : .unprocessableEntity,
            needsToken: false)
    }

    func verification(req: Request) async throws -> Response {
        guard let code = try? req.parameter(CertificateCode.self) else { return try await notACode(req) }
        let found = try await CertificateRegistry(db: req.database).find(code.rawValue)
        let model = VerificationModel(code: code, certificate: found.map { VerificationModel.Facts($0, req: req) })
        let response = try await req.render(
            model, title: "certificate.verify.title", brand: nil, status: found == nil ? .notFound : .ok,
            needsToken: false)
        // A person's certificate is for whoever holds its code, not for search engines.
        response.headers.replaceOrAdd(name: "X-Robots-Tag", value: "noindex")
        return response
    }

    /// An address that holds no certificate code: an email-verification link mailed before
    /// those moved to `/verifikasi-email/` is sent on there (its secret is far longer than a
    /// code); anything else is an unknown code.
    private func notACode(_ req: Request) async throws -> Response {
        let segment = req.parameters.get(CertificateCode.parameterName) ?? ""
        if segment.count >= 20, segment.count <= 200,
            segment.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_".unicodeScalars.contains($0))
            })
        {
            return req.seeOther(IdentityRoute.verify(.value(MailedSecret(rawValue: segment))).path)
        }
        let model = VerifyModel(typed: String(segment.prefix(40)), unreadable: true)
        return try await req.render(
            model, title: "certificate.verify.title", brand: nil, status: .notFound, needsToken: false)
    }

    /// The PDF, for whoever holds the code (it is printed on the PDF itself); a revoked
    /// certificate is no longer handed out.
    func pdf(req: Request) async throws -> Response {
        let code = try req.parameter(CertificateCode.self)
        guard let found = try await CertificateRegistry(db: req.database).find(code.rawValue) else {
            throw Abort(.notFound)
        }
        guard !found.isRevoked else { throw Abort(.gone) }
        let url = req.application.gotong.baseURL + CredentialsRoute.verification(.value(code)).path
        let body = CertificateDocument.pdf(found, verificationURL: url)
        let response = Response(status: .ok, body: .init(buffer: body))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "pdf")
        let file = "sertifikat-" + found.number.map { $0.isLetter || $0.isNumber ? $0 : "-" } + ".pdf"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(String(file))\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}

struct MyCertificatesModel: PageBody {
    /// A finished course whose certificate waits for the person's evaluation.
    struct Waiting {
        let courseID: UUID
        let course: String
        let path: String
    }

    struct Row {
        let course: String, tenant: String, number: String, day: String, jp: Int, revoked: Bool
        let code: CertificateCode
        /// The slug of the tenant whose badge the certificate carries; nil when it has none.
        let badgeTenant: Param<TenantSlug>?
    }

    let waiting: [Waiting]
    let rows: [Row]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(CatalogRoute.myCourses.path).raw("\">").text(t("ledger.back"))
            .raw("</a></p>\n<h1>").text(t("certificate.mine.heading")).raw("</h1>\n")
        if !waiting.isEmpty {
            h.raw("<section class=\"panel\" aria-labelledby=\"waiting\"><h2 id=\"waiting\">")
                .text(t("certificate.mine.waiting")).raw("</h2>\n<ul>")
            for course in waiting {
                h.raw("<li>").text(course.course).raw(" · <a href=\"").attr(course.path).raw("\">")
                    .text(t("certificate.mine.evaluate")).raw("</a></li>")
            }
            h.raw("</ul></section>\n")
        }
        guard !rows.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("certificate.mine.empty")).raw("</p>\n")
            return
        }
        h.raw("<ul class=\"list\">\n")
        for row in rows {
            h.raw("<li><strong>").text(row.course).raw("</strong><br>").text(row.tenant).raw(" · ")
                .text(t("ledger.jp", ["jp": "\(row.jp)"])).raw(" · ").text(row.day).raw("<br><span class=\"muted\">")
                .text(t("certificate.number", ["number": row.number])).raw("</span><br>")
            if row.revoked {
                h.raw("<strong>").text(t("certificate.status.revoked")).raw("</strong> · ")
            } else {
                h.raw("<a href=\"").attr(CredentialsRoute.certificatePDF(.value(row.code)).path).raw("\">")
                    .text(t("certificate.download")).raw("</a> · ")
            }
            h.raw("<a href=\"").attr(CredentialsRoute.verification(.value(row.code)).path).raw("\">")
                .text(t("certificate.verify.link")).raw("</a>")
            if let slug = row.badgeTenant, !row.revoked {
                h.raw("<br>").text(t("badge.mine.label")).raw(" <a href=\"")
                    .attr(CredentialsRoute.myBadgeCredential(.value(row.code)).path).raw("\">").text(
                        t("badge.mine.ob3")
                    )
                    .raw("</a> · <a href=\"").attr(CredentialsRoute.badgeAssertion(slug, .value(row.code)).path)
                    .raw("\">").text(t("badge.mine.ob2")).raw("</a>")
            }
            h.raw("</li>\n")
        }
        h.raw("</ul>\n")
    }
}

struct VerifyModel: PageBody {
    let typed: String
    let unreadable: Bool

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("certificate.verify.heading")).raw("</h1>\n<p>").text(t("certificate.verify.lead"))
            .raw("</p>\n<form method=\"get\" action=\"").attr(CredentialsRoute.verify.path).raw("\" class=\"form\">\n")
            .textField(
                TextField(
                    "kode", label: t("certificate.verify.code"), value: typed,
                    error: unreadable ? t("certificate.verify.unreadable") : nil, hint: t("certificate.verify.hint"),
                    max: 40, required: true, attributes: " autocomplete=\"off\" autocapitalize=\"characters\"")
            )
            .raw("<button type=\"submit\">").text(t("certificate.verify.submit")).raw("</button>\n</form>\n")
    }
}

struct VerificationModel: PageBody {
    /// What the certificate says, as the verification page shows it.
    struct Facts {
        let number: String, name: String, nip: String?, course: String, jp: Int, issuer: String, period: String
        let issued: String, signer: String
        let revoked: (day: String, reason: String)?

        init(_ c: Certificate, req: Request) {
            (number, name, nip, course, jp, issuer) = (
                c.number, c.personName, c.maskedNIP, c.courseTitle, c.jp, c.tenantName
            )
            let end = req.day(c.completedAt) ?? ""
            period = c.startedAt.flatMap { req.day($0) }.map { $0 == end ? end : "\($0) – \(end)" } ?? end
            issued = req.day(c.issuedAt) ?? ""
            signer = [c.signerName, c.signerPosition].filter { !$0.isEmpty }.joined(separator: ", ")
            revoked = c.revokedAt.map { (req.day($0) ?? "", c.revokedReason) }
        }
    }

    let code: CertificateCode
    let certificate: Facts?

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("certificate.verify.heading")).raw("</h1>\n")
        guard let c = certificate else {
            h.raw("<p class=\"flash error\" role=\"status\"><strong>").text(t("certificate.status.unknown"))
                .raw("</strong></p>\n<p>").text(
                    t("certificate.verify.unknown_help", ["code": code.rawValue.description])
                )
                .raw("</p>\n<p><a href=\"").attr(CredentialsRoute.verify.path).raw("\">").text(
                    t("certificate.verify.again")
                )
                .raw("</a></p>\n")
            return
        }
        if let revoked = c.revoked {
            h.raw("<p class=\"flash error\" role=\"status\"><strong>").text(t("certificate.status.revoked"))
                .raw("</strong><br>").text(t("certificate.revoked_on", ["day": revoked.day, "reason": revoked.reason]))
                .raw("</p>\n")
        } else {
            h.raw("<p class=\"flash success\" role=\"status\"><strong>").text(t("certificate.status.valid")).raw(
                "</strong><br>"
            )
            .text(t("certificate.valid_help", ["issuer": c.issuer])).raw("</p>\n")
        }
        h.raw("<dl class=\"facts\">\n")
        for (label, value) in [
            ("certificate.field.number", c.number), ("certificate.field.name", c.name),
            ("certificate.field.nip", c.nip ?? ""), ("certificate.field.course", c.course),
            ("certificate.field.jp", "\(c.jp)"), ("certificate.field.period", c.period),
            ("certificate.field.issuer", c.issuer), ("certificate.field.signer", c.signer),
            ("certificate.field.issued", c.issued), ("certificate.field.code", code.rawValue.description),
        ] where !value.isEmpty {
            h.raw("<dt>").text(t(label)).raw("</dt><dd>").text(value).raw("</dd>\n")
        }
        h.raw("</dl>\n")
        if c.revoked == nil {
            h.raw("<p><a href=\"").attr(CredentialsRoute.certificatePDF(.value(code)).path).raw("\">")
                .text(t("certificate.download")).raw("</a></p>\n")
        }
    }
}
