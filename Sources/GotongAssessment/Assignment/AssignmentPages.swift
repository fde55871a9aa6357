import Foundation
import GotongLearning
import GotongPlatform
import Vapor

/// A file as the pages list it: its name, kind and size, and its download address.
struct ShownFile: Sendable {
    let id: UUID
    let name: String
    let detail: String
    let url: String
    /// Where a draft's file is taken out; nil when it cannot be.
    let removeURL: String?

    init(_ file: AssignmentFile, base: LearningRoute, removable: Bool) {
        id = file.id!
        name = file.name
        detail = file.kind.uppercased() + " · " + FileKind.sizeText(file.size)
        url = AssignmentPage.file(.value(AssignmentFileID(file.id!))).path(under: base)
        removeURL = removable ? AssignmentPage.removeFile(.value(AssignmentFileID(file.id!))).path(under: base) : nil
    }
}

/// A round's grade as the participant sees it once released (and the grader always).
struct ShownGrade: Sendable {
    let percent: Double?
    let passed: Bool?
    let passFail: Bool
    /// Each criterion, its chosen level, points and the most points.
    let rubric: [(criterion: String, level: String, points: Double, max: Double)]
    let feedback: String
    let feedbackFiles: [ShownFile]

    init?(_ round: AssignmentSubmission, settings: AssignmentSettings, files: [ShownFile]) {
        guard round.isGraded else { return nil }
        percent = round.percent
        passed = round.passed
        passFail = settings.grading == .passFail
        let chosen = round.chosenLevels
        rubric = zip(settings.rubric?.criteria ?? [], chosen).compactMap { criterion, level in
            criterion.levels.indices.contains(level)
                ? (criterion.name, criterion.levels[level].label, criterion.levels[level].points, criterion.maxPoints)
                : nil
        }
        feedback = round.feedback
        feedbackFiles = files
    }

    /// `own`: the participant's own grade ("Nilai Anda"), not a grader's view of it.
    func write(to h: HTMLText, texts t: Texts, own: Bool = true) {
        h.raw("<p class=\"grade\"><strong>")
        if passFail {
            h.text(t(passed == true ? "assignment.grade.passed" : "assignment.grade.not_passed"))
        } else {
            h.text(t(own ? "quiz.front.grade" : "assignment.grade.value", ["grade": Grade.text(percent ?? 0)]))
            if let passed { h.raw(" · ").text(t(passed ? "assignment.grade.passed" : "assignment.grade.not_passed")) }
        }
        h.raw("</strong></p>\n")
        if !rubric.isEmpty {
            let headings = ["assignment.rubric.criterion", "assignment.rubric.level", "assignment.rubric.points"].map {
                t($0)
            }
            h.stackTable(headings)
            for row in rubric {
                h.raw("<tr>").cell(headings[0]).text(row.criterion).raw("</td>").cell(headings[1]).text(row.level)
                    .raw("</td>").cell(headings[2]).text(Number.text(row.points) + " / " + Number.text(row.max))
                    .raw("</td></tr>\n")
            }
            h.endStackTable()
        }
        if !feedback.isEmpty {
            h.raw("<h3>").text(t("assignment.feedback")).raw("</h3>\n<div class=\"plain\">").text(feedback)
                .raw("</div>\n")
        }
        writeFiles(feedbackFiles, to: h, texts: t, csrf: nil)
    }
}

/// The list of a round's files, each with a button to take it out of a draft.
func writeFiles(_ files: [ShownFile], to h: HTMLText, texts t: Texts, csrf: String?) {
    guard !files.isEmpty else { return }
    h.raw("<ul class=\"files\">\n")
    for file in files {
        h.raw("<li><a href=\"").attr(file.url).raw("\" download>").text(file.name).raw("</a> <span class=\"muted\">")
            .text(file.detail).raw("</span>")
        if let remove = file.removeURL, let csrf {
            h.raw(" ").postButton(
                remove, csrf: csrf, label: t("assignment.remove_file"), buttonClass: "small secondary")
        }
        h.raw("</li>\n")
    }
    h.raw("</ul>\n")
}

/// The form a participant writes and hands in a round with; shared by the activity's page and
/// the draft page that shows a refused form again with what was typed.
struct DraftForm: Sendable {
    let action: String
    let takesText: Bool
    let takesFiles: Bool
    let text: String
    let files: [ShownFile]
    let maxFiles: Int
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        if takesFiles {
            h.raw("<h3>").text(t("assignment.files")).raw("</h3>\n")
            if files.isEmpty { h.raw("<p class=\"muted\">").text(t("assignment.no_files")).raw("</p>\n") }
            writeFiles(files, to: h, texts: t, csrf: csrf)
        }
        h.postForm(action, csrf: csrf, class: "form", multipart: true)
        if takesText {
            h.textField(
                TextField(
                    "text", label: t("assignment.text"), value: text, error: errors["text"],
                    hint: t("assignment.text_hint"), kind: .area(rows: 12), max: AssignmentSettings.maxText))
        }
        if takesFiles, files.count < maxFiles {
            let rule = AssignmentSettings.fileRule
            h.textField(
                TextField(
                    "file", label: t("assignment.add_file"), value: nil, error: errors["file"],
                    hint: t(
                        "assignment.file_hint",
                        [
                            "kinds": rule.kinds.map { $0.fileExtension.uppercased() }.joined(separator: ", "),
                            "max": "\(rule.maxBytes / 1_048_576) MB", "count": "\(maxFiles)",
                        ]),
                    kind: .file(accept: rule.kinds.map { "." + $0.fileExtension }.joined(separator: ","))))
        }
        h.raw("<p class=\"actions\"><button type=\"submit\" name=\"go\" value=\"simpan\" class=\"secondary\">")
            .text(t("assignment.save_draft")).raw("</button> <button type=\"submit\" name=\"go\" value=\"kumpulkan\">")
            .text(t("assignment.submit")).raw("</button></p>\n<p class=\"hint\">").text(t("assignment.submit_hint"))
            .raw("</p>\n</form>\n")
    }
}

/// The draft page: the form alone, shown again with its errors and what was typed.
struct DraftPageModel: Sendable {
    let activityTitle: String
    let backURL: String
    let form: DraftForm
    let error: String?
}

extension DraftPageModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(activityTitle).raw("</h1>\n<p><a href=\"").attr(backURL).raw("\">")
            .text(t("assignment.back")).raw("</a></p>\n").alert(error)
        form.write(to: h, texts: t, csrf: csrf)
    }
}
