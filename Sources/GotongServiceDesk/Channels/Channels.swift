import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import Vapor

/// Connecting a tenant's platform accounts to its desk. The keys are checked, sealed with the
/// configured key and kept; a new verify token is made for Meta's handshake each time.
enum Channels {
    struct Entry: Sendable {
        var account, appSecret, accessToken: String?
    }

    /// Connects (or connects again, with new keys) `channel`; every problem at once.
    static func connect(
        _ channel: DeskCase.Channel, _ entry: Entry, in scope: TenantScope, sealer: Sealer?, now: Date
    ) async throws {
        var p = ProblemList()
        let account = p.text(entry.account, "account", max: 32, required: "desk.error.channel_account")
        if !account.isEmpty, ChannelAdapters.of(channel)?.accepts(account: account) != true {
            p.add(
                "account", channel == .telegram ? "desk.error.channel_account_telegram" : "desk.error.channel_account")
        }
        let secret = p.text(entry.appSecret, "app_secret", max: 200, required: "desk.error.channel_secret")
        let token = p.text(entry.accessToken, "access_token", max: 2000, required: "desk.error.channel_token")
        if sealer == nil { p.add("app_secret", "desk.error.channel_no_key") }
        try p.throwIfAny()
        guard let sealer, ChannelAdapters.of(channel) != nil else { throw Abort(.notFound) }
        let keys = ChannelCredentials(
            appSecret: secret, accessToken: token, verifyToken: TrackingCode.code.random() + TrackingCode.code.random())
        let sealed = try sealer.seal(keys, context: DeskChannel.sealingContext(tenant: scope.tenantID, channel))
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            let row = try await scope.query(DeskChannel.self).filter(\.$channel == channel).first() ?? DeskChannel()
            (row.tenantID, row.channel, row.account, row.sealed, row.connectedAt) =
                (scope.tenantID, channel, account, sealed, now)
            try await row.save(on: tx)
        }
    }

    /// Disconnects `channel`: its webhook answers 404 and messages not yet sent fail.
    static func disconnect(_ channel: DeskCase.Channel, in scope: TenantScope) async throws -> Bool {
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            guard let row = try await scope.query(DeskChannel.self).filter(\.$channel == channel).first() else {
                return false
            }
            try await row.delete(on: tx)
            return true
        }
    }

    /// The keys of a connected channel, opened; nil when the configured key cannot open them.
    static func keys(of row: DeskChannel, sealer: Sealer?) -> ChannelCredentials? {
        try? sealer?.open(
            ChannelCredentials.self, row.sealed, context: DeskChannel.sealingContext(tenant: row.tenantID, row.channel))
    }

    /// The verify token of a connected channel (for Meta's set-up), nil when it cannot be opened.
    static func verifyToken(_ row: DeskChannel, sealer: Sealer?) -> String? {
        keys(of: row, sealer: sealer)?.verifyToken
    }
}
