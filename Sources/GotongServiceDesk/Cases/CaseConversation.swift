import Fluent
import Foundation
import GotongPlatform
import GotongTenancy

/// Messages added to a case's conversation.
struct CaseConversation {
    let scope: TenantScope
    let now: Date

    /// The citizen writes again on their open case (a closed one takes no more).
    func citizenReplies(to item: DeskCase, body raw: String?) async throws {
        var p = ProblemList()
        let body = p.text(raw, "body", max: 4000, required: "desk.error.reply")
        if item.status.isClosed { p.add("body", "desk.error.closed") }
        try p.throwIfAny()
        try await scope.db.lockingTransaction { tx in
            let message = DeskMessage()
            (message.tenantID, message.caseID, message.direction, message.channel) =
                (scope.tenantID, try item.requireID(), .incoming, .web)
            (message.body, message.createdAt) = (body, now)
            try await message.create(on: tx)
            item.updatedAt = now
            try await item.save(on: tx)
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

    static func load(_ item: DeskCase, in scope: TenantScope) async throws -> CitizenView {
        let id = try item.requireID()
        let category = try await scope.find(DeskCategory.self, item.categoryID)?.name ?? ""
        let events = try await scope.query(DeskEvent.self).filter(\.$caseID == id).sort(\.$at).all()
        let messages = try await scope.query(DeskMessage.self).filter(\.$caseID == id)
            .filter(\.$direction != .note).sort(\.$createdAt).all()
        return CitizenView(item: item, category: category, events: events, messages: messages)
    }
}
