import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged

/// A post as a list shows it: its kind and day, its title, and the start of its text.
enum PostItem {
    static func write(_ h: HTMLText, _ t: Texts, slug: Param<TenantSlug>, _ row: InfoPost) {
        h.raw("<li><span class=\"muted\">").text(t("info.post.kind.\(row.kind.rawValue)")).raw(" · ")
            .text(LocalDates.day(row.publishAt, t.language)).raw("</span><br><a href=\"")
            .attr(InfoRoute.post(slug, .value(.init(row.id ?? UUID()))).path).raw("\"><strong>").text(row.title)
            .raw("</strong></a><br>").text(excerpt(row.body)).raw("</li>\n")
    }

    /// The text's first 160 characters, cut at a word.
    static func excerpt(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flat.count > 160 else { return flat }
        let cut = flat.prefix(160)
        return String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)]) + "…"
    }
}

struct PostListModel: PageBody {
    let slug: Param<TenantSlug>
    let tenant: String
    let kind: InfoPost.Kind?
    let rows: [InfoPost]
    let window: PageWindow

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.desk(slug).path).raw("\">").text(t("info.back_desk"))
            .raw("</a></p>\n<h1>").text(t("info.posts.heading", ["tenant": tenant])).raw("</h1>\n<p>")
            .text(t("info.posts.lead")).raw(" <a href=\"").attr(InfoRoute.postFeed(slug).path).raw("\">")
            .text(t("info.posts.feed")).raw("</a></p>\n")
        h.raw("<nav aria-label=\"").attr(t("info.posts.kinds")).raw("\"><ul class=\"chips\"><li><a href=\"")
            .attr(InfoRoute.posts(slug).path).raw("\"").raw(kind == nil ? " class=\"on\"" : "").raw(">")
            .text(t("info.posts.all")).raw("</a></li>")
        for option in InfoPost.Kind.allCases {
            h.raw("<li><a href=\"").attr(InfoRoute.posts(slug).path(query: ["jenis": option.rawValue])).raw("\"")
                .raw(option == kind ? " class=\"on\"" : "").raw(">").text(t("info.post.kinds.\(option.rawValue)"))
                .raw("</a></li>")
        }
        h.raw("</ul></nav>\n")
        if rows.isEmpty { h.raw("<p>").text(t("info.posts.none")).raw("</p>\n") }
        h.raw("<ul class=\"list\">\n")
        for row in rows { PostItem.write(h, t, slug: slug, row) }
        h.raw("</ul>\n")
        InfoPager.write(h, t, window) {
            InfoRoute.posts(slug).path(query: ["jenis": kind?.rawValue, "halaman": String($0)])
        }
    }
}

struct PostPageModel: PageBody {
    let slug: Param<TenantSlug>
    let row: InfoPost
    let now: Date

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let id = Param<PostID>.value(.init(row.id ?? UUID()))
        h.raw("<p class=\"crumbs\"><a href=\"").attr(InfoRoute.posts(slug).path).raw("\">").text(t("info.posts.back"))
            .raw("</a></p>\n<p class=\"muted\">").text(t("info.post.kind.\(row.kind.rawValue)")).raw(" · ")
            .text(LocalDates.day(row.publishAt, t.language)).raw("</p>\n<h1>").text(row.title).raw("</h1>\n")
        if row.isOver(at: now), let over = row.expiresAt {
            h.raw("<p class=\"notice\">").text(t("info.posts.over", ["date": LocalDates.day(over, t.language)]))
                .raw("</p>\n")
        }
        if row.imageKey != nil {
            h.raw("<p><img class=\"post-image\" src=\"").attr(PostImage.address(row, slug: slug)).raw("\" alt=\"")
                .attr(row.imageText).raw("\" loading=\"lazy\"></p>\n")
        }
        h.raw("<p class=\"plain\">").text(row.body).raw("</p>\n")
        if let expires = row.expiresAt, !row.isOver(at: now) {
            h.raw("<p class=\"muted\">").text(t("info.posts.until", ["date": LocalDates.day(expires, t.language)]))
                .raw("</p>\n")
        }
    }
}

/// The Atom feed of the posts (RFC 4287): entries with their addresses, days and texts.
enum PostFeed {
    static func atom(
        _ rows: [InfoPost], tenant: String, slug: Param<TenantSlug>, base: String, now: Date, texts t: Texts
    ) -> String {
        let x = HTMLText()
        let home = base + InfoRoute.posts(slug).path
        x.raw(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"id\">\n"
        )
        .raw("<title>").text(t("info.posts.heading", ["tenant": tenant])).raw("</title>\n<id>").text(home)
        .raw("</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"").attr(home).raw("\"/>\n")
        .raw("<link rel=\"self\" type=\"application/atom+xml\" href=\"").attr(base + InfoRoute.postFeed(slug).path)
        .raw("\"/>\n<updated>").text(LocalDates.iso(rows.map(\.updatedAt).max() ?? now)).raw("</updated>\n")
        .raw("<author><name>").text(tenant).raw("</name></author>\n")
        for row in rows {
            let address = base + InfoRoute.post(slug, .value(.init(row.id ?? UUID()))).path
            x.raw("<entry>\n<title>").text(row.title).raw("</title>\n<id>").text(address)
                .raw("</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"").attr(address).raw("\"/>\n")
                .raw("<published>").text(LocalDates.iso(row.publishAt)).raw("</published>\n<updated>")
                .text(LocalDates.iso(max(row.updatedAt, row.publishAt))).raw("</updated>\n<category term=\"")
                .attr(row.kind.rawValue).raw("\" label=\"").attr(t("info.post.kind.\(row.kind.rawValue)"))
                .raw("\"/>\n<summary>").text(PostItem.excerpt(row.body)).raw("</summary>\n<content type=\"text\">")
                .text(row.body).raw("</content>\n</entry>\n")
        }
        x.raw("</feed>\n")
        return x.string
    }
}
