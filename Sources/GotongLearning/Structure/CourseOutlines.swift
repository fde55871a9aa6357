import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// Courses' learner outlines (the sections and activities a learner sees, in order), kept per
/// process while the learning version holds: the outline is the same for every learner of a
/// course, and reading and decoding 64 activities on every page view cost more than the rest of
/// the page. Every Fluent write of a section or an activity raises the version
/// (``ModelChangeMiddleware``), in any process.
///
/// The kept models are shared by the requests that read them: read-only. Authoring reads its
/// own (``CourseStructure/outline(forLearner:)`` with `forLearner: false`).
final class CourseOutlines: Sendable {
    let version = ContentVersion(name: "learning")
    /// About 1 KB per activity: 5,000 courses of 50 activities is a quarter of a gigabyte.
    private let kept = KeptValues<UUID, Outline>(capacity: 5000)

    /// A course's outline as kept: its sections, and its activities in course order, listed
    /// once when kept (/saya reads the steps of every course of the person on every visit:
    /// 8,000 of them for 40 courses of 200 activities).
    struct Outline: Sendable {
        let sections: [CourseStructure.Section]
        let steps: [CourseStructure.Step]

        init(_ sections: [CourseStructure.Section]) {
            self.sections = sections
            steps = sections.flatMap(\.steps)
        }
    }

    /// The learner outlines of `courses`, by course id.
    func learnerOutlines(
        of courses: [(tenantID: UUID, courseID: UUID)], on db: any Database
    ) async throws -> [UUID: [CourseStructure.Section]] {
        try await outlines(of: courses, on: db).mapValues(\.sections)
    }

    /// The activities of `courses` in course order, in plain values, by course id.
    func learnerSteps(
        of courses: [(tenantID: UUID, courseID: UUID)], on db: any Database
    ) async throws -> [UUID: [CourseStructure.Step]] {
        try await outlines(of: courses, on: db).mapValues(\.steps)
    }

    /// Those kept at the current version, and the others read (two queries per tenant among
    /// them) and kept.
    private func outlines(
        of courses: [(tenantID: UUID, courseID: UUID)], on db: any Database
    ) async throws -> [UUID: Outline] {
        let version = try await version.current(on: db)
        var result: [UUID: Outline] = [:]
        var missing: [(tenantID: UUID, courseID: UUID)] = []
        for course in courses {
            if let outline = kept.value(course.courseID, at: version) {
                result[course.courseID] = outline
            } else {
                missing.append(course)
            }
        }
        for (tenantID, group) in Dictionary(grouping: missing, by: \.tenantID) {
            let read = try await CourseStructure.read(
                group.map(\.courseID), in: TenantScope(tenantID: tenantID, db: db), forLearner: true
            ).mapValues(Outline.init)
            kept.keep(read, at: version)
            result.merge(read) { kept, _ in kept }
        }
        return result
    }
}
