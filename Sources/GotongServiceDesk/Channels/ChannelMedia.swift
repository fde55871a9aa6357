import AsyncHTTPClient
import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import NIOCore
import Vapor

/// Photos and documents citizens send on WhatsApp: a message names its media by id, and the
/// bytes are fetched from the platform with the channel's token — never inside the message's
/// transaction, which only queues the job `desk.media`. The job asks the platform for the
/// media's download address, takes at most ``DeskFiles/maxBytes`` from it, and keeps it as
/// the message's attachment when its bytes are a photo or a PDF (anything else is left, and
/// said in the log). A platform busy or down is tried again with the job queue's back-off; a
/// refusal or a file that is not one of ours ends it.
enum ChannelMedia {
    static let job = "desk.media"

    struct Due: Codable, Sendable {
        var tenant: UUID
        var channel: DeskCase.Channel
        var message: UUID
        var media: String
    }

    static func register(_ jobs: JobHandlers) {
        jobs.register(job, as: Due.self) { due, app in try await fetch(due, app: app) }
    }

    /// Queues the fetch of `media` for `message`, in the message's transaction.
    static func queue(
        _ media: String?, on channel: DeskCase.Channel, for message: DeskMessage, db: any Database, now: Date
    ) async throws {
        guard let media, !media.isEmpty else { return }
        try await JobQueue.enqueue(
            job, Due(tenant: message.tenantID, channel: channel, message: try message.requireID(), media: media),
            on: db, at: now)
    }

    /// A refusal that another try will not change.
    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    static func fetch(_ due: Due, app: Application) async throws {
        let scope = TenantScope(tenantID: due.tenant, db: app.db)
        guard let message = try await scope.find(DeskMessage.self, due.message),
            try await scope.query(DeskAttachment.self).filter(\.$messageID == due.message).count() == 0,
            let adapter = ChannelAdapters.of(due.channel),
            let row = try await scope.query(DeskChannel.self).filter(\.$channel == due.channel).first(),
            let keys = Channels.keys(of: row, sealer: Sealer.of(app))
        else { return }
        let base = app.gotong.socialAPIBase ?? adapter.apiHost
        do {
            guard let lookup = adapter.mediaRequest(due.media, base: base) else { return }
            let info = try await get(lookup, token: keys.accessToken, upTo: 64 * 1024, app: app)
            guard let address = adapter.mediaAddress(info), allowed(address, base: base) else {
                throw Refused(description: "the platform named no download address of its own")
            }
            let bytes = try await get(address, token: keys.accessToken, upTo: DeskFiles.maxBytes, app: app)
            guard let kind = FileKind.sniff(bytes, filename: "", allowed: DeskFiles.kinds) else {
                throw Refused(description: "the media is not a photo or a PDF")
            }
            try await keep(bytes, kind: kind, for: message, app: app)
        } catch let refused as Refused {
            app.logger.warning("desk: a \(due.channel.rawValue) media was not kept: \(refused)")
        }
    }

    /// The download address must be the platform's (or the configured stand-in's): the token
    /// goes with the request.
    static func allowed(_ address: String, base: String) -> Bool {
        guard let url = URL(string: address), let host = url.host?.lowercased() else { return false }
        if let configured = URL(string: base), url.scheme == configured.scheme, host == configured.host?.lowercased(),
            url.port == configured.port
        {
            return true
        }
        return url.scheme == "https" && (host == "lookaside.fbsbx.com" || host.hasSuffix(".whatsapp.net"))
    }

    private static func get(
        _ address: String, token: String, upTo limit: Int, app: Application
    ) async throws
        -> ByteBuffer
    {
        var request = HTTPClientRequest(url: address)
        request.headers.add(name: .authorization, value: "Bearer \(token)")
        let response = try await app.http.client.shared.execute(request, timeout: .seconds(30))
        let code = Int(response.status.code)
        guard (200..<300).contains(code) else {
            let why = "HTTP \(code) from the platform"
            if code == 408 || code == 429 || code >= 500 { throw Abort(.badGateway, reason: why) }
            throw Refused(description: why)
        }
        do {
            return try await response.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Refused(description: "the media is larger than \(limit) bytes")
        }
    }

    /// Stores the bytes and writes the row, unless another run of the job was first.
    private static func keep(
        _ bytes: ByteBuffer, kind: FileKind, for message: DeskMessage, app: Application
    )
        async throws
    {
        let key =
            "desk/\(message.tenantID.uuidString.lowercased())/\(UUID().uuidString.lowercased()).\(kind.fileExtension)"
        try await app.files.put(bytes, at: key)
        // The platform gives no name worth showing: the channel's, with the kind's extension.
        let named = DeskFiles.Stored(
            key: key, kind: kind, name: DeskFiles.displayName("\(message.channel.rawValue)-lampiran", kind: kind),
            size: bytes.readableBytes)
        let kept = try await DeskFiles.keeping(named, files: app.files) {
            try await app.db.lockingTransaction { tx -> Bool in
                let scope = TenantScope(tenantID: message.tenantID, db: tx)
                guard try await scope.query(DeskAttachment.self).filter(\.$messageID == message.id!).count() == 0
                else { return false }
                try await DeskFiles.attach(named, to: message, on: tx, now: app.clock.now())
                return true
            }
        }
        if !kept { try? await app.files.delete(key) }
    }
}
