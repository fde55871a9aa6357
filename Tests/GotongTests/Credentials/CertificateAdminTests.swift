import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongCatalog
@testable import GotongCredentials
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// What happens to certificates after they are issued: the public check of every state,
/// revocation by the tenant's administrator (audited, refused to others and to other tenants),
/// the tenant's numbering and signer, and completions recorded by hand.
@Suite("Certificates at the desk and in public")
struct CertificateAdminTests {
    /// A tenant, its administrator, a course and a learner holding its certificate.
    struct Issued {
        let tenant: Tenant
        let admin: Person
        let built: Given.BuiltCourse
        let learner: Person
        let certificate: Certificate
        var code: CertificateCode { certificate.verificationCode }
    }

    static func issued(_ app: Application, _ given: Given) async throws -> Issued {
        let tenant = try await given.tenant()
        let admin = try await given.person("Admin Sertifikat", in: tenant, roles: [.admin])
        let built = try await given.course(in: tenant, activities: [.page("Satu")])
        let learner = try await given.learner(enrolledIn: built)
        let event = try CertificateTests.event(built, learner, at: app.clock.now())
        let certificate = try #require(try await CertificateIssuer(db: app.db).issue(event, now: app.clock.now()))
        return Issued(tenant: tenant, admin: admin, built: built, learner: learner, certificate: certificate)
    }

    static func get(_ app: Application, _ path: String) async throws -> TestingHTTPResponse {
        try await app.testing().performTest(
            request: .init(method: .GET, url: .init(string: path), headers: [:], body: .init()))
    }

    @Test(arguments: TestDatabase.all)
    func anAdministratorRevokesWithAReasonTheCheckThenShows(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let issued = try await Self.issued(app, given)
            let slug = issued.tenant.routeSlug
            let revoke = CredentialsRoute.revokeCertificate(slug, .value(issued.code)).path

            // a coordinator sees the desk's list but may not revoke; a learner sees neither
            let coordinator = try await given.browser(signedInAs: issued.built.coordinator)
            let desk = try await coordinator.get(CredentialsRoute.certificates(slug).path)
            #expect(desk.status == .ok && desk.body.string.contains(issued.certificate.number))
            #expect(!desk.body.string.contains("Cabut sertifikat"))
            #expect(try await coordinator.post(revoke, form: ["reason": "x"]).status == .forbidden)
            let learner = try await given.browser(signedInAs: issued.learner)
            #expect(try await learner.get(CredentialsRoute.certificates(slug).path).status == .forbidden)

            // another tenant's administrator cannot reach it, through their own desk either
            let elsewhere = try await given.tenant("Balai Lain")
            let stranger = try await given.person("Admin Lain", in: elsewhere, roles: [.admin])
            let strangerBrowser = try await given.browser(signedInAs: stranger)
            let foreign = CredentialsRoute.revokeCertificate(elsewhere.routeSlug, .value(issued.code)).path
            #expect(try await strangerBrowser.post(foreign, form: ["reason": "Salah"]).status == .notFound)
            // (not found before the request is judged: an empty reason says nothing of the code)
            #expect(try await strangerBrowser.post(foreign, form: ["reason": ""]).status == .notFound)
            #expect(try await strangerBrowser.post(revoke, form: ["reason": "Salah"]).status == .forbidden)

            // without a reason nothing changes, and the page says why
            let admin = try await given.browser(signedInAs: issued.admin)
            let blank = try await admin.post(revoke, form: ["reason": "  "])
            #expect(blank.status == .seeOther)
            #expect(
                try await admin.get(CredentialsRoute.certificates(slug).path).body.string.contains(
                    "Tuliskan alasan pencabutan."))
            #expect(try await Certificate.find(issued.certificate.id, on: app.db)?.isRevoked == false)

            // with one, the certificate is revoked and the act is in the tenant's audit log
            let done = try await admin.post(revoke, form: ["reason": "Peserta tidak hadir pada ujian akhir"])
            #expect(done.status == .seeOther)
            let revoked = try #require(try await Certificate.find(issued.certificate.id, on: app.db))
            #expect(revoked.isRevoked && revoked.revokedReason == "Peserta tidak hadir pada ujian akhir")
            #expect(revoked.revokedBy.contains(issued.admin.email))
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "certificate.revoke").all()
            #expect(audit.count == 1)
            #expect(audit.first?.tenantID == issued.tenant.id && audit.first?.subject == revoked.number)
            #expect(audit.first?.actorID == issued.admin.id)

            // the public check says revoked, with the reason; the PDF is no longer handed out
            let check = try await Self.get(app, CredentialsRoute.verification(.value(issued.code)).path)
            #expect(check.status == .ok)
            #expect(check.body.string.contains("Sertifikat dicabut"))
            #expect(check.body.string.contains("Peserta tidak hadir pada ujian akhir"))
            #expect(!check.body.string.contains("Sertifikat sah"))
            #expect(try await Self.get(app, CredentialsRoute.certificatePDF(.value(issued.code)).path).status == .gone)
            let json = try await Self.get(app, CredentialsAPIRoute.verification(.value(issued.code)).path)
            #expect(json.body.string.contains("\"status\":\"revoked\""))

            // and revoking again keeps the first reason and says so (through the API as well)
            let api = try await given.api(as: issued.admin)
            let twice = try await api.call(
                .POST, CredentialsAPIRoute.revokeCertificate(slug, .value(issued.code)).path, ["reason": "Lain"])
            #expect(twice.status == .unprocessableEntity)
            #expect(twice.fields == ["reason"])
            #expect(
                try await Certificate.find(issued.certificate.id, on: app.db)?.revokedReason
                    == "Peserta tidak hadir pada ujian akhir")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAPIRevokesListsAndIsKeptToItsTenant(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let issued = try await Self.issued(app, given)
            let slug = issued.tenant.routeSlug
            let api = try await given.api(as: issued.admin)

            // the administrator's list holds the certificate, with who holds it
            let listed = try await api.call(.GET, CredentialsAPIRoute.certificates(slug).path)
            #expect(listed.status == .ok)
            let items = try #require(listed["certificates"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["name"] as? String == issued.learner.name)
            #expect(listed["has_next"] as? Bool == false)
            let lastYear = try await api.call(
                .GET, CredentialsAPIRoute.certificates(slug).path + "?year=\(issued.certificate.year - 1)")
            #expect((lastYear["certificates"] as? [Any])?.isEmpty == true)

            // a learner may not list or revoke
            let learner = try await given.api(as: issued.learner)
            #expect(try await learner.call(.GET, CredentialsAPIRoute.certificates(slug).path).status == .forbidden)
            let path = CredentialsAPIRoute.revokeCertificate(slug, .value(issued.code)).path
            #expect(try await learner.call(.POST, path, ["reason": "x"]).status == .forbidden)

            // another tenant's administrator finds no such certificate under their tenant
            let elsewhere = try await given.tenant("Balai Lain")
            let stranger = try await given.api(as: try await given.person("Admin Lain", in: elsewhere, roles: [.admin]))
            let foreign = CredentialsAPIRoute.revokeCertificate(elsewhere.routeSlug, .value(issued.code)).path
            #expect(try await stranger.call(.POST, foreign, ["reason": "x"]).status == .notFound)
            let theirList = try await stranger.call(.GET, CredentialsAPIRoute.certificates(elsewhere.routeSlug).path)
            #expect((theirList["certificates"] as? [Any])?.isEmpty == true)

            // (the course's JP were credited with the certificate)
            let event = try CertificateTests.event(issued.built, issued.learner, at: issued.certificate.completedAt)
            try await JPLedger(db: app.db).credit(event)
            let person = PersonID(try issued.learner.requireID())
            #expect(
                try await JPLedger(db: app.db).year(issued.certificate.year, of: person).totalJP
                    == issued.built.course.jp)

            // the administrator revokes; the list and the learner's own API then say so
            let revoked = try await api.call(.POST, path, ["reason": "Data peserta keliru"])
            #expect(revoked.status == .ok)
            #expect(revoked["revoked"] as? Bool == true)
            #expect(revoked["revoked_reason"] as? String == "Data peserta keliru")
            let mine = try await learner.call(.GET, CredentialsAPIRoute.myCertificates.path)
            #expect((mine["certificates"] as? [[String: Any]])?.first?["revoked"] as? Bool == true)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "certificate.revoke").count() == 1)

            // and the JP go with it: the ledger line no longer counts and says why; the person is told
            let year = try await JPLedger(db: app.db).year(issued.certificate.year, of: person)
            #expect(year.totalJP == 0)
            #expect(year.entries.first?.status == .rejected && year.entries.first?.reason == "Data peserta keliru")
            let notes = try await PersonNotification.query(on: app.db).filter(\.$personID == person.rawValue).all()
            #expect(notes.map(\.messageKey) == ["notify.certificate.revoked"])
        }
    }

    @Test
    func theCheckReadsCodesAsPeopleTypeThemAndSaysWhenItKnowsNone() async throws {
        try await withGotong(.sqlite) { app, _ in
            let given = Given(app)
            let issued = try await Self.issued(app, given)
            let compact = issued.certificate.code
            let typed = compact.lowercased().replacingOccurrences(of: "0", with: "o").replacingOccurrences(
                of: "1", with: "l")
            let spaced = String(typed.prefix(4)) + " " + String(typed.dropFirst(4).prefix(4)) + "-" + typed.suffix(4)

            // a code typed in lower case, with spaces, O for 0 and L for 1 finds the certificate
            let form = try await Self.get(
                app,
                CredentialsRoute.verify.path + "?kode="
                    + (spaced.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            #expect(form.status == .seeOther)
            #expect(form.headers.first(name: .location) == CredentialsRoute.verification(.value(issued.code)).path)
            let lower = try await Self.get(app, "/verifikasi/" + typed)
            #expect(lower.status == .ok && lower.body.string.contains("Sertifikat sah"))

            // the form alone asks for a code; an unreadable one is refused with what a code looks like
            let empty = try await Self.get(app, CredentialsRoute.verify.path)
            #expect(empty.status == .ok && empty.body.string.contains("Kode sertifikat"))
            let unreadable = try await Self.get(app, CredentialsRoute.verify.path + "?kode=bukan-kode")
            #expect(unreadable.status == .unprocessableEntity)
            #expect(unreadable.body.string.contains("Kode ini tidak dapat dibaca"))

            // an unknown code, well formed, is "unknown"; so is an address that holds no code
            let unknown = try await Self.get(app, "/verifikasi/ZZZZ-ZZZZ-ZZZZ")
            #expect(unknown.status == .notFound && unknown.body.string.contains("Kode tidak dikenal"))
            #expect(try await Self.get(app, "/verifikasi/ZZZZ-ZZZZ-ZZZZ/pdf").status == .notFound)
            #expect(try await Self.get(app, "/api/v1/certificates/ZZZZ-ZZZZ-ZZZZ").status == .notFound)
            #expect(try await Self.get(app, "/verifikasi/abc").status == .notFound)

            // and an email-verification link mailed before those moved is sent on to its new address
            let secret = String(repeating: "Ab3_", count: 8)
            let old = try await Self.get(app, "/verifikasi/" + secret)
            #expect(old.status == .seeOther)
            #expect(old.headers.first(name: .location) == "/verifikasi-email/" + secret)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theNumberingAndSignerAreTheTenantsToSet(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let admin = try await given.person("Admin Sertifikat", in: tenant, roles: [.admin])
            let api = try await given.api(as: admin)
            let path = CredentialsAPIRoute.certificateSettings(tenant.routeSlug).path

            // unset, the tenant numbers {KODE}/{TAHUN}/{URUT} and signs in its own name
            let defaults = try await api.call(.GET, path)
            #expect(defaults["number_format"] as? String == "{KODE}/{TAHUN}/{URUT}")
            #expect(defaults["signer_position"] as? String == tenant.name)

            // a format without {URUT}, with spaces or an unknown placeholder is refused, field by field
            for (format, key) in [
                ("{KODE}/{TAHUN}", "sequence"), ("SERT {URUT}", "characters"), ("{URUT}/{X}", "characters"),
            ] {
                let refused = try await api.call(
                    .PUT, path, ["number_format": format, "signer_name": "Dr. Siti", "signer_position": "Kepala"])
                #expect(refused.status == .unprocessableEntity, "\(format)")
                #expect(refused.fields == ["number_format"], "\(format) → \(key)")
            }
            let missing = try await api.call(.PUT, path, ["number_format": "{URUT}-{TAHUN}"])
            #expect(Set(missing.fields) == ["signer_name", "signer_position"])
            #expect(try await CertificateSettings.query(on: app.db).count() == 0)

            // a good one is saved, audited, and numbers the next certificate
            let saved = try await api.call(
                .PUT, path,
                [
                    "number_format": "SERT-{URUT}/DIKLAT/{TAHUN}", "signer_name": "Dr. Siti Aminah, M.Si.",
                    "signer_position": "Kepala Balai Diklat",
                ])
            #expect(saved.status == .ok)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "certificate.settings").count() == 1)
            let built = try await given.course(in: tenant, activities: [.page("Satu")])
            let learner = try await given.learner(enrolledIn: built)
            let event = try CertificateTests.event(built, learner, at: app.clock.now())
            let c = try #require(try await CertificateIssuer(db: app.db).issue(event, now: app.clock.now()))
            #expect(c.number == "SERT-00001/DIKLAT/\(c.year)")
            #expect(c.signerName == "Dr. Siti Aminah, M.Si." && c.signerPosition == "Kepala Balai Diklat")

            // a course's own signer signs its certificates instead
            let other = try await given.course(in: tenant, activities: [.page("Satu")])
            let signer = CourseSigner()
            (signer.tenantID, signer.courseID) = (try tenant.requireID(), try other.course.requireID())
            (signer.signerName, signer.signerPosition) = ("Prof. Budi", "Rektor Mitra")
            try await signer.create(on: app.db)
            let second = try await given.learner(enrolledIn: other)
            let secondEvent = try CertificateTests.event(other, second, at: app.clock.now())
            let d = try #require(try await CertificateIssuer(db: app.db).issue(secondEvent, now: app.clock.now()))
            #expect(d.signerName == "Prof. Budi" && d.number == "SERT-00002/DIKLAT/\(d.year)")

            // the desk's form saves the same way and shows a refusal beside its field
            let browser = try await given.browser(signedInAs: admin)
            let desk = CredentialsRoute.certificates(tenant.routeSlug).path
            let bad = try await browser.post(
                desk, form: ["number_format": "{TAHUN}", "signer_name": "A", "signer_position": "B"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Format nomor harus memuat {URUT} dan {TAHUN}"))
            let good = try await browser.post(
                desk, form: ["number_format": "{KODE}-{URUT}-{TAHUN}", "signer_name": "A", "signer_position": "B"])
            #expect(good.status == .seeOther)
            #expect(try await CertificateSettings.query(on: app.db).first()?.numberFormat == "{KODE}-{URUT}-{TAHUN}")

            // and a coordinator can neither read nor change them
            let coordinator = try await given.api(as: built.coordinator)
            #expect(try await coordinator.call(.GET, path).status == .forbidden)
            #expect(try await coordinator.call(.PUT, path, ["number_format": "{URUT}"]).status == .forbidden)
        }
    }
}
