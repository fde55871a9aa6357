import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

extension Outbox {
    /// Why a send ended or waits: the platform's answer, or the reason it was not tried.
    enum Failure: Error {
        /// Another try may pass (the platform busy or down, or no answer).
        case passing(String)
        /// This message will not pass as it is (the platform refused it, or no channel).
        case final(String)
    }

    /// Sends one part (the job): marked as being sent first, then the platform called, then
    /// the answer recorded — the next part queued on success.
    static func send(_ due: Due, app: Application) async throws {
        guard let row = try await claim(due, app: app) else { return }
        let result: Result<String, Failure>
        do {
            result = .success(try await post(row, app: app))
        } catch let failure as Failure {
            result = .failure(failure)
        } catch {
            result = .failure(.passing(String(describing: error)))
        }
        try await record(result, of: due, app: app)
    }

    /// The part, marked as being sent, when it is to be sent now: pending, or left "being sent"
    /// longer than the lease (a server stopped mid-send). One being sent by another run is left
    /// to it, looked at again when its lease ends.
    private static func claim(_ due: Due, app: Application) async throws -> DeskOutbox? {
        let now = app.clock.now()
        return try await app.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: due.tenant, db: tx)
            guard let row = try await scope.locked(DeskOutbox.self, due.outbox) else { return nil }
            if row.state == .sending, row.updatedAt > now.addingTimeInterval(-sendingLease) {
                try await JobQueue.enqueue(job, due, on: tx, at: row.updatedAt.addingTimeInterval(sendingLease))
                return nil
            }
            guard row.state == .pending || row.state == .sending else { return nil }
            (row.state, row.attempts, row.updatedAt) = (.sending, row.attempts + 1, now)
            try await row.save(on: tx)
            return row
        }
    }

    private static func record(_ result: Result<String, Failure>, of due: Due, app: Application) async throws {
        let now = app.clock.now()
        try await app.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: due.tenant, db: tx)
            guard let row = try await scope.locked(DeskOutbox.self, due.outbox), row.state == .sending else { return }
            row.updatedAt = now
            switch result {
            case .success(let id):
                (row.state, row.externalID, row.lastError) = (.sent, id, "")
                // A contact is kept only while a message to them may be sent again.
                if row.caseID == nil { row.handle = "" }
                if let next = try await scope.query(DeskOutbox.self).filter(\.$batch == row.batch)
                    .filter(\.$part == row.part + 1).first()
                {
                    try await JobQueue.enqueue(
                        job, Due(tenant: due.tenant, outbox: try next.requireID()), on: tx, at: now)
                }
            case .failure(.passing(let why)) where row.attempts < maxAttempts:
                (row.state, row.lastError) = (.pending, why)
                try await JobQueue.enqueue(
                    job, due, on: tx, at: now.addingTimeInterval(30 * pow(2, Double(row.attempts - 1))))
            case .failure(.passing(let why)), .failure(.final(let why)):
                try await fail(row, why: why, in: scope, now: now)
            }
            try await row.save(on: tx)
        }
    }

    /// Ends a part as failed, with the parts after it (they wait for it to be sent again). A
    /// message to no case (an answer to "status …") cannot be sent again: its contact goes.
    private static func fail(_ row: DeskOutbox, why: String, in scope: TenantScope, now: Date) async throws {
        (row.state, row.lastError) = (.failed, String(why.prefix(300)))
        if row.caseID == nil, row.postID == nil { row.handle = "" }
        try await scope.query(DeskOutbox.self).filter(\.$batch == row.batch).filter(\.$part > row.part)
            .filter(\.$state == .pending).set(\.$state, to: .failed).set(\.$lastError, to: "")
            .set(\.$updatedAt, to: now).update()
    }

    /// The row sent by the platform's API: a post on the account's feed, or a message to a
    /// contact; the platform's id of it.
    private static func post(_ row: DeskOutbox, app: Application) async throws -> String {
        guard let adapter = ChannelAdapters.of(row.channel),
            let connected = try await TenantScope(tenantID: row.tenantID, db: app.db).query(DeskChannel.self)
                .filter(\.$channel == row.channel).first()
        else { throw Failure.final("channel not connected") }
        guard let keys = Channels.keys(of: connected, sealer: Sealer.of(app)) else {
            throw Failure.final("the channel's keys cannot be opened with the configured key")
        }
        let base = app.gotong.socialAPIBase ?? adapter.apiHost
        let client = app.client
        let call: @Sendable (SendRequest) async throws -> Data = { try await Self.call($0, client: client) }
        if row.postID != nil {
            if row.handle.isEmpty {
                return try await adapter.publish(
                    Publication(text: row.body, image: row.image), account: connected.account,
                    token: keys.accessToken, base: base, call: call)
            }
            // A contact who left the broadcast list since is sent nothing more.
            guard
                try await TenantScope(tenantID: row.tenantID, db: app.db).query(DeskSubscriber.self)
                    .filter(\.$channel == row.channel).filter(\.$handle == row.handle).count() > 0
            else { throw Failure.final("the contact left the broadcast list") }
            return adapter.sentID(
                try await call(
                    try adapter.broadcastRequest(
                        row.body, to: row.handle, account: connected.account, token: keys.accessToken, base: base)))
                ?? ""
        }
        guard !row.handle.isEmpty else { throw Failure.final("no contact (removed by retention)") }
        let request = try adapter.sendRequest(
            row.body, to: row.handle, comment: row.comment, account: connected.account, token: keys.accessToken,
            base: base)
        return adapter.sentID(try await call(request)) ?? ""
    }

    /// One request to a platform; its answer's body, or the refusal as a ``Failure`` (busy or
    /// down may pass another time; any other refusal will not).
    private static func call(_ request: SendRequest, client: any Client) async throws -> Data {
        let response = try await client.post(URI(string: request.url), headers: request.headers) { out in
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
        return body
    }

    /// A failed part sent again (an officer's "kirim ulang"), with the parts after it, from a
    /// fresh count of tries.
    static func retry(_ id: UUID, of item: DeskCase, db: any Database, now: Date) async throws {
        try await db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: item.tenantID, db: tx)
            guard let row = try await scope.locked(DeskOutbox.self, id), row.caseID == item.id else {
                throw Abort(.notFound)
            }
            guard row.state == .failed else { throw Abort(.conflict) }
            try await scope.query(DeskOutbox.self).filter(\.$batch == row.batch).filter(\.$part >= row.part)
                .filter(\.$state == .failed).set(\.$state, to: .pending).set(\.$attempts, to: 0)
                .set(\.$updatedAt, to: now).update()
            try await JobQueue.enqueue(job, Due(tenant: item.tenantID, outbox: id), on: tx, at: now)
        }
    }

    /// What a platform reported of messages sent (delivered, read, failed), by their ids: a
    /// report only moves a message on (a late "delivered" does not undo "read").
    static func apply(_ reports: [DeliveryReport], tenant: UUID, db: any Database, now: Date) async throws {
        guard !reports.isEmpty else { return }
        try await db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: tenant, db: tx)
            for report in reports where !report.id.isEmpty {
                guard let row = try await scope.query(DeskOutbox.self).filter(\.$externalID == report.id).first(),
                    row.state != .failed,
                    report.state == .failed || rank(report.state) > rank(row.state)
                else { continue }
                (row.state, row.updatedAt) = (report.state, now)
                if report.state == .failed { row.lastError = String(report.error.prefix(300)) }
                try await row.save(on: tx)
            }
        }
    }
}
