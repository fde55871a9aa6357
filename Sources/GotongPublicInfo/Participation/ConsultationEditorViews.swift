import Foundation
import GotongEvaluation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy

/// The fields of a poll, survey or consultation: the kind's own fields all shown (a page
/// without script), each saying which kind it serves.
enum ConsultationFields {
    static func write(
        _ h: HTMLText, _ t: Texts, slug: Param<TenantSlug>, forms: [(UUID, String)], values: [String: String],
        errors: [String: String], answered: Bool, kindFixed: Bool
    ) {
        let kinds =
            [SelectOption(value: "", label: t("desk.field.choose"), selected: values["kind"] == nil)]
            + Consultation.Kind.allCases.map {
                SelectOption(
                    value: $0.rawValue, label: t("info.voice.kind.\($0.rawValue)"),
                    selected: values["kind"] == $0.rawValue)
            }
        if kindFixed {
            h.raw("<input type=\"hidden\" name=\"kind\" value=\"").attr(values["kind"] ?? "").raw("\">\n")
        } else {
            h.textField(
                TextField(
                    "kind", label: t("info.voice.kind"), value: nil, error: errors["kind"], kind: .select(kinds),
                    required: true))
        }
        h.textField(
            TextField(
                "title", label: t("info.voice.title_field"), value: values["title"], error: errors["title"],
                hint: t("info.voice.title_hint"), max: 200, required: true))
        h.textField(
            TextField(
                "intro", label: t("info.voice.intro"), value: values["intro"], error: errors["intro"],
                kind: .area(rows: 4), max: 4000))
        if answered { h.raw("<p class=\"notice\">").text(t("info.voice.answered_fixed")).raw("</p>\n") }
        h.textField(
            TextField(
                "choices", label: t("info.voice.choices"), value: values["choices"], error: errors["choices"],
                hint: t("info.voice.choices_hint"), kind: .area(rows: 5)))
        let options =
            [SelectOption(value: "", label: t("desk.field.choose"), selected: (values["form_id"] ?? "").isEmpty)]
            + forms.map {
                SelectOption(
                    value: $0.0.uuidString, label: $0.1,
                    selected: values["form_id"]?.lowercased() == $0.0.uuidString.lowercased())
            }
        h.textField(
            TextField(
                "form_id", label: t("info.voice.form"), value: nil, error: errors["form_id"],
                hint: t("info.voice.form_hint"), kind: .select(options)))
        h.raw("<p class=\"muted\"><a href=\"").attr(EvaluationRoute.forms(slug).path).raw("\">")
            .text(t("info.voice.build_form")).raw("</a></p>\n")
        h.textField(
            TextField(
                "sections", label: t("info.voice.sections"), value: values["sections"], error: errors["sections"],
                hint: t("info.voice.sections_hint"), kind: .area(rows: 10)))
        h.textField(
            TextField(
                "opens_at", label: t("info.voice.opens_at"), value: values["opens_at"], error: errors["opens_at"],
                hint: t("info.voice.opens_at_hint"), kind: .input("datetime-local")))
        h.textField(
            TextField(
                "closes_at", label: t("info.voice.closes_at"), value: values["closes_at"], error: errors["closes_at"],
                kind: .input("datetime-local"), required: true))
    }
}

struct ConsultationEditorModel: PageBody {
    let slug: Param<TenantSlug>
    let rows: [Consultation]
    let window: PageWindow
    let now: Date
    let forms: [(UUID, String)]
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        EditorNav.write(h, t, slug: slug, unanswered: nil)
        h.raw("<h1>").text(t("info.voice.editor_heading")).raw("</h1>\n<p>").text(t("info.voice.editor_lead"))
            .raw(" <a href=\"").attr(InfoRoute.consultations(slug).path).raw("\">").text(t("info.editor.public"))
            .raw("</a></p>\n<ul class=\"list\">\n")
        for row in rows {
            h.raw("<li><a href=\"").attr(InfoRoute.consultationEdit(slug, .value(.init(row.id ?? UUID()))).path)
                .raw("\">").text(row.title).raw("</a><br><span class=\"muted\">")
                .text(t("info.voice.kind.\(row.kind.rawValue)")).raw(" · ").text(
                    ConsultationPhase.text(row, now: now, t)
                )
                .raw("</span></li>\n")
        }
        h.raw("</ul>\n")
        InfoPager.write(h, t, window) { InfoRoute.consultationEditor(slug).path(query: ["halaman": String($0)]) }
        h.raw("<h2>").text(t("info.voice.new")).raw("</h2>\n")
        h.postForm(InfoRoute.consultationEditor(slug).path, csrf: csrf, class: "form")
        ConsultationFields.write(
            h, t, slug: slug, forms: forms, values: values, errors: errors, answered: false, kindFixed: false)
        h.raw("<button type=\"submit\">").text(t("info.voice.open")).raw("</button>\n</form>\n")
    }
}

struct ConsultationEditModel: PageBody {
    let slug: Param<TenantSlug>
    let row: Consultation
    let now: Date
    let results: ConsultationResults
    let answered: Bool
    let forms: [(UUID, String)]
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let id = Param<ConsultationID>.value(.init(row.id ?? UUID()))
        EditorNav.write(h, t, slug: slug, unanswered: nil)
        h.raw("<p><a href=\"").attr(InfoRoute.consultationEditor(slug).path).raw("\">").text(
            t("info.voice.back_editor")
        )
        .raw("</a> · <a href=\"").attr(InfoRoute.consultation(slug, id).path).raw("\">").text(t("info.voice.view"))
        .raw("</a></p>\n<h1>").text(row.title).raw("</h1>\n<p>").text(ConsultationPhase.text(row, now: now, t))
        .raw("</p>\n")
        if row.kind != .konsultasi {
            h.raw("<h2>").text(t("info.voice.results", ["count": "\(results.responses)"])).raw("</h2>\n")
        }
        for (index, bars) in results.questions.enumerated() {
            if bars.labels.isEmpty {
                h.raw("<h3>").text(bars.prompt).raw("</h3>\n<p class=\"muted\">")
                    .text(t("info.voice.words", ["count": "\(bars.texts)"])).raw("</p>\n<ul class=\"list\">\n")
                for text in bars.words { h.raw("<li>").text(text).raw("</li>\n") }
                h.raw("</ul>\n")
            } else {
                ResultsChart.write(h, t, bars, id: "grafik-\(index + 1)")
            }
        }
        if row.kind == .konsultasi { writeModeration(h, t, id: id, csrf: csrf) }
        h.raw("<h2 id=\"tindak-lanjut\">").text(t("info.voice.outcome")).raw("</h2>\n<p>")
            .text(t("info.voice.outcome_lead")).raw("</p>\n")
        h.postForm(InfoRoute.consultationOutcome(slug, id).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "outcome", label: t("info.voice.outcome"), value: values["outcome"] ?? row.outcome,
                    error: errors["outcome"], kind: .area(rows: 6), max: 10_000, required: true)
            )
            .raw("<button type=\"submit\"").raw(row.phase(at: now) == .closed ? "" : " disabled").raw(">")
            .text(t("info.voice.outcome_save")).raw("</button>\n</form>\n")
        h.raw("<h2>").text(t("info.voice.change")).raw("</h2>\n")
        h.postForm(InfoRoute.consultationEdit(slug, id).path, csrf: csrf, class: "form")
        ConsultationFields.write(
            h, t, slug: slug, forms: forms, values: values, errors: errors, answered: answered, kindFixed: true)
        h.raw("<button type=\"submit\">").text(t("info.editor.save")).raw("</button>\n</form>\n")
        h.postForm(InfoRoute.consultationRemove(slug, id).path, csrf: csrf, class: "form")
            .raw("<button type=\"submit\" class=\"secondary\">").text(t("info.voice.remove")).raw(
                "</button>\n</form>\n")
    }

    /// Comments waiting, by section, each to show or turn down; with what was already decided.
    private func writeModeration(_ h: HTMLText, _ t: Texts, id: Param<ConsultationID>, csrf: String) {
        h.raw("<h2 id=\"moderasi\">").text(t("info.voice.moderation")).raw("</h2>\n")
        for section in results.sections {
            let comments = results.comments[section.id ?? UUID()] ?? []
            h.raw("<h3>").text(section.heading).raw("</h3>\n")
            if comments.isEmpty { h.raw("<p class=\"muted\">").text(t("info.voice.no_comments")).raw("</p>\n") }
            h.raw("<ul class=\"list\">\n")
            for comment in comments {
                h.raw("<li><strong>").text(comment.name.isEmpty ? t("info.voice.citizen") : comment.name)
                    .raw("</strong> <span class=\"muted\">").text(t("info.voice.state.\(comment.state.rawValue)"))
                    .raw("</span><br>").text(comment.text).raw("<br>")
                for state in [ConsultationComment.State.tampil, .ditolak] where state != comment.state {
                    h.postForm(InfoRoute.consultationModerate(slug, id).path, csrf: csrf, class: "inline")
                        .raw("<input type=\"hidden\" name=\"comment\" value=\"").attr(comment.id?.uuidString ?? "")
                        .raw("\"><input type=\"hidden\" name=\"state\" value=\"").attr(state.rawValue)
                        .raw("\"><button type=\"submit\" class=\"small").raw(state == .ditolak ? " secondary" : "")
                        .raw("\">").text(t("info.voice.to.\(state.rawValue)")).raw("</button></form> ")
                }
                h.raw("</li>\n")
            }
            h.raw("</ul>\n")
        }
    }
}
