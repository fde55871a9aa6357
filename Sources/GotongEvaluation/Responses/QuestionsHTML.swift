import Foundation
import GotongPlatform

/// A form's questions as HTML controls, shared by every page that is filled in (the
/// participant's, the supervisor's): a scale as radio buttons with its words, choices as radio
/// buttons or boxes, text as a field; each question a fieldset, its error beside it. It needs
/// no script, and works on a phone.
package enum QuestionsHTML {
    /// The words of a scale's points, 1 first.
    package static func scaleWords(_ points: Int, _ t: Texts) -> [String] {
        points == 4
            ? ["evaluation.scale4.1", "evaluation.scale4.2", "evaluation.scale4.3", "evaluation.scale4.4"].map { t($0) }
            : [
                "evaluation.scale5.1", "evaluation.scale5.2", "evaluation.scale5.3", "evaluation.scale5.4",
                "evaluation.scale5.5",
            ].map { t($0) }
    }

    package static func write(
        _ items: [EvaluationItem], values: [String: String], errors: [String: String], to h: HTMLText, texts t: Texts
    ) {
        for (n, item) in items.enumerated() {
            let field = AnswerSheet.field(item)
            h.raw("<fieldset id=\"").attr(field).raw("\"><legend id=\"").attr(field).raw("-legend\">")
                .text("\(n + 1). ").text(item.prompt)
            if !item.required { h.raw(" <span class=\"muted\">(").text(t("evaluation.optional")).raw(")</span>") }
            h.raw("</legend>\n")
            switch item.kind {
            case .likert4, .likert5:
                let words = scaleWords(item.kind.scale ?? 4, t)
                for (i, word) in words.enumerated() {
                    radio(
                        h, field: field, value: "\(i + 1)", label: "\(i + 1) — " + word,
                        checked: values[field] == "\(i + 1)")
                }
            case .single:
                for (i, choice) in item.choices.enumerated() {
                    radio(h, field: field, value: "\(i + 1)", label: choice, checked: values[field] == "\(i + 1)")
                }
            case .multiple:
                for (i, choice) in item.choices.enumerated() {
                    let id = "\(field)-\(i + 1)"
                    h.raw("<label class=\"choice\" for=\"").attr(id).raw("\"><input type=\"checkbox\" id=\"").attr(id)
                        .raw("\" name=\"").attr(id).raw("\" value=\"1\"").flag("checked", values[id] != nil).raw("> ")
                        .text(choice).raw("</label>\n")
                }
            case .short, .long:
                // The legend names the field (a second label would repeat the question).
                let named = " aria-labelledby=\"\(field)-legend\""
                if item.kind == .short {
                    h.raw("<input id=\"").attr(field + "-text").raw("\" name=\"").attr(field).raw("\"\(named)")
                        .raw(" data-max=\"300\" value=\"").attr(values[field] ?? "").raw("\">\n")
                } else {
                    h.raw("<textarea id=\"").attr(field + "-text").raw("\" name=\"").attr(field).raw("\"\(named)")
                        .raw(" rows=\"4\" data-max=\"4000\">").text(values[field] ?? "").raw("</textarea>\n")
                }
            }
            h.raw("</fieldset>\n").fieldError(errors[field], for: field)
        }
    }

    private static func radio(_ h: HTMLText, field: String, value: String, label: String, checked: Bool) {
        let id = "\(field)-\(value)"
        h.raw("<label class=\"choice\" for=\"").attr(id).raw("\"><input type=\"radio\" id=\"").attr(id)
            .raw("\" name=\"").attr(field).raw("\" value=\"").attr(value).raw("\"").flag("checked", checked).raw("> ")
            .text(label).raw("</label>\n")
    }
}
