import Fluent
import Foundation
import GotongAssessment
import GotongCatalog
import GotongPlatform
import GotongTenancy

/// Level 2 (learning) of a course's run: the participants who finished it that year, each with
/// their pre-test and post-test grade as the gradebook has them (``LearningGain``: the quizzes
/// whose role is pre-test or post-test), the gain, and the normalised gain
/// g = (post − pre) / (100 − pre) (Hake): how much of what was still to learn was learnt. The
/// averages are over participants who took both.
public struct LevelTwo: Sendable {
    public struct Row: Sendable {
        public let name: String
        public let pre: Double?
        public let post: Double?

        public var gain: Double? { pre.flatMap { p in post.map { $0 - p } } }
        public var normalisedGain: Double? {
            guard let pre, let post, pre < 100 else { return nil }
            return (post - pre) / (100 - pre)
        }
    }

    public let rows: [Row]

    var paired: [Row] { rows.filter { $0.gain != nil } }
    public var averagePre: Double? { Self.mean(paired.compactMap(\.pre)) }
    public var averagePost: Double? { Self.mean(paired.compactMap(\.post)) }
    /// The mean of the participants' normalised gains.
    public var averageNormalisedGain: Double? { Self.mean(paired.compactMap(\.normalisedGain)) }
    /// The normalised gain of the class averages, ⟨g⟩ = (⟨post⟩ − ⟨pre⟩) / (100 − ⟨pre⟩).
    public var classGain: Double? {
        guard let pre = averagePre, let post = averagePost, pre < 100 else { return nil }
        return (post - pre) / (100 - pre)
    }

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// Nil when the course has no pre-test and post-test.
    public static func load(_ scope: TenantScope, course: Course, year: Int) async throws -> LevelTwo? {
        let gain = try await LearningGain.load(course: course, db: scope.db)
        guard gain.hasTests else { return nil }
        let finished = Set(
            try await scope.query(Enrolment.self).filter(\.$courseID == course.requireID())
                .filter(\.$status == .completed).all()
                .filter { $0.completedAt.map { LocalDates.year(of: $0) == year } ?? false }.map(\.personID))
        return LevelTwo(
            rows: gain.rows.filter { finished.contains($0.personID) }.map {
                Row(name: $0.name, pre: $0.pre, post: $0.post)
            })
    }
}
