import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// Messages added to a case's conversation.
struct CaseConversation {
    let scope: TenantScope
    let now: Date

    /// The citizen writes again on their open case (a closed one takes no more), with words, a
    /// file (`attachment`, already stored), or both. A case that waited on them runs again: its
    /// clock restarts with the time that was left. `problems` of the form's file are told with
    /// the reply's own.
    func citizenReplies(
        to item: DeskCase, body raw: String?, attachment: DeskFiles.Stored? = nil,
        problems: [InputError.Problem] = []
    ) async throws {
        var p = ProblemList()
        let hasFile = attachment != nil || !problems.isEmpty
        let body = p.text(raw, "body", max: 4000, required: hasFile ? nil : "desk.error.reply")
        if item.status.isClosed { p.add("body", "desk.error.closed") }
        for problem in problems { p.add(problem.field, problem.key, problem.args) }
        try p.throwIfAny()
        do {
            try await citizenWrites(body, on: .web, to: try item.requireID(), attachment: attachment)
        } catch is CaseClosed {
            throw InputError(field: "body", key: "desk.error.closed")
        }
    }

    /// Closed between the look and the write: it takes no more messages.
    struct CaseClosed: Error {}

    /// The citizen's message on their open case, from any channel, in one transaction with the
    /// case's row held; `claim` runs first in it (a platform delivery's record). Throws
    /// ``CaseClosed`` (and writes nothing) if the case closed meanwhile.
    func citizenWrites(
        _ body: String, on channel: DeskCase.Channel, to id: UUID,
        claim: (@Sendable (any Database) async throws -> Void)? = nil, attachment: DeskFiles.Stored? = nil,
        media: String? = nil
    ) async throws {
        guard let settings = try await DeskSetup.settings(scope) else { throw Abort(.notFound) }
        let calendar = try await DeskSetup.calendar(settings, scope)
        try await scope.db.lockingTransaction { tx in
            try await claim?(tx)
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            guard let item = try await scope.locked(DeskCase.self, id) else { throw Abort(.notFound) }
            if item.status.isClosed { throw CaseClosed() }
            let message = try DeskMessage(on: item, .incoming, channel, body: body, at: now)
            message.id = UUID()
            try await message.create(on: tx)
            try await DeskFiles.attach(attachment, to: message, on: tx, now: now)
            try await ChannelMedia.queue(media, on: channel, for: message, db: tx, now: now)
            item.updatedAt = now
            if item.status == .menungguWarga, let back = item.pausedFrom {
                CaseWork.move(item, to: back, by: .resume, calendar: calendar, settings: settings, now: now)
                try await CaseWork.record(item, from: .menungguWarga, by: nil, note: "", now: now, on: tx)
                try await Escalation.schedule(item, on: tx)
            }
            try await item.save(on: tx)
            try await DeskNotices.citizenWrote(item, on: tx, now: now)
        }
    }
}

/// What a citizen sees of their case.
struct CitizenView {
    let item: DeskCase
    let category: String
    let events: [DeskEvent]
    /// The conversation without internal notes.
    let messages: [DeskMessage]
    /// The citizen's files, by message.
    let files: [UUID: [DeskAttachment]]

    static func load(_ item: DeskCase, in scope: TenantScope) async throws -> CitizenView {
        let id = try item.requireID()
        let category = try await scope.find(DeskCategory.self, item.categoryID)?.name ?? ""
        let events = try await scope.query(DeskEvent.self).filter(\.$caseID == id).sort(\.$at).all()
        let messages = try await scope.query(DeskMessage.self).filter(\.$caseID == id)
            .filter(\.$direction != .note).sort(\.$createdAt).all()
        return CitizenView(
            item: item, category: category, events: events, messages: messages,
            files: try await DeskFiles.of(item, in: scope))
    }
}
