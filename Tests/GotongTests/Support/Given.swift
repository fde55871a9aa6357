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
        try await person(name, in: [tenant], roles: roles)
    }

    /// A verified person holding `roles` in each of `tenants`: one account that works at several
    /// institutions, as single sign-on promises. Their home is the first tenant.
    func person(
        _ name: String = "Peserta Uji", in tenants: [Tenant], roles: [Role] = [.peserta]
    ) async throws
        -> Person
    {
        let person = try await account(name, home: tenants.first)
        for tenant in tenants {
            for role in roles {
                try await Membership(tenantID: try tenant.requireID(), personID: try person.requireID(), role: role)
                    .create(on: app.db)
            }
        }
        return person
    }

    /// A platform administrator: a member of no tenant, yet holding every role in each (the
    /// operator who provisions institutions and edits the master template).
    func platformAdmin(_ name: String = "Administrator Uji") async throws -> Person {
        try await account(name, home: nil, isPlatformAdmin: true)
    }

    /// A verified account with ``TestData/password`` and no memberships.
    private func account(_ name: String, home: Tenant?, isPlatformAdmin: Bool = false) async throws -> Person {
        let n = await Self.counter.next()
        let person = Person(
            name: "\(name) \(n)", email: "orang\(n)@\(home?.slug ?? "platform").uji.test", homeTenantID: home?.id,
            passwordHash: try await Self.passwordHash.of(app), emailVerifiedAt: Date(),
            isPlatformAdmin: isPlatformAdmin)
        try await person.create(on: app.db)
        return person
    }

    /// A browser signed in as `person` through the sign-in form.
    func browser(signedInAs person: Person) async throws -> Browser {
        let browser = Browser(app)
        try await browser.signIn(person.email)
        return browser
    }

    /// An API caller with a token `person` asked for with their password.
    func api(as person: Person) async throws -> APIClient {
        try await APIClient.signIn(app, person.email)
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

    /// What ``course(in:_:activities:trainers:enrolment:audience:prerequisites:)`` made: the
    /// course, its coordinator and its activities in order.
    struct BuiltCourse {
        let course: Course
        let coordinator: Person
        let activities: [Activity]
        var id: CourseID { CourseID(course.id!) }
    }

    /// A published, curated course (open to every ASN unless `enrolment` and `audience` say
    /// otherwise, needing `prerequisites` of the same tenant finished first), its coordinator a
    /// new member of the tenant, taught by `trainers` (members with the trainer's role), and one
    /// section of `activities` (no section when there are none, so a test of authoring starts
    /// from an empty course).
    func course(
        in tenant: Tenant, _ title: String = "Pelatihan Uji", activities: [ActivitySpec], trainers: [Person] = [],
        enrolment: Course.EnrolmentMode = .open, audience: Course.Audience = .all, prerequisites: [Course] = []
    ) async throws -> BuiltCourse {
        let n = await Self.counter.next()
        let coordinator = try await person("Pengelola Uji", in: tenant, roles: [.pengelola])
        var change = CourseChange()
        change.title = "\(title) \(n)"
        change.slug = "pelatihan-uji-\(n)"
        change.summary = "Ringkasan \(title)."
        change.enrolmentMode = enrolment.rawValue
        change.audience = audience.rawValue
        change.prerequisites = prerequisites.map(\.slug)
        change.coordinators = [coordinator.email]
        change.trainers = trainers.map(\.email)
        let workflow = CourseWorkflow(db: app.db)
        let course = try await workflow.create(in: try tenant.typedID(), change)
        try await workflow.publish(course)
        _ = try await workflow.approve(course)
        var made: [Activity] = []
        if !activities.isEmpty {
            let structure = app.learning.structure(of: course, on: app.db, files: app.files)
            let section = try await structure.addSection(title: "Topik 1")
            for spec in activities { made.append(try await structure.addActivity(to: section, spec.change)) }
        }
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

    /// ``TestData/password`` hashed once per test process: bcrypt at the product's cost takes a
    /// good part of a second, and a test may build several people.
    private static let passwordHash = PasswordHash()

    private actor PasswordHash {
        private var hash: Task<String, any Error>?
        func of(_ app: Application) async throws -> String {
            let task = hash ?? Task { try await BcryptHasher(app: app).hash(TestData.password) }
            hash = task
            do { return try await task.value } catch {
                hash = nil  // the next test hashes again rather than inherit this one's failure
                throw error
            }
        }
    }
}
