import Foundation
import GotongLearning

/// What quizzes and assignments add to a learner's progress in an activity, and the completion
/// rules judged on it: "submitted" (an attempt finished, an assignment handed in) and "passed"
/// (the grade reached the pass mark).
public enum AssessmentProgress {
    public static let submitted = CompletionOption(kind: "submitted") { _, progress in progress.state.submissions > 0 }
    public static let passed = CompletionOption(kind: "passed") { _, progress in progress.state.passed }
}

extension ProgressState {
    /// Attempts finished, or assignment submissions.
    public var submissions: Int {
        get { int("submissions") }
        set { self["submissions"] = Double(newValue) }
    }

    /// The grade that counts, in percent (by the quiz's grading method); -1 before any.
    public var grade: Double {
        get { values["grade"] ?? -1 }
        set { self["grade"] = newValue }
    }

    /// Whether the grade reached the pass mark.
    public var passed: Bool {
        get { int("passed") == 1 }
        set { self["passed"] = newValue ? 1 : 0 }
    }
}
