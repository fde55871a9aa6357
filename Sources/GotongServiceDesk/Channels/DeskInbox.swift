import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// The desk's inbox of platform messages. A platform waits for the webhook's answer and sends
/// again when it is slow (Meta after 20 s, batches of up to a thousand changes): so the webhook
/// only records each signed message, once by its platform id, in one statement, and answers.
/// The intake — a sweep of the job worker, kicked by the webhook — then makes each into a case
/// or a message on its contact's open case (``ChannelIntake``), in arrival order, and empties
/// its content; the id stays for the retries to come. A message whose intake fails is tried
/// again in the next rounds and marked failed after ``maxAttempts``.
enum DeskInbox {
    static let sweep = "desk.intake"
    static let maxAttempts = 5
    /// Twelve binds a message: far under both databases' limits.
    static let rowsPerStatement = 400
    /// A round takes at most this many messages (about a second's work), from the tenants
    /// whose oldest message waits longest, at most ``perTenant`` of each: a busy tenant does
    /// not hold the others up, and the worker's jobs wait a round at most.
    static let perRound = 200
    static let perTenant = 50
    /// A delivery's messages are this far apart in `at`, which orders the intake: a thousand
    /// messages of one delivery span ten milliseconds.
    static let step: TimeInterval = 0.000_01

    static func register(_ jobs: JobHandlers) {
        jobs.registerSweep(sweep) { app in try await drain(app).taken }
    }

    struct Recorded: Equatable {
        var received = 0
        var repeated = 0
    }

    /// Records `messages` of one delivery as waiting, each once (a message id already in the
    /// inbox is a retry). Messages of one delivery keep its order, ``step`` apart.
    static func record(
        _ messages: [Inbound], on channel: DeskCase.Channel, in scope: TenantScope, now: Date
    ) async throws -> Recorded {
        var seen = Set<String>()
        let unique = messages.filter { seen.insert($0.id).inserted }
        var recorded = Recorded(received: 0, repeated: messages.count - unique.count)
        let columns: SQLQueryString =
            "id, tenant_id, channel, external_id, at, state, attempts, handle, name, body, comment, media"
        for start in stride(from: 0, to: unique.count, by: rowsPerStatement) {
            let chunk = unique[start..<min(unique.count, start + rowsPerStatement)]
            let values: [SQLQueryString] = chunk.enumerated().map { index, message in
                let at = now.addingTimeInterval(Double(start + index) * step)
                return """
                    (\(bind: UUID()), \(bind: scope.tenantID), \(bind: channel.rawValue), \(bind: message.id), \
                    \(bind: at), \(bind: DeskInbound.State.waiting.rawValue), \(bind: 0), \(bind: message.handle), \
                    \(bind: message.name), \(bind: message.text), \(bind: message.comment), \
                    \(bind: message.media ?? ""))
                    """
            }
            let inserted = try await scope.db.sql.raw(
                """
                INSERT INTO \(ident: DeskInbound.schema) (\(columns)) VALUES \(values.joined(separator: ", ")) \
                ON CONFLICT (tenant_id, channel, external_id) DO NOTHING RETURNING id
                """
            ).all()
            recorded.received += inserted.count
            recorded.repeated += chunk.count - inserted.count
        }
        return recorded
    }

    /// What a round of the intake did.
    struct Tally: Equatable, Sendable {
        var opened = 0
        var added = 0
        var answered = 0
        /// Taken by another process's intake meanwhile.
        var repeated = 0
        var ignored = 0
        var failed = 0

        var taken: Int { opened + added + answered + repeated + ignored }

        mutating func count(_ outcome: ChannelIntake.Outcome) {
            switch outcome {
            case .opened: opened += 1
            case .added: added += 1
            case .answered: answered += 1
            case .repeated: repeated += 1
            case .ignored: ignored += 1
            }
        }
    }

    /// One round (see ``perRound``). Which tenants have messages waiting, oldest first, is the
    /// only look across tenants; each tenant's messages are read and taken through its scope,
    /// in arrival order. When a message fails, the rest of its contact's wait for the next
    /// round, so that a contact's messages are never taken out of order.
    static func drain(_ app: Application) async throws -> Tally {
        let waiting = SQLBind(DeskInbound.State.waiting.rawValue)
        let tenants = try await app.db.sql.raw(
            """
            SELECT tenant_id FROM \(ident: DeskInbound.schema) WHERE state = \(waiting) \
            GROUP BY tenant_id ORDER BY min(at) LIMIT \(unsafeRaw: String(perRound / perTenant))
            """
        ).all().map { try $0.decode(column: "tenant_id", as: UUID.self) }
        var tally = Tally()
        let answerer = app.channelAnswerer.registered
        let contactKey =
            tenants.isEmpty || answerer == nil ? nil : try await app.secretKeys.key("desk.answered", on: app.db)
        for tenant in tenants {
            let scope = TenantScope(tenantID: tenant, db: app.db)
            let rows = try await scope.query(DeskInbound.self).filter(\.$state == .waiting)
                .sort(\.$at).limit(perTenant).all()
            var held = Set<String>()
            for row in rows where !held.contains(row.channel.rawValue + ":" + row.handle) {
                do {
                    // The desk's time of taking it: a message that waited (a backlog, a retry)
                    // moves its case on now, not at an hour the case has since left behind.
                    let intake = ChannelIntake(
                        scope: scope, channel: row.channel, now: max(row.at, app.clock.now()),
                        localizer: app.localizer, answerer: answerer, contactKey: contactKey)
                    tally.count(try await intake.take(row.inbound, from: try row.requireID()))
                } catch {
                    tally.failed += 1
                    held.insert(row.channel.rawValue + ":" + row.handle)
                    try await failed(row, scope, error, app)
                }
            }
        }
        if tally.answered + tally.added + tally.opened > 0 { app.jobs.kick() }
        return tally
    }

    /// Counts a failed try in the row itself (another process may be counting too); the last
    /// one marks the message failed, its content kept for the channels page.
    private static func failed(
        _ row: DeskInbound, _ scope: TenantScope, _ error: any Error, _ app: Application
    )
        async throws
    {
        let why = String(describing: error)
        app.logger.error("desk: intake of a \(row.channel.rawValue) message failed (try \(row.attempts + 1)): \(why)")
        let (waiting, failed) = (DeskInbound.State.waiting.rawValue, DeskInbound.State.failed.rawValue)
        try await scope.db.sql.raw(
            """
            UPDATE \(ident: DeskInbound.schema) SET attempts = attempts + 1, \
            state = CASE WHEN attempts + 1 >= \(bind: maxAttempts) THEN \(bind: failed) ELSE state END \
            WHERE tenant_id = \(bind: scope.tenantID) AND id = \(bind: try row.requireID()) AND state = \(bind: waiting)
            """
        ).run()
    }

    /// The first statement of a message's intake transaction: the message marked taken and its
    /// content emptied, or ``ChannelIntake/AlreadyTaken`` when another intake took it first (on
    /// PostgreSQL a second one waits on the row and then finds it taken).
    static func claim(_ inbound: UUID, tenant: UUID, on tx: any Database) async throws {
        let taken = try await tx.sql.raw(
            """
            UPDATE \(ident: DeskInbound.schema) SET state = \(bind: DeskInbound.State.taken.rawValue), \
            handle = '', name = '', body = '', comment = NULL, media = '' \
            WHERE tenant_id = \(bind: tenant) AND id = \(bind: inbound) \
            AND state = \(bind: DeskInbound.State.waiting.rawValue) RETURNING id
            """
        ).first()
        if taken == nil { throw ChannelIntake.AlreadyTaken() }
    }

    /// The tenant's messages not yet taken and those failed, by channel (the channels page).
    static func unsettled(_ scope: TenantScope) async throws -> [DeskCase.Channel: [DeskInbound.State: Int]] {
        let states = [DeskInbound.State.waiting, .failed].map { SQLBind($0.rawValue) }
        var counts: [DeskCase.Channel: [DeskInbound.State: Int]] = [:]
        for row in try await scope.groups(
            DeskInbound.self, by: ["channel", "state"], where: { $0.where("state", .in, SQLGroupExpression(states)) })
        {
            guard let channel = DeskCase.Channel(rawValue: try row.decode(column: "channel", as: String.self)),
                let state = DeskInbound.State(rawValue: try row.decode(column: "state", as: String.self))
            else { continue }
            counts[channel, default: [:]][state] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// Puts the channel's failed messages back in the inbox with their tries reset; how many.
    static func retryFailed(on channel: DeskCase.Channel, in scope: TenantScope) async throws -> Int {
        let failed = try await scope.query(DeskInbound.self).filter(\.$channel == channel)
            .filter(\.$state == .failed).count()
        guard failed > 0 else { return 0 }
        try await scope.query(DeskInbound.self).filter(\.$channel == channel).filter(\.$state == .failed)
            .set(\.$state, to: .waiting).set(\.$attempts, to: 0).update()
        return failed
    }
}
