import Fluent
import Foundation
import GotongCatalog

/// Kirkpatrick level 2 as the gradebook computes it, for the Evaluation module: each
/// participant's grade in the course's pre-test and post-test (the quizzes whose role says so,
/// each graded by its own method), so the evaluation and the gradebook never disagree.
public struct LearningGain: Sendable {
    public struct Row: Sendable {
        public let personID: UUID
        public let name: String
        /// In percent; nil when that test does not count yet.
        public let pre: Double?
        public let post: Double?
    }

    /// Whether the course has both a pre-test and a post-test.
    public let hasTests: Bool
    public let rows: [Row]

    public static func load(course: Course, db: any Database) async throws -> LearningGain {
        let book = try await Gradebook.load(course: course, db: db)
        guard let pre = book.pretest, let post = book.posttest else { return LearningGain(hasTests: false, rows: []) }
        return LearningGain(
            hasTests: true,
            rows: book.rows.map {
                Row(personID: $0.personID, name: $0.name, pre: $0.grades[pre], post: $0.grades[post])
            })
    }
}
