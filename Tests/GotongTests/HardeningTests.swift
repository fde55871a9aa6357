import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Numbers a client sends are read by one reader, pages past the end are clamped, audience
/// rests on granted memberships, and changes to what the marketplace shows go back to curation.
@Suite("Hardening")
struct HardeningTests {
    // MARK: The shared number reader

    @Test(
        arguments: [
            ("12", 12), (" 7 ", 7), ("-3", nil), ("0", 0), ("abc", nil), ("1.5", nil), ("1e3", nil), ("0x10", nil),
            ("9223372036854775807", nil), ("99999999999999999999999", nil), ("١٢", nil), ("+5", 5), ("", nil),
        ] as [(String, Int?)])
    func wholeNumbersAreReadOnlyInTheirRange(raw: String, expected: Int?) {
        var problems = ProblemList()
        let value = WholeNumber.read(raw, field: "n", in: 0...1_000, problems: &problems)
        #expect(value == expected)
        // Blank is "not given", not a problem; everything else that is not a number in range is one.
        #expect(problems.isEmpty == (expected != nil || raw.trimmingCharacters(in: .whitespaces).isEmpty))
        #expect(problems.problems.allSatisfy { $0.key == "input.error.number" && $0.args["max"] == "1000" })
    }

    @Test
    func aPageWindowClampsToThePagesThereAre() {
        #expect(PageWindow(requested: 9_000, per: 20, total: 45) == PageWindow(requested: 3, per: 20, total: 45))
        #expect(PageWindow(requested: 3, per: 20, total: 45).range == 40..<60)
        #expect(PageWindow(requested: PageWindow.maxPage, per: 50, total: 0).page == 1)
        #expect(PageWindow(requested: -4, per: 20, total: 45).page == 1)
        #expect(
            !PageWindow(requested: 3, per: 20, total: 45).hasNext
                && PageWindow(requested: 3, per: 20, total: 45).hasPrevious)
    }

    @Test(arguments: TestDatabase.all)
    func pageNumbersInAddressesNeverStopTheServer(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: an institution with a course and a learner, its administrator, the platform's
            let given = Given(app)
            let tenant = try await given.tenant()
            let course = try await given.course(in: tenant, activities: [])
            let learner = try await given.learner(enrolledIn: course)
            let anonymous = Browser(app)
            let admin = try await given.browser(signedInAs: try await given.person(in: tenant, roles: [.admin]))
            let platform = try await given.browser(signedInAs: try await given.platformAdmin())
            let (storefront, manage) = ("/t/\(tenant.slug)", "/t/\(tenant.slug)/kelola")
            let huge = "1383505805528216372"

            // MUT + validate: nonsense is a 400 that names the parameter, in Indonesian
            for (browser, path) in [
                (anonymous, "\(storefront)/pelatihan?hal="), (admin, "\(manage)/audit?halaman="),
                (admin, "\(manage)/anggota?halaman="), (platform, "/admin/audit?halaman="),
            ] {
                for bad in [huge, "-1", "0", "abc", String(repeating: "9", count: 5000)] {
                    let response = try await browser.get(path + bad)
                    #expect(response.status == .badRequest, "\(path)\(bad.prefix(20)) answered \(response.status)")
                    #expect(response.body.string.contains("bilangan bulat"), "\(path) says what is wrong")
                }
            }
            // A page past the last shows the last page (or an empty one for the log).
            let past = try await anonymous.get("\(storefront)/pelatihan?hal=999")
            #expect(past.status == .ok)
            #expect(past.body.string.contains(course.course.title))
            #expect(try await admin.get("\(manage)/anggota?halaman=999").body.string.contains(learner.email))
            #expect(try await platform.get("/admin/audit?halaman=1000000").status == .ok)
            // And the catalogue's own page parameter.
            // (the catalogue's search parameters answer 422, as its API documents)
            #expect(try await anonymous.get("/katalog?page=\(huge)").status == .unprocessableEntity)
            #expect(try await anonymous.get("/katalog?page=99999").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func minutesInTheActivityFormCannotOverflow(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup
            let given = Given(app)
            let f = try await LearningTests.fixture(given)
            let topic = try await LearningTests.section(f, "Topik 1")
            let coordinator = try await given.browser(signedInAs: f.coordinator)
            let form = "/t/\(f.tenant.slug)/kelola/pelatihan/\(f.courseID)/materi/baru"
            let before = try await Activity.query(on: app.db).count()

            // MUT: minutes near Int.max (× 60 would overflow), negative and huge text
            for minutes in ["\(Int.max / 60 + 1)", "\(Int.max)", "-5", "99999999999999999999999"] {
                let response = try await coordinator.post(
                    form,
                    form: [
                        "type": "page", "section": topic, "title": "Bacaan", "body": "Teks.",
                        "completion": "min_seconds", "completion_value": minutes,
                    ])
                // validate: the form again with its message, nothing written
                #expect(response.status == .unprocessableEntity, "\(minutes) answered \(response.status)")
                #expect(response.body.string.contains("menit"))
            }
            #expect(try await Activity.query(on: app.db).count() == before)
            let fine = try await coordinator.post(
                form,
                form: [
                    "type": "page", "section": topic, "title": "Bacaan", "body": "Teks.", "completion": "min_seconds",
                    "completion_value": "5",
                ])
            #expect(fine.status == .seeOther)
            #expect(
                try await Activity.query(on: app.db).filter(\.$title == "Bacaan").first()?.completion
                    == .minSeconds(300))
        }
    }

    // MARK: Audience

    @Test(arguments: TestDatabase.all)
    func aHomeInstitutionPickedOnTheProfileDoesNotOpenItsOwnCourses(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: a course for Jawa Barat's own people; a learner of another institution names
            // Jawa Barat home, and a member of Jawa Barat
            let given = Given(app)
            let jabar = try await given.tenant("BPSDM Jabar Uji")
            let course = try await given.course(in: jabar, activities: [], audience: .own).course
            #expect(course.audience == .own)
            let stranger = try await given.person(in: try await given.tenant("BPS Uji"))
            stranger.homeTenantID = jabar.id
            try await stranger.save(on: app.db)
            let strangerAPI = try await given.api(as: stranger)
            let member = try await given.api(as: try await given.person(in: jabar))

            // MUT + validate
            let refused = try await strangerAPI.call(.POST, "/api/v1/courses/\(course.requireID())/enrolments")
            #expect(refused.status == .forbidden)
            #expect(
                try await Enrolment.query(on: app.db).filter(\.$courseID == course.requireID()).filter(
                    \.$personID == stranger.requireID()
                ).count() == 0)
            #expect(try await member.call(.POST, "/api/v1/courses/\(course.requireID())/enrolments").status == .created)
        }
    }

    // MARK: Curation

    @Test(arguments: TestDatabase.all)
    func changingWhatTheMarketplaceShowsSendsACourseBackToCuration(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: an approved course and its coordinator
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, "Statistik Dasar", activities: [])
            let course = built.course
            #expect(course.curation == .approved)
            let coordinator = try await given.api(as: built.coordinator)
            let path = "/api/v1/tenants/\(tenant.slug)/courses/\(try course.requireID())"

            // MUT: seats change freely
            #expect(try await coordinator.call(.PATCH, path, ["quota": 500]).status == .ok)
            #expect(try await Course.find(course.id, on: app.db)?.curation == .approved)

            // MUT: a new title waits for the curator, and leaves the marketplace until then
            let renamed = try await coordinator.call(.PATCH, path, ["title": "Statistik Dasar (versi baru)"])
            #expect(renamed.status == .ok)
            let stored = try #require(try await Course.find(course.id, on: app.db))
            #expect(stored.curation == .pending)
            #expect(!stored.isInMarketplace)
            let anonymous = Browser(app)
            #expect(!(try await anonymous.get("/katalog?q=statistik").body.string.contains("versi baru")))
            // The curator sees it again and approves it.
            let curator = try await given.api(as: try await given.platformAdmin())
            #expect(
                try await curator.call(.POST, "/api/v1/curation/courses/\(try course.requireID())/approve").status
                    == .ok)
            #expect(try await anonymous.get("/katalog?q=statistik").body.string.contains("versi baru"))
        }
    }
}

/// A route's body limit holds for everyone, signed in or not, over real HTTP.
@Suite("Body limits")
struct BodyLimitTests {
    @Test(arguments: TestDatabase.all)
    func aSignedInPersonCannotSendMoreThanTheRouteTakes(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: a learner signed in (in memory), then sending over a real connection
            let given = Given(app)
            let learner = try await given.browser(signedInAs: try await given.person(in: try await given.tenant()))
            let (headers, big) = Browser.multipart(
                field: "x", filename: "x.bin", contentType: "application/octet-stream",
                data: Data(repeating: 0x41, count: 17 * 1_048_576), form: ["name": "besar"])

            try await LiveServer.with(app) { server in
                // MUT: 17 MB to the token form (its limit is the default 16 MB)
                // validate: refused with 413 — or the connection is closed before the client
                // finished sending — and in either case no token made (before the fix the form
                // was read and obeyed)
                do {
                    let refused = try await server.send(
                        .POST, "/profil/token", cookies: learner.cookies, headers: headers, body: big)
                    #expect(refused.status == .payloadTooLarge)
                } catch {
                    #expect(String(describing: error).contains("remoteConnectionClosed"), "\(error)")
                }
                #expect(try await APIToken.query(on: app.db).filter(\.$name == "besar").count() == 0)
                // A small form still works.
                var form = HTTPHeaders()
                form.contentType = .urlEncodedForm
                let fine = try await server.send(
                    .POST, "/profil/token", cookies: learner.cookies, headers: form,
                    body: ByteBuffer(string: "name=kecil&\(CSRF.fieldName)=\(Browser.csrf)"))
                #expect(fine.status.code < 400)
            }
        }
    }
}

/// A home institution is chosen among the institutions that granted a membership.
@Suite("Home institution")
struct HomeInstitutionTests {
    @Test(arguments: TestDatabase.all)
    func theProfileOffersAndAcceptsOnlyMemberships(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: Siti belongs to Jawa Barat (her home) and BPPK, not to BPS
            let given = Given(app)
            let jabar = try await given.tenant("BPSDM Jabar Uji"), bps = try await given.tenant("BPS Uji")
            let person = try await given.person("Siti Rahmawati", in: [jabar, try await given.tenant("BPPK Uji")])
            let siti = try await given.browser(signedInAs: person)

            // MUT + validate: the form lists her memberships only
            let page = try await siti.get("/profil").body.string
            #expect(
                page.contains("value=\"\(jabar.id!.uuidString)\"") && !page.contains("value=\"\(bps.id!.uuidString)\""))
            // Choosing another institution is refused with a message, and nothing is saved.
            let refused = try await siti.post(
                "/profil", form: ["name": "Siti Rahmawati", "home_tenant": bps.id!.uuidString])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("instansi tempat Anda terdaftar"))
            #expect(
                try await Person.query(on: app.db).filter(\.$email == person.email).first()?.homeTenantID == jabar.id)
            #expect(
                try await siti.post("/profil", form: ["name": "Siti Rahmawati", "home_tenant": jabar.id!.uuidString])
                    .status == .seeOther)
        }
    }
}

/// Control characters in an address never reach a query.
@Suite("Path guard")
struct PathGuardTests {
    @Test
    func controlCharactersInThePathAreFound() {
        #expect(PathGuardMiddleware.hasControlCharacter("/t/bps/belajar/a%00b"))
        #expect(PathGuardMiddleware.hasControlCharacter("/t/bps/halaman/%1f"))
        #expect(PathGuardMiddleware.hasControlCharacter("/x%7Fy"))
        #expect(!PathGuardMiddleware.hasControlCharacter("/katalog?q=a%0Ab"))
        #expect(!PathGuardMiddleware.hasControlCharacter("/t/bps/pelatihan/statistik-dasar%20x"))
        #expect(!PathGuardMiddleware.hasControlCharacter("/%E2%80%94"))
    }

    @Test(arguments: TestDatabase.all)
    func aNulInACourseAddressIsNotFound(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup: a learner enrolled in a course
            let given = Given(app)
            let f = try await LearningTests.fixture(given)
            let learner = try await given.browser(signedInAs: f.enrolled)
            let t = "/t/\(f.tenant.slug)"
            for path in ["\(t)/pelatihan/a%00b", "\(t)/belajar/a%00b", "\(t)/halaman/a%00b"] {
                #expect(try await learner.get(path).status == .notFound, "\(path)")
            }
            // /saya with progress rows (a computed flag once failed on PostgreSQL)
            let topic = try await LearningTests.section(f, "Topik 1")
            let page = try await LearningTests.activity(
                f, section: topic, ["type": "page", "title": "Bacaan", "settings": ["body": "Teks."]])
            #expect(try await f.learner.call(.POST, "/api/v1/activities/\(page)/views").status == .ok)
            #expect(try await learner.get("/saya").status == .ok)
        }
    }
}
