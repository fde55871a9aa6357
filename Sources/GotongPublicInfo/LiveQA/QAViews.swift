import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged

enum QAState {
    static func label(_ t: Texts, _ state: QASession.State) -> String { t("info.qa.state.\(state.rawValue)") }
}

struct QAListModel: PageBody {
    let slug: Param<TenantSlug>
    let tenant: String
    let coming: [QASession]
    let past: [QASession]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.desk(slug).path).raw("\">").text(t("info.back_desk"))
            .raw("</a></p>\n<h1>").text(t("info.qa.heading", ["tenant": tenant])).raw("</h1>\n<p>")
            .text(t("info.qa.lead")).raw("</p>\n<h2>").text(t("info.qa.coming")).raw("</h2>\n")
        list(h, t, coming, empty: "info.qa.none_coming")
        h.raw("<h2>").text(t("info.qa.past")).raw("</h2>\n")
        list(h, t, past, empty: "info.qa.none_past")
    }

    private func list(_ h: HTMLText, _ t: Texts, _ sessions: [QASession], empty: String) {
        if sessions.isEmpty { h.raw("<p class=\"muted\">").text(t(empty)).raw("</p>\n") }
        h.raw("<ul class=\"list\">\n")
        for s in sessions {
            h.raw("<li><a href=\"").attr(InfoRoute.qaSession(slug, .value(.init(s.id ?? UUID()))).path).raw("\">")
                .text(s.topic).raw("</a><br><span class=\"muted\">").text(s.official).raw(" · ")
                .text(LocalDates.moment(s.startsAt, t.language)).raw(" · ").text(QAState.label(t, s.state))
                .raw("</span></li>\n")
        }
        h.raw("</ul>\n")
    }
}

struct QASessionModel: PageBody {
    let slug: Param<TenantSlug>
    let session: QASession
    let questions: [QAQuestion]
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let id = Param<Tagged<QASession, UUID>>.value(.init(session.id ?? UUID()))
        h.raw("<p class=\"crumbs\"><a href=\"").attr(InfoRoute.qaSessions(slug).path).raw("\">").text(t("info.qa.back"))
            .raw("</a></p>\n<h1>").text(session.topic).raw("</h1>\n<p class=\"lead\">").text(session.official)
            .raw("</p>\n<p><strong>").text(QAState.label(t, session.state)).raw("</strong> · ")
            .text(LocalDates.moment(session.startsAt, t.language)).raw("</p>\n")
        if !session.summary.isEmpty { h.raw("<p class=\"plain\">").text(session.summary).raw("</p>\n") }
        if !session.liveURL.isEmpty {
            h.raw("<p><a class=\"button\" href=\"").attr(session.liveURL).raw("\" rel=\"noopener noreferrer\">")
                .text(t("info.qa.watch")).raw("</a></p>\n")
        }
        if session.state != .ended {
            h.raw("<h2>").text(t("info.qa.ask_heading")).raw("</h2>\n")
            h.postForm(InfoRoute.qaSession(slug, id).path, csrf: csrf, class: "form")
                .textField(
                    TextField(
                        "question", label: t("info.qa.question"), value: values["question"], error: errors["question"],
                        kind: .area(rows: 3), max: 500, required: true)
                )
                .textField(
                    TextField(
                        "name", label: t("info.qa.name"), value: values["name"], error: errors["name"],
                        hint: t("info.qa.name_hint"), max: 80, attributes: " autocomplete=\"name\"")
                )
                .raw("<button type=\"submit\">").text(t("info.qa.send")).raw("</button>\n</form>\n")
        }
        h.raw("<h2 id=\"pertanyaan\">").text(t("info.qa.questions", ["count": "\(questions.count)"])).raw("</h2>\n")
        if questions.isEmpty { h.raw("<p class=\"muted\">").text(t("info.qa.no_questions")).raw("</p>\n") }
        h.raw("<ol class=\"list\">\n")
        for q in questions {
            h.raw("<li><p>").text(q.text).raw("</p><p class=\"muted\">")
            if !q.name.isEmpty { h.text(q.name).raw(" · ") }
            h.text(t("info.qa.votes", ["count": "\(q.votes)"]))
            if q.state == .answering { h.raw(" · <strong>").text(t("info.qa.answering")).raw("</strong>") }
            h.raw("</p>\n")
            if !q.answer.isEmpty {
                h.raw("<p class=\"plain\"><strong>").text(t("info.qa.answer")).raw(":</strong> ").text(q.answer)
                    .raw("</p>\n")
            }
            if session.state != .ended {
                h.postForm(InfoRoute.qaVote(slug, id).path, csrf: csrf, class: "inline")
                    .raw("<input type=\"hidden\" name=\"question\" value=\"").attr(q.id?.uuidString ?? "")
                    .raw("\"><button type=\"submit\" class=\"small secondary\" aria-label=\"")
                    .attr(t("info.qa.vote_named", ["question": String(q.text.prefix(80))])).raw("\">")
                    .text(t("info.qa.vote")).raw("</button></form>\n")
            }
            h.raw("</li>\n")
        }
        h.raw("</ol>\n")
    }
}

struct QAEditorModel: PageBody {
    let slug: Param<TenantSlug>
    let sessions: [QASession]
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        EditorNav.write(h, t, slug: slug, unanswered: nil)
        h.raw("<h1>").text(t("info.qa.editor_heading")).raw("</h1>\n<ul class=\"list\">\n")
        for s in sessions {
            h.raw("<li><a href=\"").attr(InfoRoute.qaHost(slug, .value(.init(s.id ?? UUID()))).path).raw("\">")
                .text(s.topic).raw("</a> <span class=\"muted\">").text(LocalDates.moment(s.startsAt, t.language))
                .raw(" · ").text(QAState.label(t, s.state)).raw("</span></li>\n")
        }
        h.raw("</ul>\n<h2>").text(t("info.qa.add")).raw("</h2>\n")
        h.postForm(InfoRoute.qaEditor(slug).path, csrf: csrf, class: "form")
        QASessionFields.write(h, t, values: values, errors: errors)
        h.raw("<button type=\"submit\">").text(t("info.qa.add")).raw("</button>\n</form>\n")
    }
}

enum QASessionFields {
    static func write(_ h: HTMLText, _ t: Texts, values: [String: String], errors: [String: String]) {
        h.textField(
            TextField(
                "topic", label: t("info.qa.topic"), value: values["topic"], error: errors["topic"], max: 200,
                required: true))
        h.textField(
            TextField(
                "official", label: t("info.qa.official"), value: values["official"], error: errors["official"],
                hint: t("info.qa.official_hint"), max: 200, required: true))
        h.textField(
            TextField(
                "starts_at", label: t("info.qa.starts_at"), value: values["starts_at"], error: errors["starts_at"],
                kind: .input("datetime-local"), required: true))
        h.textField(
            TextField(
                "live_url", label: t("info.qa.live_url"), value: values["live_url"], error: errors["live_url"],
                hint: t("info.qa.live_url_hint"), kind: .input("url"), max: 500))
        h.textField(
            TextField(
                "summary", label: t("info.qa.summary"), value: values["summary"], error: errors["summary"],
                kind: .area(rows: 3), max: 2000))
    }
}

struct QAHostModel: PageBody {
    let slug: Param<TenantSlug>
    let session: QASession
    let questions: [QAQuestion]
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let id = Param<Tagged<QASession, UUID>>.value(.init(session.id ?? UUID()))
        h.raw("<p class=\"crumbs\"><a href=\"").attr(InfoRoute.qaEditor(slug).path).raw("\">").text(
            t("info.qa.back_editor")
        )
        .raw("</a> · <a href=\"").attr(InfoRoute.qaSession(slug, id).path).raw("\">").text(t("info.editor.view"))
        .raw("</a></p>\n<h1>").text(session.topic).raw("</h1>\n<p><strong>").text(QAState.label(t, session.state))
        .raw("</strong></p>\n")
        for (state, label) in [
            (QASession.State.live, "info.qa.go_live"), (.ended, "info.qa.end"), (.upcoming, "info.qa.reopen"),
        ]
        where state != session.state {
            h.postForm(InfoRoute.qaHostState(slug, id).path, csrf: csrf, class: "inline")
                .raw("<input type=\"hidden\" name=\"state\" value=\"").raw(state.rawValue)
                .raw("\"><button type=\"submit\" class=\"small\">").text(t(label)).raw("</button></form> ")
        }
        h.raw("<h2>").text(t("info.qa.questions", ["count": "\(questions.count)"])).raw("</h2>\n<ol class=\"list\">\n")
        for q in questions {
            let qid = q.id?.uuidString ?? ""
            h.raw("<li id=\"q-").attr(qid).raw("\"><p>").text(q.text).raw("</p><p class=\"muted\">")
            if !q.name.isEmpty { h.text(q.name).raw(" · ") }
            h.text(t("info.qa.votes", ["count": "\(q.votes)"])).raw(" · ").text(
                t("info.qa.q_state.\(q.state.rawValue)")
            )
            .raw("</p>\n")
            h.postForm(InfoRoute.qaHostQuestion(slug, id).path, csrf: csrf, class: "form")
                .raw("<input type=\"hidden\" name=\"question\" value=\"").attr(qid).raw("\">\n")
            var answer = TextField(
                "answer", label: t("info.qa.answer"), value: q.answer, error: nil, kind: .area(rows: 3), max: 4000)
            answer.id = "answer-\(qid)"
            h.textField(answer)
            h.raw("<button type=\"submit\" name=\"move\" value=\"answered\">").text(t("info.qa.mark_answered"))
                .raw("</button> <button type=\"submit\" name=\"move\" value=\"answering\" class=\"secondary\">")
                .text(t("info.qa.mark_answering")).raw("</button> ")
            let hide = q.state == .hidden ? ("show", "info.qa.show") : ("hide", "info.qa.hide")
            h.raw("<button type=\"submit\" name=\"move\" value=\"").raw(hide.0).raw("\" class=\"secondary\">")
                .text(t(hide.1)).raw("</button>\n</form></li>\n")
        }
        h.raw("</ol>\n<h2>").text(t("info.qa.details")).raw("</h2>\n")
        h.postForm(InfoRoute.qaHost(slug, id).path, csrf: csrf, class: "form")
        QASessionFields.write(h, t, values: values, errors: errors)
        h.raw("<button type=\"submit\">").text(t("info.editor.save")).raw("</button>\n</form>\n")
    }
}
