import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy

/// A course's grades: every graded item (its quizzes and assignments) for every participant,
/// each by its own grading method (an assignment by its latest graded round), the average, and
/// the learning gain from the pre-test to the post-test (Kirkpatrick level 2): the gain in
/// points and the normalised gain, (post − pre) / (100 − pre).
struct Gradebook: Sendable {
    struct Item: Sendable {
        let id: UUID
        let title: String
        let role: QuizSettings.Role
        /// A pass/fail assignment's grades are 100 or 0, so its pass mark is 100.
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
        /// Per item, an assignment grader's feedback to the participant.
        var feedback: [String?] = []

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

    /// The grades of everyone, as the staff see them (an assignment's grade before it is
    /// released too), or only of `person`, as they see theirs (released grades only).
    static func load(course: Course, db: any Database, only person: UUID? = nil) async throws -> Gradebook {
        let scope = TenantScope(tenantID: course.tenantID, db: db)
        let courseID = try course.requireID()
        let sections = try await scope.query(CourseSection.self).filter(\.$courseID == courseID).all()
        let sectionOrder = Dictionary(sections.map { ($0.id!, $0.position) }, uniquingKeysWith: { a, _ in a })
        let graded = try await scope.query(Activity.self).filter(\.$courseID == courseID)
            .filter(\.$type ~~ ["quiz", "assignment"]).all().sorted {
                (sectionOrder[$0.sectionID] ?? 0, $0.position) < (sectionOrder[$1.sectionID] ?? 0, $1.position)
            }
        let items = graded.map { activity in
            guard activity.type == "quiz" else {
                let settings = AssignmentSettings(activity.settings)
                return Item(
                    id: activity.id!, title: activity.title, role: .none,
                    passPercent: settings.grading == .passFail && settings.rubric == nil ? 100 : settings.passPercent)
            }
            let settings = QuizSettings(activity.settings)
            return Item(id: activity.id!, title: activity.title, role: settings.role, passPercent: settings.passPercent)
        }
        var participants = try await CourseMembers(course: course, on: db).participants()
        if let person { participants = participants.filter { $0.person_id == person } }
        var attemptsQuery = scope.query(QuizAttempt.self).filter(\.$activityID ~~ items.map(\.id))
            .filter(\.$state == .finished)
        var roundsQuery = scope.query(AssignmentSubmission.self).filter(\.$activityID ~~ items.map(\.id))
        if let person {
            attemptsQuery = attemptsQuery.filter(\.$personID == person)
            roundsQuery = roundsQuery.filter(\.$personID == person)
        }
        let attempts = Dictionary(grouping: try await attemptsQuery.sort(\.$number).all()) {
            "\($0.activityID)|\($0.personID)"
        }
        let rounds = Dictionary(grouping: try await roundsQuery.sort(\.$round).all()) {
            "\($0.activityID)|\($0.personID)"
        }
        let rows = participants.map { participant in
            var waiting = 0
            var feedback: [String?] = []
            let grades: [Double?] = zip(items, graded).map { item, activity in
                let key = "\(item.id)|\(participant.person_id)"
                guard activity.type == "quiz" else {
                    let mine = rounds[key] ?? []
                    if let latest = mine.last, latest.status == .submitted, !latest.isGraded { waiting += 1 }
                    let counted = mine.last { person == nil ? $0.isGraded : $0.isReleased }
                    feedback.append(counted.map(\.feedback).flatMap { $0.isEmpty ? nil : $0 })
                    return counted?.percent
                }
                let mine = attempts[key] ?? []
                waiting += mine.filter(\.needsGrading).count
                feedback.append(nil)
                return QuizSettings(activity.settings).grade(of: mine.filter { !$0.needsGrading }.compactMap(\.percent))
            }
            return Row(
                personID: participant.person_id, name: participant.name, email: participant.email,
                unit: participant.unit_kerja, grades: grades, waiting: waiting, feedback: feedback)
        }
        return Gradebook(
            items: items, rows: rows.sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending })
    }
}
