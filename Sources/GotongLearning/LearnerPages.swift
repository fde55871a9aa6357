import GotongPlatform

// The learner's two busiest pages, written in Swift from their models (see docs/rendering.md).

extension LearningRoutes.OutlineModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(courseURL).raw("\">").text(courseTitle).raw("</a></p>\n<h1>")
            .text(t("learning.outline.heading")).raw("</h1>\n")
        if preview { h.raw("<p class=\"flash info\">").text(t("learning.preview")).raw("</p>\n") }
        h.raw("<div class=\"progress\" role=\"progressbar\" aria-valuemin=\"0\" aria-valuemax=\"100\" aria-valuenow=\"")
            .text("\(percent)").raw("\" aria-label=\"").attr(t("learning.progress")).raw("\"><span style=\"width:")
            .text("\(percent)").raw("%\"></span></div>\n<p>").text(t("learning.percent", ["percent": "\(percent)"]))
        if completed { h.raw(" · <strong class=\"ok\">").text(t("learning.course_done")).raw("</strong>") }
        h.raw("</p>\n")
        if let finishedURL {
            h.raw("<p><a class=\"button\" href=\"").attr(finishedURL).raw("\">").text(t("learning.finished.link"))
                .raw("</a></p>\n")
        }
        if let nextURL {
            h.raw("<p><a class=\"button\" href=\"").attr(nextURL).raw("\">")
                .text(t("learning.continue", ["activity": nextTitle ?? ""])).raw("</a></p>\n")
        }
        if sequential { h.raw("<p class=\"hint\">").text(t("learning.sequential_note")).raw("</p>\n") }
        if isEmpty { h.raw("<p class=\"muted\">").text(t("learning.empty")).raw("</p>\n") }
        for section in sections {
            h.raw("<section class=\"topic\"><h2>").text(section.title).raw("</h2>\n<ol class=\"steps\">\n")
            for item in section.items { write(item, to: h, texts: t) }
            h.raw("</ol></section>\n")
        }
    }

    private func write(_ item: Item, to h: HTMLText, texts t: Texts) {
        h.raw(item.completed ? "<li class=\"done\">" : item.locked != nil ? "<li class=\"locked\">" : "<li>")
        if let locked = item.locked {
            h.raw("<span class=\"step-title\">").text(item.title).raw("</span> <span class=\"muted\">(").text(item.type)
                .raw(")</span><br><span class=\"lock\">").text(locked).raw("</span>")
        } else {
            h.raw("<a class=\"step-title\" href=\"").attr(item.url).raw("\">").text(item.title)
                .raw("</a> <span class=\"muted\">(").text(item.type).raw(")</span>")
        }
        if item.completed {
            h.raw(" <span class=\"ok\">").icon(.check).raw(" ").text(t("learning.done")).raw("</span>")
        }
        if let minutes = item.minutes {
            h.raw(" <span class=\"muted\">· ").text(t("learning.minutes_spent", ["n": "\(minutes)"])).raw("</span>")
        }
        h.raw("</li>\n")
    }
}

extension LearningRoutes.ActivityModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(outlineURL).raw("\">").text(courseTitle).raw("</a>")
        if !sectionTitle.isEmpty { h.raw(" › ").text(sectionTitle) }
        h.raw("</p>\n<h1>").text(title).raw("</h1>\n<p class=\"meta\">").text(type).raw(" · ")
            .text(t("learning.step_of", ["n": "\(position)", "count": "\(count)"]))
        if let rule { h.raw(" · ").text(rule) }
        h.raw("</p>\n")
        if preview { h.raw("<p class=\"flash info\">").text(t("learning.preview")).raw("</p>\n") }
        if let locked {
            h.raw("<p class=\"flash info\" role=\"status\">").icon(.lock).raw(" ").text(locked).raw("</p>\n")
        }
        if let bodyHTML {
            h.raw("<article class=\"activity\"")
            if let beatURL {
                h.raw(" data-beat=\"").attr(beatURL).raw("\" data-ticket=\"").attr(ticket ?? "").raw("\"")
            }
            // The type's own HTML, already escaped and sanitised where it was written.
            h.raw(">").raw(bodyHTML).raw("</article>\n")
        }
        timer?.write(to: h, texts: t, csrf: csrf)
        h.raw("<p id=\"done-note\" class=\"ok\"").raw(completed ? "" : " hidden").raw(">").icon(.check).raw(" ")
            .text(t("learning.activity_done")).raw("</p>\n")
        h.raw("<nav class=\"pager\" aria-label=\"").attr(t("learning.steps")).raw("\">")
        if let previousURL {
            h.raw("<a href=\"").attr(previousURL).raw("\" rel=\"prev\">").text(t("catalog.previous")).raw("</a>")
        }
        h.raw(" <a href=\"").attr(outlineURL).raw("\">").text(t("learning.outline.heading")).raw("</a> ")
        if let nextURL { h.raw("<a href=\"").attr(nextURL).raw("\" rel=\"next\">").text(t("catalog.next")).raw("</a>") }
        h.raw("</nav>\n")
        if let finishedURL {
            h.raw("<p><a class=\"button\" href=\"").attr(finishedURL).raw("\">").text(t("learning.finished.link"))
                .raw("</a></p>\n")
        }
        // No "Berikutnya" to a locked step: what to do first instead.
        if let nextLocked {
            h.raw("<p class=\"muted\">").icon(.lock).raw(" ").text(t("learning.next_locked")).raw(" ").text(nextLocked)
                .raw("</p>\n")
        }
    }
}
