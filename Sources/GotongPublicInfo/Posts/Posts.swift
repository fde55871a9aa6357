import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Vapor

/// Writing the site's posts and sending them: one parser for the editor's form and the API's
/// JSON (every problem at once); a post with channels is put in the desk's outbox by the job
/// `info.post.publish` at its publishing time, once, with each channel's text fitted by
/// ``PostRules``.
public enum Posts {
    static let job = "info.post.publish"
    static let maxImage = 5 * 1_048_576
    static let maxRequest: ByteCount = "6mb"
    public static let imageField = "gambar"
    public static let perPage = 20

    public struct Draft: Sendable {
        public var kind, title, body, imageText, publishAt, expiresAt: String?
        public var channels: [String] = []
        public var removeImage = false
        public init() {}
    }

    struct Checked {
        let kind: InfoPost.Kind
        let title, body, imageText: String
        let publishAt: Date
        let expiresAt: Date?
        let channels: [DeskCase.Channel]
    }

    /// `image`: the kind of the post's image (the one sent, or the one kept), nil for none;
    /// `publishing`: when an absent publishing time means (now, or the time it had).
    static func check(_ d: Draft, image: FileKind?, now: Date, publishing: Date? = nil) throws -> Checked {
        var p = ProblemList()
        let kind = d.kind.flatMap(InfoPost.Kind.init(rawValue:))
        if kind == nil { p.add("kind", "info.error.post_kind") }
        let title = p.text(d.title, "title", max: 150, required: "info.error.post_title")
        let body = p.text(d.body, "body", max: 5000, required: "info.error.post_body")
        let imageText = p.text(d.imageText, "image_text", max: 300)
        var publishAt = publishing ?? now
        switch LocalDates.parse(d.publishAt, localTime: true) {
        case .success(let date?): publishAt = date
        case .success(nil): break
        case .failure: p.add("publish_at", "info.error.post_when")
        }
        var expiresAt: Date?
        switch LocalDates.parse(d.expiresAt, localTime: true) {
        case .success(let date?) where date > publishAt: expiresAt = date
        case .success(nil): break
        default: p.add("expires_at", "info.error.post_expires")
        }
        var channels: [DeskCase.Channel] = []
        for name in d.channels where !name.isEmpty {
            guard let channel = DeskCase.Channel(rawValue: name), PostRules.channels.contains(channel) else {
                p.add("channels", "info.error.post_channel")
                continue
            }
            if !channels.contains(channel) { channels.append(channel) }
        }
        if channels.contains(where: PostRules.needsImage) {
            // Instagram's publishing takes JPEG images only.
            if image == nil { p.add("channels", "info.error.post_image_needed") }
            if let image, image != .jpeg { p.add("channels", "info.error.post_image_jpeg") }
        }
        try p.throwIfAny()
        return Checked(
            kind: kind!, title: title, body: body, imageText: imageText, publishAt: publishAt, expiresAt: expiresAt,
            channels: channels)
    }

    /// An image sent with a post, checked by its bytes; nil when none was sent.
    static func image(_ upload: ReceivedFile?, problems p: inout ProblemList) -> (ReceivedFile, FileKind)? {
        guard let upload, upload.size > 0 else { return nil }
        if upload.size > maxImage {
            p.add(imageField, "info.error.post_image_size", ["max": "\(maxImage / 1_048_576) MB"])
            return nil
        }
        guard let kind = FileKind.sniff(head: upload.head, filename: upload.filename, allowed: [.png, .jpeg]) else {
            p.add(imageField, "info.error.post_image_kind")
            return nil
        }
        return (upload, kind)
    }

    public static func add(
        _ draft: Draft, image upload: ReceivedFile?, in scope: TenantScope, files: any FileStore, now: Date
    ) async throws -> InfoPost {
        var p = ProblemList()
        let image = image(upload, problems: &p)
        let checked = Result { try check(draft, image: image?.1, now: now) }
        try p.throwIfAny(adding: checked)
        let c = try checked.get()
        let row = InfoPost()
        (row.id, row.tenantID, row.createdAt, row.imageSize) = (UUID(), scope.tenantID, now, 0)
        let key = try await store(image, for: row, files: files)
        (row.imageKey, row.imageSize) = (key, image?.0.size ?? 0)
        do {
            try await scope.db.lockingTransaction { tx in
                fill(row, c, now: now)
                try await row.create(on: tx)
                try await schedule(row, on: tx)
            }
        } catch {
            if let key { try? await files.delete(key) }
            throw error
        }
        return row
    }

    public static func update(
        _ id: UUID, _ draft: Draft, image upload: ReceivedFile?, in scope: TenantScope, files: any FileStore, now: Date
    ) async throws -> InfoPost {
        let before = try await scope.require(InfoPost.self, id)
        var p = ProblemList()
        let image = image(upload, problems: &p)
        let kept = draft.removeImage ? nil : before.imageKey.flatMap(FileKind.of(key:))
        var draft = draft
        // Sent is sent: the channels a post went to stay as they were.
        if before.sentAt != nil { draft.channels = before.channels.map(\.rawValue) }
        let publishing = before.publishAt
        let checked = Result { try check(draft, image: image?.1 ?? kept, now: now, publishing: publishing) }
        try p.throwIfAny(adding: checked)
        let c = try checked.get()
        let key = try await store(image, for: before, files: files)
        let removing = draft.removeImage
        let written: (InfoPost, String?)
        do {
            written = try await scope.db.lockingTransaction { tx -> (InfoPost, String?) in
                guard let row = try await TenantScope(tenantID: scope.tenantID, db: tx).locked(InfoPost.self, id) else {
                    throw Abort(.notFound)
                }
                let old = row.imageKey
                if let key, let image {
                    (row.imageKey, row.imageSize) = (key, image.0.size)
                } else if removing {
                    (row.imageKey, row.imageSize) = (nil, 0)
                }
                fill(row, c, now: now)
                try await row.save(on: tx)
                try await schedule(row, on: tx)
                return (row, old != row.imageKey ? old : nil)
            }
        } catch {
            if let key { try? await files.delete(key) }
            throw error
        }
        let (row, dropped) = written
        if let dropped { try? await files.delete(dropped) }
        return row
    }

    public static func remove(_ id: UUID, in scope: TenantScope, files: any FileStore) async throws -> InfoPost {
        let row = try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            guard let row = try await scope.locked(InfoPost.self, id) else { throw Abort(.notFound) }
            try await Outbox.withdraw(post: id, in: scope)
            try await row.delete(on: tx)
            return row
        }
        if let key = row.imageKey { try? await files.delete(key) }
        return row
    }

    private static func store(
        _ image: (ReceivedFile, FileKind)?, for row: InfoPost, files: any FileStore
    ) async throws
        -> String?
    {
        guard let (upload, kind) = image else { return nil }
        let key =
            "info/\(row.tenantID.uuidString.lowercased())/post-\(UUID().uuidString.lowercased()).\(kind.fileExtension)"
        try await files.put(upload, at: key)
        return key
    }

    private static func fill(_ row: InfoPost, _ c: Checked, now: Date) {
        (row.kind, row.title, row.body, row.imageText) = (c.kind, c.title, c.body, c.imageText)
        (row.publishAt, row.expiresAt, row.updatedAt) = (c.publishAt, c.expiresAt, now)
        row.channelList = c.channels.map(\.rawValue).joined(separator: ",")
    }

    /// The post's sends, due at its publishing time (a job that finds it moved or sent does nothing).
    private static func schedule(_ row: InfoPost, on db: any Database) async throws {
        guard row.sentAt == nil, !row.channels.isEmpty else { return }
        try await JobQueue.enqueue(job, Due(tenant: row.tenantID, post: try row.requireID()), on: db, at: row.publishAt)
    }

    struct Due: Codable, Sendable {
        var tenant: UUID
        var post: UUID
    }

    static func register(_ app: Application) {
        app.jobs.register(job, as: Due.self) { due, app in try await send(due, app: app) }
    }

    /// Puts the post's sends in the outbox when it is due, has not been sent and is not over.
    static func send(_ due: Due, app: Application) async throws {
        let (now, base) = (app.clock.now(), app.gotong.baseURL)
        try await app.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: due.tenant, db: tx)
            guard let row = try await scope.locked(InfoPost.self, due.post), row.sentAt == nil, !row.channels.isEmpty,
                row.publishAt <= now, !row.isOver(at: now), let tenant = try await Tenant.find(due.tenant, on: tx)
            else { return }
            for (channel, item) in publications(row, slug: tenant.routeSlug, base: base) {
                try await Outbox.publish(item, post: due.post, on: channel, tenant: due.tenant, db: tx, now: now)
            }
            row.sentAt = now
            try await row.save(on: tx)
        }
    }

    /// What each of the post's channels gets: the title, the text and the link, fitted.
    public static func publications(
        _ row: InfoPost, slug: Param<TenantSlug>, base: String
    )
        -> [(DeskCase.Channel, Publication)]
    {
        let id = Param<PostID>.value(.init(row.id ?? UUID()))
        let link = "Selengkapnya: " + base + InfoRoute.post(slug, id).path
        let image = row.imageKey.map { _ in base + PostImage.address(row, slug: slug) }
        return row.channels.map { channel in
            (
                channel,
                Publication(
                    text: PostRules.text(
                        title: row.title, body: row.body, link: link, on: channel, image: image != nil),
                    image: image)
            )
        }
    }

    /// A page of the posts shown on the site now, newest first; only those of `kind` when given.
    public static func live(
        _ scope: TenantScope, kind: InfoPost.Kind?, page: Int, now: Date, per: Int = perPage
    ) async throws -> ([InfoPost], PageWindow) {
        var query = scope.query(InfoPost.self).filter(\.$publishAt <= now)
            .group(.or) { $0.filter(\.$expiresAt == nil).filter(\.$expiresAt > now) }
        if let kind { query = query.filter(\.$kind == kind) }
        let window = PageWindow(requested: page, per: per, total: try await query.count())
        return (
            try await query.copy().sort(\.$publishAt, .descending).sort(\.$id).range(window.range).all(), window
        )
    }

    /// A page of all posts, for the officers: scheduled, live and over, latest first.
    public static func all(_ scope: TenantScope, page: Int, per: Int = perPage) async throws -> ([InfoPost], PageWindow)
    {
        let query = scope.query(InfoPost.self)
        let window = PageWindow(requested: page, per: per, total: try await query.count())
        return (
            try await query.copy().sort(\.$publishAt, .descending).sort(\.$id).range(window.range).all(), window
        )
    }
}

extension ProblemList {
    /// The problems of the list and of a check made beside it, thrown together.
    func throwIfAny<T>(adding other: Result<T, any Error>) throws {
        guard case .failure(let error) = other else { return try throwIfAny() }
        guard let input = error as? InputError else { throw error }
        var all = self
        all.problems += input.problems
        try all.throwIfAny()
    }
}

/// A post's image address, with the time of its last change: a replaced image gets a new
/// address, so caches (which keep it a day) never show the old one.
enum PostImage {
    static func address(_ row: InfoPost, slug: Param<TenantSlug>) -> String {
        InfoRoute.postImage(slug, .value(.init(row.id ?? UUID()))).path(
            query: ["v": String(Int(row.updatedAt.timeIntervalSince1970))])
    }
}
