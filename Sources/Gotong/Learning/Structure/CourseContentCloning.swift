import Fluent
import Foundation

/// Copies a course's sections and activities: into every new tenant with the master template's
/// courses (tenant cloning), and into a duplicate within a tenant. Uploaded files are shared by
/// key (stored files are never overwritten), so a copy costs no storage.
enum CourseContentCloning {
    static func register(_ registry: TenantCloneRegistry) {
        registry.register(ModelCloner<CourseSection>("course sections", copy: { section in
            let copy = CourseSection(tenantID: section.tenantID, courseID: section.courseID, position: section.position, title: section.title)
            copy.hidden = section.hidden
            return copy
        }, remap: { master, copy, context in
            copy.courseID = context.newID(for: master.courseID)
        }))
        registry.register(ModelCloner<Activity>("activities", copy: copyOf, remap: { master, copy, context in
            copy.courseID = context.newID(for: master.courseID)
            copy.sectionID = context.newID(for: master.sectionID)
        }))
    }

    @Sendable static func copyOf(_ a: Activity) -> Activity {
        let copy = Activity(tenantID: a.tenantID, courseID: a.courseID, sectionID: a.sectionID, position: a.position, type: a.type, title: a.title)
        copy.settingsJSON = a.settingsJSON
        copy.completionKind = a.completionKind
        copy.completionValue = a.completionValue
        copy.hidden = a.hidden
        copy.opensAt = a.opensAt
        return copy
    }
}

/// The same copy for a duplicated course.
struct CourseContentCopy: CourseContentCopier {
    func copyContent(of original: Course, to copy: Course, on db: any Database) async throws {
        let scope = TenantScope(tenantID: original.tenantID, db: db)
        let originalID = try original.requireID(), copyID = try copy.requireID()
        var sectionIDs: [UUID: UUID] = [:]
        for section in try await scope.query(CourseSection.self).filter(\.$courseID == originalID).all() {
            let new = CourseSection(tenantID: copy.tenantID, courseID: copyID, position: section.position, title: section.title)
            new.hidden = section.hidden
            try await new.create(on: db)
            sectionIDs[try section.requireID()] = try new.requireID()
        }
        for activity in try await scope.query(Activity.self).filter(\.$courseID == originalID).all() {
            guard let sectionID = sectionIDs[activity.sectionID] else { continue }
            let new = CourseContentCloning.copyOf(activity)
            new.tenantID = copy.tenantID
            new.courseID = copyID
            new.sectionID = sectionID
            try await new.create(on: db)
        }
    }
}
