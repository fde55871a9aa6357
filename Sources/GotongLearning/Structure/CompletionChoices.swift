import GotongPlatform
import Vapor

/// One answer to "the step is done when…" in the activity form: a radio button, and for a rule
/// that takes a number, the number in the rule's own unit beside it ("minimal [5] menit",
/// "minimal [90] %"), so no field asks for "minutes or percent".
struct CompletionChoice: Sendable, Equatable {
    let kind: String
    let label: String
    /// The unit after the number ("menit", "%"); nil for a rule without a number.
    let unit: String?
    let value: String
    let range: ClosedRange<Int>?
    let checked: Bool
}

extension LearningAdminRoutes {
    /// The rules an author may pick for `activity`: none, the type's rules its settings can keep
    /// (all of them for a new activity, whose source is not chosen yet; the server refuses a rule
    /// the chosen source cannot keep, with the reason), and for a new activity first of all the
    /// type's default for whatever source the author gives, chosen unless they pick another.
    static func completionChoices(
        _ type: any ActivityType, activity: Activity, isNew: Bool, values: [String: String], req: Request
    ) -> [CompletionChoice] {
        let current = isNew ? ActivityChange.defaultChoice : activity.completion.kind
        let chosen = values["completion"] ?? current
        var choices: [CompletionChoice] = []
        if isNew {
            choices.append(
                CompletionChoice(
                    kind: ActivityChange.defaultChoice,
                    label: req.t(
                        "authoring.completion.default.\(type.key)", fallback: "authoring.completion.default",
                        ["rule": LearningRoutes.ruleText(type.defaultCompletion, req: req) ?? ""]),
                    unit: nil, value: "", range: nil, checked: chosen == ActivityChange.defaultChoice))
        }
        choices.append(
            CompletionChoice(
                kind: CompletionRule.none.kind, label: req.t("authoring.completion.none"), unit: nil, value: "",
                range: nil, checked: chosen == CompletionRule.none.kind))
        for option in type.completionOptions {
            let rule = CompletionRule(kind: option.kind, value: option.values?.lowerBound)
            guard isNew || option.kind == activity.completion.kind || type.supports(rule, with: activity.settings)
            else { continue }
            // The number in the form's unit: typed before a refusal, stored, or suggested.
            let stored = option.kind == activity.completion.kind ? option.formValue(activity.completion) : nil
            let typed = values["completion_value_\(option.kind)"] ?? values["completion_value"]
            let range = option.values.map {
                max(1, $0.lowerBound / option.formUnit)...($0.upperBound / option.formUnit)
            }
            choices.append(
                CompletionChoice(
                    kind: option.kind, label: req.t("authoring.completion.\(option.kind)"),
                    unit: range == nil ? nil : req.t("authoring.unit.\(option.kind)"),
                    value: range == nil
                        ? ""
                        : (option.kind == chosen ? typed : nil) ?? (stored ?? option.suggested).map(String.init) ?? "",
                    range: range, checked: chosen == option.kind))
        }
        return choices
    }
}

extension LearningAdminRoutes.ActivityFormModel {
    /// When the activity counts as done: one radio button per rule, each number beside its rule.
    func writeCompletion(to h: HTMLText, texts t: Texts) {
        let described = completionError == nil ? "completion-hint" : "completion-hint completion-error"
        h.raw("<fieldset aria-describedby=\"").attr(described).raw("\"><legend>").text(t("authoring.completion_rule"))
            .raw("</legend>\n<p class=\"hint\" id=\"completion-hint\">").text(t("authoring.completion_hint"))
            .raw("</p>\n").fieldError(completionError, for: "completion")
        for choice in completions {
            let id = "completion-" + choice.kind
            h.raw("<div class=\"check\"><input type=\"radio\" name=\"completion\" id=\"").attr(id)
                .raw("\" value=\"").attr(choice.kind).raw("\"").flag("checked", choice.checked)
            if completionError != nil, choice.checked { h.raw(" aria-invalid=\"true\"") }
            h.raw("><label for=\"").attr(id).raw("\">").text(choice.label).raw("</label>")
            if let range = choice.range, let unit = choice.unit {
                h.raw(" <input class=\"count\" type=\"number\" inputmode=\"numeric\" name=\"completion_value_")
                    .attr(choice.kind).raw("\" id=\"").attr(id).raw("-value\" min=\"").text("\(range.lowerBound)")
                    .raw("\" max=\"").text("\(range.upperBound)").raw("\" value=\"").attr(choice.value)
                    .raw("\" aria-label=\"").attr(choice.label + " (" + unit + ")").raw("\"> ").text(unit)
            }
            h.raw("</div>\n")
        }
        h.raw("</fieldset>\n")
    }
}
