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

/// The menu shows how many notifications are unread. The number is kept with the person, so
/// every page shows it without a query of its own; it follows new messages and "mark read".
@Suite("Unread notifications in the menu")
struct UnreadCountTests {
    @Test(arguments: TestDatabase.all)
    func theMenuCountsUnreadMessagesUntilTheyAreRead(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a learner with three messages, two of them in one batch with someone else's
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [.page("Pengantar")])
            let learner = try await given.learner(enrolledIn: built)
            let other = try await given.learner(enrolledIn: built)
            let route = LearningRoute.outline(tenant.routeSlug, built.course.routeSlug)
            func message(to person: Person) throws -> Notifier.Message {
                .init(
                    personID: try person.requireID(), tenantID: tenant.id, key: "notify.submitted", args: [:],
                    route: route)
            }
            try await Notifier.record(
                [try message(to: learner), try message(to: learner), try message(to: other)], on: app.db)
            try await Notifier.record([try message(to: learner)], on: app.db)
            #expect(try await Person.find(learner.id, on: app.db)?.unreadNotifications == 3)
            #expect(try await Person.find(other.id, on: app.db)?.unreadNotifications == 1)

            // then every page's menu shows it
            let browser = try await given.browser(signedInAs: learner)
            let page = try await browser.get(CatalogRoute.catalogue.path).body.string
            #expect(page.contains("Notifikasi <span class=\"badge\">3<span class=\"sr\"> belum dibaca</span></span>"))

            // when they mark them read, then the count and the badge go
            #expect(try await browser.post(CatalogRoute.markNotificationsRead.path).status == .seeOther)
            #expect(try await Person.find(learner.id, on: app.db)?.unreadNotifications == 0)
            #expect(!(try await browser.get(CatalogRoute.catalogue.path).body.string.contains("class=\"badge\">")))
            #expect(try await Person.find(other.id, on: app.db)?.unreadNotifications == 1, "only their own")

            // and the API's "mark read" does the same
            let api = try await given.api(as: other)
            #expect(try await api.call(.POST, CatalogAPIRoute.markNotificationsRead.path).status == .noContent)
            #expect(try await Person.find(other.id, on: app.db)?.unreadNotifications == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theMigrationCountsMessagesWrittenBeforeIt(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let person = try await given.person(in: try await given.tenant())
            let route = CatalogRoute.myCourses
            for read in [nil, nil, Date()] {
                let note = PersonNotification(
                    personID: try person.requireID(), tenantID: nil, messageKey: "notify.submitted", args: [:],
                    route: StoredRoute(route), link: route.path, at: Date())
                note.readAt = read
                try await note.create(on: app.db)
            }
            #expect(try await Person.find(person.id, on: app.db)?.unreadNotifications == 0, "written around the count")
            try await AddUnreadNotificationCount.recount(on: app.db)
            #expect(try await Person.find(person.id, on: app.db)?.unreadNotifications == 2)
        }
    }
}
