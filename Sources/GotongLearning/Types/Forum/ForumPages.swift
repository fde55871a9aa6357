import GotongPlatform

// The forum's views, written in Swift from their models (see docs/rendering.md).

extension ForumType.ListModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.prose(descriptionHTML).raw("\n<h2>").text(t("forum.threads")).raw("</h2>\n")
        if threads.isEmpty {
            h.raw("<p class=\"muted\">").text(t("forum.none")).raw("</p>")
        } else {
            h.raw("<ul class=\"notes\">")
            for thread in threads {
                h.raw("<li><a href=\"").attr(thread.url).raw("\">").text(thread.title).raw("</a>")
                if thread.answered { h.raw(" <span class=\"badge ok\">").text(t("forum.answered")).raw("</span>") }
                h.raw("<br><span class=\"muted\">").text(thread.author).raw(" · ")
                    .text(t("forum.replies", ["n": "\(thread.replies)"])).raw(" · ").text(thread.when)
                    .raw("</span></li>")
            }
            h.raw("</ul>")
        }
        h.raw("\n")
        ForumType.NewThreadModel.writeForm(action: action, values: [:], errors: [:], to: h, texts: t, csrf: csrf)
    }
}

extension ForumType.NewThreadModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(activityURL).raw("\">").text(courseTitle).raw(" › ")
            .text(activityTitle).raw("</a></p>\n")
        Self.writeForm(action: action, values: values, errors: errors, to: h, texts: t, csrf: csrf)
    }

    /// The form that starts a thread: under the forum's list, and alone with what was typed
    /// and each field's error when it was refused.
    static func writeForm(
        action: String, values: [String: String], errors: [String: String], to h: HTMLText, texts t: Texts,
        csrf: String
    ) {
        var title = TextField(
            "title", label: t("forum.title"), value: values["title"], error: errors["title"], max: Forum.maxTitle,
            required: true)
        title.id = "thread-title"
        var body = TextField(
            "body", label: t("forum.body"), value: values["body"], error: errors["body"], kind: .area(rows: 5),
            max: Forum.maxBody, required: true)
        body.id = "thread-body"
        h.postForm(action, csrf: csrf, class: "panel").raw("\n<h2>").text(t("forum.new_thread")).raw("</h2>\n")
            .textField(title).textField(body)
            .raw("<button type=\"submit\">").text(t("forum.post")).raw("</button>\n</form>\n")
    }
}

extension ForumType.ThreadModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(activityURL).raw("\">").text(courseTitle).raw(" › ")
            .text(activityTitle).raw("</a></p>\n<h1>").text(title).raw("</h1>\n<ol class=\"posts\">\n")
        for post in posts {
            h.raw("<li id=\"post-").attr(post.id).raw(post.isAnswer ? "\" class=\"answer\">" : "\">")
                .raw("<p class=\"meta\"><strong>").text(post.author).raw("</strong> · ").text(post.when)
            if post.isAnswer { h.raw(" · <span class=\"badge ok\">").text(t("forum.the_answer")).raw("</span>") }
            // Written by SafeMarkdown: escaped and sanitised already.
            h.raw("</p>\n<div class=\"prose\">").raw(post.html).raw("</div>\n")
            if canMarkAnswer && !post.isFirst {
                // The answer's own button takes the mark away; any other post's sets it.
                h.postForm(answerAction, csrf: csrf, class: "inline")
                    .raw("<input type=\"hidden\" name=\"post_id\" value=\"").attr(post.isAnswer ? "" : post.id)
                    .raw("\"><button type=\"submit\" class=\"small secondary\">")
                    .text(t(post.isAnswer ? "forum.unmark" : "forum.mark")).raw("</button></form>")
            }
            h.raw("</li>\n")
        }
        // The reply keeps what was typed when it is refused, with the reason at the field.
        h.raw("</ol>\n<form method=\"post\" action=\"").attr(replyAction).raw("\" class=\"panel\" novalidate>")
            .csrfField(csrf).raw("\n")
            .textField(
                TextField(
                    "body", label: t("forum.reply"), value: replyBody, error: replyError, kind: .area(rows: 4),
                    max: 10_000, required: true)
            )
            .raw("<button type=\"submit\">").text(t("forum.send")).raw("</button>\n</form>\n")
    }
}
