import Fluent
import Foundation
import GotongPlatform
import GotongTenancy
import SQLKit
import Vapor

/// A post for one channel: its text already fitted to the channel's rules (``PostRules``), and
/// the public address of its image.
public struct Publication: Sendable, Equatable {
    public var text: String
    public var image: String?

    public init(text: String, image: String?) { (self.text, self.image) = (text, image) }
}

/// Each channel's rules for a post, in one place for the preview an officer reads and the send:
/// how long its text may be, how the platform counts it, and whether it needs an image.
public enum PostRules {
    /// The channels a post goes to: the account's feed (Instagram, X), the Telegram channel, and
    /// WhatsApp's broadcast list (the contacts who sent LANGGANAN).
    public static let channels: [DeskCase.Channel] = [.instagram, .x, .whatsapp, .telegram]

    public static func needsImage(_ channel: DeskCase.Channel) -> Bool { channel == .instagram }

    /// The longest text a post may hold there: X's 280 (weighted), Instagram's caption, a
    /// Telegram photo's caption or message, the parameter of WhatsApp's template.
    public static func limit(_ channel: DeskCase.Channel, image: Bool) -> Int {
        switch channel {
        case .x: 280
        case .instagram: 2_200
        case .telegram: image ? 1_024 : 4_096
        case .whatsapp: 1_024
        case .web: 4_096
        }
    }

    /// The length as the platform counts it: X counts every link as 23 and a character beyond
    /// the Latin and common scripts as 2; Telegram counts UTF-16 units (an emoji is two);
    /// the others count characters.
    public static func length(_ text: String, on channel: DeskCase.Channel) -> Int {
        switch channel {
        case .x:
            var total = 0
            var word = ""
            func close() {
                if word.hasPrefix("https://") || word.hasPrefix("http://") {
                    total += 23
                } else {
                    total += word.reduce(0) { $0 + (($1.unicodeScalars.first?.value ?? 0) > 0x10FF ? 2 : 1) }
                }
                word = ""
            }
            for character in text {
                if character.isWhitespace {
                    close()
                    total += 1
                } else {
                    word.append(character)
                }
            }
            close()
            return total
        case .telegram: return text.utf16.count
        default: return text.count
        }
    }

    /// The post's text for `channel`: the title, the text and the link line, with the text cut at
    /// a word (and "…") when the whole is longer than the channel takes — the link always stays.
    public static func text(
        title: String, body: String, link: String, on channel: DeskCase.Channel, image: Bool
    ) -> String {
        let limit = limit(channel, image: image)
        // WhatsApp's template parameter is one line.
        let gap = channel == .whatsapp ? " — " : "\n\n"
        let body = channel == .whatsapp ? body.split(whereSeparator: \.isNewline).joined(separator: " ") : body
        let whole = [title, body, link].filter { !$0.isEmpty }.joined(separator: gap)
        if length(whole, on: channel) <= limit { return whole }
        let frame = { (cut: String) in [title, cut + "…", link].filter { !$0.isEmpty }.joined(separator: gap) }
        var cut = Substring(body)
        while !cut.isEmpty, length(frame(String(cut)), on: channel) > limit {
            let over = length(frame(String(cut)), on: channel) - limit
            cut = cut.dropLast(max(1, over))
            if let space = cut.lastIndex(where: { $0 == " " || $0 == "\n" }),
                cut.distance(from: space, to: cut.endIndex) < 40
            {
                cut = cut[..<space]
            }
            cut = Substring(cut.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        if !cut.isEmpty { return frame(String(cut)) }
        // A title too long on its own: it is cut in turn, as the platform counts.
        let tail = "…" + (link.isEmpty ? "" : gap + link)
        var short = Substring(title)
        while !short.isEmpty, length(String(short) + tail, on: channel) > limit { short = short.dropLast() }
        return String(short) + tail
    }
}

/// How far a post has gone on one channel: the least far of its sends (a broadcast sends one
/// per contact), with counts, the last refusal, and the platform's id of the post.
public struct PostDelivery: Sendable, Equatable {
    public var channel: DeskCase.Channel
    public var state: DeskOutbox.State
    public var total, sent, failed: Int
    public var lastError: String
    public var externalID: String
}

extension Outbox {
    /// Queues a post on `channel`, in the caller's transaction: one send to the account's own
    /// feed, or on WhatsApp one message to each contact on its broadcast list.
    public static func publish(
        _ item: Publication, post: UUID, on channel: DeskCase.Channel, tenant: UUID, db: any Database, now: Date
    ) async throws {
        let handles: [String] =
            if channel == .whatsapp {
                try await TenantScope(tenantID: tenant, db: db).query(DeskSubscriber.self)
                    .filter(\.$channel == .whatsapp).all(\.$handle)
            } else {
                [""]
            }
        for handle in handles {
            let row = DeskOutbox()
            row.id = UUID()
            (row.tenantID, row.channel, row.postID, row.image) = (tenant, channel, post, item.image)
            (row.batch, row.part, row.handle, row.body) = (UUID(), 0, handle, item.text)
            (row.state, row.attempts, row.lastError, row.externalID) = (.pending, 0, "", "")
            (row.createdAt, row.updatedAt) = (now, now)
            try await row.create(on: db)
            try await JobQueue.enqueue(job, Due(tenant: tenant, outbox: row.id!), on: db, at: now)
        }
    }

    /// Where a post's sends are, by channel (in ``PostRules/channels`` order).
    public static func deliveries(of post: UUID, in scope: TenantScope) async throws -> [PostDelivery] {
        let rows = try await scope.query(DeskOutbox.self).filter(\.$postID == post).all()
        return PostRules.channels.compactMap { channel in
            let mine = rows.filter { $0.channel == channel }
            guard let least = mine.min(by: { rank($0.state) < rank($1.state) }) else { return nil }
            let failed = mine.filter { $0.state == .failed }
            return PostDelivery(
                channel: channel, state: least.state, total: mine.count,
                sent: mine.count { rank($0.state) >= rank(.sent) }, failed: failed.count,
                lastError: failed.last?.lastError ?? "", externalID: mine.count == 1 ? least.externalID : "")
        }
    }

    /// The failed sends of a post on `channel` sent again, from a fresh count of tries; how many.
    public static func retry(
        post: UUID, on channel: DeskCase.Channel, in scope: TenantScope, now: Date
    ) async throws
        -> Int
    {
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            let failed = try await scope.query(DeskOutbox.self).filter(\.$postID == post).filter(\.$channel == channel)
                .filter(\.$state == .failed).all()
            for row in failed {
                (row.state, row.attempts, row.updatedAt) = (.pending, 0, now)
                try await row.save(on: tx)
                try await JobQueue.enqueue(
                    job, Due(tenant: scope.tenantID, outbox: try row.requireID()), on: tx, at: now)
            }
            return failed.count
        }
    }

    /// The channels the tenant has connected (a post can reach only these).
    public static func connected(_ scope: TenantScope) async throws -> Set<DeskCase.Channel> {
        Set(try await scope.query(DeskChannel.self).all(\.$channel))
    }

    /// How many contacts are on the channel's broadcast list.
    public static func subscribers(on channel: DeskCase.Channel, in scope: TenantScope) async throws -> Int {
        try await scope.query(DeskSubscriber.self).filter(\.$channel == channel).count()
    }

    /// A post's sends not yet made, dropped (the post was deleted); those made stay on the platform.
    public static func withdraw(post: UUID, in scope: TenantScope) async throws {
        try await scope.query(DeskOutbox.self).filter(\.$postID == post).filter(\.$state ~~ [.pending, .failed])
            .delete()
    }
}

/// A contact on a channel's broadcast list: they sent LANGGANAN, and receive the desk's posts
/// until they send BERHENTI. Their platform id is kept only for this.
public final class DeskSubscriber: TenantOwned, @unchecked Sendable {
    public static let schema = "desk_subscribers"
    public static var tenantKey: KeyPath<DeskSubscriber, FieldProperty<DeskSubscriber, UUID>> { \.$tenantID }

    @ID(key: .id) public var id: UUID?
    @Field(key: "tenant_id") public var tenantID: UUID
    @Enum(key: "channel") public var channel: DeskCase.Channel
    @Field(key: "handle") public var handle: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public var properties: [any AnyProperty] { [$id, $tenantID, $channel, $handle, $createdAt] }
}

/// Joining and leaving a broadcast list by a word sent on the channel.
enum Subscriptions {
    enum Wish { case join, leave }

    /// The wish a message states, when it is only one of the words.
    static func wish(_ text: String) -> Wish? {
        switch text.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)).lowercased() {
        case "langganan", "berlangganan", "daftar kabar", "subscribe": .join
        case "berhenti", "stop", "berhenti langganan", "unsubscribe": .leave
        default: nil
        }
    }

    /// Records the wish in the caller's transaction; the reply's key.
    static func apply(
        _ wish: Wish, of handle: String, on channel: DeskCase.Channel, in scope: TenantScope, now: Date
    ) async throws -> String {
        let found = try await scope.query(DeskSubscriber.self).filter(\.$channel == channel)
            .filter(\.$handle == handle).first()
        switch wish {
        case .join:
            if found == nil {
                let row = DeskSubscriber()
                (row.tenantID, row.channel, row.handle, row.createdAt) = (scope.tenantID, channel, handle, now)
                try await row.create(on: scope.db)
            }
            return "desk.channel.subscribed"
        case .leave:
            try await found?.delete(on: scope.db)
            // Posts not yet sent to them are not sent, and their number goes with them.
            try await scope.query(DeskOutbox.self).filter(\.$channel == channel).filter(\.$handle == handle)
                .filter(\.$postID != nil).filter(\.$state ~~ [.pending, .failed]).delete()
            return "desk.channel.unsubscribed"
        }
    }
}

struct AddDeskPublishing: AsyncMigration {
    func prepare(on db: any Database) async throws {
        // One column a statement: SQLite adds no more.
        try await db.schema(DeskOutbox.schema).field("post_id", .uuid).update()
        try await db.schema(DeskOutbox.schema).field("image", .string).update()
        try await db.sql.create(index: "desk_outbox_tenant_post_idx").on(DeskOutbox.schema)
            .column("tenant_id").column("post_id").run()
        try await db.schema(DeskSubscriber.schema).id()
            .field("tenant_id", .uuid, .required, .references(Tenant.schema, "id", onDelete: .cascade))
            .field("channel", .string, .required)
            .field("handle", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "tenant_id", "channel", "handle")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(DeskSubscriber.schema).delete()
        try await db.sql.drop(index: "desk_outbox_tenant_post_idx").run()
        try await db.schema(DeskOutbox.schema).deleteField("post_id").update()
        try await db.schema(DeskOutbox.schema).deleteField("image").update()
    }
}
