import Foundation
import GotongLearning
import GotongPlatform

/// An assignment's settings as its routes read them, from the activity's stored settings.
struct AssignmentSettings: Sendable {
    /// What a participant hands in.
    enum Submission: String, CaseIterable, Sendable {
        case textAndFile = "text_file", text, file
    }

    /// How a grader grades: a score out of 100, or passed / not yet.
    enum Grading: String, CaseIterable, Sendable {
        case score
        case passFail = "pass_fail"
    }

    let instructions: String
    let submission: Submission
    let maxFiles: Int
    let dueAt: Date?
    let cutoffAt: Date?
    let grading: Grading
    let passPercent: Int
    let rubric: Rubric?

    /// The files a participant may hand in, and a grader's feedback file.
    static let fileRule = FileRule(maxBytes: 20 * 1_048_576, kinds: [.pdf, .docx, .pptx, .xlsx, .png, .jpeg])
    /// The longest text answer: a report of some pages.
    static let maxText = 50_000
    static let defaultMaxFiles = 3

    init(_ settings: ActivitySettings) {
        instructions = settings.string("instructions")
        submission = Submission(rawValue: settings.string("submission")) ?? .textAndFile
        maxFiles = settings.int("max_files") ?? Self.defaultMaxFiles
        dueAt = settings.date("due_at")
        cutoffAt = settings.date("cutoff_at")
        grading = Grading(rawValue: settings.string("grading")) ?? .score
        passPercent = settings.int("pass_percent") ?? 0
        rubric = try? Rubric.parse(settings.string("rubric")).get()
    }

    var takesText: Bool { submission != .file }
    var takesFiles: Bool { submission != .text }

    /// Whether a hand-in at `moment` is late.
    func isLate(_ moment: Date) -> Bool { dueAt.map { moment > $0 } ?? false }

    /// Whether first submissions are no longer taken (past the cut-off). A submission the grader
    /// reopened is taken anyway: reopening is the grader's decision to let it in.
    func isClosed(at now: Date) -> Bool { cutoffAt.map { now > $0 } ?? false }

    /// Whether a grade in percent passes (a score assignment without a pass mark passes any grade).
    func passes(_ percent: Double) -> Bool { percent >= Double(passPercent) }
}

/// A grading rubric: criteria, each with levels worth some points. Authors write it one
/// criterion per line, its levels after bars — `Ketepatan isi | Kurang: 0 | Cukup: 5 | Baik: 10`
/// — so it can be typed on a phone and sent as one string through the API. A grade from the
/// rubric is the points of the chosen levels over the most points possible, in percent.
struct Rubric: Sendable, Equatable {
    struct Level: Sendable, Equatable {
        let label: String
        let points: Double
    }

    struct Criterion: Sendable, Equatable {
        let name: String
        let levels: [Level]
        var maxPoints: Double { levels.map(\.points).max() ?? 0 }
    }

    let criteria: [Criterion]

    /// Why a rubric's text was refused: its line (from 1) and a message key.
    struct Problem: Error, Equatable {
        let line: Int
        let key: String
    }

    static let maxCriteria = 20
    static let maxLevels = 10

    /// The rubric in `text`, nil for none (empty text).
    static func parse(_ text: String) -> Result<Rubric?, Problem> {
        var criteria: [Criterion] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let parts = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.allSatisfy(\.isEmpty) { continue }
            guard let name = parts.first, !name.isEmpty, parts.count >= 3 else {
                return .failure(Problem(line: index + 1, key: "assignment.error.rubric_line"))
            }
            var levels: [Level] = []
            for part in parts.dropFirst() {
                guard let colon = part.lastIndex(of: ":"),
                    let points = QuestionGrading.number(String(part[part.index(after: colon)...])), points >= 0,
                    points <= 1000
                else { return .failure(Problem(line: index + 1, key: "assignment.error.rubric_level")) }
                let label = part[..<colon].trimmingCharacters(in: .whitespaces)
                guard !label.isEmpty else {
                    return .failure(Problem(line: index + 1, key: "assignment.error.rubric_level"))
                }
                levels.append(Level(label: label, points: points))
            }
            guard levels.count <= maxLevels, name.count <= 200 else {
                return .failure(Problem(line: index + 1, key: "assignment.error.rubric_size"))
            }
            criteria.append(Criterion(name: name, levels: levels))
        }
        guard !criteria.isEmpty else { return .success(nil) }
        guard criteria.count <= maxCriteria else {
            return .failure(Problem(line: 1, key: "assignment.error.rubric_size"))
        }
        guard criteria.map(\.maxPoints).reduce(0, +) > 0 else {
            return .failure(Problem(line: 1, key: "assignment.error.rubric_points"))
        }
        return .success(Rubric(criteria: criteria))
    }

    /// The grade in percent from one chosen level per criterion; nil unless every criterion has one.
    func percent(_ chosen: [Int]) -> Double? {
        guard chosen.count == criteria.count,
            zip(criteria, chosen).allSatisfy({ criterion, level in criterion.levels.indices.contains(level) })
        else { return nil }
        let points = zip(criteria, chosen).map { criterion, level in criterion.levels[level].points }.reduce(0, +)
        return (points / criteria.map(\.maxPoints).reduce(0, +) * 1000).rounded() / 10
    }
}
