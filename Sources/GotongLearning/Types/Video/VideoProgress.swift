import Foundation

/// How far a learner watched a video in our own player: the furthest point reached by watching
/// and its percent of the video, kept in the activity's ``ProgressState``.
enum VideoProgress {
    /// Watched to at least so many percent.
    static let minPercent = CompletionOption(
        kind: "min_percent", values: 1...100, suggested: 90, errorKey: "activity.error.min_percent"
    ) { percent, progress in progress.state.videoPercent >= percent }

    /// The furthest point of a video after a beat: playback moves it forward by at most twice
    /// the seconds the beat covered (fast playback) plus a little, so jumping to the end is not
    /// watching it.
    static func furthest(_ previous: Double, report: Heartbeat.VideoPosition, seconds: Int) -> Double {
        guard report.position.isFinite, report.position > previous else { return previous }
        let reachable = previous + Double(2 * max(seconds, 0) + 5)
        return min(
            report.position, reachable, report.duration.isFinite && report.duration > 0 ? report.duration : .infinity)
    }

    static func percent(furthest: Double, duration: Double) -> Int {
        guard duration.isFinite, duration > 0 else { return 0 }
        // The last second or so is credits and fades: reaching it is watching to the end.
        if furthest >= duration - 1 { return 100 }
        return min(100, Int((furthest / duration * 100).rounded(.down)))
    }
}

extension ProgressState {
    /// The furthest point of the video reached by watching, in seconds.
    public var videoFurthest: Double {
        get { self["video_furthest"] }
        set { self["video_furthest"] = newValue }
    }

    public var videoPercent: Int {
        get { int("video_percent") }
        set { self["video_percent"] = Double(newValue) }
    }
}
