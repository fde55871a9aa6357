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

/// Typed routes: one value registers a route and builds every link to it, so a link built
/// from a route value is always answered by a registered route, and a path value that does
/// not parse is a 404 in the one shared reader.
@Suite("Typed routes")
struct SiteRouteTests {
    static let tenant: Param<TenantSlug> = .value(TenantSlug(rawValue: "bppk"))
    static let course: Param<CourseSlug> = .value(CourseSlug(rawValue: "dasar-dasar"))
    static let courseID: Param<CourseID> = .value(CourseID(UUID()))
    static let activity: Param<ActivityID> = .value(ActivityID(UUID()))
    static let section: Param<SectionID> = .value(SectionID(UUID()))
    static let enrolment: Param<EnrolmentID> = .value(EnrolmentID(UUID()))
    static let field: Param<FileField> = .value(FileField(rawValue: "file"))
    static let pageKey: Param<PageKey> = .value(PageKey(rawValue: "tentang"))

    /// One of every route value of every module, built as a link would be.
    static var links: [any SiteRoute] {
        let (t, c, id, a, s) = (tenant, course, courseID, activity, section)
        let desks: [TenantDesk] = [.tenant(t), .master]
        var links: [any SiteRoute] = [
            CatalogRoute.catalogue, CatalogRoute.myCourses, CatalogRoute.notifications,
            CatalogRoute.markNotificationsRead, CatalogRoute.storefront(t), CatalogRoute.tenantCourses(t),
            CatalogRoute.course(t, c), CatalogRoute.cover(t, c), CatalogRoute.enrol(t, c), CatalogRoute.withdraw(t, c),
            CatalogRoute.learn(t, c), CatalogRoute.curation, CatalogRoute.curationDecision(id, .value(.approve)),
            LearningRoute.outline(t, c), LearningRoute.activity(t, c, a), LearningRoute.activityFile(t, c, a, field),
            LearningRoute.monitoring(t, id), LearningRoute.monitoringCSV(t, id), LearningRoute.remind(t, id),
            CatalogAPIRoute.catalogue, CatalogAPIRoute.enrolments(id), CatalogAPIRoute.myEnrolment(id),
            CatalogAPIRoute.myCourses, CatalogAPIRoute.notifications, CatalogAPIRoute.markNotificationsRead,
            CatalogAPIRoute.curationQueue, CatalogAPIRoute.curationDecision(id, .reject), CatalogAPIRoute.courses(t),
            CatalogAPIRoute.course(t, id), CatalogAPIRoute.courseStep(t, id, .archive),
            CatalogAPIRoute.courseEnrolments(t, id), CatalogAPIRoute.enrolmentDecision(t, id, enrolment, .remove),
            CatalogAPIRoute.assignments(t, id),
            LearningAPIRoute.outline(id), LearningAPIRoute.myProgress(id), LearningAPIRoute.activity(a),
            LearningAPIRoute.views(a), LearningAPIRoute.heartbeat(a), LearningAPIRoute.file(a, field),
            LearningAPIRoute.sections(t, id), LearningAPIRoute.section(t, id, s),
            LearningAPIRoute.sectionActivities(t, id, s), LearningAPIRoute.managedActivity(t, id, a),
            LearningAPIRoute.managedFile(t, id, a, field), LearningAPIRoute.monitoring(t, id),
            LearningAPIRoute.reminders(t, id),
        ]
        links += [
            TenancyRoute.home, TenancyRoute.pages(t), TenancyRoute.api(t), TenancyRoute.page(t, pageKey),
            TenancyRoute.logo(t), TenancyRoute.join(t), TenancyRoute.admin, TenancyRoute.adminTenants,
            TenancyRoute.tenantStatus(t), TenancyRoute.platformAudit, TenancyRoute.apiTenants,
            PlatformRoute.health, PlatformRoute.openAPI, PlatformRoute.stylesheet, PlatformRoute.script,
            PlatformRoute.jobs, PlatformRoute.retryJob(.value(JobID(UUID()))),
            IdentityRoute.signIn, IdentityRoute.signOut, IdentityRoute.register,
            IdentityRoute.verify(.value(MailedSecret(rawValue: "rahasia"))), IdentityRoute.forgotPassword,
            IdentityRoute.setPassword(.value(MailedSecret(rawValue: "rahasia"))), IdentityRoute.profile,
            IdentityRoute.createToken, IdentityRoute.revokeToken(.value(APITokenID(UUID()))),
            IdentityRoute.signOutEverywhere, IdentityRoute.language(.value(.en)), IdentityRoute.members(t),
            IdentityRoute.importPeople(t), IdentityRoute.saveImport(t, .value(ImportID(UUID()))),
            IdentityRoute.tenantAudit(t), IdentityAPIRoute.tokens, IdentityAPIRoute.token(.value(APITokenID(UUID()))),
            IdentityAPIRoute.me, IdentityAPIRoute.importPeople(t),
        ]
        for desk in desks {
            links += [
                TenancyRoute.desk(desk), TenancyRoute.savePage(desk, pageKey), TenancyRoute.categories(desk),
                TenancyRoute.deleteCategory(desk, .value(CategoryID(UUID()))),
            ]
            links += [
                CatalogRoute.managedCourses(desk), CatalogRoute.newCourse(desk), CatalogRoute.managedCourse(desk, id),
                CatalogRoute.enrolmentDecision(desk, id, enrolment, .value(.reject)),
                LearningRoute.editor(desk, id), LearningRoute.addSection(desk, id),
                LearningRoute.renameSection(desk, id, s), LearningRoute.deleteSection(desk, id, s),
                LearningRoute.arrangeSection(desk, id, s, .value(.up)), LearningRoute.newActivity(desk, id),
                LearningRoute.editActivity(desk, id, a), LearningRoute.deleteActivity(desk, id, a),
                LearningRoute.arrangeActivity(desk, id, a, .value(.hide)),
            ]
            links += [CourseStep.submit, .duplicate, .participants, .assignment, .publish, .archive].map {
                CatalogRoute.courseStep(desk, id, $0)
            }
        }
        return links
    }

    @Test func everyLinkIsAnsweredByARegisteredRoute() async throws {
        try await withConfiguredApp { app in
            let patterns = app.routes.all.map(\.path)
            for link in Self.links {
                let segments = link.path.split(separator: "/").map(String.init)
                let matched = patterns.contains { pattern in
                    pattern.count == segments.count
                        && zip(pattern, segments).allSatisfy { component, segment in
                            switch component {
                            case .constant(let text): text == segment
                            case .parameter, .anything, .catchall: true
                            }
                        }
                }
                #expect(matched, "no route answers \(link.path)")
            }
        }
    }

    @Test func theRegisteredPatternNamesWhatEachParameterIs() {
        let route = LearningRoute.activity(.key, .key, .key)
        #expect(
            route.pathComponents.map(\.description) == ["t", ":tenantSlug", "belajar", ":courseSlug", ":activityID"])
        let managed = CatalogRoute.managedCourse(.master, .key)
        #expect(managed.pathComponents.map(\.description) == ["admin", "master", "pelatihan", ":courseID"])
    }

    @Test func aSavedModelLinksByItsOwnID() {
        let course = Course()
        let id = UUID()
        course.id = id
        #expect(CatalogRoute.managedCourse(.master, course.routeID).path == "/admin/master/pelatihan/\(id.uuidString)")
        let activity = Activity()
        activity.id = id
        guard case .value(let typed) = activity.routeID else { Issue.record("no value"); return }
        #expect(typed.rawValue == id)
    }

    @Test func aValueCanNeverAddASegmentOrAQuery() {
        let hostile = LearningRoute.outline(
            .value(TenantSlug(rawValue: "a/../b")), .value(CourseSlug(rawValue: "x?y=1#z %")))
        #expect(hostile.path == "/t/a%2F..%2Fb/belajar/x%3Fy%3D1%23z%20%25")
        let listed = CatalogRoute.tenantCourses(Self.tenant).path(query: ["kategori": "a&b=c", "hal": nil])
        #expect(listed == "/t/bppk/pelatihan?kategori=a%26b%3Dc")
    }

    /// The one reader of path values: a value that does not parse names nothing.
    @Test(arguments: [
        ("not-a-uuid", HTTPStatus.notFound), ("", .notFound), (String(repeating: "9", count: 5000), .notFound),
        ("-1", .notFound), ("00000000-0000-0000-0000-00000000000Z", .notFound),
        ("7C4A1F0E-3B2D-4E5F-8A9B-0C1D2E3F4A5B", .ok), ("7c4a1f0e-3b2d-4e5f-8a9b-0c1d2e3f4a5b", .ok),
    ])
    func typedParametersRefuseWhatDoesNotParse(segment: String, expected: HTTPStatus) async throws {
        let app = try await Application.make(.testing)
        do {
            app.get(LearningAPIRoute.activity(.key)) { req in
                try req.parameter(ActivityID.self).rawValue.uuidString
            }
            let response = try await app.testing().performTest(
                request: .init(
                    method: .GET, url: "/api/v1/activities/\(PathSegment.encode(segment))", headers: [:], body: .init())
            )
            #expect(response.status == expected)
            if expected == .ok { #expect(response.body.string == segment.uppercased()) }
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    @Test func anUnknownActionIsNotFound() async throws {
        let app = try await Application.make(.testing)
        do {
            app.post(LearningRoute.arrangeSection(.master, .key, .key, .key)) { req in
                try req.parameter(ArrangeAction.self).rawValue
            }
            let base = "/admin/master/pelatihan/\(UUID())/materi/topik/\(UUID())"
            let known = try await app.testing().performTest(
                request: .init(method: .POST, url: URI(path: base + "/naik"), headers: [:], body: .init()))
            #expect(known.status == .ok)
            #expect(known.body.string == "naik")
            let unknown = try await app.testing().performTest(
                request: .init(method: .POST, url: URI(path: base + "/lompat"), headers: [:], body: .init()))
            #expect(unknown.status == .notFound)
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
