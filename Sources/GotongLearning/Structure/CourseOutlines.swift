import Fluent
import Foundation
import GotongPlatform
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

    /// The learner outline of `course`, kept or read with `read`.
    func learnerOutline(
        of courseID: UUID, on db: any Database, read: () async throws -> [CourseStructure.Section]
    ) async throws -> [CourseStructure.Section] {
        let version = try await version.current(on: db)
        if let entry = entries.withLock({ $0[courseID] }), entry.version == version { return entry.sections }
        let sections = try await read()
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[courseID] = Entry(version: version, sections: sections)
        }
        return sections
    }
}
