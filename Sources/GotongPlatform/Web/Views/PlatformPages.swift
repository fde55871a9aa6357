// The platform's own pages, written in Swift from their models (see docs/rendering.md): a
// message, the error page and the jobs page. What they write is what their templates wrote.

/// A page that only says something: a heading, a sentence and links onward (the modules
/// above name their own addresses, which the platform cannot).
public struct MessagePage: PageBody {
    /// A link under the message: its address and the catalogue key of its text.
    public struct Link: Sendable {
        public let url: String
        public let label: String

        public init(url: String, label: String) {
            self.url = url
            self.label = label
        }
    }

    let heading: String
    let text: String
    let links: [Link]

    public init(heading: String, text: String, links: [Link]) {
        self.heading = heading
        self.text = text
        self.links = links
    }

    public func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(heading).raw("</h1>\n<p>").text(text).raw("</p>\n")
        guard !links.isEmpty else { return }
        h.raw("<p>")
        for (index, link) in links.enumerated() {
            h.raw(index == 0 ? "<a href=\"" : " · <a href=\"").attr(link.url).raw("\">").text(t(link.label)).raw("</a>")
        }
        h.raw("</p>\n")
    }
}

/// The page of an error: its title, what went wrong, the status code and the way home.
struct ErrorPage: PageBody {
    let code: Int
    let heading: String
    let detail: String

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(heading).raw("</h1>\n<p>").text(detail).raw("</p>\n<p class=\"muted\">")
            .text(t("error.code", ["code": "\(code)"])).raw("</p>\n<p><a href=\"/\">").text(t("error.home"))
            .raw("</a></p>\n")
    }
}

extension JobsPage.Model: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("jobs.title")).raw("</h1>\n<p class=\"muted\">").text(t("jobs.lead")).raw("</p>\n<ul>")
        for count in counts {
            h.raw("<li>").text(count.status).raw(": <strong>").text("\(count.count)").raw("</strong></li>")
        }
        h.raw("</ul>\n")
        guard !rows.isEmpty else {
            h.raw("<p>").text(t("jobs.empty")).raw("</p>\n")
            return
        }
        let l = ["jobs.kind", "jobs.status", "jobs.attempts", "jobs.run_at", "jobs.error", "action.actions"].map {
            t($0)
        }
        h.stackTable(l, caption: t("jobs.title"))
        for row in rows {
            h.raw("<tr>").cell(l[0]).text(row.kind).raw("</td>").cell(l[1]).text(row.status).raw("</td>").cell(l[2])
                .text("\(row.attempts)").raw("</td>").cell(l[3]).text(row.runAt).raw("</td>").cell(l[4])
                .raw("<span class=\"muted\">").text(row.error).raw("</span></td>\n").cell(l[5])
            if row.failed {
                h.postButton(
                    PlatformRoute.retryJob(.value(row.id)).path, csrf: csrf, label: t("jobs.retry"), formClass: nil)
            }
            h.raw("</td></tr>\n")
        }
        h.endStackTable()
    }
}
