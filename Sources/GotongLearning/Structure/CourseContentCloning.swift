import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// Copies a course's sections and activities: into every new tenant with the master template's
/// courses (tenant cloning), and into a duplicate within a tenant. Uploaded files are shared by
/// key (stored files are never overwritten), so a copy costs no storage; each copied activity
/// gets its own uses of those files (``FileReference``), written in the same transaction, so a
/// file stays as long as any copy names it.
enum CourseContentCloning {
    static func register(_ registry: TenantCloneRegistry) {
        registry.register(
            ModelCloner<CourseSection>(
                "course sections",
                copy: { section in
                    let copy = CourseSection(
                        tenantID: section.tenantID, courseID: section.courseID, position: section.position,
                        title: section.title)
                    copy.hidden = section.hidden
                    return copy
                },
                remap: { master, copy, context in
                    copy.courseID = context.newID(for: master.courseID)
                }))
        registry.register(ActivityCloner())
    }

    @Sendable static func copyOf(_ a: Activity) -> Activity {
        let copy = Activity(
            tenantID: a.tenantID, courseID: a.courseID, sectionID: a.sectionID, position: a.position, type: a.type,
            title: a.title)
        copy.settingsJSON = a.settingsJSON
        copy.completionKind = a.completionKind
        copy.completionValue = a.completionValue
        copy.hidden = a.hidden
        copy.opensAt = a.opensAt
        return copy
    }

    /// The uses of stored files the copies make: the keys their settings name, which are the
    /// ones copied, whatever the original's uses said meanwhile.
    static func fileReferences(of copies: [Activity]) throws -> [FileReference] {
        try copies.flatMap { copy in
            let id = try copy.requireID()
            return Set(CourseStructure.fileKeys(in: copy.settings)).map {
                FileReference(tenantID: copy.tenantID, ownerID: id, key: $0)
            }
        }
    }
}

/// Clones the master template's activities into a new tenant, as a ``ModelCloner`` would (one
/// read, one bulk insert), and with them their uses of files (one more bulk insert), under the
/// copy lock so a file the master drops meanwhile is not deleted under the copies.
struct ActivityCloner: TenantCloner {
    let name = "activities"

    func clone(_ context: TenantCloneContext) async throws {
        let references = FileReferences(db: context.db)
        try await references.holdForCopying()
        let rows = try await TenantScope(tenantID: context.masterID, db: context.db).query(Activity.self).all()
        guard !rows.isEmpty else { return }
        let copies = try rows.map { row in
            let copy = CourseContentCloning.copyOf(row)
            copy.id = context.newID(for: try row.requireID())
            copy.tenantID = context.tenantID
            copy.courseID = context.newID(for: row.courseID)
            copy.sectionID = context.newID(for: row.sectionID)
            return copy
        }
        try await copies.create(on: context.db)
        try await references.add(try CourseContentCloning.fileReferences(of: copies))
    }
}

/// The same copy for a duplicated course.
struct CourseContentCopy: CourseContentCopier {
    func copyContent(of original: Course, to copy: Course, on db: any Database) async throws {
        try await FileReferences(db: db).holdForCopying()
        let scope = TenantScope(tenantID: original.tenantID, db: db)
        let originalID = try original.requireID(), copyID = try copy.requireID()
        var sectionIDs: [UUID: UUID] = [:]
        for section in try await scope.query(CourseSection.self).filter(\.$courseID == originalID).all() {
            let new = CourseSection(
                tenantID: copy.tenantID, courseID: copyID, position: section.position, title: section.title)
            new.hidden = section.hidden
            try await new.create(on: db)
            sectionIDs[try section.requireID()] = try new.requireID()
        }
        var copies: [Activity] = []
        for activity in try await scope.query(Activity.self).filter(\.$courseID == originalID).all() {
            guard let sectionID = sectionIDs[activity.sectionID] else { continue }
            let new = CourseContentCloning.copyOf(activity)
            new.tenantID = copy.tenantID
            new.courseID = copyID
            new.sectionID = sectionID
            try await new.create(on: db)
            copies.append(new)
        }
        try await FileReferences(db: db).add(try CourseContentCloning.fileReferences(of: copies))
    }
}
