import Crypto
import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// What a platform's delivery does to a tenant's desk: each message taken once (by its id on
/// the platform), as a new case from a contact with none open, as a message on the open case
/// of that contact, or — "status ADU-2026-000123" — answered with that case's status when the
/// contact is its reporter.
struct ChannelIntake {
    let scope: TenantScope
    let channel: DeskCase.Channel
    let now: Date
    let localizer: Localizer

    enum Outcome: Equatable {
        case opened(String)
        case added(String)
        case answered
        case repeated
        case ignored
    }

    /// A delivery's message id seen before: its transaction rolls back, nothing is written.
    struct AlreadyTaken: Error {}

    func take(_ message: Inbound) async throws -> Outcome {
        // Platform ids are digits; they go into the send API's address.
        guard (1...32).contains(message.handle.utf8.count), message.handle.utf8.allSatisfy({ (48...57).contains($0) }),
            (1...200).contains(message.id.utf8.count)
        else { return .ignored }
        let text = String(message.text.prefix(4000))
        do {
            if let number = Self.statusRequest(message.text) {
                try await answerStatus(number, to: message, claim: claimer(message, noneOpen: false))
                return .answered
            }
            // The open case looked up first, then made sure of in the writing transaction with
            // the contact held: two messages of a new contact at once open one case, and the
            // second joins it (a round later).
            for _ in 0..<3 {
                if let open = try await Self.openCase(of: message.handle, on: channel, in: scope) {
                    do {
                        try await CaseConversation(scope: scope, now: now).citizenWrites(
                            text, on: channel, to: try open.requireID(), claim: claimer(message, noneOpen: false))
                        return .added(open.number)
                    } catch is CaseConversation.CaseClosed {}
                }
                do {
                    let item = try await Intake(scope: scope, now: now).open(
                        message, channel: channel, claim: claimer(message, noneOpen: true))
                    return .opened(item.number)
                } catch is FoundOpen {}
            }
            throw Abort(.conflict)
        } catch is AlreadyTaken {
            return .repeated
        }
    }

    /// The contact has an open case after all (another delivery opened it a moment ago).
    struct FoundOpen: Error {}

    /// The first statements of the message's transaction: its id recorded (or
    /// ``AlreadyTaken``), the contact held until commit (PostgreSQL: an advisory lock on the
    /// tenant, channel and contact; SQLite has one writer at a time), and — opening a case —
    /// no open case of the contact (or ``FoundOpen``). On PostgreSQL a second delivery of the
    /// same id at once waits on the first's row and then finds it.
    private func claimer(_ message: Inbound, noneOpen: Bool) -> @Sendable (any Database) async throws -> Void {
        let (tenant, channel, now) = (scope.tenantID, channel, now)
        let (id, handle) = (message.id, message.handle)
        return { tx in
            let inserted = try await tx.sql.raw(
                """
                INSERT INTO \(ident: DeskInbound.schema) (id, tenant_id, channel, external_id, at) VALUES \
                (\(bind: UUID()), \(bind: tenant), \(bind: channel.rawValue), \(bind: id), \(bind: now)) \
                ON CONFLICT (tenant_id, channel, external_id) DO NOTHING RETURNING id
                """
            ).first()
            if inserted == nil { throw AlreadyTaken() }
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
