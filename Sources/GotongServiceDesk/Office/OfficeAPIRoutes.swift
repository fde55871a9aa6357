import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The officers' part of the service desk's JSON API (bearer token): the queue with its
/// filters, a case as officers see it, and the work on it. The same rules as the pages: an
/// officer of a unit reaches only that unit's cases, an anonymous reporter is never named.
package struct OfficeAPIRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(DeskAPIRoute.queue(.key), use: queue)
        tenant.get(DeskAPIRoute.officeCase(.key, .key), use: show)
        tenant.post(DeskAPIRoute.officeActions(.key, .key), use: act)
        tenant.post(DeskAPIRoute.officeMessages(.key, .key), use: write)
        tenant.on(.PUT, DeskAPIRoute.officeAssignee(.key, .key), use: assign)
        tenant.post(DeskAPIRoute.officeMerge(.key, .key), use: merge)
        tenant.get(DeskAPIRoute.officeFile(.key, .key, .key), use: file)
    }

    struct QueueItem: Content {
        var number, kind, category, status, channel, created_at: String
        var unit, assignee, due_at: String?
        /// Working seconds to the stage's deadline, negative when overdue.
        var working_seconds_left: Int?
        var overdue: Bool
    }

    struct QueuePage: Content {
        var items: [QueueItem]
        var page, pages, total: Int
    }

    func queue(req: Request) async throws -> QueuePage {
        let (access, settings) = try await DeskAccess.of(req)
        let filter = try QueueFilter.read(req, names: .api, formBlanks: false)
        let scope = try req.tenantScope
        let calendar = try await DeskSetup.calendar(settings, scope)
        let (rows, window, _) = try await Queue(scope: scope, access: access, now: req.application.clock.now())
            .load(filter, calendar: calendar)
        return QueuePage(
            items: rows.map { row in
                QueueItem(
                    number: row.item.number, kind: row.item.kind.rawValue, category: row.category,
                    status: row.item.status.rawValue, channel: row.item.channel.rawValue,
                    created_at: LocalDates.iso(row.item.createdAt), unit: row.unit, assignee: row.assignee,
                    due_at: row.item.dueAt.map(LocalDates.iso), working_seconds_left: row.left.map { Int($0) },
                    overdue: row.overdue)
            }, page: window.page, pages: window.pages, total: window.total)
    }

    struct CaseView: Content {
        struct Message: Content {
            var direction, channel, body, at: String
            var author: String?
            /// A reply on a platform: how its sending went (`pending`, `sent`, `delivered`,
            /// `read`, `failed`), and the platform's words when it failed.
            var delivery: String?
            var delivery_error: String?
            /// The citizen's files that came with it.
            var files: [DeskFiles.Item]
        }
        struct Step: Content {
            var from: String?
            var to, note, at: String
            var actor: String?
        }
        var number, kind, category, status, privacy, channel, text, location, contact, created_at: String
        var unit_id, unit, assignee_id, assignee, due_at: String?
        var working_seconds_left: Int?
        var actions: [String]
        var messages: [Message]
        var history: [Step]
    }

    private func context(_ req: Request) async throws -> (CaseWork, WorkingCalendar, DeskCase) {
        let (access, settings) = try await DeskAccess.of(req)
        let scope = try req.tenantScope
        let item = try await access.requireCase(try req.parameter(CaseNumber.self), in: scope)
        return (
            CaseWork(scope: scope, now: req.application.clock.now(), access: access),
            try await DeskSetup.calendar(settings, scope), item
        )
    }

    /// A file a citizen sent, to an officer who sees the case.
    func file(req: Request) async throws -> Response {
        let (work, _, item) = try await context(req)
        return try await DeskFiles.serve(try await DeskFiles.find(req, of: item, in: work.scope), req)
    }

    private func view(_ item: DeskCase, _ work: CaseWork, _ calendar: WorkingCalendar) async throws -> CaseView {
        let v = try await OfficeView.load(item, work: work, calendar: calendar)
        let person = { (id: UUID?) in id.flatMap { v.names.people[$0] } }
        return CaseView(
            number: item.number, kind: item.kind.rawValue, category: v.names.categories[item.categoryID] ?? "",
            status: item.status.rawValue, privacy: item.privacy.rawValue, channel: item.channel.rawValue,
            text: item.text, location: item.location, contact: item.privacy == .anonymous ? "" : item.contactMasked,
            created_at: LocalDates.iso(item.createdAt), unit_id: item.unitID?.uuidString,
            unit: item.unitID.flatMap { v.names.units[$0] }, assignee_id: item.assigneeID?.uuidString,
            assignee: person(item.assigneeID), due_at: item.dueAt.map(LocalDates.iso),
            working_seconds_left: v.left.map { Int($0) }, actions: v.actions.map(\.rawValue),
            messages: v.messages.map {
                let sends = $0.id.flatMap { v.deliveries[$0] } ?? []
                let failed = sends.first { $0.state == .failed }
                return .init(
                    direction: $0.direction.rawValue, channel: $0.channel.rawValue, body: $0.body,
                    at: LocalDates.iso($0.createdAt), author: person($0.authorID),
                    delivery: failed?.state.rawValue
                        ?? sends.map(\.state).min { Outbox.rank($0) < Outbox.rank($1) }?
                        .rawValue, delivery_error: failed?.lastError,
                    files: ($0.id.flatMap { v.files[$0] } ?? []).map(DeskFiles.Item.init))
            },
            history: v.events.map {
                .init(
                    from: $0.from?.rawValue, to: $0.to.rawValue, note: $0.note, at: LocalDates.iso($0.at),
                    actor: person($0.actorID))
            })
    }

    private func answer(_ view: CaseView, _ req: Request, status: HTTPStatus = .ok) async throws -> Response {
        let response = try await view.encodeResponse(status: status, for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func show(req: Request) async throws -> Response {
        let (work, calendar, item) = try await context(req)
        return try await answer(try await view(item, work, calendar), req)
    }

    struct ActionInput: Decodable {
        var action: String?
        var unit_id: String?
        var note: String?
    }

    func act(req: Request) async throws -> Response {
        let (work, calendar, item) = try await context(req)
        let input = try req.content.decode(ActionInput.self)
        guard
            let action = try QueryValue.choice(input.action, field: "action", as: CaseAction.self, blankIsAbsent: false)
        else { throw InputError(field: "action", key: "desk.error.action_missing") }
        let unit = try QueryValue.id(input.unit_id, field: "unit_id", blankIsAbsent: false)
        let changed = try await work.take(action, on: item, unit: unit, note: input.note)
        return try await answer(try await view(changed, work, calendar), req)
    }

    struct MessageInput: Decodable {
        var body: String?
        var `internal`: Bool?
    }

    func write(req: Request) async throws -> Response {
        let (work, calendar, item) = try await context(req)
        let input = try req.content.decode(MessageInput.self)
        try await work.write(input.body, asNote: input.internal ?? false, on: item)
        return try await answer(try await view(item, work, calendar), req, status: .created)
    }

    struct AssigneeInput: Decodable {
        var person_id: String?
    }

    func assign(req: Request) async throws -> Response {
        let (work, calendar, item) = try await context(req)
        let input = try req.content.decode(AssigneeInput.self)
        let person = try QueryValue.id(input.person_id, field: "person_id", blankIsAbsent: false)
        try await work.assign(item, to: person)
        try await req.audit(
            "desk.assign", subject: item.number, detail: person?.uuidString ?? "", tenantID: try req.tenant.id)
        return try await answer(try await view(item, work, calendar), req)
    }

    struct MergeInput: Decodable {
        var into: String?
    }

    /// The case merged as a duplicate into `into`; answers the case kept.
    func merge(req: Request) async throws -> Response {
        let (work, calendar, item) = try await context(req)
        let input = try req.content.decode(MergeInput.self)
        let kept = try await work.merge(item, into: input.into, texts: .init(localizer: req.application.localizer))
        try await req.audit("desk.merge", subject: item.number, detail: kept.number, tenantID: try req.tenant.id)
        return try await answer(try await view(kept, work, calendar), req)
    }
}
