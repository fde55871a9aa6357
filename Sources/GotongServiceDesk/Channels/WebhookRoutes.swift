import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The platforms' webhooks, `/hooks/{channel}/{slug}`: the set-up handshake (GET) and the
/// deliveries (POST), each checked by its signature with the tenant's app secret before a byte
/// of it is read. A tenant whose desk is off or which has not connected the channel has no
/// webhook (404).
package struct WebhookRoutes: RouteCollection {
    package init() {}

    /// Platforms deliver in batches (Meta up to a thousand changes); far under this.
    static let maxDelivery: ByteCount = "1mb"

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(DeskAPIRoute.hook(.key, .key), use: handshake)
        tenant.collecting(.POST, DeskAPIRoute.hook(.key, .key), upTo: Self.maxDelivery, use: deliver)
    }

    struct Connected: Sendable {
        let adapter: any ChannelAdapter
        let account: String
        let keys: ChannelCredentials
    }

    /// The channel as the tenant connected it, its keys opened (kept a moment:
    /// ``ConnectedChannels``); 404 when the desk is off or the channel not connected.
    static func connected(_ req: Request) async throws -> Connected {
        let channel = try req.parameter(HookChannel.self).channel
        let scope = try req.tenantScope
        let key = ConnectedChannels.Key(tenant: scope.tenantID, channel: channel)
        let found = try await req.application.connectedChannels.connected(key, now: req.application.clock.now()) {
            try await look(channel, in: scope, req)
        }
        guard let found else { throw Abort(.notFound) }
        return found
    }

    private static func look(
        _ channel: DeskCase.Channel, in scope: TenantScope, _ req: Request
    ) async throws
        -> Connected?
    {
        guard try await DeskSetup.settings(scope) != nil, let adapter = ChannelAdapters.of(channel),
            let row = try await scope.query(DeskChannel.self).filter(\.$channel == channel).first()
        else { return nil }
        guard let keys = Channels.keys(of: row, sealer: Sealer.of(req.application)) else {
            req.logger.error("desk: the \(channel.rawValue) keys of a tenant cannot be opened (GOTONG_CREDENTIALS_KEY)")
            throw Abort(.serviceUnavailable)
        }
        return Connected(adapter: adapter, account: row.account, keys: keys)
    }

    func handshake(req: Request) async throws -> Response {
        let connected = try await Self.connected(req)
        var query: [String: String] = [:]
        for item in URLComponents(string: req.url.string)?.queryItems ?? [] where query[item.name] == nil {
            query[item.name] = item.value ?? ""
        }
        switch connected.adapter.handshake(query, credentials: connected.keys) {
        case .text(let text):
            return Self.plain(text, type: .plainText)
        case .json(let json):
            return Self.plain(json, type: .json)
        case .refused:
            throw Abort(.forbidden)
        }
    }

    /// What the webhook did with a delivery: messages recorded for the intake, retries of
    /// messages already in the inbox, messages it cannot take (no platform id of a person), and
    /// reports on sent replies applied.
    struct Taken: Content {
        var received: Int
        var repeated: Int
        var ignored: Int
        var reports: Int
    }

    /// Checks and records a delivery and answers at once; the intake makes cases of it
    /// (``DeskInbox``).
    func deliver(req: Request) async throws -> Taken {
        let connected = try await Self.connected(req)
        // The platforms send JSON; anything else is no delivery of theirs.
        guard req.headers.contentType?.type == "application", req.headers.contentType?.subType == "json" else {
            throw Abort(.unsupportedMediaType)
        }
        let body = req.body.data.map { Data(buffer: $0) } ?? Data()
        guard connected.adapter.isSigned(body, headers: req.headers, secret: connected.keys.appSecret) else {
            throw Abort(.unauthorized)
        }
        let delivery: Delivery
        do {
            delivery = try connected.adapter.read(body, account: connected.account)
        } catch {
            throw InputError(field: "body", key: "desk.error.delivery")
        }
        let (now, scope) = (req.application.clock.now(), try req.tenantScope)
        let usable = delivery.messages.filter(ChannelIntake.isUsable)
        let recorded = try await DeskInbox.record(usable, on: connected.adapter.channel, in: scope, now: now)
        if !delivery.reports.isEmpty {
            try await Outbox.apply(delivery.reports, tenant: scope.tenantID, db: req.db, now: now)
        }
        if recorded.received > 0 { req.application.jobs.kick() }
        return Taken(
            received: recorded.received, repeated: recorded.repeated,
            ignored: delivery.messages.count - usable.count, reports: delivery.reports.count)
    }

    private static func plain(_ text: String, type: HTTPMediaType) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = type
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
