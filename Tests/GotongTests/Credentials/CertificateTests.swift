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
            // (the NIP only by its last four digits: its first eight are the birth date)
            #expect(body.contains("••••••••••••••1001") && !body.contains("198703122010121001"))
            #expect(check.headers.first(name: "X-Robots-Tag") == "noindex")

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

    /// A name with every degree, a long title and a long signer's office stay inside the frame,
    /// by poppler's own measure of where each word landed.
    @Test
    func longTextStaysInsideTheFrame() throws {
        let c = Certificate()
        (c.code, c.number, c.year, c.sequence) = ("7KQ2M9XD4HRT", "BPSDM-JABAR/2026/00042", 2026, 42)
        c.personName =
            "Prof. Dr. Ir. Hj. Raden Ajeng Siti Nurhayati Kusumawardhani Prawiranegara, S.E., M.Sc., M.P.A., Ph.D."
        c.personNIP = "198703122010121001"
        c.courseTitle = String(repeating: "Pelatihan Kepemimpinan Administrator Angkatan XII ", count: 4)
        (c.jp, c.tenantName, c.brandColor) = (
            45, "Badan Pengembangan Sumber Daya Manusia Provinsi Jawa Barat", "#0b4f8a"
        )
        c.signerName = "Dr. H. Muhammad Ridwan Kamil Santosa Wirahadikusumah, S.T., M.U.D."
        c.signerPosition = "Kepala Badan Pengembangan Sumber Daya Manusia Daerah Provinsi Jawa Barat selaku Pembina"
        (c.completedAt, c.issuedAt, c.revokedReason, c.revokedBy) = (Date(), Date(), "", "")
        let folder = try Peers.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("panjang.pdf")
        try Data(
            CertificateDocument.pdf(c, verificationURL: "http://127.0.0.1/verifikasi/7KQ2-M9XD-4HRT").readableBytesView
        )
        .write(to: file)
        let boxes = try Peers.run("pdftotext", ["-bbox", file.path, "-"]).output
        var words: [(text: Substring, x: ClosedRange<Double>, y: ClosedRange<Double>)] = []
        for line in boxes.split(separator: "\n") where line.contains("<word ") {
            func value(_ name: String) -> Double {
                guard let start = line.range(of: "\(name)=\"") else { return .nan }
                return Double(line[start.upperBound...].prefix { $0 != "\"" }) ?? .nan
            }
            let (xMin, xMax, yMin, yMax) = (value("xMin"), value("xMax"), value("yMin"), value("yMax"))
            #expect(xMin >= 28 && xMax <= CertificateDocument.width - 28, "\(line)")
            words.append((line, xMin...xMax, yMin...yMax))
        }
        #expect(words.count > 60)
        // and no word is drawn over another (the title once ran into the signature's date)
        for (i, a) in words.enumerated() {
            for b in words[(i + 1)...] where a.x.overlaps(b.x) && a.y.overlaps(b.y) {
                let overlapX = min(a.x.upperBound, b.x.upperBound) - max(a.x.lowerBound, b.x.lowerBound)
                let overlapY = min(a.y.upperBound, b.y.upperBound) - max(a.y.lowerBound, b.y.lowerBound)
                #expect(overlapX < 1 || overlapY < 1, "\(a.text) overlaps \(b.text)")
            }
        }
        let text = try Peers.run("pdftotext", ["-layout", file.path, "-"]).output
        #expect(text.contains("Prawiranegara") && text.contains("Ph.D.") && text.contains("M.U.D."))
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
