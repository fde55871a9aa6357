import Fluent
import SQLKit
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// A learner's view of a course: its sections and activities with what they did, which ones
/// are locked and why, the percentage complete and the next step.
public struct LearnerOutline: Sendable {
    public struct Item: Sendable {
        public let activity: Activity
        /// The activity's facts in plain values (``CourseStructure/Step``), for pages that
        /// read every item.
        public let step: CourseStructure.Step
        public let progress: ActivityProgress?
        public let lock: ActivityLock?
        public let completed: Bool
    }

    public struct Section: Sendable {
        public let section: CourseSection
        public let items: [Item]
    }

    public let sections: [Section]
    /// Required activities complete, of all required ones, in percent (0 when none are required).
    public let percent: Int
    /// The first open activity the learner has not completed, in course order.
    public let next: Activity?

    public var items: [Item] { sections.flatMap(\.items) }

    public func item(_ id: UUID) -> Item? { items.first { $0.step.id == id } }

    /// The outline of `course` for a learner who did what `rows` say, at `now`.
    public static func load(
        _ structure: CourseStructure, progress rows: [ActivityProgress], now: Date = Date()
    ) async throws -> LearnerOutline {
        let course = structure.course
        let progress = Dictionary(rows.map { ($0.activityID, $0) }, uniquingKeysWith: { a, _ in a })
        let sections = try await structure.outline(forLearner: true)
        let ordered = sections.flatMap(\.steps)
        let completed = Set(progress.values.filter { $0.completedAt != nil }.map(\.activityID))
        let locks = ReleaseRules.locks(ordered, completed: completed, sequential: course.sequential, now: now)
        let result = sections.map { section in
            Section(
                section: section.section,
                items: zip(section.activities, section.steps).map { activity, step in
                    Item(
                        activity: activity, step: step, progress: progress[step.id], lock: locks[step.id],
                        completed: completed.contains(step.id))
                })
        }
        let required = ordered.filter(\.isRequired)
        let done = required.filter { completed.contains($0.id) }.count
        return LearnerOutline(
            sections: result,
            percent: required.isEmpty ? 0 : done * 100 / required.count,
            // Optional activities count as a step until opened once.
            next: result.flatMap(\.items).first { item in
                item.lock == nil && !item.completed && (item.step.isRequired || (item.progress?.views ?? 0) == 0)
            }?.activity
        )
    }
}
