import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged

struct PostEditorModel: PageBody {
    let slug: Param<TenantSlug>
    let rows: [InfoPost]
    let window: PageWindow
    let now: Date
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        EditorNav.write(h, t, slug: slug, unanswered: nil)
        h.raw("<h1>").text(t("info.posts.editor_heading")).raw("</h1>\n<p>").text(t("info.posts.editor_lead"))
            .raw(" <a href=\"").attr(InfoRoute.posts(slug).path).raw("\">").text(t("info.editor.public")).raw(
                "</a></p>\n")
        h.postForm(InfoRoute.postEditor(slug).path, csrf: csrf, class: "form", multipart: true)
        PostFields.write(h, t, values: values, errors: errors, hasImage: false, sent: false)
        h.raw("<button type=\"submit\">").text(t("info.posts.save")).raw("</button>\n</form>\n")
        h.raw("<h2>").text(t("info.posts.all_heading", ["count": "\(window.total)"])).raw(
            "</h2>\n<ul class=\"list\">\n")
        for row in rows {
            h.raw("<li><a href=\"").attr(InfoRoute.postEdit(slug, .value(.init(row.id ?? UUID()))).path).raw("\">")
                .text(row.title).raw("</a><br><span class=\"muted\">").text(
                    t("info.posts.state.\(row.state(at: now).rawValue)")
                )
                .raw(" · ").text(LocalDates.moment(row.publishAt, t.language)).raw("</span></li>\n")
        }
        h.raw("</ul>\n")
        InfoPager.write(h, t, window) { InfoRoute.postEditor(slug).path(query: ["halaman": String($0)]) }
        h.raw("<h2 id=\"angka\">").text(t("info.posts.figures_heading")).raw("</h2>\n<p>").text(
            t("info.posts.figures_lead")
        )
        .raw("</p>\n<pre>channel,post,reach,views,likes,comments,shares\n")
        .raw("instagram,17895695668004550,1250,3400,210,18,9</pre>\n")
        h.postForm(InfoRoute.postFigures(slug).path, csrf: csrf, class: "form", multipart: true)
            .textField(
                TextField(
                    PostFigureImport.field, label: t("info.posts.figures_file"), value: nil,
                    error: errors[PostFigureImport.field], kind: .file(accept: ".csv,text/csv"), required: true)
            )
            .raw("<button type=\"submit\">").text(t("info.posts.figures_import")).raw("</button>\n</form>\n")
    }
}

/// The fields of a post, for a new one and for a change.
enum PostFields {
    static func write(
        _ h: HTMLText, _ t: Texts, values: [String: String], errors: [String: String], hasImage: Bool, sent: Bool
    ) {
        let kinds =
            [SelectOption(value: "", label: t("desk.field.choose"), selected: values["kind"] == nil)]
            + InfoPost.Kind.allCases.map {
                SelectOption(
                    value: $0.rawValue, label: t("info.post.kind.\($0.rawValue)"),
                    selected: values["kind"] == $0.rawValue)
            }
        h.textField(
            TextField(
                "kind", label: t("info.posts.kind"), value: nil, error: errors["kind"], kind: .select(kinds),
                required: true))
        h.textField(
            TextField(
                "title", label: t("info.posts.title_field"), value: values["title"], error: errors["title"], max: 150,
                required: true))
        h.textField(
            TextField(
                "body", label: t("info.posts.body"), value: values["body"], error: errors["body"],
                hint: t("info.posts.body_hint"), kind: .area(rows: 8), max: 5000, required: true))
        h.textField(
            TextField(
                Posts.imageField, label: t("info.posts.image"), value: nil, error: errors[Posts.imageField],
                hint: t("info.posts.image_hint"), kind: .file(accept: "image/png,image/jpeg")))
        if hasImage {
            h.raw(
                "<div class=\"check\"><input id=\"remove_image\" name=\"remove_image\" type=\"checkbox\" value=\"1\">"
            )
            .raw("<label for=\"remove_image\">").text(t("info.posts.remove_image")).raw("</label></div>\n")
        }
        h.textField(
            TextField(
                "image_text", label: t("info.posts.image_text"), value: values["image_text"],
                error: errors["image_text"],
                hint: t("info.posts.image_text_hint"), max: 300))
        h.textField(
            TextField(
                "publish_at", label: t("info.posts.publish_at"), value: values["publish_at"],
                error: errors["publish_at"],
                hint: t("info.posts.publish_at_hint"), kind: .input("datetime-local")))
        h.textField(
            TextField(
                "expires_at", label: t("info.posts.expires_at"), value: values["expires_at"],
                error: errors["expires_at"],
                hint: t("info.posts.expires_at_hint"), kind: .input("datetime-local")))
        h.raw("<fieldset><legend>").text(t("info.posts.channels")).raw("</legend>\n")
        if let error = errors["channels"] {
            h.raw("<p class=\"error\" id=\"channels-error\">").text(error).raw("</p>\n")
        }
        if sent { h.raw("<p class=\"muted\">").text(t("info.posts.channels_sent")).raw("</p>\n") }
        for channel in PostRules.channels {
            let name = "channel_" + channel.rawValue
            h.raw("<div class=\"check\"><input id=\"").attr(name).raw("\" name=\"").attr(name)
                .raw("\" type=\"checkbox\" value=\"1\"").raw(values[name] != nil ? " checked" : "")
                .raw(sent ? " disabled" : "").raw("><label for=\"").attr(name).raw("\">")
                .text(t("info.posts.channel.\(channel.rawValue)")).raw("</label></div>\n")
        }
        h.raw("</fieldset>\n")
    }
}

struct PostEditModel: PageBody {
    let slug: Param<TenantSlug>
    let row: InfoPost
    let now: Date
    let values: [String: String]
    let errors: [String: String]
    let previews: [(DeskCase.Channel, Publication)]
    let deliveries: [PostDelivery]
    let figures: [InfoPostFigures]
    let connected: Set<DeskCase.Channel>
    let subscribers: Int

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let id = Param<PostID>.value(.init(row.id ?? UUID()))
        EditorNav.write(h, t, slug: slug, unanswered: nil)
        h.raw("<p><a href=\"").attr(InfoRoute.postEditor(slug).path).raw("\">").text(t("info.posts.back_editor"))
            .raw("</a></p>\n<h1>").text(row.title).raw("</h1>\n<p class=\"muted\">").text(
                t("info.posts.state.\(row.state(at: now).rawValue)"))
        if row.publishAt <= now {
            h.raw(" · <a href=\"").attr(InfoRoute.post(slug, id).path).raw("\">").text(t("info.posts.view")).raw("</a>")
        }
        h.raw("</p>\n")
        writeChannels(h, t, id: id, csrf: csrf)
        h.raw("<h2>").text(t("info.posts.change")).raw("</h2>\n")
        h.postForm(InfoRoute.postEdit(slug, id).path, csrf: csrf, class: "form", multipart: true)
        PostFields.write(h, t, values: values, errors: errors, hasImage: row.imageKey != nil, sent: row.sentAt != nil)
        h.raw("<button type=\"submit\">").text(t("info.editor.save")).raw("</button>\n</form>\n")
        h.postForm(InfoRoute.postRemove(slug, id).path, csrf: csrf, class: "form")
            .raw("<button type=\"submit\" class=\"secondary\">").text(t("info.posts.remove")).raw(
                "</button>\n</form>\n")
    }

    /// Each channel: its text as it will be (or was) sent, where the send is, and its figures.
    private func writeChannels(_ h: HTMLText, _ t: Texts, id: Param<PostID>, csrf: String) {
        guard !previews.isEmpty else {
            h.raw("<p>").text(t("info.posts.no_channels")).raw("</p>\n")
            return
        }
        h.raw("<h2>").text(t("info.posts.channels_heading")).raw("</h2>\n")
        for (channel, item) in previews {
            h.raw("<section class=\"card\"><h3>").text(t("info.posts.channel.\(channel.rawValue)")).raw("</h3>\n")
            if !connected.contains(channel) {
                h.raw("<p class=\"notice\">").text(t("info.posts.not_connected")).raw("</p>\n")
            } else if channel == .whatsapp {
                h.raw("<p class=\"muted\">").text(t("info.posts.subscribers", ["count": "\(subscribers)"])).raw(" ")
                    .text(t("info.posts.whatsapp_template")).raw("</p>\n")
            }
            let limit = PostRules.limit(channel, image: item.image != nil)
            h.raw("<p class=\"muted\">").text(
                t("info.posts.length", ["length": "\(PostRules.length(item.text, on: channel))", "limit": "\(limit)"])
            ).raw("</p>\n<pre class=\"preview\">").text(item.text).raw("</pre>\n")
            writeDelivery(h, t, channel, id: id, csrf: csrf)
            if let f = figures.first(where: { $0.channel == channel }) {
                h.raw("<p>").text(
                    t(
                        "info.posts.figures",
                        [
                            "reach": "\(f.reach)", "views": "\(f.views)", "likes": "\(f.likes)",
                            "comments": "\(f.comments)",
                            "shares": "\(f.shares)", "date": LocalDates.day(f.importedAt, t.language),
                        ])
                ).raw("</p>\n")
            }
            h.raw("</section>\n")
        }
    }

    private func writeDelivery(_ h: HTMLText, _ t: Texts, _ channel: DeskCase.Channel, id: Param<PostID>, csrf: String)
    {
        guard let sent = deliveries.first(where: { $0.channel == channel }) else {
            let key =
                row.sentAt != nil
                ? "info.posts.nobody"
                : row.isOver(at: now)
                    ? "info.posts.never" : row.publishAt <= now ? "info.posts.queued" : "info.posts.waiting"
            h.raw("<p>").text(t(key, ["at": LocalDates.moment(row.publishAt, t.language)])).raw("</p>\n")
            return
        }
        h.raw("<p><strong>").text(t("desk.delivery.\(sent.state.rawValue)")).raw("</strong>")
        if sent.total > 1 {
            h.raw(" · ").text(
                t("info.posts.counts", ["sent": "\(sent.sent)", "total": "\(sent.total)", "failed": "\(sent.failed)"]))
        }
        if !sent.externalID.isEmpty { h.raw(" · ").text(t("info.posts.platform_id", ["id": sent.externalID])) }
        h.raw("</p>\n")
        if sent.failed > 0 {
            if !sent.lastError.isEmpty { h.raw("<p class=\"error\">").text(sent.lastError).raw("</p>\n") }
            h.postForm(InfoRoute.postRetry(slug, id).path, csrf: csrf, class: "inline")
                .raw("<input type=\"hidden\" name=\"channel\" value=\"").attr(channel.rawValue)
                .raw("\"><button type=\"submit\">").text(t("info.posts.retry")).raw("</button></form>\n")
        }
    }
}
