import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// What a timed step ("selesai setelah 5 menit") still asks of the learner, shown under the
/// material: the time left (counted down by the page's script while it is on screen) and a
/// "Saya sudah selesai membaca" button, which is how the time counts on a phone without
/// JavaScript, where no heartbeats are sent.
struct StudyTimer: Encodable, Sendable, Equatable {
    /// Seconds the rule still asks.
    let left: Int
    let action: String
    let ticket: String
    /// The activity's type, for the button's words ("membaca", "menonton").
    let type: String

    /// The timer of a step whose rule asks for time and that is not complete yet, else nil.
    init?(
        _ activity: Activity, progress: ActivityProgress?, ticket: String, tenant: Param<TenantSlug>,
        course: Param<CourseSlug>
    ) {
        guard progress?.completedAt == nil, activity.completion.kind == CompletionOption.minSeconds.kind,
            let needed = activity.completion.value
        else { return nil }
        left = max(0, needed - (progress?.seconds ?? 0))
        action = LearningRoute.finishedReading(tenant, course, activity.routeID).path
        self.ticket = ticket
        type = activity.type
    }

    /// Whole minutes, rounded up, as the page says them before its script counts.
    var minutes: Int { max(1, (left + 59) / 60) }
}

extension StudyTimer {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<section class=\"timer\" aria-labelledby=\"timer-h\" data-timer=\"").text("\(left)")
            .raw("\" data-clock=\"").attr(t("learning.timer.clock", ["time": "{time}"])).raw("\" data-reached=\"")
            .attr(t("learning.timer.reached")).raw("\">\n<h2 id=\"timer-h\">").text(t("learning.timer.heading"))
            .raw("</h2>\n<p><strong data-timer-left aria-live=\"polite\">")
            .text(t("learning.timer.left", ["minutes": "\(minutes)"])).raw("</strong></p>\n<p class=\"hint\">")
            .text(t("learning.timer.how")).raw("</p>\n").postForm(action, csrf: csrf)
            .raw("<input type=\"hidden\" name=\"ticket\" value=\"").attr(ticket)
            .raw("\"><button type=\"submit\" class=\"secondary\">")
            .text(t("learning.timer.done.\(type)", fallback: "learning.timer.done")).raw(
                "</button></form>\n</section>\n")
    }
}

extension LearningRoutes {
    struct FinishedReadingForm: Content {
        var ticket: String
    }

    /// "Saya sudah selesai membaca": credits the time since the page was shown, as its signed
    /// ticket says, never more than passed on the server's clock (time another tab already
    /// counted is not counted again) nor more than the rule still asks. Then back to the step,
    /// saying whether it is done or how long is left.
    func finishedReading(req: Request) async throws -> Response {
        let open = try await OpenActivity.web(req)
        let activity = open.activity
        let back = LearningRoute.activity(open.tenant.routeSlug, open.course.routeSlug, activity.routeID).path
        guard open.item.lock == nil, activity.completion.kind == CompletionOption.minSeconds.kind,
            let needed = activity.completion.value, open.item.progress?.completedAt == nil
        else { return req.seeOther(back) }
        let form = try req.content.decode(FinishedReadingForm.self)
        let now = req.application.clock.now()
        let key = try await req.application.secretKeys.key(ProgressTicket.keyName, on: req.database)
        guard let ticket = ProgressTicket.verify(form.ticket, with: key, now: now),
            ticket.activityID == activity.id, ticket.personID == open.access.person.id
        else {
            req.flash(.error, "learning.timer.stale")
            return req.seeOther(back)
        }
        let before = open.item.progress?.seconds ?? 0
        var beat = Heartbeat(
            ticket: ticket, tab: "reading-" + UUID().uuidString, seq: 1, seconds: max(0, needed - before),
            video: nil, at: now)
        beat.finishedReading = true
        let outcome = try await req.learning.heartbeats.record(beat)
        if outcome.completed {
            req.flash(.success, "learning.timer.completed")
        } else {
            let left = max(1, (needed - outcome.seconds + 59) / 60)
            req.flash(.info, "learning.timer.more", ["minutes": "\(left)"])
        }
        return req.seeOther(back)
    }
}
