import Crypto
import Fluent
import Foundation
import JWTKit
import Testing
import Vapor
import VaporTesting
@testable import GotongCatalog
@testable import GotongCredentials
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Course badges: made at the desk and in the API by those who build courses, held by every
/// holder of the course's certificate, published as Open Badges 2.0 documents and 3.0
/// credentials that name each other, and revoked with the certificate. (The third-party
/// verifiers check the same documents in tests/e2e/test_badges.py.)
@Suite("Badges")
struct BadgeTests {
    /// A 1×1 PNG.
    static let png = Data(
        base64Encoded:
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!

    static func json(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    static func badge(_ app: Application, _ issued: CertificateAdminTests.Issued) async throws -> BadgeClass {
        let badge = BadgeClass()
        (badge.tenantID, badge.courseID) = (try issued.tenant.requireID(), try issued.built.course.requireID())
        (badge.name, badge.description, badge.criteria) = ("Lencana Uji", "Lulus pelatihan uji", "Selesaikan semua.")
        (badge.createdAt, badge.updatedAt) = (app.clock.now(), app.clock.now())
        try await badge.create(on: app.db)
        return badge
    }

    @Test(arguments: TestDatabase.all)
    func aCoordinatorMakesABadgeAtTheDeskThatEveryHolderHolds(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            // a certificate issued before the course had a badge
            let issued = try await CertificateAdminTests.issued(app, given)
            let slug = issued.tenant.routeSlug
            let courseID = CourseID(try issued.built.course.requireID())
            let form = CredentialsRoute.badge(slug, .value(courseID)).path
            let coordinator = try await given.browser(signedInAs: issued.built.coordinator)
            let list = try await coordinator.get(CredentialsRoute.badges(slug).path)
            #expect(list.status == .ok && list.body.string.contains("Belum ada"))
            #expect(list.body.string.contains(issued.built.course.title))
            let blank = try await coordinator.get(form)
            #expect(blank.status == .ok && blank.body.string.contains("value=\"\(issued.built.course.title)\""))

            // everything wrong is said at once and nothing is kept
            let wrong = try await coordinator.upload(
                form, field: "image", filename: "lencana.png", contentType: "image/png", data: Data("GIF89a....".utf8),
                form: ["name": " ", "description": "Lulus", "criteria": "Selesai"])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("Isi nama lencana.") && wrong.body.string.contains("berkas PNG"))
            #expect(try await BadgeClass.query(on: app.db).count() == 0)
            let huge = try await coordinator.upload(
                form, field: "image", filename: "besar.png", contentType: "image/png",
                data: Self.png + Data(count: 300 * 1024), form: ["name": "A", "description": "B", "criteria": "C"])
            #expect(huge.status == .unprocessableEntity && huge.body.string.contains("Gambar terlalu besar"))

            // with a PNG it is saved, audited, and its picture is served as the badge's image
            let saved = try await coordinator.upload(
                form, field: "image", filename: "lencana.png", contentType: "image/png", data: Self.png,
                form: [
                    "name": "Pelayan Publik Prima", "description": "Lulus pelatihan", "criteria": "Selesaikan 12 JP.",
                ])
            #expect(saved.status == .seeOther)
            let badge = try #require(try await BadgeClass.query(on: app.db).first())
            #expect(badge.name == "Pelayan Publik Prima" && badge.imageKey != nil)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "badge.create").count() == 1)
            let image = try await coordinator.get(CredentialsRoute.badgeImage(slug, .value(courseID)).path)
            #expect(image.status == .ok && Data(image.body.readableBytesView) == Self.png)
            #expect(image.headers.contentType == .png)

            // back to the drawn picture: the upload is gone, the image is an SVG in the tenant's colour
            let drawn = try await coordinator.upload(
                form, field: "image", filename: "", contentType: "application/octet-stream", data: Data(),
                form: ["name": "Pelayan Publik Prima", "description": "Lulus", "criteria": "12 JP", "drawn_image": "1"])
            #expect(drawn.status == .seeOther)
            #expect(try await BadgeClass.query(on: app.db).first()?.imageKey == nil)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "badge.update").count() == 1)
            let svg = try await coordinator.get(CredentialsRoute.badgeImage(slug, .value(courseID)).path)
            #expect(svg.headers.first(name: .contentType)?.hasPrefix("image/svg+xml") == true)
            #expect(svg.body.string.contains(issued.tenant.primaryColor))

            // a badge its holders hold is not deleted
            let remove = CredentialsRoute.removeBadge(slug, .value(courseID)).path
            #expect(try await coordinator.post(remove).status == .seeOther)
            #expect(try await BadgeClass.query(on: app.db).count() == 1)
            #expect(try await coordinator.get(form).body.string.contains("tidak dapat dihapus"))

            // the holder finds it on their certificates page
            let learner = try await given.browser(signedInAs: issued.learner)
            let mine = try await learner.get(CredentialsRoute.myCertificates.path).body.string
            #expect(mine.contains(CredentialsRoute.myBadgeCredential(.value(issued.code)).path))
            #expect(mine.contains(CredentialsRoute.badgeAssertion(slug, .value(issued.code)).path))

            // a learner may not keep badges; another tenant's administrator does not find the course
            #expect(try await learner.get(CredentialsRoute.badges(slug).path).status == .forbidden)
            #expect(try await learner.post(remove).status == .forbidden)
            let elsewhere = try await given.tenant("Balai Lain")
            let stranger = try await given.browser(
                signedInAs: try await given.person("Admin Lain", in: elsewhere, roles: [.admin]))
            #expect(
                try await stranger.get(CredentialsRoute.badge(elsewhere.routeSlug, .value(courseID)).path).status
                    == .notFound)
            #expect(
                try await stranger.post(CredentialsRoute.removeBadge(elsewhere.routeSlug, .value(courseID)).path).status
                    == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAPIMakesChangesListsAndRemovesBadges(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let issued = try await CertificateAdminTests.issued(app, given)
            let slug = issued.tenant.routeSlug
            let held = CredentialsAPIRoute.courseBadge(slug, .value(CourseID(try issued.built.course.requireID()))).path
            let api = try await given.api(as: issued.admin)

            let refused = try await api.call(.PUT, held, ["name": "", "description": "x", "criteria": ""])
            #expect(refused.status == .unprocessableEntity)
            #expect(Set(refused.fields) == ["name", "criteria"] && refused.messages.contains("Isi nama lencana."))
            let made = try await api.call(.PUT, held, ["name": "Lencana", "description": "Lulus", "criteria": "12 JP"])
            #expect(made.status == .ok && made["name"] as? String == "Lencana")
            #expect(
                (made["badge_class_url"] as? String)?.hasSuffix(
                    CredentialsRoute.badgeClass(slug, .value(CourseID(try issued.built.course.requireID()))).path)
                    == true)
            #expect(try await api.call(.GET, held)["criteria"] as? String == "12 JP")
            let list = try await api.call(.GET, CredentialsAPIRoute.badges(slug).path)
            #expect((list["badges"] as? [[String: Any]])?.count == 1)
            // held by the certificate's holder: not deleted
            let kept = try await api.call(.DELETE, held)
            #expect(kept.status == .conflict && kept.messages.first?.contains("tidak dapat dihapus") == true)

            // a course nobody finished: its badge goes, and then there is none
            let other = try await given.course(in: issued.tenant, "Belum Ada Lulusan", activities: [.page("Satu")])
            let fresh = CredentialsAPIRoute.courseBadge(slug, .value(other.id)).path
            #expect(try await api.call(.PUT, fresh, ["name": "B", "description": "C", "criteria": "D"]).status == .ok)
            #expect(try await api.call(.DELETE, fresh).status == .noContent)
            #expect(try await api.call(.GET, fresh).status == .notFound)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "badge.delete").count() == 1)

            // learners may not; another tenant's administrator does not find the course
            let learner = try await given.api(as: issued.learner)
            #expect(
                try await learner.call(.PUT, held, ["name": "x", "description": "x", "criteria": "x"]).status
                    == .forbidden)
            let elsewhere = try await given.tenant("Balai Lain")
            let stranger = try await given.api(as: try await given.person("Admin Lain", in: elsewhere, roles: [.admin]))
            let foreign = CredentialsAPIRoute.courseBadge(
                elsewhere.routeSlug, .value(CourseID(try issued.built.course.requireID()))
            ).path
            #expect(
                try await stranger.call(.PUT, foreign, ["name": "x", "description": "x", "criteria": "x"]).status
                    == .notFound)
            #expect(
                try await BadgeClass.find(try #require(try await BadgeClass.query(on: app.db).first()?.id), on: app.db)?
                    .name == "Lencana")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theOpenBadges2DocumentsNameEachOtherAndARevocationIsListed(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let issued = try await CertificateAdminTests.issued(app, given)
            let badge = try await Self.badge(app, issued)
            let slug = issued.tenant.routeSlug
            let get = { (route: CredentialsRoute) in try await CertificateAdminTests.get(app, route.path) }
            let base = app.gotong.baseURL

            let issuer = try Self.json(try await get(.badgeIssuer(slug)))
            #expect(issuer["type"] as? String == "Issuer" && issuer["@context"] as? String == OpenBadges2.context)
            #expect(issuer["name"] as? String == issued.tenant.name)
            #expect(issuer["publicKey"] as? String == base + CredentialsRoute.badgeKey(slug).path)
            #expect(issuer["revocationList"] as? String == base + CredentialsRoute.badgeRevocations(slug).path)
            let key = try Self.json(try await get(.badgeKey(slug)))
            #expect(key["owner"] as? String == base + CredentialsRoute.badgeIssuer(slug).path)
            let pem = try #require(key["publicKeyPem"] as? String)

            let courseID = CourseID(badge.courseID)
            let badgeClass = try Self.json(try await get(.badgeClass(slug, .value(courseID))))
            #expect(badgeClass["issuer"] as? String == base + CredentialsRoute.badgeIssuer(slug).path)
            #expect(badgeClass["image"] as? String == base + CredentialsRoute.badgeImage(slug, .value(courseID)).path)
            #expect((badgeClass["criteria"] as? [String: Any])?["narrative"] as? String == "Selesaikan semua.")

            // the hosted assertion: its own address, the holder's address hashed with its salt
            let hosted = try await get(.badgeAssertion(slug, .value(issued.code)))
            #expect(hosted.status == .ok && hosted.headers.first(name: .accessControlAllowOrigin) == "*")
            let assertion = try Self.json(hosted)
            #expect(
                assertion["id"] as? String == base + CredentialsRoute.badgeAssertion(slug, .value(issued.code)).path)
            #expect(assertion["badge"] as? String == base + CredentialsRoute.badgeClass(slug, .value(courseID)).path)
            let recipient = try #require(assertion["recipient"] as? [String: Any])
            let salt = try #require(recipient["salt"] as? String)
            let digest = SHA256.hash(data: Data((issued.learner.email + salt).utf8))
            #expect(recipient["identity"] as? String == "sha256$" + digest.map { String(format: "%02x", $0) }.joined())
            #expect(!String(decoding: hosted.body.readableBytesView, as: UTF8.self).contains(issued.learner.email))

            // the signed one verifies with the published key, and names it
            let signed = try await get(.signedAssertion(slug, .value(issued.code)))
            let keys = try await JWTKeyCollection().add(rsa: Insecure.RSA.PublicKey(pem: pem), digestAlgorithm: .sha256)
            let payload = try await keys.verify(signed.body.string, as: OpenBadges2.Assertion.self)
            #expect(payload.verification.type == "SignedBadge")
            #expect(payload.verification.creator == base + CredentialsRoute.badgeKey(slug).path)
            #expect(payload.id == "urn:uuid:" + (try issued.certificate.requireID()).uuidString.lowercased())

            // revoked: the hosted assertion is gone with its reason, and both ids are on the list
            let before = try Self.json(try await get(.badgeRevocations(slug)))
            #expect((before["revokedAssertions"] as? [Any])?.isEmpty == true)
            let api = try await given.api(as: issued.admin)
            let revoke = CredentialsAPIRoute.revokeCertificate(slug, .value(issued.code)).path
            #expect(try await api.call(.POST, revoke, ["reason": "Data kehadiran keliru"]).status == .ok)
            let gone = try await get(.badgeAssertion(slug, .value(issued.code)))
            #expect(gone.status == .gone)
            let goneBody = try Self.json(gone)
            #expect(
                goneBody["revoked"] as? Bool == true
                    && goneBody["revocationReason"] as? String == "Data kehadiran keliru")
            let list = try Self.json(try await get(.badgeRevocations(slug)))
            let ids = (list["revokedAssertions"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
            #expect(Set(ids) == [payload.id, assertion["id"] as? String ?? "?"])

            // another tenant's slug does not find this tenant's award or badge
            let elsewhere = try await given.tenant("Balai Lain")
            #expect(try await get(.badgeAssertion(elsewhere.routeSlug, .value(issued.code))).status == .notFound)
            #expect(try await get(.signedAssertion(elsewhere.routeSlug, .value(issued.code))).status == .notFound)
            #expect(try await get(.badgeClass(elsewhere.routeSlug, .value(courseID))).status == .notFound)
            #expect(try await get(.badgeImage(elsewhere.routeSlug, .value(courseID))).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCertificateOfACourseWithoutABadgeHasNoAssertion(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let issued = try await CertificateAdminTests.issued(app, Given(app))
            let slug = issued.tenant.routeSlug
            #expect(
                try await CertificateAdminTests.get(
                    app, CredentialsRoute.badgeAssertion(slug, .value(issued.code)).path
                ).status == .notFound)
            let courseID = CourseID(try issued.built.course.requireID())
            #expect(
                try await CertificateAdminTests.get(app, CredentialsRoute.badgeClass(slug, .value(courseID)).path)
                    .status == .notFound)
            let learner = try await Given(app).browser(signedInAs: issued.learner)
            #expect(
                try await learner.get(CredentialsRoute.myBadgeCredential(.value(issued.code)).path).status == .notFound)
            #expect(!(try await learner.get(CredentialsRoute.myCertificates.path).body.string.contains("lencana.jwt")))
        }
    }

    @Test(arguments: TestDatabase.all)
    func theHolderDownloadsAnOpenBadges3CredentialSignedWithThePublishedKey(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let issued = try await CertificateAdminTests.issued(app, given)
            _ = try await Self.badge(app, issued)
            let slug = issued.tenant.routeSlug
            // (the NIP as the certificate carries it, copied in when it was issued)
            try await Certificate.query(on: app.db).filter(\.$id == issued.certificate.requireID())
                .set(\.$personNIP, to: "198703122010121001").update()
            let learner = try await given.browser(signedInAs: issued.learner)
            let download = try await learner.get(CredentialsRoute.myBadgeCredential(.value(issued.code)).path)
            #expect(download.status == .ok)
            #expect(download.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            #expect(download.headers.first(name: .contentType)?.hasPrefix("application/vc+jwt") == true)

            // the credential verifies with the tenant's published JWK set, and says what was earned
            let jwks = try Self.json(try await CertificateAdminTests.get(app, CredentialsRoute.badgeJWKS(slug).path))
            let ec = try #require((jwks["keys"] as? [[String: Any]])?.first { $0["kty"] as? String == "EC" })
            let keys = try await JWTKeyCollection().add(
                ecdsa: ES256PublicKey(parameters: (x: ec["x"] as? String ?? "", y: ec["y"] as? String ?? "")))
            let credential = try await keys.verify(download.body.string, as: OpenBadges3.Credential.self)
            #expect(credential.type == ["VerifiableCredential", "OpenBadgeCredential"])
            #expect(credential.credentialSubject.achievement.creditsAvailable == Double(issued.certificate.jp))
            #expect(credential.iss == app.gotong.baseURL + CredentialsRoute.badgeIssuer(slug).path)
            let identities = credential.credentialSubject.identifier
            #expect(
                identities.contains { $0.identityType == "emailAddress" && $0.identityHash == issued.learner.email })
            let nip = try #require(identities.first { $0.identityType == "ext:nip" })
            #expect(
                nip.hashed && nip.identityHash == OpenBadges2.identityHash("198703122010121001", salt: nip.salt ?? ""))
            #expect(
                !download.body.string.isEmpty
                    && !credential.credentialSubject.identifier.contains { $0.identityHash.contains("1987031220") })
            #expect(credential.credentialStatus.statusListIndex == "\(issued.certificate.sequence)")

            // the API hands out the same forms; nobody else gets them
            let api = try await given.api(as: issued.learner)
            let mine = try await api.call(.GET, CredentialsAPIRoute.myBadge(.value(issued.code)).path)
            #expect(mine.status == .ok)
            _ = try await keys.verify(try #require(mine["credential"] as? String), as: OpenBadges3.Credential.self)
            let stranger = try await given.browser(signedInAs: try await given.person("Orang Lain", in: issued.tenant))
            #expect(
                try await stranger.get(CredentialsRoute.myBadgeCredential(.value(issued.code)).path).status == .notFound
            )

            // the year's status list is signed with the same key; revoked, the credential is not handed out
            let status = try await CertificateAdminTests.get(
                app, CredentialsRoute.badgeStatus(slug, .value(StatusListYear(issued.certificate.year))).path)
            let list = try await keys.verify(status.body.string, as: OpenBadges3.StatusListCredential.self)
            #expect(list.credentialSubject.encodedList.hasPrefix("u"))
            let admin = try await given.api(as: issued.admin)
            let revoke = CredentialsAPIRoute.revokeCertificate(slug, .value(issued.code)).path
            #expect(try await admin.call(.POST, revoke, ["reason": "Keliru"]).status == .ok)
            #expect(try await learner.get(CredentialsRoute.myBadgeCredential(.value(issued.code)).path).status == .gone)
            #expect(try await api.call(.GET, CredentialsAPIRoute.myBadge(.value(issued.code)).path).status == .gone)
            let after = try await CertificateAdminTests.get(
                app, CredentialsRoute.badgeStatus(slug, .value(StatusListYear(issued.certificate.year))).path)
            let revokedList = try await keys.verify(after.body.string, as: OpenBadges3.StatusListCredential.self)
            #expect(revokedList.credentialSubject.encodedList != list.credentialSubject.encodedList)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTenantsKeysAreMadeOnceEvenWhenTwoProcessesAskAtOnce(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let tenant = try await Given(app).tenant()
            let id = try tenant.requireID()
            // two caches stand for two server processes
            async let first = IssuerKeys().signer(for: id, on: app.db, now: Date())
            async let second = IssuerKeys().signer(for: id, on: app.db, now: Date())
            let (a, b) = try await (first, second)
            #expect(a.ecKID == b.ecKID && a.rsaKID == b.rsaKID)
            #expect(try await IssuerKey.query(on: app.db).filter(\.$tenantID == id).count() == 2)
        }
    }

    @Test func theDrawnImageEscapesTheTitleAndTakesOnlyAColour() {
        let svg = BadgeImage.svg(
            courseTitle: "Etika <script>alert(1)</script> & \"Integritas\"", jp: 6, color: "red\"/>")
        #expect(!svg.contains("<script>") && svg.contains("&lt;script&gt;") && svg.contains("6 JP"))
        #expect(svg.contains("fill=\"#1f5f8b\"") && !svg.contains("red\"/>"))
        #expect(BadgeImage.initials(of: "Manajemen Risiko dan Pengendalian Intern") == "MRP")
        #expect(BadgeImage.initials(of: "—").isEmpty)
    }

    @Test func aStatusListSetsTheBitOfEachRevokedNumberFromTheHighestBit() throws {
        let list = try OpenBadges3.statusList(
            revoked: [0, 9], last: 20, url: "https://x/s", issuer: "https://x", now: Date())
        let encoded = list.credentialSubject.encodedList
        #expect(encoded.hasPrefix("u"))
        let zipped = try #require(Data(base64URL: Array(encoded.utf8.dropFirst())[...]))
        #expect(zipped.prefix(2) == Data([0x1f, 0x8b]))  // gzip, as the spec asks
    }
}
