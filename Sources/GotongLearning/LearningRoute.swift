import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy
import Tagged
import Vapor

extension Activity: PathTag { public static let parameterName = "activityID" }
/// An activity's id.
public typealias ActivityID = Tagged<Activity, UUID>

extension CourseSection: PathTag { public static let parameterName = "sectionID" }
/// A section's id.
public typealias SectionID = Tagged<CourseSection, UUID>

/// The tag of an activity's file field in an address (`…/berkas/{field}`).
public enum FileFieldTag: PathTag { public static let parameterName = "field" }
/// The name of an activity's file field (`file`).
public typealias FileField = Tagged<FileFieldTag, String>

/// How an author arranges a section or an activity.
public enum ArrangeAction: String, PathAction {
    case up = "naik", down = "turun", hide = "sembunyikan", show = "tampilkan"
}

/// Every page of Learning, as a value: the learner's course (under ``CatalogRoute/learn(_:_:)``),
/// the authors' editor and the monitoring table (under the course's ``TenantDesk``).
public enum LearningRoute: StorableRoute {
    public static let storageName = "learning"

    /// The learner's outline: `/t/{tenantSlug}/belajar/{courseSlug}`.
    case outline(Param<TenantSlug>, Param<CourseSlug>)
    case activity(Param<TenantSlug>, Param<CourseSlug>, Param<ActivityID>)
    case activityFile(Param<TenantSlug>, Param<CourseSlug>, Param<ActivityID>, Param<FileField>)
    /// The page that closes a finished course: what was earned and what to learn next.
    case finished(Param<TenantSlug>, Param<CourseSlug>)
    /// "Saya sudah selesai membaca" on a timed step (the page without JavaScript).
    case finishedReading(Param<TenantSlug>, Param<CourseSlug>, Param<ActivityID>)
    /// The authors' editor: `…/pelatihan/{courseID}/materi`.
    case editor(TenantDesk, Param<CourseID>)
    case addSection(TenantDesk, Param<CourseID>)
    case renameSection(TenantDesk, Param<CourseID>, Param<SectionID>)
    case deleteSection(TenantDesk, Param<CourseID>, Param<SectionID>)
    case arrangeSection(TenantDesk, Param<CourseID>, Param<SectionID>, Param<ArrangeAction>)
    case newActivity(TenantDesk, Param<CourseID>)
    case editActivity(TenantDesk, Param<CourseID>, Param<ActivityID>)
    case deleteActivity(TenantDesk, Param<CourseID>, Param<ActivityID>)
    case arrangeActivity(TenantDesk, Param<CourseID>, Param<ActivityID>, Param<ArrangeAction>)
    /// The monitoring table of a tenant's course: `/t/{tenantSlug}/kelola/pelatihan/{courseID}/pantau`.
    case monitoring(Param<TenantSlug>, Param<CourseID>)
    case monitoringCSV(Param<TenantSlug>, Param<CourseID>)
    case remind(Param<TenantSlug>, Param<CourseID>)

    public var segments: [PathSegment] {
        switch self {
        case .outline(let t, let c): CatalogRoute.learn(t, c).segments
        case .activity(let t, let c, let a): CatalogRoute.learn(t, c).segments + [.param(a)]
        case .activityFile(let t, let c, let a, let f): Self.activity(t, c, a).segments + ["berkas", .param(f)]
        case .finished(let t, let c): CatalogRoute.learn(t, c).segments + ["selesai"]
        case .finishedReading(let t, let c, let a): Self.activity(t, c, a).segments + ["selesai-membaca"]
        case .editor(let d, let c): CatalogRoute.managedCourse(d, c).segments + ["materi"]
        case .addSection(let d, let c): Self.editor(d, c).segments + ["topik"]
        case .renameSection(let d, let c, let s): Self.addSection(d, c).segments + [.param(s), "ubah"]
        case .deleteSection(let d, let c, let s): Self.addSection(d, c).segments + [.param(s), "hapus"]
        case .arrangeSection(let d, let c, let s, let a): Self.addSection(d, c).segments + [.param(s), .param(a)]
        case .newActivity(let d, let c): Self.editor(d, c).segments + ["baru"]
        case .editActivity(let d, let c, let a): Self.editor(d, c).segments + [.param(a)]
        case .deleteActivity(let d, let c, let a): Self.editActivity(d, c, a).segments + ["hapus"]
        case .arrangeActivity(let d, let c, let a, let x): Self.editActivity(d, c, a).segments + [.param(x)]
        case .monitoring(let t, let c): CatalogRoute.managedCourse(.tenant(t), c).segments + ["pantau"]
        case .monitoringCSV(let t, let c): Self.monitoring(t, c).segments + ["csv"]
        case .remind(let t, let c): Self.monitoring(t, c).segments + ["pengingat"]
        }
    }
}

/// Learning's part of the JSON API under `/api/v1`.
public enum LearningAPIRoute: SiteRoute {
    case outline(Param<CourseID>)
    case myProgress(Param<CourseID>)
    case activity(Param<ActivityID>)
    case views(Param<ActivityID>)
    case heartbeat(Param<ActivityID>)
    case file(Param<ActivityID>, Param<FileField>)
    case sections(Param<TenantSlug>, Param<CourseID>)
    case section(Param<TenantSlug>, Param<CourseID>, Param<SectionID>)
    case sectionActivities(Param<TenantSlug>, Param<CourseID>, Param<SectionID>)
    case managedActivity(Param<TenantSlug>, Param<CourseID>, Param<ActivityID>)
    case managedFile(Param<TenantSlug>, Param<CourseID>, Param<ActivityID>, Param<FileField>)
    case monitoring(Param<TenantSlug>, Param<CourseID>)
    case reminders(Param<TenantSlug>, Param<CourseID>)

    public var segments: [PathSegment] {
        let api: [PathSegment] = ["api", "v1"]
        switch self {
        case .outline(let c): return api + ["courses", .param(c), "outline"]
        case .myProgress(let c): return api + ["me", "courses", .param(c), "progress"]
        case .activity(let a): return api + ["activities", .param(a)]
        case .views(let a): return Self.activity(a).segments + ["views"]
        case .heartbeat(let a): return Self.activity(a).segments + ["heartbeat"]
        case .file(let a, let f): return Self.activity(a).segments + ["files", .param(f)]
        case .sections(let t, let c): return CatalogAPIRoute.course(t, c).segments + ["sections"]
        case .section(let t, let c, let s): return Self.sections(t, c).segments + [.param(s)]
        case .sectionActivities(let t, let c, let s): return Self.section(t, c, s).segments + ["activities"]
        case .managedActivity(let t, let c, let a):
            return CatalogAPIRoute.course(t, c).segments + ["activities", .param(a)]
        case .managedFile(let t, let c, let a, let f):
            return Self.managedActivity(t, c, a).segments + ["files", .param(f)]
        case .monitoring(let t, let c): return CatalogAPIRoute.course(t, c).segments + ["monitoring"]
        case .reminders(let t, let c): return Self.monitoring(t, c).segments + ["reminders"]
        }
    }
}
