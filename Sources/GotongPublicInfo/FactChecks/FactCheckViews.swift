import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged

/// A verdict as a reader sees it: its word, marked by its kind (false, true, not known).
enum VerdictLabel {
    static func write(_ h: HTMLText, _ t: Texts, _ verdict: FactCheck.Verdict) {
        let tone =
            switch verdict {
            case .fakta: "ok"
            case .belumTerverifikasi: "muted"
            default: "overdue"
            }
        h.raw("<strong class=\"").raw(tone).raw("\">").text(t("info.verdict.\(verdict.rawValue)")).raw("</strong>")
    }
}

struct FactCheckListModel: PageBody {
    let slug: Param<TenantSlug>
    let tenant: String
    let verdict: FactCheck.Verdict?
    let rows: [FactCheck]
    let window: PageWindow

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.desk(slug).path).raw("\">").text(t("info.back_desk"))
            .raw("</a></p>\n<h1>").text(t("info.facts.heading", ["tenant": tenant])).raw("</h1>\n<p>")
            .text(t("info.facts.lead")).raw("</p>\n")
        // A claim a citizen doubts: the desk's report form, started as a request to check it
        // (what they doubt is written there, sent by POST, not carried in an address).
        h.raw("<p class=\"panel\">").text(t("info.facts.ask_hint")).raw(" <a href=\"")
            .attr(DeskRoute.desk(slug).path(query: ["kind": "klarifikasi"]) + "#lapor").raw("\">").text(
                t("info.facts.ask")
            )
            .raw("</a></p>\n")
        h.raw("<nav aria-label=\"").attr(t("info.facts.verdicts")).raw("\"><ul class=\"chips\">")
        h.raw("<li><a href=\"").attr(InfoRoute.factChecks(slug).path).raw("\"").raw(
            verdict == nil ? " class=\"on\"" : ""
        )
        .raw(">").text(t("info.facts.all")).raw("</a></li>")
        for option in FactCheck.Verdict.allCases {
            h.raw("<li><a href=\"").attr(InfoRoute.factChecks(slug).path(query: ["vonis": option.rawValue])).raw("\"")
                .raw(option == verdict ? " class=\"on\"" : "").raw(">").text(t("info.verdict.\(option.rawValue)"))
                .raw("</a></li>")
        }
        h.raw("</ul></nav>\n")
        if rows.isEmpty { h.raw("<p>").text(t("info.facts.none")).raw("</p>\n") }
        h.raw("<ul class=\"list\">\n")
        for row in rows {
            h.raw("<li>")
            VerdictLabel.write(h, t, row.verdict)
            h.raw(" <a href=\"").attr(InfoRoute.factCheck(slug, .value(.init(row.id ?? UUID()))).path).raw("\">")
                .text(row.claim).raw("</a><br><span class=\"muted\">").text(LocalDates.day(row.createdAt, t.language))
            if !row.seenOn.isEmpty { h.raw(" · ").text(row.seenOn) }
            h.raw("</span></li>\n")
        }
        h.raw("</ul>\n")
        InfoPager.write(h, t, window, link: link)
    }

    private func link(_ page: Int) -> String {
        InfoRoute.factChecks(slug).path(query: ["vonis": verdict?.rawValue, "halaman": String(page)])
    }
}

struct FactCheckPageModel: PageBody {
    let slug: Param<TenantSlug>
    let row: FactCheck
    /// The notice's full address, for sharing.
    let address: String

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(InfoRoute.factChecks(slug).path).raw("\">")
            .text(t("info.facts.back")).raw("</a></p>\n<p>")
        VerdictLabel.write(h, t, row.verdict)
        h.raw("</p>\n<h1>").text(row.claim).raw("</h1>\n<p class=\"muted\">")
            .text(t("info.facts.checked", ["date": LocalDates.day(row.updatedAt, t.language)]))
        if !row.seenOn.isEmpty { h.raw(" · ").text(t("info.facts.seen_on", ["where": row.seenOn])) }
        h.raw("</p>\n<h2>").text(t("info.facts.explanation")).raw("</h2>\n<p class=\"plain\">").text(row.explanation)
            .raw("</p>\n")
        if !row.sources.isEmpty {
            h.raw("<h2>").text(t("info.facts.sources")).raw("</h2>\n<ul class=\"list\">\n")
            for source in row.sources {
                h.raw("<li><a href=\"").attr(source.url).raw("\" rel=\"noopener noreferrer nofollow\">").text(
                    source.title
                )
                .raw("</a></li>\n")
            }
            h.raw("</ul>\n")
        }
        // Passing it on where the claim went round: plain links, no platform's script.
        let text = t(
            "info.facts.share_text", ["verdict": t("info.verdict.\(row.verdict.rawValue)"), "claim": row.claim])
        let message = Self.encode(text + " " + address)
        h.raw("<h2>").text(t("info.facts.share")).raw("</h2>\n<ul class=\"chips\">")
            .raw("<li><a href=\"https://wa.me/?text=").attr(message).raw(
                "\" rel=\"noopener noreferrer\">WhatsApp</a></li>"
            )
            .raw("<li><a href=\"https://x.com/intent/post?text=").attr(message)
            .raw("\" rel=\"noopener noreferrer\">X</a></li>")
            .raw("<li><a href=\"https://www.facebook.com/sharer/sharer.php?u=").attr(Self.encode(address))
            .raw("\" rel=\"noopener noreferrer\">Facebook</a></li></ul>\n")
        h.raw("<p><a href=\"").attr(DeskRoute.desk(slug).path(query: ["kind": "klarifikasi"]) + "#lapor").raw("\">")
            .text(t("info.facts.ask_other")).raw("</a></p>\n")
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? ""
    }
}

struct FactCheckEditorModel: PageBody {
    let slug: Param<TenantSlug>
    let rows: [FactCheck]
    let window: PageWindow
    let editing: FactCheck?
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        EditorNav.write(h, t, slug: slug, unanswered: nil)
        if let editing {
            let id = Param<Tagged<FactCheck, UUID>>.value(.init(editing.id ?? UUID()))
            h.raw("<p><a href=\"").attr(InfoRoute.factCheckEditor(slug).path).raw("\">").text(
                t("info.facts.back_editor")
            )
            .raw("</a></p>\n<h1>").text(t("info.facts.edit_heading")).raw("</h1>\n")
            h.postForm(InfoRoute.factCheckEdit(slug, id).path, csrf: csrf, class: "form")
            writeFields(h, t)
            h.raw("<button type=\"submit\">").text(t("info.editor.save")).raw("</button>\n</form>\n")
            h.raw("<h2 id=\"bagikan\">").text(t("info.facts.share_heading")).raw("</h2>\n<p>")
                .text(t("info.facts.share_lead")).raw("</p>\n")
            h.postForm(InfoRoute.factCheckShare(slug, id).path, csrf: csrf, class: "form")
            for channel in [DeskCase.Channel.x, .telegram, .whatsapp] {
                let name = "channel_" + channel.rawValue
                h.raw("<div class=\"check\"><input id=\"").attr(name).raw("\" name=\"").attr(name)
                    .raw("\" type=\"checkbox\" value=\"1\"><label for=\"").attr(name).raw("\">")
                    .text(t("info.posts.channel.\(channel.rawValue)")).raw("</label></div>\n")
            }
            h.raw("<button type=\"submit\">").text(t("info.facts.share_button")).raw("</button>\n</form>\n")
            h.postForm(InfoRoute.factCheckRemove(slug, id).path, csrf: csrf, class: "form")
                .raw("<button type=\"submit\" class=\"secondary\">").text(t("info.facts.remove")).raw(
                    "</button>\n</form>\n")
            return
        }
        h.raw("<h1>").text(t("info.facts.editor_heading")).raw("</h1>\n<p>").text(t("info.facts.editor_lead"))
            .raw(" <a href=\"").attr(InfoRoute.factChecks(slug).path).raw("\">").text(t("info.editor.public"))
            .raw("</a></p>\n")
        h.postForm(InfoRoute.factCheckEditor(slug).path, csrf: csrf, class: "form")
        writeFields(h, t)
        h.raw("<button type=\"submit\">").text(t("info.facts.publish")).raw("</button>\n</form>\n")
        h.raw("<h2>").text(t("info.facts.published_heading", ["count": "\(window.total)"])).raw(
            "</h2>\n<ul class=\"list\">\n")
        for row in rows {
            h.raw("<li>")
            VerdictLabel.write(h, t, row.verdict)
            h.raw(" <a href=\"").attr(InfoRoute.factCheckEdit(slug, .value(.init(row.id ?? UUID()))).path).raw("\">")
                .text(row.claim).raw("</a></li>\n")
        }
        h.raw("</ul>\n")
        InfoPager.write(h, t, window) { InfoRoute.factCheckEditor(slug).path(query: ["halaman": String($0)]) }
    }

    private func writeFields(_ h: HTMLText, _ t: Texts) {
        let verdicts =
            [SelectOption(value: "", label: t("desk.field.choose"), selected: values["verdict"] == nil)]
            + FactCheck.Verdict.allCases.map {
                SelectOption(
                    value: $0.rawValue, label: t("info.verdict.\($0.rawValue)"),
                    selected: values["verdict"] == $0.rawValue)
            }
        h.textField(
            TextField(
                "claim", label: t("info.facts.claim"), value: values["claim"], error: errors["claim"],
                hint: t("info.facts.claim_hint"), kind: .area(rows: 3), max: 500, required: true))
        h.textField(
            TextField(
                "verdict", label: t("info.facts.verdict"), value: nil, error: errors["verdict"],
                kind: .select(verdicts),
                required: true))
        h.textField(
            TextField(
                "explanation", label: t("info.facts.explanation"), value: values["explanation"],
                error: errors["explanation"], kind: .area(rows: 6), max: 4000, required: true))
        h.textField(
            TextField(
                "seen_on", label: t("info.facts.seen_on_field"), value: values["seen_on"], error: errors["seen_on"],
                hint: t("info.facts.seen_on_hint"), max: 200))
        h.textField(
            TextField(
                "sources", label: t("info.facts.sources"), value: values["sources"], error: errors["sources"],
                hint: t("info.facts.sources_hint"), kind: .area(rows: 3)))
    }
}
