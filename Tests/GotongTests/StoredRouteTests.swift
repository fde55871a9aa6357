import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Notifications keep where they lead as a route value, read back as an address when shown.
@Suite("Stored routes")
struct StoredRouteTests {
    static let tenant = Param<TenantSlug>.value(TenantSlug(rawValue: "bppk"))
    static let course = Param<CourseID>.value(CourseID(UUID()))
    static let slug = Param<CourseSlug>.value(CourseSlug(rawValue: "dasar pengadaan/2026"))

    static let routes: [any StorableRoute] = [
        CatalogRoute.myCourses,
        CatalogRoute.course(tenant, slug),
        CatalogRoute.managedCourse(.tenant(tenant), course),
        CatalogRoute.managedCourse(.master, course),
        CatalogRoute.courseStep(.tenant(tenant), course, .participants),
        CatalogRoute.enrolmentDecision(.tenant(tenant), course, .value(EnrolmentID(UUID())), .value(.approve)),
        LearningRoute.outline(tenant, slug),
        LearningRoute.activity(tenant, slug, .value(ActivityID(UUID()))),
        LearningRoute.monitoring(tenant, course),
    ]

    @Test func everyKindOfRouteReadsBackToItsAddress() {
        let stored = StoredRoutes()
        stored.register(CatalogRoute.self)
        stored.register(LearningRoute.self)
        for route in Self.routes {
            let kept = StoredRoute(route)
            let read = StoredRoute(text: kept.text)
            #expect(read == kept)
            #expect(read.flatMap(stored.path(of:)) == route.path, "\(kept.text)")
        }
    }

    @Test func aRowReadsItsRouteAndFallsBackToItsPath() {
        let stored = StoredRoutes()
        stored.register(CatalogRoute.self)
        let row = PersonNotification(
            personID: UUID(), tenantID: nil, messageKey: "notify.submitted", args: [:],
            route: StoredRoute(CatalogRoute.course(Self.tenant, Self.slug)), link: "/alamat-lama", at: Date())
        #expect(row.address(stored) == "/t/bppk/pelatihan/dasar%20pengadaan%2F2026")
        // A row from before routes were kept, an unknown type, or a value that no longer reads:
        // the path it was written with.
        for text in [nil, "surat:{}", "catalog:{\"bukan\":1}", "tanpa-titik-dua"] {
            row.route = text
            #expect(row.address(stored) == "/alamat-lama")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theNotificationsPageAndAPIShowTheRoutesAddressNow(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a notification whose stored path is out of date (the address changed since)
            let given = Given(app)
            let tenant = try await given.tenant()
            let person = try await given.person(in: tenant)
            let route = CatalogRoute.myCourses
            let row = PersonNotification(
                personID: try person.requireID(), tenantID: nil, messageKey: "notify.submitted",
                args: ["course": "Uji"], route: StoredRoute(route), link: "/alamat-lama", at: Date())
            try await row.create(on: app.db)

            // when its owner reads their notifications, then they lead to the route's address
            let browser = Browser(app)
            try await browser.signIn(person.email)
            let page = try await browser.get(CatalogRoute.notifications.path).body.string
            #expect(page.contains("href=\"\(route.path)\""))
            #expect(!page.contains("/alamat-lama"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aNotificationSentByTheProductKeepsItsRoute(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a learner in a course, and a message to them through the notifier
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [.page("Pengantar")])
            let learner = try await given.learner(enrolledIn: built)
            let route = LearningRoute.outline(tenant.routeSlug, built.course.routeSlug)
            try await Notifier.record(
                [
                    .init(
                        personID: try learner.requireID(), tenantID: tenant.id, key: "notify.submitted", args: [:],
                        route: route)
                ],
                on: app.db)

            // then the row holds the route value and its path, both leading to the outline
            let row = try #require(
                try await PersonNotification.query(on: app.db).filter(\.$personID == learner.requireID()).first())
            #expect(row.route == StoredRoute(route).text)
            #expect(row.link == route.path)
            #expect(row.address(app.storedRoutes) == route.path)
        }
    }
}
