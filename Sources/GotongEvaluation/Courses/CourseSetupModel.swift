import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy

/// The form of a course's evaluation, by level.
struct CourseSetupModel: PageBody {
    let slug: Param<TenantSlug>
    let courseID: CourseID
    let course: String
    let forms: [EvaluationForm]
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(EvaluationRoute.forms(slug).path).raw("\">")
            .text(t("evaluation.form.back")).raw("</a></p>\n<h1>").text(
                t("evaluation.course.heading", ["course": course])
            )
            .raw("</h1>\n").postForm(EvaluationRoute.course(slug, .value(courseID)).path, csrf: csrf, class: "form")
        if !errors.isEmpty { h.alert(t("form.has_errors")) }
        h.raw("<fieldset><legend>").text(t("evaluation.course.level1")).raw("</legend>\n")
        select(h, t, "course_form", "evaluation.field.course_form", forms(.course))
        select(h, t, "trainer_form", "evaluation.field.trainer_form", forms(.trainer))
        h.raw("<div class=\"check\"><input id=\"required\" name=\"required\" type=\"checkbox\" value=\"1\"")
            .flag("checked", values["required"] == "1").raw(
                " aria-describedby=\"required-hint\"><label for=\"required\">"
            )
            .text(t("evaluation.field.required_before_certificate")).raw(
                "</label></div>\n<p class=\"hint\" id=\"required-hint\">"
            )
            .text(t("evaluation.hint.required_before_certificate")).raw("</p>").fieldError(
                errors["required"], for: "required"
            )
            .raw("</fieldset>\n<fieldset><legend>").text(t("evaluation.course.level2")).raw(
                "</legend>\n<p class=\"hint\">"
            )
            .text(t("evaluation.hint.level2")).raw("</p>\n")
        h.raw("</fieldset>\n<fieldset><legend>").text(t("evaluation.course.level3")).raw("</legend>\n")
            .textField(
                TextField(
                    "follow_up_weeks", label: t("evaluation.field.follow_up_weeks"), value: values["follow_up_weeks"],
                    error: errors["follow_up_weeks"], hint: t("evaluation.hint.follow_up_weeks"),
                    kind: .input("number"),
                    attributes: " min=\"1\" max=\"52\" inputmode=\"numeric\""))
        select(h, t, "follow_up_form", "evaluation.field.follow_up_form", forms(.followUp))
        select(h, t, "supervisor_form", "evaluation.field.supervisor_form", forms(.supervisor))
        h.raw("</fieldset>\n<button type=\"submit\">").text(t("action.save")).raw("</button>\n</form>\n<p><a href=\"")
            .attr(EvaluationRoute.followUps(slug, .value(courseID)).path).raw("\">").text(
                t("evaluation.follow_ups.title")
            )
            .raw("</a> · <a href=\"").attr(EvaluationRoute.results(slug, .value(courseID)).path).raw("\">")
            .text(t("evaluation.desk.results")).raw("</a></p>\n")
    }

    private func forms(_ purpose: EvaluationForm.Purpose) -> [(id: UUID, title: String)] {
        forms.filter { $0.purpose == purpose }.compactMap { f in f.id.map { ($0, f.title) } }
    }

    private func select(
        _ h: HTMLText, _ t: Texts, _ name: String, _ label: String, _ choices: [(id: UUID, title: String)]
    ) {
        let chosen = values[name] ?? ""
        let options =
            [SelectOption(value: "", label: t("evaluation.none"), selected: chosen.isEmpty)]
            + choices.map {
                SelectOption(
                    value: $0.id.uuidString, label: $0.title,
                    selected: chosen.caseInsensitiveCompare($0.id.uuidString) == .orderedSame)
            }
        h.textField(TextField(name, label: t(label), value: nil, error: errors[name], kind: .select(options)))
    }
}
