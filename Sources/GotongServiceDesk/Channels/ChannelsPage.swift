import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// The tenant's social channels (`/t/{slug}/kelola/layanan/kanal`, administrators): each
/// platform's webhook address, its state, the messages waiting in the inbox or whose intake
/// failed (tried again by a button), the form that connects it with the account's keys (never
/// shown again), and the button that disconnects it. Audited.
package struct ChannelsPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(DeskRoute.channels(.key), use: show)
        tenant.post(DeskRoute.channels(.key), use: connect)
        tenant.post(DeskRoute.channelsRemove(.key), use: disconnect)
        tenant.post(DeskRoute.channelsRetry(.key), use: retry)
    }

    private func scope(_ req: Request) async throws -> TenantScope {
        try await DeskSetup.administered(req, by: [.admin])
    }

    func show(req: Request) async throws -> Response {
        try await render(req, try await scope(req), errors: [:], tried: nil)
    }

    private func render(
        _ req: Request, _ scope: TenantScope, errors: [String: String], tried: DeskCase.Channel?,
        values: [String: String] = [:], status: HTTPStatus = .ok
    ) async throws -> Response {
        let slug = try req.tenant.routeSlug
        let sealer = Sealer.of(req.application)
        let rows = try await scope.query(DeskChannel.self).all()
        let inbox = try await DeskInbox.unsettled(scope)
        let channels = ChannelAdapters.social.map { channel in
            let row = rows.first { $0.channel == channel }
            return ChannelsModel.Channel(
                channel: channel,
                hook: req.application.gotong.baseURL + DeskAPIRoute.hook(.value(HookChannel(channel)), slug).path,
                connectedAt: row?.connectedAt, account: row?.account,
                verifyToken: row.flatMap { Channels.verifyToken($0, sealer: sealer) },
                waiting: inbox[channel]?[.waiting] ?? 0, failed: inbox[channel]?[.failed] ?? 0)
        }
        let model = ChannelsModel(
            slug: slug, channels: channels, hasKey: sealer != nil, errors: errors, tried: tried, values: values)
        return try await req.render(model, title: "desk.channels.title", tenant: try req.tenant, status: status)
    }

    struct ConnectForm: Content {
        var channel, account, app_secret, access_token: String?
    }

    func connect(req: Request) async throws -> Response {
        let scope = try await scope(req)
        let form = try req.content.decode(ConnectForm.self)
        guard let channel = form.channel.flatMap(HookChannel.init(pathSegment:))?.channel else {
            throw InputError(field: "channel", key: "desk.error.channel")
        }
        do {
            try await Channels.connect(
                channel, .init(account: form.account, appSecret: form.app_secret, accessToken: form.access_token),
                in: scope, sealer: Sealer.of(req.application), now: req.application.clock.now())
        } catch let error as InputError {
            return try await render(
                req, scope, errors: error.messages(req), tried: channel, values: ["account": form.account ?? ""],
                status: error.status)
        }
        req.application.connectedChannels.forget(scope.tenantID)
        try await req.audit("desk.channel.connect", subject: channel.rawValue, tenantID: scope.tenantID)
        req.flash(.success, "desk.channels.connected")
        return req.seeOther(DeskRoute.channels(try req.tenant.routeSlug).path)
    }

    struct RemoveForm: Content { var channel: String? }

    /// The channel's failed messages go back to the inbox, to be taken by the next round.
    func retry(req: Request) async throws -> Response {
        let scope = try await scope(req)
        guard
            let channel = try req.content.decode(RemoveForm.self).channel.flatMap(HookChannel.init(pathSegment:))?
                .channel
        else { throw InputError(field: "channel", key: "desk.error.channel") }
        let count = try await DeskInbox.retryFailed(on: channel, in: scope)
        guard count > 0 else { throw Abort(.notFound) }
        try await req.audit("desk.channel.retry", subject: channel.rawValue, tenantID: scope.tenantID)
        req.application.jobs.kick()
        req.flash(.success, "desk.channels.retried")
        return req.seeOther(DeskRoute.channels(try req.tenant.routeSlug).path)
    }

    func disconnect(req: Request) async throws -> Response {
        let scope = try await scope(req)
        guard
            let channel = try req.content.decode(RemoveForm.self).channel.flatMap(HookChannel.init(pathSegment:))?
                .channel
        else { throw InputError(field: "channel", key: "desk.error.channel") }
        guard try await Channels.disconnect(channel, in: scope) else { throw Abort(.notFound) }
        req.application.connectedChannels.forget(scope.tenantID)
        try await req.audit("desk.channel.disconnect", subject: channel.rawValue, tenantID: scope.tenantID)
        req.flash(.success, "desk.channels.disconnected")
        return req.seeOther(DeskRoute.channels(try req.tenant.routeSlug).path)
    }
}

struct ChannelsModel: PageBody {
    struct Channel {
        let channel: DeskCase.Channel
        let hook: String
        let connectedAt: Date?
        let account: String?
        let verifyToken: String?
        /// The channel's messages in the inbox not yet taken, and those whose intake failed.
        let waiting: Int
        let failed: Int
    }

    let slug: Param<TenantSlug>
    let channels: [Channel]
    let hasKey: Bool
    let errors: [String: String]
    /// The channel whose form the errors are of.
    let tried: DeskCase.Channel?
    let values: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.setup(slug).path).raw("\">").text(
            t("desk.setup.heading")
        )
        .raw("</a></p>\n<h1>").text(t("desk.channels.heading")).raw("</h1>\n<p>").text(t("desk.channels.lead"))
        .raw("</p>\n")
        if !hasKey { h.raw("<p class=\"notice\">").text(t("desk.channels.no_key")).raw("</p>\n") }
        for item in channels { write(item, to: h, texts: t, csrf: csrf) }
    }

    private func write(_ item: Channel, to h: HTMLText, texts t: Texts, csrf: String) {
        let name = item.channel.rawValue
        h.raw("<section class=\"card\" id=\"kanal-").attr(name).raw("\">\n<h2>").text(t("desk.channel.\(name)"))
            .raw("</h2>\n<dl class=\"facts\"><dt>").text(t("desk.channels.state")).raw("</dt><dd>")
        if let at = item.connectedAt {
            h.text(
                t(
                    "desk.channels.connected_at",
                    ["at": LocalDates.moment(at, t.language), "account": item.account ?? ""]))
        } else {
            h.text(t("desk.channels.not_connected"))
        }
        h.raw("</dd><dt>").text(t("desk.channels.hook")).raw("</dt><dd><code>").text(item.hook).raw("</code></dd>")
        if item.channel == .whatsapp || item.channel == .instagram, let token = item.verifyToken {
            h.raw("<dt>").text(t("desk.channels.verify_token")).raw("</dt><dd><code>").text(token).raw("</code></dd>")
        }
        if item.waiting > 0 || item.failed > 0 {
            h.raw("<dt>").text(t("desk.channels.inbox")).raw("</dt><dd>").text(
                t("desk.channels.inbox_counts", ["waiting": String(item.waiting), "failed": String(item.failed)])
            ).raw("</dd>")
        }
        h.raw("</dl>\n")
        if item.failed > 0 {
            h.postForm(DeskRoute.channelsRetry(slug).path, csrf: csrf, class: "inline")
                .raw("<input type=\"hidden\" name=\"channel\" value=\"").attr(name)
                .raw("\"><button type=\"submit\">").text(t("desk.channels.retry")).raw("</button></form>\n")
        }
        let mine = tried == item.channel
        func field(_ key: String, _ label: String, _ kind: TextField.Kind, max: Int) -> TextField {
            // Keys are never written back into the page, not even after a refused form.
            var field = TextField(
                key, label: t(label), value: mine && key == "account" ? values[key] : nil,
                error: mine ? errors[key] : nil, kind: kind, max: max, required: true,
                attributes: " autocomplete=\"off\"")
            field.id = name + "-" + key
            return field
        }
        h.postForm(DeskRoute.channels(slug).path, csrf: csrf, class: "form")
            .raw("<input type=\"hidden\" name=\"channel\" value=\"").attr(name).raw("\">\n")
            .textField(field("account", "desk.channels.account_\(name)", .input("text"), max: 32))
            .textField(field("app_secret", "desk.channels.app_secret_\(name)", .password, max: 200))
            .textField(
                field(
                    "access_token",
                    item.channel == .telegram ? "desk.channels.access_token_telegram" : "desk.channels.access_token",
                    .password, max: 2000)
            )
            .raw("<button type=\"submit\"").raw(hasKey ? "" : " disabled").raw(">")
            .text(t(item.connectedAt == nil ? "desk.channels.connect" : "desk.channels.replace"))
            .raw("</button>\n</form>\n")
        if item.connectedAt != nil {
            h.postForm(DeskRoute.channelsRemove(slug).path, csrf: csrf, class: "inline")
                .raw("<input type=\"hidden\" name=\"channel\" value=\"").attr(name)
                .raw("\"><button type=\"submit\" class=\"secondary\">").text(t("desk.channels.disconnect"))
                .raw("</button></form>\n")
        }
        h.raw("</section>\n")
    }
}
