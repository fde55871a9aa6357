import Fluent
import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// What a learner does through the API: an activity's view, views and heartbeats, files.
extension LearningAPIRoutes {
    // MARK: Learner

    func learnerActivity(_ req: Request) async throws -> (Activity, Course, Tenant, LearningAccess, LearnerOutline.Item)
    {
        let found = try await OpenActivity.api(req)
        return (found.activity, found.course, found.tenant, found.access, found.item)
    }

    struct ProgressResponse: Content {
        var views: Int
        var seconds: Int
        var video_percent: Int
        var posts: Int
        /// Everything the activity's type records, by name (``ProgressState``); `video_percent`
        /// and `posts` above are two of them, kept where clients already read them.
        var facts: [String: Double]
        var completed: Bool
        var completed_at: Date?

        init(_ p: ActivityProgress?) {
            views = p?.views ?? 0
            seconds = p?.seconds ?? 0
            video_percent = p?.state.videoPercent ?? 0
            facts = p?.state.values ?? [:]
            posts = p?.state.posts ?? 0
            completed = p?.completedAt != nil
            completed_at = p?.completedAt
        }
    }

    struct LearnerActivityResponse: Content {
        var id: UUID
        var course_id: UUID
        var type: String
        var title: String
        var completion: [String: JSONScalar]
        var content: [String: JSONScalar]
        var progress: ProgressResponse
        var progress_ticket: String?
        var heartbeat_url: String
    }

    func activity(req: Request) async throws -> Response {
        let (activity, course, tenant, access, item) = try await learnerActivity(req)
        if let lock = item.lock, !access.isStaff { return try lockedResponse(lock, req: req) }
        guard let type = req.learning.types[activity.type] else { throw Abort(.notFound) }
        let context = ActivityViewContext(
            activity: activity, course: course, tenant: tenant, progress: item.progress,
            isStaff: access.isStaff, request: req)
        let tracks = type.features.contains(.timeTracking) && access.recordsProgress
        return try await LearnerActivityResponse(
            id: activity.id!, course_id: course.id!, type: activity.type, title: activity.title,
            completion: activity.completion.json,
            content: try await type.apiContent(context), progress: ProgressResponse(item.progress),
            progress_ticket: tracks
                ? try await LearningRoutes.ticket(for: activity, personID: access.person.requireID(), req: req) : nil,
            heartbeat_url: req.application.gotong.baseURL + LearningAPIRoute.heartbeat(activity.routeID).path
        ).encodeResponse(for: req)
    }

    /// 423 Locked, saying why and when the activity opens.
    func lockedResponse(_ lock: ActivityLock, req: Request) throws -> Response {
        struct Locked: Content {
            var type = "about:blank"
            var title: String
            var status = 423
            var detail: String
            var opens_at: Date?
            var waiting_for: WaitingFor?
            struct WaitingFor: Content { var id: UUID; var title: String }
        }
        let body = Locked(
            title: req.t("learning.locked.title"), detail: LearningRoutes.lockText(lock, req: req),
            opens_at: lock.opensAt,
            waiting_for: lock.waitingFor.map { .init(id: $0.id, title: $0.title) })
        let response = Response(status: .locked)
        try response.content.encode(body)
        response.headers.contentType = HTTPMediaType(
            type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
        return response
    }

    func view(req: Request) async throws -> Response {
        let (activity, _, _, access, item) = try await learnerActivity(req)
        if let lock = item.lock, !access.isStaff { return try lockedResponse(lock, req: req) }
        guard access.recordsProgress else { return try await ProgressResponse(item.progress).encodeResponse(for: req) }
        let row = try await req.learning.progressStore(on: req.database).recordView(
            activity, person: access.person.typedID(), at: req.application.clock.now())
        return try await ProgressResponse(row).encodeResponse(for: req)
    }

    struct HeartbeatRequest: Content {
        var ticket: String?
        var tab: String
        var seq: Int
        var seconds: Int
        var position: Double?
        var duration: Double?
    }

    struct HeartbeatResponse: Content, Equatable {
        var credited: Int
        var seconds: Int
        var video_percent: Int
        var completed: Bool
        var duplicate: Bool

        /// The same JSON `JSONEncoder` writes, formatted directly: five numbers and flags, on
        /// the busiest request of the platform, where the encoder's machinery was a twentieth
        /// of the time.
        var response: Response {
            let json =
                "{\"credited\":\(credited),\"seconds\":\(seconds),\"video_percent\":\(video_percent),"
                + "\"completed\":\(completed),\"duplicate\":\(duplicate)}"
            return Response(
                status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(string: json))
        }
    }

    /// Time on material. Authorised by the progress ticket the page (or `GET /activities/{id}`)
    /// received, so it reads nothing but the ticket's signature; a bearer token works too.
    func heartbeat(req: Request) async throws -> Response {
        let id = try req.parameter(ActivityID.self).rawValue
        // Read as JSON whatever the Content-Type says: parsing that header costs more than the
        // rest of the decoding, on the busiest request of the platform.
        let input = try req.content.decode(HeartbeatRequest.self, as: .json)
        let now = req.application.clock.now()
        let ticket: ProgressTicket
        if let text = input.ticket {
            let key = try await req.application.secretKeys.key(ProgressTicket.keyName, on: req.database)
            guard let valid = ProgressTicket.verify(text, with: key, now: now), valid.activityID == id else {
                throw LocalizedAbort(.unauthorized, req.t("heartbeat.error.ticket"))
            }
            ticket = valid
        } else {
            let (activity, _, _, access, item) = try await learnerActivity(req)
            guard item.lock == nil else { throw Abort(.locked) }
            ticket = ProgressTicket(
                personID: try access.person.requireID(), activityID: id, courseID: activity.courseID,
                tenantID: activity.tenantID, activityType: activity.type, completion: activity.completion,
                // Issued now: a bearer's first beat starts the clock.
                expires: now.addingTimeInterval(ProgressTicket.lifetime))
        }
        // Checked once the caller is known: a stranger learns nothing from the messages.
        var problems = ProblemList()
        if input.tab.isEmpty || input.tab.count > 64 || input.tab.hasControlCharacters {
            problems.add("tab", "heartbeat.error.tab")
        }
        if input.seq < 1 { problems.add("seq", "heartbeat.error.seq") }
        if !(0...86_400).contains(input.seconds) { problems.add("seconds", "heartbeat.error.seconds") }
        var video: Heartbeat.VideoPosition?
        // Both or nothing: the pair says where playback is in what length.
        switch (input.position, input.duration) {
        case (nil, nil): break
        case (let p?, let d?) where p.isFinite && d.isFinite && p >= 0 && d > 0 && p <= d + 1 && d < 86_400:
            video = .init(position: p, duration: d)
        default: problems.add("position", "heartbeat.error.position")
        }
        try problems.throwIfAny()
        let outcome = try await req.learning.heartbeats.record(
            Heartbeat(
                ticket: ticket, tab: input.tab, seq: input.seq, seconds: input.seconds, video: video, at: now
            ))
        return HeartbeatResponse(
            credited: outcome.credited, seconds: outcome.seconds, video_percent: outcome.videoPercent,
            completed: outcome.completed, duplicate: outcome.duplicate
        ).response
    }

    func file(req: Request) async throws -> Response {
        let (activity, _, _, access, item) = try await learnerActivity(req)
        if let lock = item.lock, !access.isStaff { return try lockedResponse(lock, req: req) }
        return try await LearningRoutes.serveFile(activity, field: try req.parameter(FileField.self).rawValue, req: req)
    }
}
