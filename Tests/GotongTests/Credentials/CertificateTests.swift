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

/// Certificates: issued once per finished course, numbered without gaps per tenant and year,
/// printed as a PDF that poppler reads and whose QR code zbar decodes to a page that says
/// "valid", revoked by the tenant's administrator with the act audited.
@Suite("Certificates")
struct CertificateTests {
    /// The completion of `learner`'s course, as the hooks hear it.
    static func event(_ built: Given.BuiltCourse, _ learner: Person, at date: Date) throws -> CourseCompletion.Event {
        CourseCompletion.Event(
            tenant: TenantID(built.course.tenantID), course: built.id, person: PersonID(try learner.requireID()),
            completedAt: date)
    }

    @Test(arguments: TestDatabase.all)
    func aFinishedCourseIssuesOneNumberedCertificateThatReadersCheck(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a learner with a NIP who finishes a one-page course
            app.jobs.startsWorker = false
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, "Etika Pelayanan Publik", activities: [.page("Satu")])
            let learner = try await given.learner(enrolledIn: built)
            learner.nip = "198703122010121001"
            try await learner.save(on: app.db)
            let browser = try await given.browser(signedInAs: learner)
            let page = LearningRoute.activity(tenant.routeSlug, built.course.routeSlug, built.activities[0].routeID)
            #expect(try await browser.get(page.path).status == .ok)

            // when the completion's job runs (twice: a retried job issues nothing more)
            await JobQueue.runDue(app)
            let again = try await CertificateIssuer(db: app.db).issue(
                try Self.event(built, learner, at: app.clock.now()), now: app.clock.now())

            // then one certificate, numbered first of the tenant's year, says what the course was
            let all = try await Certificate.query(on: app.db).filter(\.$personID == learner.requireID()).all()
            #expect(all.count == 1)
            let c = try #require(all.first)
            #expect(again?.id == c.id)
            let year = LocalDates.year(of: c.completedAt)
            #expect(c.number == "\(tenant.slug.uppercased())/\(year)/00001")
            #expect(c.sequence == 1 && c.year == year)
            #expect(c.personName == learner.name && c.personNIP == "198703122010121001")
            #expect(c.courseTitle == built.course.title && c.jp == built.course.jp)
            #expect(c.tenantName == tenant.name && c.signerPosition == tenant.name)
            #expect(c.startedAt != nil && !c.isRevoked)

            // and poppler reads the name, NIP, course and number from its PDF
            let code = c.verificationCode
            let pdf = try await browser.get(CredentialsRoute.certificatePDF(.value(code)).path)
            #expect(pdf.status == .ok)
            #expect(pdf.headers.contentType?.serialize() == "application/pdf")
            let folder = try Peers.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("sertifikat.pdf")
            try Data(pdf.body.readableBytesView).write(to: file)
            #expect(try Peers.run("qpdf", ["--check", file.path]).status == 0)
            let text = try Peers.run("pdftotext", ["-layout", file.path, "-"]).output
            for expected in [learner.name, "NIP 198703122010121001", c.number, "SERTIFIKAT", tenant.name] {
                #expect(text.contains(expected), "pdftotext did not find \(expected)")
            }
            #expect(text.contains(built.course.title) || text.contains("Etika Pelayanan Publik"))

            // and zbar reads the QR code of the rendered page as the verification address
            let image = folder.appendingPathComponent("halaman").path
            #expect(try Peers.run("pdftoppm", ["-r", "150", "-png", "-singlefile", file.path, image]).status == 0)
            let decoded = try Peers.run("zbarimg", ["-q", "--raw", image + ".png"]).output
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let expectedURL = app.gotong.baseURL + CredentialsRoute.verification(.value(code)).path
            #expect(decoded == expectedURL)

            // and that address, opened by anyone, says the certificate is valid and what it says
            let path = try #require(decoded.range(of: "/verifikasi/").map { String(decoded[$0.lowerBound...]) })
            let check = try await app.testing().performTest(
                request: .init(method: .GET, url: .init(string: path), headers: [:], body: .init()))
            #expect(check.status == .ok)
            let body = check.body.string
            #expect(body.contains("Sertifikat sah"))
            #expect(body.contains(learner.name) && body.contains(c.number) && body.contains(built.course.title))

            // and the learner's list and API show it, with its addresses
            let mine = try await browser.get(CredentialsRoute.myCertificates.path)
            #expect(mine.status == .ok && mine.body.string.contains(c.number))
            let api = try await given.api(as: learner)
            let listed = try await api.call(.GET, CredentialsAPIRoute.myCertificates.path)
            let items = try #require(listed["certificates"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["number"] as? String == c.number)
            #expect(items.first?["verification_url"] as? String == expectedURL)
            #expect(items.first?["pdf_url"] as? String == expectedURL + "/pdf")
            #expect(items.first?["jp"] as? Int == built.course.jp)
            #expect(items.first?["revoked"] as? Bool == false)

            // and someone else's list is empty
            let other = try await given.person(in: tenant)
            let theirs = try await given.api(as: other).call(.GET, CredentialsAPIRoute.myCertificates.path)
            #expect((theirs["certificates"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func numbersRunWithoutGapsWhenManyFinishAtOnce(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given twelve learners of one course, and one of them told four times at once
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [.page("Satu")])
            var learners: [Person] = []
            for _ in 0..<12 { learners.append(try await given.learner(enrolledIn: built)) }
            let now = app.clock.now()
            var events = try learners.map { try Self.event(built, $0, at: now) }
            events += Array(repeating: events[0], count: 3)

            // when all are issued at once
            try await withThrowingTaskGroup(of: Void.self) { group in
                for event in events {
                    group.addTask { _ = try await CertificateIssuer(db: app.db).issue(event, now: now) }
                }
                try await group.waitForAll()
            }

            // then twelve certificates hold the numbers 1…12, each once, and the counter says 12
            let issued = try await Certificate.query(on: app.db).filter(\.$tenantID == tenant.requireID()).all()
            #expect(issued.count == 12)
            #expect(issued.map(\.sequence).sorted() == Array(1...12))
            #expect(Set(issued.map(\.number)).count == 12)
            #expect(Set(issued.map(\.personID)).count == 12)
            let counter = try await CertificateCounter.query(on: app.db).filter(\.$tenantID == tenant.requireID())
                .first()
            #expect(counter?.lastSequence == 12)
        }
    }
}
