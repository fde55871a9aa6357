import Foundation
import GotongPlatform
import GotongTenancy
import Tagged
import Vapor

extension Course: PathTag {
    /// Where a course is managed it travels by id; learners' addresses use ``CourseSlug``.
    public static let parameterName = "courseID"

    /// The tag of a course's slug in an address.
    public enum Slug: PathTag { public static let parameterName = "courseSlug" }

    /// This course's slug, for the learner's routes of its pages (its id: `routeID`).
    public var routeSlug: Param<CourseSlug> { .value(CourseSlug(rawValue: slug)) }
}

/// A course's id: `Tagged<Course, UUID>` cannot be passed where a tenant's or person's is expected.
public typealias CourseID = Tagged<Course, UUID>
/// A course's slug within its tenant: the learner's addresses (`/t/bppk/pelatihan/{courseSlug}`).
public typealias CourseSlug = Tagged<Course.Slug, String>

extension Enrolment: PathTag { public static let parameterName = "enrolmentID" }
/// An enrolment's id.
public typealias EnrolmentID = Tagged<Enrolment, UUID>

/// A step of a managed course, each its own address under the course.
public enum CourseStep: String, Sendable, Codable {
    case submit = "ajukan", duplicate = "salin", participants = "peserta", assignment = "penugasan"
    case publish = "terbitkan", archive = "arsipkan"
}

/// What a coordinator does to an enrolment.
public enum EnrolmentAction: String, PathAction { case approve = "setujui", reject = "tolak", remove = "keluarkan" }

/// What a curator decides.
public enum CurationAction: String, PathAction { case approve = "setujui", reject = "tolak" }

/// Every page of the marketplace, as a value: routes are registered from it and every link,
/// redirect and notification to a catalogue page is built from it.
public enum CatalogRoute: StorableRoute {
    public static let storageName = "catalog"

    case catalogue
    /// The search box's suggestions for the signed-in person (the API's ignore sessions).
    case suggestions
    case myCourses
    case notifications
    case markNotificationsRead
    /// A tenant's storefront: `/t/{tenantSlug}`.
    case storefront(Param<TenantSlug>)
    /// A tenant's courses: `/t/{tenantSlug}/pelatihan`.
    case tenantCourses(Param<TenantSlug>)
    /// A course's public page: `/t/{tenantSlug}/pelatihan/{courseSlug}`.
    case course(Param<TenantSlug>, Param<CourseSlug>)
    case cover(Param<TenantSlug>, Param<CourseSlug>)
    case enrol(Param<TenantSlug>, Param<CourseSlug>)
    case withdraw(Param<TenantSlug>, Param<CourseSlug>)
    /// Where an enrolled learner takes the course: `/t/{tenantSlug}/belajar/{courseSlug}`. The
    /// address belongs to the course; Learning answers it (and the activities below it).
    case learn(Param<TenantSlug>, Param<CourseSlug>)
    case managedCourses(TenantDesk)
    case newCourse(TenantDesk)
    case managedCourse(TenantDesk, Param<CourseID>)
    case courseStep(TenantDesk, Param<CourseID>, CourseStep)
    case enrolmentDecision(TenantDesk, Param<CourseID>, Param<EnrolmentID>, Param<EnrolmentAction>)
    /// One decision on the participants ticked in a group: `…/peserta/pilihan/{action}`.
    case enrolmentDecisions(TenantDesk, Param<CourseID>, Param<EnrolmentAction>)
    case curation
    case curationDecision(Param<CourseID>, Param<CurationAction>)

    public var segments: [PathSegment] {
        switch self {
        case .catalogue: ["katalog"]
        case .suggestions: ["katalog", "saran"]
        case .myCourses: ["saya"]
        case .notifications: ["notifikasi"]
        case .markNotificationsRead: ["notifikasi", "baca"]
        case .storefront(let t): TenancyRoute.pages(t).segments
        case .tenantCourses(let t): TenancyRoute.pages(t).segments + ["pelatihan"]
        case .course(let t, let c): TenancyRoute.pages(t).segments + ["pelatihan", .param(c)]
        case .cover(let t, let c): Self.course(t, c).segments + ["sampul"]
        case .enrol(let t, let c): Self.course(t, c).segments + ["ikuti"]
        case .withdraw(let t, let c): Self.course(t, c).segments + ["mundur"]
        case .learn(let t, let c): TenancyRoute.pages(t).segments + ["belajar", .param(c)]
        case .managedCourses(let desk): desk.segments + ["pelatihan"]
        case .newCourse(let desk): Self.managedCourses(desk).segments + ["baru"]
        case .managedCourse(let desk, let c): Self.managedCourses(desk).segments + [.param(c)]
        case .courseStep(let desk, let c, let step): Self.managedCourse(desk, c).segments + [.text(step.rawValue)]
        case .enrolmentDecision(let desk, let c, let e, let action):
            Self.courseStep(desk, c, .participants).segments + [.param(e), .param(action)]
        case .enrolmentDecisions(let desk, let c, let action):
            Self.courseStep(desk, c, .participants).segments + ["pilihan", .param(action)]
        case .curation: ["admin", "kurasi"]
        case .curationDecision(let c, let action): Self.curation.segments + [.param(c), .param(action)]
        }
    }
}

/// The marketplace's part of the JSON API under `/api/v1`.
public enum CatalogAPIRoute: SiteRoute {
    case catalogue
    /// Words and titles for the search box while someone types: `/api/v1/catalog/suggestions`.
    case suggestions
    case enrolments(Param<CourseID>)
    case myEnrolment(Param<CourseID>)
    case myCourses
    case notifications
    case markNotificationsRead
    case curationQueue
    case curationDecision(Param<CourseID>, CurationVerb)
    case courses(Param<TenantSlug>)
    case course(Param<TenantSlug>, Param<CourseID>)
    case courseStep(Param<TenantSlug>, Param<CourseID>, Step)
    case courseEnrolments(Param<TenantSlug>, Param<CourseID>)
    case enrolmentDecision(Param<TenantSlug>, Param<CourseID>, Param<EnrolmentID>, Decision)
    case assignments(Param<TenantSlug>, Param<CourseID>)

    public enum CurationVerb: String, Sendable { case approve, reject }
    public enum Step: String, Sendable { case submit, publish, archive, duplicate }
    public enum Decision: String, Sendable { case approve, reject, remove }

    public var segments: [PathSegment] {
        let api: [PathSegment] = ["api", "v1"]
        switch self {
        case .catalogue: return api + ["catalog"]
        case .suggestions: return api + ["catalog", "suggestions"]
        case .enrolments(let c): return api + ["courses", .param(c), "enrolments"]
        case .myEnrolment(let c): return Self.enrolments(c).segments + ["me"]
        case .myCourses: return api + ["me", "courses"]
        case .notifications: return api + ["me", "notifications"]
        case .markNotificationsRead: return api + ["me", "notifications", "read"]
        case .curationQueue: return api + ["curation", "courses"]
        case .curationDecision(let c, let verb):
            return Self.curationQueue.segments + [.param(c), .text(verb.rawValue)]
        case .courses(let t): return TenancyRoute.api(t).segments + ["courses"]
        case .course(let t, let c): return Self.courses(t).segments + [.param(c)]
        case .courseStep(let t, let c, let step):
            return Self.course(t, c).segments + [.text(step.rawValue)]
        case .courseEnrolments(let t, let c): return Self.course(t, c).segments + ["enrolments"]
        case .enrolmentDecision(let t, let c, let e, let decision):
            return Self.courseEnrolments(t, c).segments + [.param(e), .text(decision.rawValue)]
        case .assignments(let t, let c): return Self.course(t, c).segments + ["assignments"]
        }
    }
}
