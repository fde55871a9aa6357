import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy

/// The evaluation desk's front page: the tenant's forms, a new one, and its courses.
struct FormListModel: PageBody {
    let slug: Param<TenantSlug>
    let forms: [(id: EvaluationFormID, title: String, purpose: EvaluationForm.Purpose, questions: Int)]
    let courses: [(id: CourseID, title: String, set: Bool)]
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(TenancyRoute.desk(.tenant(slug)).path).raw("\">")
            .text(t("evaluation.desk.back")).raw("</a></p>\n<h1>").text(t("evaluation.desk.heading")).raw("</h1>\n<p>")
            .text(t("evaluation.desk.lead")).raw("</p>\n<h2>").text(t("evaluation.desk.courses")).raw("</h2>\n")
        if courses.isEmpty { h.raw("<p class=\"muted\">").text(t("evaluation.desk.no_courses")).raw("</p>\n") }
        h.raw("<ul class=\"list\">\n")
        for course in courses {
            h.raw("<li><a href=\"").attr(EvaluationRoute.course(slug, .value(course.id)).path).raw("\">").text(
                course.title
            )
            .raw("</a> · <span class=\"muted\">")
            .text(t(course.set ? "evaluation.desk.set" : "evaluation.desk.not_set")).raw("</span>")
            if course.set {
                h.raw(" · <a href=\"").attr(EvaluationRoute.results(slug, .value(course.id)).path).raw("\">")
                    .text(t("evaluation.desk.results")).raw("</a>")
            }
            h.raw("</li>\n")
        }
        h.raw("</ul>\n<h2>").text(t("evaluation.desk.forms")).raw("</h2>\n<ul class=\"list\">\n")
        for form in forms {
            h.raw("<li><a href=\"").attr(EvaluationRoute.form(slug, .value(form.id)).path).raw("\">").text(form.title)
                .raw("</a><br><span class=\"muted\">").text(t("evaluation.purpose.\(form.purpose.rawValue)")).raw(" · ")
                .text(t("evaluation.desk.questions", ["count": "\(form.questions)"])).raw("</span></li>\n")
        }
        h.raw("</ul>\n<section class=\"panel\" aria-labelledby=\"new-form\"><h2 id=\"new-form\">")
            .text(t("evaluation.desk.new_form")).raw("</h2>\n")
            .postForm(EvaluationRoute.forms(slug).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "title", label: t("evaluation.field.title"), value: values["title"], error: errors["title"],
                    max: 160,
                    required: true)
            )
            .textField(
                TextField(
                    "purpose", label: t("evaluation.field.purpose"), value: nil, error: errors["purpose"],
                    kind: .select(
                        EvaluationForm.Purpose.allCases.map {
                            SelectOption(
                                value: $0.rawValue, label: t("evaluation.purpose.\($0.rawValue)"),
                                selected: values["purpose"] == $0.rawValue)
                        }), required: true)
            )
            .raw("<button type=\"submit\">").text(t("evaluation.desk.create")).raw("</button>\n</form>\n</section>\n")
    }
}

/// One form in the builder: its title and introduction, its questions in order with their
/// controls, and a new question. An answered form shows its questions without controls.
struct FormBuilderModel: PageBody {
    let slug: Param<TenantSlug>
    let formID: EvaluationFormID
    let form: EvaluationForm
    let items: [EvaluationItem]
    let locked: Bool
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let path = EvaluationRoute.form(slug, .value(formID)).path
        h.raw("<p class=\"crumbs\"><a href=\"").attr(EvaluationRoute.forms(slug).path).raw("\">")
            .text(t("evaluation.form.back")).raw("</a></p>\n<h1>").text(form.title).raw("</h1>\n<p class=\"muted\">")
            .text(t("evaluation.purpose.\(form.purpose.rawValue)")).raw("</p>\n")
            .postForm(path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "title", label: t("evaluation.field.title"), value: values["title"], error: errors["title"],
                    max: 160,
                    required: true)
            )
            .textField(
                TextField(
                    "intro", label: t("evaluation.field.intro"), value: values["intro"], error: errors["intro"],
                    kind: .area(rows: 3), max: 1000)
            )
            .raw("<button type=\"submit\">").text(t("action.save")).raw("</button>\n</form>\n")
        h.raw("<h2 id=\"pertanyaan\">").text(t("evaluation.form.questions")).raw("</h2>\n")
        if locked {
            h.raw("<p class=\"hint\">").text(t("evaluation.form.locked")).raw("</p>\n")
                .postForm(EvaluationRoute.copyForm(slug, .value(formID)).path, csrf: csrf)
                .raw("<button type=\"submit\" class=\"secondary\">").text(t("evaluation.form.copy")).raw(
                    "</button></form>\n")
        }
        h.raw("<ol class=\"list\">\n")
        for (n, item) in items.enumerated() { writeItem(h, t, csrf, item, first: n == 0, last: n == items.count - 1) }
        h.raw("</ol>\n")
        if !locked { writeNewItem(h, t, csrf) }
    }

    private func writeItem(_ h: HTMLText, _ t: Texts, _ csrf: String, _ item: EvaluationItem, first: Bool, last: Bool) {
        h.raw("<li><strong>").text(item.prompt).raw("</strong><br><span class=\"muted\">")
            .text(t("evaluation.kind.\(item.kind.rawValue)"))
        if !item.required { h.raw(" · ").text(t("evaluation.optional")) }
        h.raw("</span>")
        if item.kind.hasChoices { h.raw("<br>").text(item.choices.joined(separator: " · ")) }
        if !locked, let id = item.id {
            let itemID = Param<EvaluationItemID>.value(EvaluationItemID(id))
            h.raw("<div class=\"actions\">")
            if !first {
                button(
                    h, EvaluationRoute.moveItem(slug, .value(formID), itemID, .value(.up)).path,
                    t("evaluation.form.up"), csrf)
            }
            if !last {
                button(
                    h, EvaluationRoute.moveItem(slug, .value(formID), itemID, .value(.down)).path,
                    t("evaluation.form.down"), csrf)
            }
            button(h, EvaluationRoute.removeItem(slug, .value(formID), itemID).path, t("evaluation.form.remove"), csrf)
            h.raw("</div>")
        }
        h.raw("</li>\n")
    }

    private func button(_ h: HTMLText, _ action: String, _ label: String, _ csrf: String) {
        h.postForm(action, csrf: csrf, class: "inline").raw("<button type=\"submit\" class=\"secondary\">").text(label)
            .raw("</button></form>")
    }

    private func writeNewItem(_ h: HTMLText, _ t: Texts, _ csrf: String) {
        h.raw("<section class=\"panel\" aria-labelledby=\"new-item\"><h2 id=\"new-item\">").text(
            t("evaluation.form.new_item")
        )
        .raw("</h2>\n").postForm(EvaluationRoute.addItem(slug, .value(formID)).path, csrf: csrf, class: "form")
        .textField(
            TextField(
                "prompt", label: t("evaluation.field.prompt"), value: values["prompt"], error: errors["prompt"],
                kind: .area(rows: 2), max: 500, required: true)
        )
        .textField(
            TextField(
                "kind", label: t("evaluation.field.kind"), value: nil, error: errors["kind"],
                kind: .select(
                    EvaluationItem.Kind.allCases.map {
                        SelectOption(
                            value: $0.rawValue, label: t("evaluation.kind.\($0.rawValue)"),
                            selected: (values["kind"] ?? "likert4") == $0.rawValue)
                    }), required: true)
        )
        .textField(
            TextField(
                "choices", label: t("evaluation.field.choices"), value: values["choices"], error: errors["choices"],
                hint: t("evaluation.hint.choices"), kind: .area(rows: 4))
        )
        .raw("<div class=\"check\"><input id=\"required\" name=\"required\" type=\"checkbox\" value=\"1\" checked>")
        .raw("<label for=\"required\">").text(t("evaluation.field.required")).raw("</label></div>\n")
        .raw("<button type=\"submit\">").text(t("evaluation.form.add")).raw("</button>\n</form>\n</section>\n")
    }
}
