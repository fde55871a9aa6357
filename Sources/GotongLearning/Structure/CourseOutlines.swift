import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Synchronization

/// Courses' learner outlines (the sections and activities a learner sees, in order), kept per
/// process while the learning version holds: the outline is the same for every learner of a
/// course, and reading and decoding 64 activities on every page view cost more than the rest of
/// the page. Every Fluent write of a section or an activity raises the version
/// (``ContentChangeMiddleware``), in any process.
///
/// The kept models are shared by the requests that read them: read-only. Authoring reads its
/// own (``CourseStructure/outline(forLearner:)`` with `forLearner: false`).
final class CourseOutlines: Sendable {
    private struct Entry: @unchecked Sendable {
        let version: Int
        let sections: [CourseStructure.Section]
    }

    let version = ContentVersion(name: "learning")
    private let entries = Mutex([UUID: Entry]())
    /// About 1 KB per activity: 20,000 courses of 50 activities is a gigabyte; past this the
    /// cache starts over and refills with what is read.
    let capacity = 5000

    /// The learner outlines of `courses`, by course id: those kept at the current version, and
    /// the others read (two queries per tenant among them) and kept.
    func learnerOutlines(
        of courses: [(tenantID: UUID, courseID: UUID)], on db: any Database
    ) async throws -> [UUID: [CourseStructure.Section]] {
        let version = try await version.current(on: db)
        var result: [UUID: [CourseStructure.Section]] = [:]
        let missing = entries.withLock { entries in
            courses.filter { course in
                guard let entry = entries[course.courseID], entry.version == version else { return true }
                result[course.courseID] = entry.sections
                return false
            }
        }
        for (tenantID, group) in Dictionary(grouping: missing, by: \.tenantID) {
            let read = try await CourseStructure.read(
                group.map(\.courseID), in: TenantScope(tenantID: tenantID, db: db), forLearner: true)
            entries.withLock { entries in
                if entries.count + read.count > capacity { entries.removeAll(keepingCapacity: true) }
                for (courseID, sections) in read { entries[courseID] = Entry(version: version, sections: sections) }
            }
            result.merge(read) { kept, _ in kept }
        }
        return result
    }
}
