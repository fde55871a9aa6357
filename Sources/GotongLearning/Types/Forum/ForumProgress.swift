import Foundation

/// A forum's part of a learner's progress: how many posts (threads started and replies).
enum ForumProgress {
    /// Wrote at least once in the forum.
    static let posted = CompletionOption(kind: "posted") { _, progress in progress.state.posts > 0 }
}

extension ProgressState {
    /// Threads started and replies written in the forum.
    public var posts: Int {
        get { int("posts") }
        set { self["posts"] = Double(newValue) }
    }
}
