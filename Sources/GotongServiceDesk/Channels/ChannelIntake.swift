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
        let claim = claimer(message.id)
        do {
            if let number = Self.statusRequest(message.text) {
                try await answerStatus(number, to: message, claim: claim)
                return .answered
            }
            if let open = try await openCase(of: message.handle) {
                do {
                    try await CaseConversation(scope: scope, now: now).citizenWrites(
                        String(message.text.prefix(4000)), on: channel, to: try open.requireID(), claim: claim)
                    return .added(open.number)
                } catch is CaseConversation.CaseClosed {}
            }
            let item = try await Intake(scope: scope, now: now).open(message, channel: channel, claim: claim)
            return .opened(item.number)
        } catch is AlreadyTaken {
            return .repeated
        }
    }

    /// Records the message's id in the caller's transaction, or throws ``AlreadyTaken``. On
    /// PostgreSQL a second delivery of the same id at once waits on the first's row and then
    /// finds it.
    private func claimer(_ id: String) -> @Sendable (any Database) async throws -> Void {
        let (tenant, channel, now) = (scope.tenantID, channel, now)
        return { tx in
            let inserted = try await tx.sql.raw(
                """
                INSERT INTO \(ident: DeskInbound.schema) (id, tenant_id, channel, external_id, at) VALUES \
                (\(bind: UUID()), \(bind: tenant), \(bind: channel.rawValue), \(bind: id), \(bind: now)) \
                ON CONFLICT (tenant_id, channel, external_id) DO NOTHING RETURNING id
                """
            ).first()
            if inserted == nil { throw AlreadyTaken() }
        }
    }

    /// The contact's latest open case on this channel.
    func openCase(of handle: String) async throws -> DeskCase? {
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
