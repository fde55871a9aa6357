import Fluent
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
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
    ]

    struct Fixture {
        let bCategory: UUID
        let bImport: UUID
        let bCourse: UUID
        let bCourseSlug: String
        let bEnrolment: UUID
        let bSection: UUID
        let bActivity: UUID
        let bSecretEmail = "rahasia.bps@contoh.go.id"
    }

    static func fixture(_ app: Application) async throws -> Fixture {
        let b = try #require(try await Tenant.find(slug: "bps", on: app.db))
        let bID = try b.requireID()
        let category = try #require(try await TenantScope(tenantID: bID, db: app.db).query(TenantCategory.self).first())
        let creator = try #require(try await Person.find(email: "admin@bps.gotong.test", on: app.db))
        let pending = PendingImport(
            tenantID: bID, createdBy: try creator.requireID(), filename: "b.csv",
            content: "nama,email,nip,unit_kerja,jabatan,peran\nRahasia,rahasia.bps@contoh.go.id,,,,peserta\n")
        try await pending.create(on: app.db)
        let course = try #require(
            try await TenantScope(tenantID: bID, db: app.db).query(Course.self).filter(\.$status == .published).first())
        let learner = try #require(try await Person.find(email: "peserta1@bps.gotong.test", on: app.db))
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
        return Fixture(
            bCategory: try category.requireID(), bImport: try pending.requireID(), bCourse: try course.requireID(),
            bCourseSlug: course.slug, bEnrolment: try enrolment.requireID(), bSection: try section.requireID(),
            bActivity: try activity.requireID())
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
        try await withGotong(db, seedDemo: true) { app, _ in
            let fixture = try await Self.fixture(app)
            let browser = Browser(app)
            try await browser.signIn("admin@bppk.gotong.test")
            var token = HTTPHeaders()
            token.bearerAuthorization = .init(
                token: try await APIToken.create(
                    for: try #require(try await Person.find(email: "admin@bppk.gotong.test", on: app.db)).requireID(),
                    name: "t", on: app.db
                ).1)

            let tenantRoutes = app.routes.all.filter { $0.path.contains(.parameter("tenantSlug")) }
            #expect(tenantRoutes.count >= 15, "the walk found too few routes: \(tenantRoutes.map(Self.key))")
            var walked = 0
            for route in tenantRoutes where !Self.publicByDesign.contains(Self.key(route)) {
                let path = Self.path(route, slug: "bps", fixture: fixture)
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
                #expect(!response.body.string.contains("admin@bps.gotong.test"), "\(path) leaked a member of B")
                walked += 1
            }
            #expect(walked >= 12)
            // nothing of B changed
            let b = try #require(try await Tenant.find(slug: "bps", on: app.db))
            #expect(b.name == "Pusdiklat Badan Pusat Statistik")
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
        try await withGotong(db, seedDemo: true) { app, _ in
            let fixture = try await Self.fixture(app)
            let browser = Browser(app)
            try await browser.signIn("admin@bppk.gotong.test")
            let withRecords = app.routes.all.filter { route in
                route.path.contains(.parameter("tenantSlug"))
                    && ["categoryID", "importID", "courseSlug", "courseID", "enrolmentID", "sectionID", "activityID"]
                        .contains { route.path.contains(.parameter($0)) }
            }
            #expect(withRecords.count >= 20)
            var token = HTTPHeaders()
            token.bearerAuthorization = .init(
                token: try await APIToken.create(
                    for: try #require(try await Person.find(email: "admin@bppk.gotong.test", on: app.db)).requireID(),
                    name: "t", on: app.db
                ).1)
            token.contentType = .json
            for route in withRecords {
                let path = Self.path(route, slug: "bppk", fixture: fixture)
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
        try await withGotong(db, seedDemo: true) { app, _ in
            let response = try await Browser(app).get("/t/bps/kelola")
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/masuk?next=/t/bps/kelola")
        }
    }
}
