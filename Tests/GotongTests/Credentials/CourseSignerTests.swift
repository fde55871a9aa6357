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

/// A course's own certificate signer, set at the desk by the tenant's administrators: printed on
/// the course's certificates issued afterwards, and cleared back to the tenant's signer.
@Suite("Course signer")
struct CourseSignerTests {
    @Test(arguments: TestDatabase.all)
    func anAdministratorSetsACoursesSignerForItsNextCertificates(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let issued = try await CertificateAdminTests.issued(app, given)
            let slug = issued.tenant.routeSlug
            let path = CredentialsRoute.courseSigner(slug).path
            let course = try issued.built.course.requireID().uuidString
            let admin = try await given.browser(signedInAs: issued.admin)
            #expect(
                try await admin.get(CredentialsRoute.certificates(slug).path).body.string.contains(
                    "Penandatangan per pelatihan"))

            // a name without a position is refused; nothing is kept
            #expect(
                try await admin.post(path, form: ["course_id": course, "signer_name": "Dr. Ani"]).status == .seeOther)
            #expect(try await CourseSigner.query(on: app.db).count() == 0)
            let saved = try await admin.post(
                path, form: ["course_id": course, "signer_name": "Dr. Ani Lestari", "signer_position": "Kepala Pusat"])
            #expect(saved.status == .seeOther)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$action == "certificate.course_signer").count() == 1)

            // the next certificate of the course carries it; the one before keeps what it says
            let next = try await given.learner(enrolledIn: issued.built)
            let event = try CertificateTests.event(issued.built, next, at: app.clock.now())
            let certificate = try #require(try await CertificateIssuer(db: app.db).issue(event, now: app.clock.now()))
            #expect(certificate.signerName == "Dr. Ani Lestari" && certificate.signerPosition == "Kepala Pusat")
            #expect(try await Certificate.find(issued.certificate.id, on: app.db)?.signerName != "Dr. Ani Lestari")

            // both empty: back to the tenant's signer
            #expect(
                try await admin.post(path, form: ["course_id": course, "signer_name": "", "signer_position": ""]).status
                    == .seeOther)
            #expect(try await CourseSigner.query(on: app.db).count() == 0)

            // a coordinator may not; another tenant's course is not found through this desk
            let coordinator = try await given.browser(signedInAs: issued.built.coordinator)
            #expect(
                try await coordinator.post(
                    path, form: ["course_id": course, "signer_name": "X", "signer_position": "Y"]
                ).status == .forbidden)
            let elsewhere = try await given.tenant("Balai Lain")
            let stranger = try await given.browser(
                signedInAs: try await given.person("Admin Lain", in: elsewhere, roles: [.admin]))
            let foreign = CredentialsRoute.courseSigner(elsewhere.routeSlug).path
            #expect(
                try await stranger.post(
                    foreign, form: ["course_id": course, "signer_name": "X", "signer_position": "Y"]
                ).status == .seeOther)
            #expect(try await CourseSigner.query(on: app.db).count() == 0)
        }
    }
}
