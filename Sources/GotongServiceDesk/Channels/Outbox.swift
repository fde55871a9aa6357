import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// Messages to citizens on a platform, sent from an outbox: written in the transaction that
/// made them (a reply is never lost, nor sent for a change that rolled back), then sent by the
/// job `desk.send` with the platform's send API.
///
/// A message longer than the platform takes goes in parts, one after another: a part is
/// queued only when the one before it was taken, so the citizen reads them in order. A refusal
/// that may pass (the platform busy or down, 429, 5xx, no answer) is tried again after 30 s, 1,
/// 2, 4 and 8 minutes; a refusal of the message itself (another 4xx), a channel no longer
/// connected, or the sixth failure ends it as failed (with the parts after it) — shown on the
/// case, where an officer can send it again. A part is marked as being sent before the
/// platform is called, so a job that runs again after the call (its result not recorded)
/// does not send it twice; one left "being sent" by a stopped server is sent again after
/// ``sendingLease``.
public enum Outbox {
    static let job = "desk.send"
    static let maxAttempts = 6
    static let sendingLease: TimeInterval = 300

    struct Due: Codable, Sendable {
        var tenant: UUID
        var outbox: UUID
    }

    static func register(_ jobs: JobHandlers) {
        jobs.register(job, as: Due.self) { due, app in try await send(due, app: app) }
    }

    /// Puts `text` in the outbox for `handle` on `channel`, in parts when longer than the
    /// platform takes (a public comment is answered by its first part only), in the caller's
    /// transaction; the first part is queued.
    static func queue(
        _ text: String, to handle: String, comment: String?, on channel: DeskCase.Channel, tenant: UUID,
        item: UUID?, message: UUID?, db: any Database, now: Date
    ) async throws {
        guard let adapter = ChannelAdapters.of(channel), !handle.isEmpty else { return }
        let batch = UUID()
        for (index, part) in parts(text, max: adapter.maxText, bytes: adapter.countsBytes).enumerated() {
            let row = DeskOutbox()
            row.id = UUID()
            (row.tenantID, row.channel, row.caseID, row.messageID) = (tenant, channel, item, message)
            (row.batch, row.part, row.handle, row.comment) = (batch, index, handle, index == 0 ? comment : nil)
            (row.body, row.state, row.attempts, row.lastError, row.externalID) = (part, .pending, 0, "", "")
            (row.createdAt, row.updatedAt) = (now, now)
            try await row.create(on: db)
            if index == 0 { try await JobQueue.enqueue(job, Due(tenant: tenant, outbox: row.id!), on: db, at: now) }
        }
    }

    /// An officer's reply on its case's channel, to the case's reporter (the platform's id of
    /// them is read here only, never shown). A case that began as a public comment has its first
    /// answer sent privately by the comment (the platform takes one such); the rest by the id.
    static func reply(_ message: DeskMessage, on item: DeskCase, db: any Database, now: Date) async throws {
        guard ChannelAdapters.of(item.channel) != nil else { return }
        let scope = TenantScope(tenantID: item.tenantID, db: db)
        let id = try item.requireID()
        guard let reporter = try await scope.query(DeskReporter.self).filter(\.$caseID == id).first() else { return }
        var comment = reporter.comment
        if comment != nil, try await scope.query(DeskOutbox.self).filter(\.$caseID == id).count() > 0 { comment = nil }
        try await queue(
            message.body, to: reporter.handle, comment: comment, on: item.channel, tenant: item.tenantID, item: id,
            message: try message.requireID(), db: db, now: now)
    }

    /// Text cut into parts of at most `max` characters (UTF-8 bytes when `bytes`: Instagram
    /// counts those), at a space or line break when one is in the second half of the part.
    static func parts(_ text: String, max: Int, bytes: Bool = false) -> [String] {
        let size: (Substring) -> Int = bytes ? { $0.utf8.count } : { $0.count }
        var rest = Substring(text)
        var parts: [String] = []
        while size(rest) > max {
            var end = rest.startIndex
            var used = 0
            while end < rest.endIndex {
                let next = rest.index(after: end)
                let width = size(rest[end..<next])
                if used + width > max { break }
                (used, end) = (used + width, next)
            }
            if end == rest.startIndex { end = rest.index(after: end) }
            let window = rest[..<end]
            let cut =
                window.lastIndex(where: { $0 == " " || $0 == "\n" }).flatMap { index in
                    size(rest[..<index]) > max / 2 ? index : nil
                } ?? end
            parts.append(String(rest[..<cut]).trimmingCharacters(in: .whitespacesAndNewlines))
            rest = rest[cut...].drop(while: { $0 == " " || $0 == "\n" })
        }
        let last = rest.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty || parts.isEmpty { parts.append(last) }
        return parts
    }

    /// How far a send has gone, failed first: a reply in parts is as far as its least part.
    static func rank(_ state: DeskOutbox.State) -> Int {
        [DeskOutbox.State.failed, .pending, .sending, .sent, .delivered, .read].firstIndex(of: state) ?? 0
    }
}
