import Fluent
import Foundation
import GotongIdentity
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Vapor

/// What the platforms counted of the posts, from a CSV an officer puts together from their
/// exports: one row per post and channel — `channel,post,reach,views,likes,comments,shares`.
/// `post` is the platform's id of the post (the editor shows it once sent: Instagram's media
/// id, X's post id, Telegram's message id) or the post's address on the site. Every bad cell
/// is reported with its row; nothing is written unless all are good, and a row replaces what
/// an earlier import said of that post and channel.
public enum PostFigureImport {
    public static let field = "berkas"
    static let maxRequest: ByteCount = "3mb"
    static let maxRows = 5_000
    static let counts = ["reach", "views", "likes", "comments", "shares"]

    /// The uploaded file as text (the page's form).
    static func text(_ upload: ReceivedFile?) async throws -> String {
        guard let upload, upload.size > 0, upload.size <= maxBytes,
            let data = try? Data(contentsOf: URL(fileURLWithPath: upload.path))
        else { throw InputError(field: field, key: "info.error.figures_file") }
        return try text(data)
    }

    /// The bytes as text, by one rule for the page and the API: at most 2 MB, UTF-8 only, as
    /// spreadsheets save CSV.
    static func text(_ data: Data) throws -> String {
        guard !data.isEmpty, data.count <= maxBytes, let text = String(data: data, encoding: .utf8) else {
            throw InputError(field: field, key: "info.error.figures_file")
        }
        return text
    }

    static let maxBytes = 2 * 1_048_576

    struct Line {
        let post: UUID
        let channel: DeskCase.Channel
        let values: [String: Int]
    }

    /// Imports the rows; how many were written.
    public static func run(_ text: String, in scope: TenantScope, now: Date) async throws -> Int {
        let rows = try CSVRows.read(text, columns: ["channel", "post"], maxRows: maxRows)
        var p = ProblemList()
        var wanted: [(row: CSVRows.Row, channel: DeskCase.Channel, ref: PostRef)] = []
        for row in rows {
            let name = row.value("channel").lowercased()
            guard let channel = DeskCase.Channel(rawValue: name), PostRules.channels.contains(channel) else {
                p.add("channel", "info.error.figures_channel", ["value": String(name.prefix(40))], row: row.number)
                continue
            }
            guard let ref = PostRef(row.value("post")) else {
                p.add(
                    "post", "info.error.figures_post", ["value": String(row.value("post").prefix(80))], row: row.number)
                continue
            }
            wanted.append((row, channel, ref))
        }
        let found = try await resolve(wanted.map(\.ref), in: scope)
        var lines: [Line] = []
        var seen: [String: Int] = [:]
        for (row, channel, ref) in wanted {
            guard let post = found[ref] else {
                p.add("post", "info.error.figures_post", ["value": ref.text], row: row.number)
                continue
            }
            if let first = seen["\(post)/\(channel.rawValue)"] {
                p.add("post", "info.error.figures_twice", ["row": String(first)], row: row.number)
                continue
            }
            seen["\(post)/\(channel.rawValue)"] = row.number
            var values: [String: Int] = [:]
            for column in counts where !row.value(column).isEmpty {
                guard let value = WholeNumber.count(row.value(column)) else {
                    p.add(
                        column, "info.error.figures_count", ["value": String(row.value(column).prefix(40))],
                        row: row.number)
                    continue
                }
                values[column] = value
            }
            lines.append(Line(post: post, channel: channel, values: values))
        }
        try p.throwIfAny()
        try await write(lines, in: scope, now: now)
        return lines.count
    }

    /// A row's `post`: the site's id (or its address) or the platform's id of the post.
    enum PostRef: Hashable {
        case site(UUID)
        case platform(String)

        init?(_ raw: String) {
            let text = raw.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty, text.count <= 300 else { return nil }
            let last = text.split(separator: "/").last.map(String.init) ?? text
            if let id = UUID(uuidString: last) {
                self = .site(id)
            } else if text.contains("/") {
                return nil
            } else {
                self = .platform(text)
            }
        }

        var text: String {
            switch self {
            case .site(let id): id.uuidString.lowercased()
            case .platform(let id): id
            }
        }
    }

    private static func resolve(_ refs: [PostRef], in scope: TenantScope) async throws -> [PostRef: UUID] {
        var found: [PostRef: UUID] = [:]
        let sites = refs.compactMap { if case .site(let id) = $0 { id } else { nil } }
        for chunk in sites.chunked(500) {
            for id in try await scope.query(InfoPost.self).filter(\.$id ~~ Array(chunk)).all(\.$id) {
                found[.site(id)] = id
            }
        }
        var byPlatform: [PostRef: UUID] = [:]
        let platform = refs.compactMap { if case .platform(let id) = $0 { id } else { nil } }
        for chunk in platform.chunked(500) {
            for row in try await scope.query(DeskOutbox.self).filter(\.$externalID ~~ Array(chunk))
                .filter(\.$postID != nil).all()
            {
                if let post = row.postID { byPlatform[.platform(row.externalID)] = post }
            }
        }
        // A deleted post's sends stay on the platforms (and in the outbox): their figures have
        // no post to go to. (The site's ids were found among the posts already.)
        var existing = Set<UUID>()
        for chunk in Array(Set(byPlatform.values)).chunked(500) {
            existing.formUnion(
                try await scope.query(InfoPost.self).filter(\.$id ~~ Array(chunk)).all(\.$id).compactMap { $0 })
        }
        return found.merging(byPlatform.filter { existing.contains($0.value) }) { site, _ in site }
    }

    private static func write(_ lines: [Line], in scope: TenantScope, now: Date) async throws {
        try await scope.db.lockingTransaction { tx in
            let scope = TenantScope(tenantID: scope.tenantID, db: tx)
            for line in lines {
                let row =
                    try await scope.query(InfoPostFigures.self).filter(\.$postID == line.post)
                    .filter(\.$channel == line.channel).first() ?? InfoPostFigures()
                (row.tenantID, row.postID, row.channel, row.importedAt) = (scope.tenantID, line.post, line.channel, now)
                (row.reach, row.views, row.likes) = (
                    line.values["reach"] ?? 0, line.values["views"] ?? 0, line.values["likes"] ?? 0
                )
                (row.comments, row.shares) = (line.values["comments"] ?? 0, line.values["shares"] ?? 0)
                try await row.save(on: tx)
            }
        }
    }
}
