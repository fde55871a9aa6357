import Foundation
import GotongPlatform
import GotongTenancy

/// The bank's front page: its categories as a tree, the chosen category's questions, and the
/// ways in and out (import, export, a new category).
struct BankModel: Sendable {
    struct Row: Sendable {
        let name: String
        let kind: QuestionKind
        let version: Int
        let url: String
    }

    /// The new-category form, kept after a refusal.
    struct CategoryForm: Sendable {
        var name = ""
        var parent: UUID? = nil
        var error: String? = nil
    }

    let tenant: Param<TenantSlug>
    let folders: [QuestionBank.Folder]
    let selected: QuestionBank.Folder?
    let questions: [Row]
    var categoryForm = CategoryForm()
}

extension BankModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let bank = AssessmentRoute.bank(tenant)
        h.raw("<h1>").text(t("bank.title")).raw("</h1>\n<p>").text(t("bank.lead")).raw("</p>\n<p class=\"actions\">")
            .raw("<a class=\"button\" href=\"")
            .attr(AssessmentRoute.importQuestions(tenant).path(query: ["kategori": selected?.id.uuidString]))
            .raw("\">").text(t("bank.import.open")).raw("</a> ")
        for format in QuestionFormat.allCases {
            h.raw("<a class=\"button secondary\" href=\"")
                .attr(
                    AssessmentRoute.export(tenant).path(query: [
                        "format": format.rawValue, "kategori": selected?.id.uuidString,
                    ])
                )
                .raw("\" download>").text(t("bank.export.\(format.rawValue)")).raw("</a> ")
        }
        h.raw("</p>\n")
        writeFolders(to: h, texts: t, bank: bank)
        if let selected { writeQuestions(selected, to: h, texts: t, csrf: csrf) }
        writeCategoryForm(to: h, texts: t, csrf: csrf)
    }

    private func writeFolders(to h: HTMLText, texts t: Texts, bank: AssessmentRoute) {
        h.raw("<h2>").text(t("bank.categories")).raw("</h2>\n")
        guard !folders.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("bank.empty")).raw("</p>\n")
            return
        }
        h.raw("<ul class=\"tree\">\n")
        for folder in folders {
            h.raw("<li style=\"--depth:\(folder.depth)\"><a href=\"")
                .attr(bank.path(query: ["kategori": folder.id.uuidString])).raw("\"")
                .raw(folder.id == selected?.id ? " aria-current=\"page\"" : "").raw(">").text(folder.name)
                .raw("</a> <span class=\"muted\">").text(t("bank.count", ["count": "\(folder.questions)"]))
                .raw("</span></li>\n")
        }
        h.raw("</ul>\n")
    }

    private func writeQuestions(_ folder: QuestionBank.Folder, to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h2>").text(folder.path.joined(separator: " / ")).raw("</h2>\n<p class=\"actions\">")
            .text(t("bank.form.write")).raw(" ")
        // One link per kind: the editor's form is the kind's own, and works without script.
        for kind in QuestionKind.allCases {
            h.raw("<a class=\"button small secondary\" href=\"")
                .attr(
                    AssessmentRoute.newQuestion(tenant).path(query: [
                        "kategori": folder.id.uuidString, "jenis": kind.rawValue,
                    ])
                ).raw("\">").text(t("bank.kind.\(kind.rawValue)")).raw("</a> ")
        }
        h.raw("</p>\n")
        writeCategoryActions(folder, to: h, texts: t, csrf: csrf)
        guard !questions.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("bank.category_empty")).raw("</p>\n")
            return
        }
        let headings = ["bank.question.name", "bank.question.kind", "bank.question.version"].map { t($0) }
        h.stackTable(headings)
        for row in questions {
            h.raw("<tr>").cell(headings[0]).raw("<a href=\"").attr(row.url).raw("\">").text(row.name).raw("</a></td>")
                .cell(headings[1]).text(t("bank.kind.\(row.kind.rawValue)")).raw("</td>").cell(headings[2])
                .text("\(row.version)").raw("</td></tr>\n")
        }
        h.endStackTable()
    }

    /// Renaming the category, and deleting it while it is empty, behind a disclosure.
    private func writeCategoryActions(_ folder: QuestionBank.Folder, to h: HTMLText, texts t: Texts, csrf: String) {
        let id = Param<QuestionCategoryID>.value(QuestionCategoryID(folder.id))
        h.raw("<details><summary>").text(t("bank.category_manage")).raw("</summary>\n")
            .postForm(AssessmentRoute.renameCategory(tenant, id).path, csrf: csrf, class: "form")
            .textField(renameField(folder, label: t("bank.category_name")))
            .raw("<button type=\"submit\" class=\"secondary\">").text(t("bank.category_rename")).raw(
                "</button></form>\n")
        if folder.questions == 0 {
            h.postButton(
                AssessmentRoute.deleteCategory(tenant, id).path, csrf: csrf, label: t("bank.category_delete"),
                buttonClass: "secondary")
        }
        h.raw("</details>\n")
    }

    /// The rename field: its own id, as the new-category form on the same page has `name` too.
    private func renameField(_ folder: QuestionBank.Folder, label: String) -> TextField {
        var field = TextField("name", label: label, value: folder.name, error: nil, max: 120, required: true)
        field.id = "rename"
        return field
    }

    private func writeCategoryForm(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h2>").text(t("bank.category_new")).raw("</h2>\n")
            .postForm(AssessmentRoute.addCategory(tenant).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "name", label: t("bank.category_name"), value: categoryForm.name, error: categoryForm.error,
                    max: 120, required: true))
        let parent = categoryForm.parent ?? selected?.id
        h.textField(
            TextField(
                "parent", label: t("bank.category_parent"), value: nil, error: nil,
                kind: .select(
                    [SelectOption(value: "", label: t("bank.category_top"), selected: parent == nil)]
                        + folders.map { folder in
                            SelectOption(
                                value: folder.id.uuidString, label: folder.path.joined(separator: " / "),
                                selected: folder.id == parent)
                        })))
        h.raw("<button type=\"submit\">").text(t("bank.category_add")).raw("</button>\n</form>\n")
    }
}

/// The import: a file and where its questions go; then the preview of what it holds, with
/// every part that cannot be imported, and the button that writes it.
struct ImportModel: Sendable {
    struct Preview: Sendable {
        let importID: QuestionImportID
        let filename: String
        let format: QuestionFormat
        let report: ImportReport
        let kinds: [(key: QuestionKind, value: Int)]
    }

    let tenant: Param<TenantSlug>
    let folders: [QuestionBank.Folder]
    let target: UUID?
    var preview: Preview? = nil
    var error: String? = nil
}

extension ImportModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("bank.import.title")).raw("</h1>\n<p><a href=\"").attr(AssessmentRoute.bank(tenant).path)
            .raw("\">").text(t("bank.back")).raw("</a></p>\n")
        if let preview {
            writePreview(preview, to: h, texts: t, csrf: csrf)
        } else {
            writeForm(to: h, texts: t, csrf: csrf)
        }
    }

    private func writeForm(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p>").text(t("bank.import.lead")).raw("</p>\n").alert(error)
            .postForm(AssessmentRoute.importQuestions(tenant).path, csrf: csrf, class: "form", multipart: true)
            .textField(
                TextField(
                    "file", label: t("bank.import.file"), value: nil, error: nil, hint: t("bank.import.file_hint"),
                    kind: .file(accept: ".txt,.gift,.xml,text/plain,application/xml,text/xml"), required: true)
            )
            .textField(
                TextField(
                    "format", label: t("bank.import.format"), value: nil, error: nil,
                    kind: .select(
                        [SelectOption(value: "", label: t("bank.import.format_auto"), selected: true)]
                            + QuestionFormat.allCases.map {
                                SelectOption(
                                    value: $0.rawValue, label: t("bank.format.\($0.rawValue)"), selected: false)
                            }))
            )
            .textField(
                TextField(
                    "category", label: t("bank.import.target"), value: nil, error: nil,
                    hint: t("bank.import.target_hint"),
                    kind: .select(
                        [SelectOption(value: "", label: t("bank.category_top"), selected: target == nil)]
                            + folders.map {
                                SelectOption(
                                    value: $0.id.uuidString, label: $0.path.joined(separator: " / "),
                                    selected: $0.id == target)
                            }))
            )
            .raw("<button type=\"submit\">").text(t("bank.import.check")).raw("</button>\n</form>\n")
    }

    private func writePreview(_ preview: Preview, to h: HTMLText, texts t: Texts, csrf: String) {
        let report = preview.report
        h.raw("<section class=\"panel\" aria-labelledby=\"preview\">\n<h2 id=\"preview\">").text(
            t("bank.import.preview")
        )
        .raw("</h2>\n<p>")
        .text(
            t(
                "bank.import.summary",
                [
                    "file": preview.filename, "format": t("bank.format.\(preview.format.rawValue)"),
                    "count": "\(report.questions)",
                ])
        ).raw("</p>\n<ul>\n")
        for (kind, count) in preview.kinds {
            h.raw("<li>").text(t("bank.kind.\(kind.rawValue)")).raw(": ").text("\(count)").raw("</li>\n")
        }
        h.raw("</ul>\n")
        if report.questions > 0 {
            h.postForm(AssessmentRoute.confirmImport(tenant, .value(preview.importID)).path, csrf: csrf)
                .raw("<button type=\"submit\">")
                .text(
                    t(
                        report.problems.isEmpty ? "bank.import.confirm" : "bank.import.confirm_skipping",
                        ["count": "\(report.questions)", "skipped": "\(report.problems.count)"])
                ).raw("</button> <a href=\"").attr(AssessmentRoute.importQuestions(tenant).path).raw("\">")
                .text(t("bank.import.other")).raw("</a>\n</form>\n")
        } else {
            h.raw("<p><strong>").text(t("bank.import.nothing")).raw("</strong> <a href=\"")
                .attr(AssessmentRoute.importQuestions(tenant).path).raw("\">").text(t("bank.import.other"))
                .raw("</a></p>\n")
        }
        h.raw("</section>\n")
        writeLines(report.problems, heading: "bank.import.problems", to: h, texts: t, panel: "panel error")
        writeLines(report.notes, heading: "bank.import.notes", to: h, texts: t, panel: "panel")
        if !report.items.isEmpty {
            h.raw("<h2>").text(t("bank.import.questions")).raw("</h2>\n")
            let headings = ["bank.import.line", "bank.question.kind", "bank.question.name", "bank.question.category"]
                .map { t($0) }
            h.stackTable(headings)
            for item in report.items.prefix(500) {
                h.raw("<tr>").cell(headings[0]).text("\(item.line)").raw("</td>").cell(headings[1])
                    .text(t("bank.kind.\(item.kind)")).raw("</td>").cell(headings[2]).text(item.name).raw("</td>")
                    .cell(headings[3]).text(item.category.joined(separator: " / ")).raw("</td></tr>\n")
            }
            h.endStackTable()
        }
    }

    private func writeLines(
        _ lines: [ImportReport.Line], heading: String, to h: HTMLText, texts t: Texts, panel: String
    ) {
        guard !lines.isEmpty else { return }
        h.raw("<section class=\"").attr(panel).raw("\">\n<h2>").text(t(heading, ["count": "\(lines.count)"]))
            .raw("</h2>\n")
        let headings = ["bank.import.line", "bank.import.reason"].map { t($0) }
        h.stackTable(headings)
        for line in lines.prefix(500) {
            h.raw("<tr>").cell(headings[0]).text("\(line.line)").raw("</td>").cell(headings[1]).text(line.message)
                .raw("</td></tr>\n")
        }
        h.endStackTable().raw("</section>\n")
    }
}

/// One question as a learner would read it, with its answers, their marks and feedback.
struct QuestionModel: Sendable {
    let tenant: Param<TenantSlug>
    let id: QuestionID
    let question: Question
    let version: Int
    let category: [String]
    let categoryURL: String
}

extension QuestionModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p><a href=\"").attr(categoryURL).raw("\">").text(category.joined(separator: " / ")).raw("</a></p>\n")
            .raw("<h1>").text(question.name).raw("</h1>\n<p class=\"muted\">")
            .text(t("bank.kind.\(question.kind.rawValue)")).raw(" · ")
            .text(t("bank.question.marks", ["mark": Number.text(question.defaultMark), "version": "\(version)"]))
            .raw("</p>\n<p class=\"actions\"><a class=\"button secondary\" href=\"")
            .attr(AssessmentRoute.editQuestion(tenant, .value(id)).path).raw("\">").text(t("bank.form.edit_action"))
            .raw("</a></p>\n<details><summary>").text(t("bank.form.delete_action")).raw("</summary>\n<p>")
            .text(t("bank.form.delete_warning")).raw("</p>\n")
            .postButton(
                AssessmentRoute.deleteQuestion(tenant, .value(id)).path, csrf: csrf,
                label: t("bank.form.delete_confirm"), buttonClass: "secondary"
            )
            .raw("</details>\n<div class=\"question-text\">").raw(
                QuestionText.html(question.text, format: question.format)
            )
            .raw("</div>\n")
        writeAnswers(to: h, texts: t)
        if !question.generalFeedback.isEmpty {
            h.raw("<h2>").text(t("bank.question.general_feedback")).raw("</h2>\n<p>")
                .raw(QuestionText.plain(question.generalFeedback)).raw("</p>\n")
        }
    }

    private func writeAnswers(to h: HTMLText, texts t: Texts) {
        let headings = ["bank.question.answer", "bank.question.mark", "bank.question.feedback"].map { t($0) }
        func table(_ rows: [(String, String, String)]) {
            h.stackTable(headings)
            for (answer, mark, feedback) in rows {
                h.raw("<tr>").cell(headings[0]).raw(QuestionText.plain(answer)).raw("</td>").cell(headings[1])
                    .text(mark).raw("</td>").cell(headings[2]).raw(QuestionText.plain(feedback)).raw("</td></tr>\n")
            }
            h.endStackTable()
        }
        func percent(_ fraction: Double) -> String { Number.percent(fraction) + "%" }
        h.raw("<h2>").text(t("bank.question.answers")).raw("</h2>\n")
        switch question.body {
        case .multipleChoice(let mc):
            h.raw("<p>").text(t(mc.single ? "bank.question.single" : "bank.question.multiple")).raw("</p>\n")
            table(mc.answers.map { ($0.text, percent($0.fraction), $0.feedback) })
        case .shortAnswer(let sa):
            h.raw("<p>").text(t(sa.caseSensitive ? "bank.question.case_sensitive" : "bank.question.case_insensitive"))
                .raw("</p>\n")
            table(sa.answers.map { ($0.text, percent($0.fraction), $0.feedback) })
        case .numerical(let n):
            table(
                n.answers.map {
                    (Number.text($0.value) + " ± " + Number.text($0.tolerance), percent($0.fraction), $0.feedback)
                })
        case .trueFalse(let tf):
            table([
                (t("bank.question.true"), tf.correct ? "100%" : "0%", tf.feedbackTrue),
                (t("bank.question.false"), tf.correct ? "0%" : "100%", tf.feedbackFalse),
            ])
        case .matching(let m):
            table(m.pairs.map { ($0.item.isEmpty ? "—" : $0.item, "→ " + $0.answer, "") })
        case .essay(let e):
            h.raw("<p>").text(t("bank.question.essay", ["lines": "\(e.lines)"])).raw("</p>\n")
            if !e.graderInfo.isEmpty {
                h.raw("<p><strong>").text(t("bank.question.grader_info")).raw("</strong> ")
                    .raw(QuestionText.plain(e.graderInfo)).raw("</p>\n")
            }
        }
    }
}
