import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// One report from a page that shows an activity: "this tab had the activity on screen for
/// `seconds` since its previous beat" (and, for a video, where playback is).
public struct Heartbeat: Sendable {
    public let ticket: ProgressTicket
    /// A random id the page makes per tab, and the tab's running number for its beats.
    public let tab: String
    public let seq: Int
    /// Visible seconds since the tab's previous beat, as the page counted them.
    public let seconds: Int
    public let video: VideoPosition?
    public let at: Date
    /// Sent by "Saya sudah selesai membaca" on a page without JavaScript: `seconds` is what the
    /// rule still asks, and the time since the page was shown may count, however long ago
    /// (see ``HeartbeatRules/credit(_:clock:)``).
    public var finishedReading = false

    public struct VideoPosition: Sendable {
        public let position: Double
        public let duration: Double
    }

    /// One beat claims at most this many seconds: the page beats every 30 s, so more means the
    /// computer slept or the clock jumped, and the gap is not time on material.
    public static let maxSeconds = 60
}

/// What a beat did, for the page.
public struct HeartbeatOutcome: Sendable, Equatable {
    /// Seconds this beat added (0 for a retry, or time another tab already counted).
    public let credited: Int
    public let seconds: Int
    public let videoPercent: Int
    public let completed: Bool
    /// The beat was a retry of one already counted.
    public let duplicate: Bool
}

/// The rules that turn beats into time on material, without a database: per person, the tab
/// and sequence number last credited and when. Pure, so its cases are tested one by one.
struct HeartbeatRules {
    struct Clock: Equatable {
        var tab: String
        var seq: Int
        var creditedAt: Date
    }

    /// How long before a beat arrives its time may have passed: the beats a tab queued while
    /// its connection was down arrive together and count, for up to this long offline.
    static let maxQueued: TimeInterval = 5 * 60

    /// Seconds to credit for `beat` given the person's clock, and the clock after it.
    ///
    /// The clock's `creditedAt` is the instant up to which the person's time has been counted,
    /// over all their tabs. A beat is credited at most the server time between that instant (or
    /// the showing of the page its ticket came with, or `maxQueued` ago, whichever is latest)
    /// and its arrival: so forty beats sent in a tenth of a second count a tenth of a second,
    /// two tabs never count the same minute twice, and no one is credited more time than
    /// passed. What the page claims only lowers the credit (a hidden tab claims nothing).
    ///
    /// A page without JavaScript sends no beats, only its "finished reading" claim: that claims
    /// the time since the page was shown (not only the last `maxQueued`), up to what the rule
    /// still asks, so a tab left open overnight is not a night of study.
    static func credit(_ beat: Heartbeat, clock: Clock?) -> (seconds: Int, clock: Clock, duplicate: Bool) {
        let ceiling = beat.finishedReading ? CompletionOption.maxSeconds : Heartbeat.maxSeconds
        let claimed = min(max(beat.seconds, 0), ceiling)
        if let clock, clock.tab == beat.tab, beat.seq <= clock.seq {
            return (0, clock, true)
        }
        var from =
            beat.finishedReading
            ? beat.ticket.issuedAt : max(beat.ticket.issuedAt, beat.at.addingTimeInterval(-maxQueued))
        if let clock { from = max(from, clock.creditedAt) }
        let passed = beat.at > from ? Int(beat.at.timeIntervalSince(from).rounded(.down)) : 0
        let credited = min(claimed, passed)
        return (
            credited, Clock(tab: beat.tab, seq: beat.seq, creditedAt: from.addingTimeInterval(TimeInterval(credited))),
            false
        )
    }
}
