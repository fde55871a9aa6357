import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// A case as officers see it, for the case page and the API alike: the whole conversation with
/// internal notes, the history with who made each step, what may be done next, and to whom it
/// may go. Never who reported an anonymous case (that is kept apart, ``DeskReporter``).
struct OfficeView: Sendable {
    let item: DeskCase
    let names: Names
    let messages: [DeskMessage]
    /// The citizen's files, by message.
    let files: [UUID: [DeskAttachment]]
    /// How each reply on a platform's channel was sent, by message (a long one in parts).
    let deliveries: [UUID: [DeskOutbox]]
    let events: [DeskEvent]
    /// The lifecycle's steps open from the case's status.
    let actions: [CaseAction]
    let units: [DeskUnit]
    let assignees: [UUID]
    /// The tenant's quick replies, by title.
    let templates: [DeskTemplate]
    /// Working seconds to the stage's deadline (negative: overdue), and whether it is past.
    let left: TimeInterval?
    let overdue: Bool

    static func load(
        _ item: DeskCase, work: CaseWork, calendar: WorkingCalendar
    ) async throws -> OfficeView {
        let scope = work.scope
        let id = try item.requireID()
        let messages = try await scope.query(DeskMessage.self).filter(\.$caseID == id).sort(\.$createdAt).all()
        let events = try await scope.query(DeskEvent.self).filter(\.$caseID == id).sort(\.$at).all()
        let assignees = try await work.assignees(of: item)
        let names = try await Names.load(
            for: [item], in: scope,
            people: assignees + messages.compactMap(\.authorID) + events.compactMap(\.actorID))
        let sends = item.channel == .web ? [] : try await scope.query(DeskOutbox.self).filter(\.$caseID == id).all()
        return OfficeView(
            item: item, names: names, messages: messages, files: try await DeskFiles.of(item, in: scope),
            deliveries: Dictionary(grouping: sends.filter { $0.messageID != nil }) { $0.messageID! }, events: events,
            actions: CaseAction.allCases.filter {
                Lifecycle.next($0, from: item.status, pausedFrom: item.pausedFrom) != nil
            },
            units: names.unitList, assignees: assignees,
            templates: try await scope.query(DeskTemplate.self).sort(\.$title).all(),
            left: item.dueAt.map { calendar.workingSeconds(from: work.now, to: $0) },
            overdue: item.dueAt.map { $0 < work.now } ?? false)
    }
}
