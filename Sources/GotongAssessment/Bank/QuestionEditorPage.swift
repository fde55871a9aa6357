import Foundation
import GotongPlatform

/// The web editor of one question, of any kind: its text and marks, then the kind's answers in
/// numbered rows (with spare rows), and where it is kept.
struct QuestionEditorModel: Sendable {
    let kind: QuestionKind
    let values: [String: String]
    let errors: [String: String]
    /// The bank's problems with the question as a whole (no right answer, too few choices).
    let problems: [String]
    let rows: Int
    let folders: [QuestionBank.Folder]
    let category: UUID?
    let action: String
    let cancelURL: String
    let isNew: Bool
}

extension QuestionEditorModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t(isNew ? "bank.form.new" : "bank.form.edit", ["kind": t("bank.kind.\(kind.rawValue)")]))
            .raw("</h1>\n")
        if !problems.isEmpty {
            h.raw("<div class=\"flash error\" role=\"alert\"><ul>")
            for problem in problems { h.raw("<li>").text(problem).raw("</li>") }
            h.raw("</ul></div>\n")
        }
        h.postForm(action, csrf: csrf, class: "form").raw("<input type=\"hidden\" name=\"kind\" value=\"")
            .attr(kind.rawValue).raw("\">\n")
        h.textField(
            field("text", t("bank.form.text"), kind: .area(rows: 5), max: QuestionCheck.maxText, required: true)
        )
        .textField(field("name", t("bank.form.name"), hint: t("bank.form.name_hint"), max: QuestionCheck.maxName))
        writeBody(to: h, texts: t)
        h.textField(
            field("general_feedback", t("bank.form.general_feedback"), kind: .area(rows: 3), max: QuestionCheck.maxText)
        )
        .textField(
            field("default_mark", t("bank.form.default_mark"), attributes: " inputmode=\"decimal\"")
        )
        .textField(
            TextField(
                "category", label: t("bank.form.category"), value: nil, error: errors["category"],
                kind: .select(
                    folders.map { folder in
                        SelectOption(
                            value: folder.id.uuidString, label: folder.path.joined(separator: " / "),
                            selected: folder.id == category)
                    })))
        h.raw("<p class=\"actions\"><button type=\"submit\">").text(t("form.save")).raw("</button> <a href=\"")
            .attr(cancelURL).raw("\">").text(t("authoring.cancel")).raw("</a></p>\n</form>\n")
    }

    private func field(
        _ name: String, _ label: String, hint: String? = nil, kind: TextField.Kind = .input("text"), max: Int? = nil,
        required: Bool = false, attributes: String = ""
    ) -> TextField {
        TextField(
            name, label: label, value: values[name], error: errors[name], hint: hint,
            kind: kind, max: max, required: required, attributes: attributes)
    }

    private func check(_ name: String, _ label: String, to h: HTMLText, texts t: Texts) {
        h.raw("<div class=\"check\"><input id=\"").attr(name).raw("\" name=\"").attr(name)
            .raw("\" type=\"checkbox\"").flag("checked", values[name] == "on").raw("><label for=\"").attr(name)
            .raw("\">").text(t(label)).raw("</label></div>\n")
    }

    private func writeBody(to h: HTMLText, texts t: Texts) {
        switch kind {
        case .multipleChoice:
            check("single", "bank.form.single", to: h, texts: t)
            check("shuffle", "bank.form.shuffle", to: h, texts: t)
            writeRows(
                ["answer": "bank.form.answer", "grade": "bank.form.grade", "feedback": "bank.form.feedback"],
                order: ["answer", "grade", "feedback"], hint: "bank.form.grade_hint_choice", to: h, texts: t)
        case .trueFalse:
            h.raw("<fieldset><legend>").text(t("bank.form.correct")).raw("</legend>\n")
            for (value, label) in [("true", "bank.question.true"), ("false", "bank.question.false")] {
                h.raw("<label class=\"choice\" for=\"correct_\(value)\"><input type=\"radio\" id=\"correct_\(value)\"")
                    .raw(" name=\"correct\" value=\"\(value)\"").flag("checked", (values["correct"] ?? "true") == value)
                    .raw("> ").text(t(label)).raw("</label>\n")
            }
            h.raw("</fieldset>\n")
                .textField(field("feedback_true", t("bank.form.feedback_true"), max: QuestionCheck.maxText))
                .textField(field("feedback_false", t("bank.form.feedback_false"), max: QuestionCheck.maxText))
        case .shortAnswer:
            check("case_sensitive", "bank.form.case_sensitive", to: h, texts: t)
            writeRows(
                ["answer": "bank.form.accepted", "grade": "bank.form.grade", "feedback": "bank.form.feedback"],
                order: ["answer", "grade", "feedback"], hint: "bank.form.grade_hint_typed", to: h, texts: t)
        case .numerical:
            writeRows(
                [
                    "answer": "bank.form.value", "tolerance": "bank.form.tolerance", "grade": "bank.form.grade",
                    "feedback": "bank.form.feedback",
                ],
                order: ["answer", "tolerance", "grade", "feedback"], hint: "bank.form.grade_hint_typed", to: h,
                texts: t)
        case .matching:
            writeRows(
                ["item": "bank.form.item", "match": "bank.form.match"], order: ["item", "match"],
                hint: "bank.form.matching_hint", to: h, texts: t)
        case .essay:
            h.textField(field("lines", t("bank.form.lines"), attributes: " inputmode=\"numeric\""))
                .textField(
                    field("grader_info", t("bank.form.grader_info"), kind: .area(rows: 3), max: QuestionCheck.maxText))
        }
    }

    /// Numbered rows of the kind's answers, each in a fieldset of its own so a phone shows them
    /// one under another.
    private func writeRows(
        _ labels: [String: String], order: [String], hint: String, to h: HTMLText, texts t: Texts
    ) {
        h.raw("<p class=\"hint\">").text(t(hint)).raw("</p>\n")
        for index in 0..<rows {
            h.raw("<fieldset><legend>").text(t("bank.form.row", ["number": "\(index + 1)"])).raw("</legend>\n")
            for part in order {
                let name = "\(part)_\(index)"
                let numeric = part == "grade" || part == "tolerance"
                h.textField(
                    TextField(
                        name, label: t(labels[part] ?? part), value: values[name], error: errors[name],
                        max: numeric ? nil : 2_000, attributes: numeric ? " inputmode=\"decimal\"" : ""))
            }
            h.raw("</fieldset>\n")
        }
    }
}
