import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy

/// A course's grades: every graded item (its quizzes) for every participant, each by its own
/// grading method, the average, and the learning gain from the pre-test to the post-test
/// (Kirkpatrick level 2): the gain in points and the normalised gain, (post − pre) / (100 − pre).
struct Gradebook: Sendable {
    struct Item: Sendable {
        let id: UUID
        let title: String
        let role: QuizSettings.Role
        let passPercent: Int
    }

    struct Row: Sendable {
        let personID: UUID
        let name: String
        let email: String
        let unit: String
        /// Per item, in percent; nil when nothing counts yet.
        let grades: [Double?]
        /// Items waiting for a trainer's grade.
        let waiting: Int

        /// The average of every item, those not done counting 0.
        func average(of count: Int) -> Double? {
            count == 0 ? nil : grades.map { $0 ?? 0 }.reduce(0, +) / Double(count)
        }
    }

    let items: [Item]
    let rows: [Row]

    var pretest: Int? { items.firstIndex { $0.role == .pretest } }
    var posttest: Int? { items.firstIndex { $0.role == .posttest } }

    /// A participant's pre and post grades and gains, when both tests count.
    func gain(_ row: Row) -> (pre: Double, post: Double, gain: Double, normalised: Double?)? {
        guard let pretest, let posttest, let pre = row.grades[pretest], let post = row.grades[posttest] else {
            return nil
        }
        return (pre, post, post - pre, pre < 100 ? (post - pre) / (100 - pre) : nil)
    }

    /// The course's average gain and normalised gain over participants with both tests.
    var averageGain: (gain: Double, normalised: Double?, count: Int)? {
        let gains = rows.compactMap(gain)
        guard !gains.isEmpty else { return nil }
        let normalised = gains.compactMap(\.normalised)
        return (
            gains.map(\.gain).reduce(0, +) / Double(gains.count),
            normalised.isEmpty ? nil : normalised.reduce(0, +) / Double(normalised.count), gains.count
        )
    }

    static func load(course: Course, db: any Database, only person: UUID? = nil) async throws -> Gradebook {
        let scope = TenantScope(tenantID: course.tenantID, db: db)
        let courseID = try course.requireID()
        let sections = try await scope.query(CourseSection.self).filter(\.$courseID == courseID).all()
        let sectionOrder = Dictionary(sections.map { ($0.id!, $0.position) }, uniquingKeysWith: { a, _ in a })
        let quizzes = try await scope.query(Activity.self).filter(\.$courseID == courseID).filter(\.$type == "quiz")
            .all().sorted {
                (sectionOrder[$0.sectionID] ?? 0, $0.position) < (sectionOrder[$1.sectionID] ?? 0, $1.position)
            }
        let items = quizzes.map { activity in
            let settings = QuizSettings(activity.settings)
            return Item(id: activity.id!, title: activity.title, role: settings.role, passPercent: settings.passPercent)
        }
        var participants = try await CourseMembers(course: course, on: db).participants()
        if let person { participants = participants.filter { $0.person_id == person } }
        var attemptsQuery = scope.query(QuizAttempt.self).filter(\.$activityID ~~ items.map(\.id))
            .filter(\.$state == .finished)
        if let person { attemptsQuery = attemptsQuery.filter(\.$personID == person) }
        let attempts = try await attemptsQuery.sort(\.$number).all()
        let byKey = Dictionary(grouping: attempts) { "\($0.activityID)|\($0.personID)" }
        let rows = participants.map { participant in
            var waiting = 0
            let grades: [Double?] = zip(items, quizzes).map { item, activity in
                let mine = byKey["\(item.id)|\(participant.person_id)"] ?? []
                waiting += mine.filter(\.needsGrading).count
                return QuizSettings(activity.settings).grade(of: mine.filter { !$0.needsGrading }.compactMap(\.percent))
            }
            return Row(
                personID: participant.person_id, name: participant.name, email: participant.email,
                unit: participant.unit_kerja, grades: grades, waiting: waiting)
        }
        return Gradebook(
            items: items, rows: rows.sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending })
    }
}
