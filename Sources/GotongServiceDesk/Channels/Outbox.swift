import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// Messages to citizens on a platform, sent from an outbox: written in the transaction that
/// made them (a reply is never lost, nor sent for a change that rolled back), then sent by the
/// job `desk.send` with the platform's send API. A refusal that may pass (the platform busy or
/// down, 429, 5xx, no answer) is tried again after 30 s, 1, 2, 4 and 8 minutes; a refusal of
/// the message itself (another 4xx), a channel no longer connected, or the sixth failure ends
/// it as failed — shown on the case, where an officer can send it again.
enum Outbox {
    static let job = "desk.send"
    static let maxAttempts = 6

    struct Due: Codable, Sendable {
        var tenant: UUID
        var outbox: UUID
    }

    static func register(_ jobs: JobHandlers) {
        jobs.register(job, as: Due.self) { due, app in try await send(due, app: app) }
    }

    /// Puts `text` in the outbox for `handle` on `channel` (in parts when longer than the
    /// platform takes), in the caller's transaction.
    static func queue(
        _ text: String, to handle: String, comment: String?, on channel: DeskCase.Channel, tenant: UUID,
        item: UUID?, message: UUID?, db: any Database, now: Date
    ) async throws {
        guard let adapter = ChannelAdapters.of(channel), !handle.isEmpty else { return }
        for part in parts(text, max: adapter.maxText) {
            let row = DeskOutbox()
            row.id = UUID()
            (row.tenantID, row.channel, row.caseID, row.messageID) = (tenant, channel, item, message)
            (row.handle, row.comment, row.body, row.state) = (handle, comment, part, .pending)
            (row.attempts, row.lastError, row.externalID, row.createdAt, row.updatedAt) = (0, "", "", now, now)
            try await row.create(on: db)
            try await JobQueue.enqueue(job, Due(tenant: tenant, outbox: row.id!), on: db, at: now)
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

    /// Text cut into parts of at most `max` characters, at a space or line break when one is
    /// near the end.
    static func parts(_ text: String, max: Int) -> [String] {
        var rest = Substring(text)
        var parts: [String] = []
        while rest.count > max {
            let window = rest.prefix(max)
            let cut =
                window.lastIndex(where: { $0 == " " || $0 == "\n" }).flatMap { index in
                    rest.distance(from: rest.startIndex, to: index) > max / 2 ? index : nil
                } ?? window.endIndex
            parts.append(String(rest[..<cut]).trimmingCharacters(in: .whitespacesAndNewlines))
            rest = rest[cut...].drop(while: { $0 == " " || $0 == "\n" })
        }
        let last = rest.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty || parts.isEmpty { parts.append(last) }
        return parts
    }
}

extension Outbox {
    /// Why a send ended or waits: the platform's answer, or the reason it was not tried.
    enum Failure: Error {
        /// Another try may pass (the platform busy or down, or no answer).
        case passing(String)
        /// This message will not pass as it is (the platform refused it, or no channel).
        case final(String)
    }

    /// Sends one outbox message (the job). A message no longer pending (sent, or failed and
    /// not yet sent again) is left alone, so a job run twice sends once.
    static func send(_ due: Due, app: Application) async throws {
        let scope = TenantScope(tenantID: due.tenant, db: app.db)
        guard let row = try await scope.find(DeskOutbox.self, due.outbox), row.state == .pending else { return }
        let result: Result<String, Failure>
        do {
            result = .success(try await post(row, app: app))
        } catch let failure as Failure {
            result = .failure(failure)
        } catch {
            result = .failure(.passing(String(describing: error)))
        }
        let now = app.clock.now()
        try await app.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: due.tenant, db: tx)
            guard let row = try await scope.locked(DeskOutbox.self, due.outbox), row.state == .pending else { return }
            row.attempts += 1
            row.updatedAt = now
            switch result {
            case .success(let id):
                (row.state, row.externalID, row.lastError, row.handle) = (.sent, id, "", "")
            case .failure(.final(let why)):
                (row.state, row.lastError) = (.failed, why)
            case .failure(.passing(let why)):
                row.lastError = why
                if row.attempts >= maxAttempts {
                    row.state = .failed
                } else {
                    try await JobQueue.enqueue(
                        job, due, on: tx, at: now.addingTimeInterval(30 * pow(2, Double(row.attempts - 1))))
                }
            }
            try await row.save(on: tx)
        }
    }

    /// The platform's send request for the row, made; the platform's id of the message.
    private static func post(_ row: DeskOutbox, app: Application) async throws -> String {
        guard let adapter = ChannelAdapters.of(row.channel),
            let connected = try await TenantScope(tenantID: row.tenantID, db: app.db).query(DeskChannel.self)
                .filter(\.$channel == row.channel).first()
        else { throw Failure.final("channel not connected") }
        guard let sealer = Sealer.of(app),
            let keys = try? sealer.open(
                ChannelCredentials.self, connected.sealed,
                context: DeskChannel.sealingContext(tenant: row.tenantID, row.channel))
        else { throw Failure.final("the channel's keys cannot be opened with the configured key") }
        guard !row.handle.isEmpty else { throw Failure.final("no contact (removed by retention)") }
        let request = try adapter.sendRequest(
            row.body, to: row.handle, comment: row.comment, account: connected.account, token: keys.accessToken,
            base: app.gotong.socialAPIBase ?? adapter.apiHost)
        let response = try await app.client.post(URI(string: request.url), headers: request.headers) { out in
            out.body = ByteBuffer(data: request.body)
            out.timeout = .seconds(20)
        }
        let body = response.body.map { Data(buffer: $0) } ?? Data()
        let code = response.status.code
        guard (200..<300).contains(code) else {
            let said = String(decoding: body.prefix(300), as: UTF8.self)
            let why = "HTTP \(code): \(said)"
            throw code == 408 || code == 429 || code >= 500 ? Failure.passing(why) : Failure.final(why)
        }
        return adapter.sentID(body) ?? ""
    }

    /// A failed message sent again (an officer's "kirim ulang"), from a fresh count of tries.
    static func retry(_ id: UUID, of item: DeskCase, db: any Database, now: Date) async throws {
        try await db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: item.tenantID, db: tx)
            guard let row = try await scope.locked(DeskOutbox.self, id), row.caseID == item.id else {
                throw Abort(.notFound)
            }
            guard row.state == .failed else { throw Abort(.conflict) }
            (row.state, row.attempts, row.updatedAt) = (.pending, 0, now)
            try await row.save(on: tx)
            try await JobQueue.enqueue(job, Due(tenant: item.tenantID, outbox: id), on: tx, at: now)
        }
    }

    /// How far a send has gone, failed first: a reply in parts is as far as its least part.
    static func rank(_ state: DeskOutbox.State) -> Int {
        [DeskOutbox.State.failed, .pending, .sent, .delivered, .read].firstIndex(of: state) ?? 0
    }

    /// What a platform reported of messages sent (delivered, read, failed), by their ids.
    static func apply(_ reports: [DeliveryReport], tenant: UUID, db: any Database, now: Date) async throws {
        guard !reports.isEmpty else { return }
        let order: [DeskOutbox.State] = [.pending, .sent, .delivered, .read]
        try await db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: tenant, db: tx)
            for report in reports where !report.id.isEmpty {
                guard let row = try await scope.query(DeskOutbox.self).filter(\.$externalID == report.id).first()
                else { continue }
                // Reports may come out of order: read is not undone by a late "delivered".
                let later =
                    report.state == .failed
                    || (order.firstIndex(of: report.state) ?? 0) > (order.firstIndex(of: row.state) ?? 0)
                guard later, row.state != .failed else { continue }
                (row.state, row.updatedAt) = (report.state, now)
                if report.state == .failed { row.lastError = String(report.error.prefix(300)) }
                try await row.save(on: tx)
            }
        }
    }
}
