import Fluent
import Foundation
import Synchronization
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
            let wanted = Set(group.map(\.courseID))
            for read in reads(of: wanted, in: TenantScope(tenantID: tenantID, db: db), at: version) {
                result.merge(try await read.value.filter { wanted.contains($0.key) }) { kept, _ in kept }
            }
        }
        return result
    }

    /// A read of some courses' outlines under way, shared by the requests that want them.
    private struct Reading: Sendable {
        let version: Int
        let token: UUID
        let task: Task<[UUID: Outline], any Error>
    }

    /// Reads under way, by course. A request that misses a course that another request is
    /// reading waits for that read rather than making its own: after a start or a change,
    /// every visitor of /saya missed the same courses at once, and 32 concurrent reads of 40
    /// outlines made the benchmark's slowest 1 % of requests five times slower than the rest.
    private let reading = Mutex([UUID: Reading]())

    /// The reads that bring `courses` at `version`: those under way, and one started here for
    /// the rest, which keeps what it read.
    private func reads(
        of courses: Set<UUID>, in scope: TenantScope, at version: Int
    ) -> [Task<[UUID: Outline], any Error>] {
        reading.withLock { reading in
            var tasks: [UUID: Task<[UUID: Outline], any Error>] = [:]
            var unread: [UUID] = []
            for course in courses {
                if let under = reading[course], under.version == version {
                    tasks[under.token] = under.task
                } else {
                    unread.append(course)
                }
            }
            guard !unread.isEmpty else { return Array(tasks.values) }
            let token = UUID()
            let task = Task { [kept, unread, scope] in
                defer { self.finish(token, unread) }
                let read = try await CourseStructure.read(unread, in: scope, forLearner: true).mapValues(Outline.init)
                kept.keep(read, at: version)
                return read
            }
            for course in unread { reading[course] = Reading(version: version, token: token, task: task) }
            tasks[token] = task
            return Array(tasks.values)
        }
    }

    private func finish(_ token: UUID, _ courses: [UUID]) {
        reading.withLock { reading in
            for course in courses where reading[course]?.token == token { reading[course] = nil }
        }
    }
}
