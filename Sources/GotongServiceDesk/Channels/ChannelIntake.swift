import Crypto
import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// What a message from the desk's inbox (``DeskInbox``) does to a tenant's desk: taken once,
/// as a new case from a contact with none open, as a message on the open case of that contact,
/// or — "status ADU-2026-000123" — answered with that case's status when the contact is its
/// reporter. `now` is when the platform delivered it.
struct ChannelIntake {
    let scope: TenantScope
    let channel: DeskCase.Channel
    let now: Date
    let localizer: Localizer
    /// The public site's answerer (``ChannelAnswerer``), when a module registered one.
    var answerer: ChannelAnswerer.Answer? = nil
    /// The key contacts answered are remembered under (``DeskAnswered``).
    var contactKey: SymmetricKey? = nil

    enum Outcome: Equatable {
        case opened(String)
        case added(String)
        case answered
        case repeated
        case ignored
    }

    /// The message was taken by another intake: its transaction rolls back, nothing is written.
    struct AlreadyTaken: Error {}

    /// Whether a platform's message can be taken in: platform ids are digits (they go into the
    /// send API's address), message ids of a sane length. Others are not recorded.
    static func isUsable(_ message: Inbound) -> Bool {
        (1...32).contains(message.handle.utf8.count) && message.handle.utf8.allSatisfy({ (48...57).contains($0) })
            && (1...200).contains(message.id.utf8.count)
    }

    /// Takes the inbox's message `inbound` (whose content is `message`).
    func take(_ message: Inbound, from inbound: UUID) async throws -> Outcome {
        guard Self.isUsable(message) else {
            try await scope.db.lockingTransaction { tx in
                try await DeskInbox.claim(inbound, tenant: scope.tenantID, on: tx)
            }
            return .ignored
        }
        let text = String(message.text.prefix(Self.maxText))
        let claim = { (noneOpen: Bool) in self.claimer(message, inbound: inbound, noneOpen: noneOpen) }
        do {
            // "stop" in a case's conversation is for the officer, not the broadcast list.
            if channel == .whatsapp, let wish = Subscriptions.wish(message.text),
                try await Self.openCase(of: message.handle, on: channel, in: scope) == nil
            {
                try await subscribe(wish, message, claim: claim(false))
                return .answered
            }
            if let number = Self.statusRequest(message.text) {
                try await answerStatus(number, to: message, claim: claim(false))
                return .answered
            }
            if try await answered(message, claim: claim(true)) { return .answered }
            // The open case looked up first, then made sure of in the writing transaction with
            // the contact held: two messages of a new contact at once open one case, and the
            // second joins it (a round later).
            for _ in 0..<3 {
                if let open = try await Self.openCase(of: message.handle, on: channel, in: scope) {
                    do {
                        try await CaseConversation(scope: scope, now: now).citizenWrites(
                            text, on: channel, to: try open.requireID(), claim: claim(false), media: message.media)
                        return .added(open.number)
                    } catch is CaseConversation.CaseClosed {}
                }
                do {
                    let item = try await Intake(scope: scope, now: now).open(
                        message, channel: channel, claim: claim(true))
                    try? await noteAnswer(before: item, of: message.handle)
                    return .opened(item.number)
                } catch is FoundOpen {}
            }
            throw Abort(.conflict)
        } catch is AlreadyTaken {
            return .repeated
        }
    }

    /// A question from a contact with no open case, answered from the desk's site when the
    /// answerer is sure: the reply goes out and no case is opened. A question it is not sure
    /// of, a photo, or a contact answered in the last day goes on to the desk as before — but a
    /// mere "makasih" after an answer is taken without a case. An answerer that fails is as one
    /// not sure: the message still reaches the desk.
    private func answered(
        _ message: Inbound, claim: @escaping @Sendable (any Database) async throws -> Void
    ) async throws -> Bool {
        guard let answerer, let contactKey, message.media == nil,
            try await Self.openCase(of: message.handle, on: channel, in: scope) == nil
        else { return false }
        let contact = DeskAnswered.contact(message.handle, key: contactKey)
        if try await DeskAnswered.lately(contact, on: channel, in: scope, now: now) != nil {
            guard ChannelAnswerer.isThanks(message.text) else { return false }
            try await scope.db.lockingTransaction { tx in try await claim(tx) }
            return true
        }
        let question = String(message.text.prefix(500))
        guard ChannelAnswerer.isQuestion(message.text), let reply = (try? await answerer(scope, question)) ?? nil
        else { return false }
        do {
            try await scope.db.lockingTransaction { tx in
                try await claim(tx)
                // Again with the contact held: another process may have answered them a moment ago.
                let held = TenantScope(tenantID: scope.tenantID, db: tx)
                if try await DeskAnswered.lately(contact, on: channel, in: held, now: now) != nil { throw FoundOpen() }
                try await DeskAnswered.mark(
                    contact, on: channel, question: question, reply: reply, in: held, now: now)
                try await Outbox.queue(
                    reply, to: message.handle, comment: message.comment, on: channel, tenant: scope.tenantID,
                    item: nil, message: nil, db: tx, now: now)
            }
        } catch is FoundOpen {
            return false
        }
        return true
    }

    /// The exchange with the answerer that came before a case, as the case's first internal
    /// note: the officer reads what was asked and what the citizen was told.
    private func noteAnswer(before item: DeskCase, of handle: String) async throws {
        guard let contactKey else { return }
        let contact = DeskAnswered.contact(handle, key: contactKey)
        guard let earlier = try await DeskAnswered.lately(contact, on: channel, in: scope, now: now) else { return }
        let note = DeskMessage()
        (note.tenantID, note.caseID, note.direction, note.channel) = (
            scope.tenantID, try item.requireID(), .note, channel
        )
        note.body = localizer.text(
            "desk.channel.answered_before", .id, ["question": earlier.question, "reply": earlier.reply])
        note.createdAt = now
        try await scope.db.lockingTransaction { tx in try await note.create(on: tx) }
    }

    /// The contact has an open case after all (another delivery opened it a moment ago).
    struct FoundOpen: Error {}

    /// A message's text is kept up to this many characters.
    static let maxText = 4000

    /// The first statements of the message's transaction: it is claimed from the inbox (or
    /// ``AlreadyTaken``), the contact held until commit (PostgreSQL: an advisory lock on the
    /// tenant, channel and contact; SQLite has one writer at a time), and — opening a case —
    /// no open case of the contact (or ``FoundOpen``). On PostgreSQL a second delivery of the
    /// same id at once waits on the first's row and then finds it.
    private func claimer(
        _ message: Inbound, inbound: UUID, noneOpen: Bool
    ) -> @Sendable (any Database) async throws -> Void {
        let (tenant, channel, handle) = (scope.tenantID, channel, message.handle)
        return { tx in
            try await DeskInbox.claim(inbound, tenant: tenant, on: tx)
            if !tx.isSQLite {
                let key = Self.lockKey(tenant: tenant, channel: channel, handle: handle)
                try await tx.sql.raw("SELECT pg_advisory_xact_lock(\(bind: key))").run()
            }
            if noneOpen,
                try await Self.openCase(of: handle, on: channel, in: TenantScope(tenantID: tenant, db: tx)) != nil
            {
                throw FoundOpen()
            }
        }
    }

    /// A 64-bit key for the contact's advisory lock.
    static func lockKey(tenant: UUID, channel: DeskCase.Channel, handle: String) -> Int64 {
        let digest = SHA256.hash(data: Data("desk-contact:\(tenant.uuidString):\(channel.rawValue):\(handle)".utf8))
        return digest.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
    }

    /// The contact's latest open case on this channel.
    static func openCase(
        of handle: String, on channel: DeskCase.Channel, in scope: TenantScope
    ) async throws -> DeskCase? {
        let cases = try await scope.query(DeskReporter.self).filter(\.$handle == handle).all().map(\.caseID)
        guard !cases.isEmpty else { return nil }
        return try await scope.query(DeskCase.self).filter(\.$id ~~ cases).filter(\.$channel == channel)
            .filter(\.$status !~ [.selesai, .ditolak]).sort(\.$createdAt, .descending).first()
    }

    /// The case number of a "status ADU-2026-000123" message (any case, spaces around).
    static func statusRequest(_ text: String) -> CaseNumber? {
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.count == 2, words[0].lowercased() == "status" else { return nil }
        return CaseNumber(String(words[1]))
    }

    /// Answers with the case's status and deadline when the contact reported it on this
    /// channel; otherwise says no such case of theirs is known (whether it exists is not told).
    private func answerStatus(
        _ number: CaseNumber, to message: Inbound, claim: @escaping @Sendable (any Database) async throws -> Void
    ) async throws {
        let item = try await scope.query(DeskCase.self).filter(\.$number == number.description).first()
        var mine: DeskCase?
        if let item, item.channel == channel,
            try await scope.query(DeskReporter.self).filter(\.$caseID == item.requireID())
                .filter(\.$handle == message.handle).count() > 0
        {
            mine = item
        }
        let (text, caseID) = (answer(number, mine), mine?.id)
        try await scope.db.lockingTransaction { tx in
            try await claim(tx)
            try await Outbox.queue(
                text, to: message.handle, comment: message.comment, on: channel, tenant: scope.tenantID,
                item: caseID, message: nil, db: tx, now: now)
        }
    }

    /// Joins or leaves the broadcast list, and says so.
    private func subscribe(
        _ wish: Subscriptions.Wish, _ message: Inbound,
        claim: @escaping @Sendable (any Database) async throws -> Void
    ) async throws {
        try await scope.db.lockingTransaction { tx in
            try await claim(tx)
            let key = try await Subscriptions.apply(
                wish, of: message.handle, on: channel, in: TenantScope(tenantID: scope.tenantID, db: tx), now: now)
            try await Outbox.queue(
                localizer.text(key, .id), to: message.handle, comment: nil, on: channel, tenant: scope.tenantID,
                item: nil, message: nil, db: tx, now: now)
        }
    }

    private func answer(_ number: CaseNumber, _ item: DeskCase?) -> String {
        guard let item else {
            return localizer.text("desk.channel.status_unknown", .id, ["number": number.description])
        }
        let status = localizer.text("desk.status.\(item.status.rawValue)", .id)
        guard let due = item.dueAt else {
            return localizer.text("desk.channel.status", .id, ["number": item.number, "status": status])
        }
        return localizer.text(
            "desk.channel.status_due", .id,
            ["number": item.number, "status": status, "due": LocalDates.moment(due, .id)])
    }
}
