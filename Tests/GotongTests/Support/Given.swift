import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Small builders of what a test needs, made through the product's own services rather than by
/// seeding the whole demo and finding rows by title:
///
/// ```swift
/// let given = Given(app)
/// let tenant = try await given.tenant()
/// let course = try await given.course(in: tenant, activities: [.page("Pengantar"), .page("Ringkasan")])
/// let learner = try await given.learner(enrolledIn: course)
/// ```
///
/// Names and slugs are numbered, so one test may build several of each. People sign in with
/// ``TestData/password``.
struct Given {
    let app: Application
    private static let counter = Counter()

    init(_ app: Application) { self.app = app }

    /// A new active institution, with its standard pages (the tenant cloners run as in production).
    func tenant(_ name: String = "Balai Diklat Uji") async throws -> Tenant {
        let n = await Self.counter.next()
        return try await TenantProvisioner(db: app.db, cloners: app.tenantCloners)
            .provision(.init(slug: "uji-\(n)", name: "\(name) \(n)", kind: .lembaga)).tenant
    }

    /// A verified person, member of `tenant` with `roles` (a learner's membership when none).
    func person(_ name: String = "Peserta Uji", in tenant: Tenant, roles: [Role] = [.peserta]) async throws -> Person {
        let n = await Self.counter.next()
        let person = Person(
            name: "\(name) \(n)", email: "orang\(n)@\(tenant.slug).uji.test", homeTenantID: tenant.id,
            passwordHash: try await BcryptHasher(app: app).hash(TestData.password), emailVerifiedAt: Date())
        try await person.create(on: app.db)
        for role in roles {
            try await Membership(tenantID: try tenant.requireID(), personID: try person.requireID(), role: role)
                .create(on: app.db)
        }
        return person
    }

    /// An activity to put in a course.
    struct ActivitySpec: Sendable {
        let change: ActivityChange
        static func page(_ title: String, completion: CompletionRule = .viewed) -> ActivitySpec {
            var change = ActivityChange()
            change.type = "page"
            change.title = title
            change.settings = ["body": .string("Isi \(title).")]
            change.completion = completion
            return ActivitySpec(change: change)
        }
    }

    /// What ``course(in:activities:open:)`` made: the course, its coordinator and its activities
    /// in order.
    struct BuiltCourse {
        let course: Course
        let coordinator: Person
        let activities: [Activity]
        var id: CourseID { CourseID(course.id!) }
    }

    /// A published, curated course with open enrolment and one section of `activities`, its
    /// coordinator a new member of the tenant.
    func course(
        in tenant: Tenant, _ title: String = "Pelatihan Uji", activities: [ActivitySpec]
    ) async throws
        -> BuiltCourse
    {
        let n = await Self.counter.next()
        let coordinator = try await person("Pengelola Uji", in: tenant, roles: [.pengelola])
        var change = CourseChange()
        change.title = "\(title) \(n)"
        change.slug = "pelatihan-uji-\(n)"
        change.summary = "Ringkasan \(title)."
        change.enrolmentMode = Course.EnrolmentMode.open.rawValue
        change.coordinators = [coordinator.email]
        let workflow = CourseWorkflow(db: app.db)
        let course = try await workflow.create(in: try tenant.typedID(), change)
        try await workflow.publish(course)
        _ = try await workflow.approve(course)
        let structure = app.learning.structure(of: course, on: app.db, files: app.files)
        let section = try await structure.addSection(title: "Topik 1")
        var made: [Activity] = []
        for spec in activities { made.append(try await structure.addActivity(to: section, spec.change)) }
        return BuiltCourse(course: course, coordinator: coordinator, activities: made)
    }

    /// A new learner of the course's tenant, enrolled in it.
    func learner(enrolledIn built: BuiltCourse) async throws -> Person {
        let tenant = try #require(try await Tenant.find(built.course.tenantID, on: app.db))
        let learner = try await person(in: tenant)
        let outcome = try await EnrolmentService(db: app.db).enrol(
            learner, in: built.course, viewer: CatalogViewer(tenantIDs: [try tenant.requireID()]))
        #expect(outcome.enrolment.status == .enrolled)
        return learner
    }

    private actor Counter {
        private var n = 0
        func next() -> Int {
            n += 1
            return n
        }
    }
}
