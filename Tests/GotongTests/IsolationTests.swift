import Fluent
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongLiveLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Signs in as the administrator of tenant A and walks every tenant-scoped route with tenant B,
/// then every route of A with B's record ids. Nothing may answer with B's data.
@Suite("Tenant isolation")
struct IsolationTests {
    /// Routes under a tenant that are public by design (the storefront a citizen can read, and
    /// joining as a learner where the tenant allows it).
    static let publicByDesign: Set<String> = [
        "GET /t/:tenantSlug", "GET /t/:tenantSlug/halaman/:pageKey", "GET /t/:tenantSlug/logo",
        "POST /t/:tenantSlug/gabung",
        "GET /api/v1/tenants/:tenantSlug",
        // The marketplace: anyone may read a tenant's published courses and enrol in them.
        "GET /t/:tenantSlug/pelatihan", "GET /t/:tenantSlug/pelatihan/:courseSlug",
        "POST /t/:tenantSlug/pelatihan/:courseSlug/ikuti",
        "POST /t/:tenantSlug/pelatihan/:courseSlug/mundur",
        "GET /api/v1/tenants/:tenantSlug/courses", "GET /api/v1/tenants/:tenantSlug/courses/:courseID",
        // A tenant as an Open Badges issuer: its profile, keys and lists are for every verifier.
        "GET /openbadges/:tenantSlug", "GET /openbadges/:tenantSlug/key", "GET /openbadges/:tenantSlug/revocations",
        "GET /openbadges/:tenantSlug/jwks.json", "GET /openbadges/:tenantSlug/status/:year",
        // Live Learning is for civil servants of every tenant: its pages, its calendar, and a claim
        // of attendance (with the code from the broadcast) by anyone signed in.
        "GET /t/:tenantSlug/live", "GET /t/:tenantSlug/live/:programmeSlug",
        "GET /t/:tenantSlug/live/:programmeSlug/kalender.ics", "GET /t/:tenantSlug/live/:programmeSlug/:episodeNumber",
        "GET /t/:tenantSlug/live/:programmeSlug/:episodeNumber/hadir",
        "POST /t/:tenantSlug/live/:programmeSlug/:episodeNumber/hadir",
        "POST /api/v1/tenants/:tenantSlug/live/programmes/:programmeSlug/episodes/:episodeNumber/claim",
        // and a reminder before an episode, asked for by anyone signed in (their own registration).
        "POST /t/:tenantSlug/live/:programmeSlug/:episodeNumber/daftar",
        "POST /t/:tenantSlug/live/:programmeSlug/:episodeNumber/daftar/batal",
        "GET /t/:tenantSlug/live/:programmeSlug/:episodeNumber/daftar",
        "GET /t/:tenantSlug/live/:programmeSlug/:episodeNumber/daftar/batal",
        "GET /api/v1/tenants/:tenantSlug/live/programmes/:programmeSlug/episodes/:episodeNumber/registration",
        "PUT /api/v1/tenants/:tenantSlug/live/programmes/:programmeSlug/episodes/:episodeNumber/registration",
        "DELETE /api/v1/tenants/:tenantSlug/live/programmes/:programmeSlug/episodes/:episodeNumber/registration",
        // The service desk is for citizens, without an account: a tenant's desk and report form,
        // and a case, which answers only with the secret its citizen was given.
        "GET /layanan/:tenantSlug", "POST /layanan/:tenantSlug", "GET /layanan/:tenantSlug/lacak",
        "GET /layanan/:tenantSlug/aduan/:caseNumber", "POST /layanan/:tenantSlug/aduan/:caseNumber/balas",
        "POST /api/v1/desk/:tenantSlug/cases", "GET /api/v1/desk/:tenantSlug/cases/:caseNumber",
        // The platforms' webhooks: a delivery is taken on its signature with the tenant's app
        // secret, a handshake answers only the tenant's own token.
        "GET /hooks/:channel/:tenantSlug", "POST /hooks/:channel/:tenantSlug",
        // A desk's figures and its public cases are for everyone: the transparency tracker.
        "GET /layanan/:tenantSlug/transparansi", "GET /api/v1/desk/:tenantSlug/stats",
    ]

    /// Tenant A with its administrator, and tenant B with records of every kind A's routes take.
    struct Fixture {
        let a: Tenant
        let aAdmin: Person
        let b: Tenant
        let bAdmin: Person
        let bCategory: UUID
        let bImport: UUID
        let bCourse: UUID
        let bCourseSlug: String
        let bEnrolment: UUID
        let bSection: UUID
        let bActivity: UUID
        /// A live programme of B with one episode (whose attendance code is B's secret).
        let bProgramme: String
        let bEpisodeCode: String
        let bSecretEmail = "rahasia.bps@contoh.go.id"
    }

    static func fixture(_ given: Given) async throws -> Fixture {
        let app = given.app
        let a = try await given.tenant("Instansi A")
        let aAdmin = try await given.person("Admin A", in: a, roles: [.admin])
        let b = try await given.tenant("Instansi B")
        let bID = try b.requireID()
        let category = try #require(try await TenantScope(tenantID: bID, db: app.db).query(TenantCategory.self).first())
        let creator = try await given.person("Admin B", in: b, roles: [.admin])
        let pending = PendingImport(
            tenantID: bID, createdBy: try creator.requireID(), filename: "b.csv",
            content: "nama,email,nip,unit_kerja,jabatan,peran\nRahasia,rahasia.bps@contoh.go.id,,,,peserta\n")
        try await pending.create(on: app.db)
        let course = try await given.course(in: b, activities: []).course
        let learner = try await given.person(in: b)
        let enrolment = try await EnrolmentService(db: app.db).enrol(
            learner, in: course, viewer: CatalogViewer(tenantIDs: [bID])
        ).enrolment
        // B's course has content: a section with a forum (the type with routes of its own).
        let structure = app.learning.structure(of: course, on: app.db, files: app.files)
        let section = try await structure.addSection(title: "Topik rahasia")
        var change = ActivityChange()
        change.type = "forum"
        change.title = "Forum rahasia"
        let activity = try await structure.addActivity(to: section, change)
        let scope = TenantScope(tenantID: bID, db: app.db)
        let programme = try await Programmes.findOrMake("live-rahasia", in: scope, now: Date())
        let episode = try await Episodes.make(
            number: 1, topic: "Episode rahasia", speakers: [], startsAt: Date(), in: programme, on: app.db, now: Date())
        return Fixture(
            a: a, aAdmin: aAdmin, b: b, bAdmin: creator, bCategory: try category.requireID(),
            bImport: try pending.requireID(), bCourse: try course.requireID(),
            bCourseSlug: course.slug, bEnrolment: try enrolment.requireID(), bSection: try section.requireID(),
            bActivity: try activity.requireID(), bProgramme: programme.slug, bEpisodeCode: episode.code)
    }

    static func path(_ route: Route, slug: String, fixture: Fixture) -> String {
        "/"
            + route.path.map { component -> String in
                switch component {
                case .parameter("tenantSlug"): slug
                case .parameter("categoryID"): fixture.bCategory.uuidString
                case .parameter("importID"): fixture.bImport.uuidString
                case .parameter("courseSlug"): fixture.bCourseSlug
                case .parameter("courseID"): fixture.bCourse.uuidString
                case .parameter("sectionID"): fixture.bSection.uuidString
                case .parameter("activityID"): fixture.bActivity.uuidString
                case .parameter("field"): "file"
                case .parameter("enrolmentID"): fixture.bEnrolment.uuidString
                case .parameter("action"): "setujui"
                case .parameter("pageKey"): "tentang"
                case .parameter("programmeSlug"): fixture.bProgramme
                case .parameter("episodeNumber"): "1"
                case .parameter(let name): "unknown-\(name)"
                case .constant(let value): value
                case .anything: "x"
                case .catchall: "x"
                }
            }.joined(separator: "/")
    }

    static func key(_ route: Route) -> String {
        "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
    }

    @Test(arguments: TestDatabase.all)
    func adminOfAnotherTenantReachesNothing(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given the administrator of A, on the web and with an API token
            let given = Given(app)
            let fixture = try await Self.fixture(given)
            let browser = try await given.browser(signedInAs: fixture.aAdmin)
            var token = HTTPHeaders()
            token.bearerAuthorization = .init(
                token: try await APIToken.create(for: try fixture.aAdmin.requireID(), name: "t", on: app.db).1)

            // when they walk every route of B that is not public, then each is refused or not found
            let tenantRoutes = app.routes.all.filter { $0.path.contains(.parameter("tenantSlug")) }
            #expect(tenantRoutes.count >= 15, "the walk found too few routes: \(tenantRoutes.map(Self.key))")
            var walked = 0
            for route in tenantRoutes where !Self.publicByDesign.contains(Self.key(route)) {
                let path = Self.path(route, slug: fixture.b.slug, fixture: fixture)
                let response: TestingHTTPResponse
                if path.hasPrefix("/api/") {
                    var headers = token
                    headers.contentType = .json
                    response = try await browser.send(
                        route.method, path, headers: headers, body: ByteBuffer(string: "{\"name\":\"x\"}"))
                } else if route.method == .GET {
                    response = try await browser.get(path)
                } else {
                    response = try await browser.post(
                        path,
                        form: [
                            "name": "Diretas", "title": "Diretas", "body": "x", "status": "suspended",
                            "primary_color": "#000000",
                        ])
                }
                #expect(
                    [.forbidden, .notFound].contains(response.status),
                    "\(Self.key(route)) → \(path) answered \(response.status)")
                #expect(!response.body.string.contains(fixture.bSecretEmail))
                #expect(!response.body.string.contains(fixture.bAdmin.email), "\(path) leaked a member of B")
                #expect(!response.body.string.contains(fixture.bEpisodeCode), "\(path) leaked B's attendance code")
                walked += 1
            }
            #expect(walked >= 12)
            // and nothing of B changed
            let b = try #require(try await Tenant.find(slug: fixture.b.slug, on: app.db))
            #expect(b.name == fixture.b.name)
            #expect(b.status == .active)
            #expect(try await TenantCategory.find(fixture.bCategory, on: app.db) != nil)
            #expect(try await Person.find(email: fixture.bSecretEmail, on: app.db) == nil)
            try await Self.expectBCoursesUntouched(app, fixture)
        }
    }

    static func expectBCoursesUntouched(_ app: Application, _ fixture: Fixture) async throws {
        let course = try #require(try await Course.find(fixture.bCourse, on: app.db))
        #expect(course.status == .published && course.curation == .approved && course.title != "Diretas")
        #expect(try await Enrolment.find(fixture.bEnrolment, on: app.db)?.status == .enrolled)
        #expect(try await CourseSection.find(fixture.bSection, on: app.db)?.title == "Topik rahasia")
        let activity = try #require(try await Activity.find(fixture.bActivity, on: app.db))
        #expect(activity.title == "Forum rahasia" && !activity.hidden)
        #expect(try await ForumThread.query(on: app.db).count() == 0, "nobody of A opened a thread in B's forum")
    }

    @Test(arguments: TestDatabase.all)
    func ownRoutesWithAnotherTenantsRecordIdsAnswer404(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let fixture = try await Self.fixture(given)
            let browser = try await given.browser(signedInAs: fixture.aAdmin)
            let withRecords = app.routes.all.filter { route in
                route.path.contains(.parameter("tenantSlug"))
                    && [
                        "categoryID", "importID", "courseSlug", "courseID", "enrolmentID", "sectionID", "activityID",
                        "programmeSlug",
                    ]
                    .contains { route.path.contains(.parameter($0)) }
            }
            #expect(withRecords.count >= 20)
            var token = HTTPHeaders()
            token.bearerAuthorization = .init(
                token: try await APIToken.create(for: try fixture.aAdmin.requireID(), name: "t", on: app.db).1)
            token.contentType = .json
            for route in withRecords {
                let path = Self.path(route, slug: fixture.a.slug, fixture: fixture)
                let response: TestingHTTPResponse
                if path.hasPrefix("/api/") {
                    response = try await browser.send(
                        route.method, path, headers: token,
                        body: ByteBuffer(string: "{\"title\":\"Diretas\",\"reason\":\"x\"}"))
                } else {
                    response =
                        route.method == .GET
                        ? try await browser.get(path)
                        : try await browser.post(path, form: ["title": "Diretas", "reason": "x"])
                }
                #expect(response.status == .notFound, "\(Self.key(route)) → \(path) answered \(response.status)")
            }
            try await Self.expectBCoursesUntouched(app, fixture)
            #expect(try await TenantCategory.find(fixture.bCategory, on: app.db) != nil)
            #expect(try await PendingImport.find(fixture.bImport, on: app.db)?.committedAt == nil)
            #expect(try await Person.find(email: fixture.bSecretEmail, on: app.db) == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func signedOutVisitorsAreSentToSignIn(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let tenant = try await Given(app).tenant()
            let response = try await Browser(app).get("/t/\(tenant.slug)/kelola")
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/masuk?next=/t/\(tenant.slug)/kelola")
        }
    }
}
