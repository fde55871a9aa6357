import Foundation
import GotongLearning
import GotongPlatform
import Vapor

/// The graders' list: every participant, their latest round's state and grade.
struct GradingListModel: Sendable {
    struct Row: Sendable {
        let name: String
        let unit: String
        let status: String
        let grade: String?
        let released: Bool
        /// The grading page, for a handed-in round.
        let url: String?
    }

    let activityTitle: String
    let backURL: String
    let rows: [Row]
    let archiveURL: String
    let releaseURL: String
    let unreleased: Int
    let submitted: Int

    /// "85" or "Lulus", as the list shows a grade.
    static func gradeText(_ round: AssignmentSubmission, _ settings: AssignmentSettings, _ req: Request) -> String {
        settings.grading == .passFail && settings.rubric == nil
            ? req.t(round.passed == true ? "assignment.grade.passed" : "assignment.grade.not_passed")
            : Grade.text(round.percent ?? 0)
    }
}

extension GradingListModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("assignment.staff.grading")).raw("</h1>\n<p><a href=\"").attr(backURL).raw("\">")
            .text(activityTitle).raw("</a></p>\n<p class=\"actions\">")
        if submitted > 0 {
            h.raw("<a class=\"button secondary\" href=\"").attr(archiveURL).raw("\" download>")
                .text(t("assignment.staff.download_all", ["count": "\(submitted)"])).raw("</a> ")
        }
        if unreleased > 0 {
            h.postButton(releaseURL, csrf: csrf, label: t("assignment.staff.release_all", ["count": "\(unreleased)"]))
        }
        h.raw("</p>\n")
        guard !rows.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("assignment.staff.no_participants")).raw("</p>\n")
            return
        }
        let headings = [
            "assignment.staff.participant", "assignment.staff.status", "assignment.staff.grade", "action.actions",
        ]
        .map { t($0) }
        h.stackTable(headings)
        for row in rows {
            h.raw("<tr>").cell(headings[0]).text(row.name).raw("<br><span class=\"muted\">").text(row.unit)
                .raw("</span></td>").cell(headings[1]).text(row.status).raw("</td>").cell(headings[2])
            if let grade = row.grade {
                h.text(grade).raw(" <span class=\"muted\">")
                    .text(t(row.released ? "assignment.staff.shown" : "assignment.staff.kept")).raw("</span>")
            } else {
                h.text("—")
            }
            h.raw("</td>").cell(headings[3])
            if let url = row.url {
                h.raw("<a href=\"").attr(url).raw("\">")
                    .text(t(row.grade == nil ? "assignment.staff.grade_action" : "assignment.staff.regrade_action"))
                    .raw("</a>")
            }
            h.raw("</td></tr>\n")
        }
        h.endStackTable()
    }
}

/// One submission for its grader: what was handed in, and the grade form; links to the
/// previous and next submission, so a grader steps through them.
struct GradePageModel: Sendable {
    let participant: String
    let unit: String
    let status: String
    let round: Int
    let text: String
    let files: [ShownFile]
    let current: ShownGrade?
    let released: Bool
    let settings: AssignmentSettings
    let input: GradeInput?
    let stored: AssignmentSubmission
    let errors: [String: String]
    let action: String
    let reopenURL: String?
    let previousURL: String?
    let nextURL: String?
    let listURL: String

    static func make(
        _ req: Request, _ open: OpenActivity, _ assignment: Assignment, _ submission: AssignmentSubmission,
        input: GradeInput?, errors: [String: String]
    ) async throws -> GradePageModel {
        let base = AssignmentRoutes.base(open)
        let board = try await GradingBoard.load(assignment, course: open.course, db: req.database)
        let row = board.rows.first { $0.participant.person_id == submission.personID }
        let files = try await assignment.submissions.files(of: [submission.id!])[submission.id!] ?? []
        let isLatest = row?.latest?.id == submission.id
        let link = { (id: UUID?) in id.map { AssignmentPage.grade(.value(SubmissionID($0))).path(under: base) } }
        return GradePageModel(
            participant: row?.participant.name ?? "—", unit: row?.participant.unit_kerja ?? "",
            status: AssignmentFrontModel.status(submission, req: req), round: submission.round, text: submission.text,
            files: files.filter { $0.role == .submission }.map { ShownFile($0, base: base, removable: false) },
            current: ShownGrade(
                submission, settings: assignment.settings,
                files: files.filter { $0.role == .feedback }.map { ShownFile($0, base: base, removable: false) }),
            released: submission.isReleased, settings: assignment.settings, input: input, stored: submission,
            errors: errors, action: AssignmentPage.grade(.value(SubmissionID(submission.id!))).path(under: base),
            reopenURL: isLatest && submission.status == .submitted
                ? AssignmentPage.reopen(.value(SubmissionID(submission.id!))).path(under: base) : nil,
            previousURL: link(board.previous(before: submission.id!)),
            nextURL: link(board.next(after: submission.id!)).flatMap { $0 == link(submission.id) ? nil : $0 },
            listURL: AssignmentPage.grading.path(under: base))
    }
}

extension GradePageModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p><a href=\"").attr(listURL).raw("\">").text(t("assignment.staff.grading")).raw("</a></p>\n<h1>")
            .text(participant).raw("</h1>\n<p class=\"muted\">").text(unit).raw("</p>\n<p class=\"status\">")
            .text(status)
        if round > 1 { h.raw(" · ").text(t("assignment.round", ["number": "\(round)"])) }
        h.raw("</p>\n")
        if !text.isEmpty { h.raw("<div class=\"plain\">").text(text).raw("</div>\n") }
        writeFiles(files, to: h, texts: t, csrf: nil)
        if let current {
            h.raw("<h2>").text(t(released ? "assignment.staff.current_shown" : "assignment.staff.current_kept"))
                .raw("</h2>\n")
            current.write(to: h, texts: t, own: false)
        }
        writeForm(to: h, texts: t, csrf: csrf)
        h.raw("<p class=\"actions\">")
        if let previousURL {
            h.raw("<a class=\"button secondary\" href=\"").attr(previousURL).raw("\">")
                .text(t("assignment.staff.previous")).raw("</a> ")
        }
        if let nextURL {
            h.raw("<a class=\"button secondary\" href=\"").attr(nextURL).raw("\">").text(t("assignment.staff.next"))
                .raw("</a> ")
        }
        if let reopenURL {
            h.postButton(reopenURL, csrf: csrf, label: t("assignment.staff.reopen"), buttonClass: "secondary")
        }
        h.raw("</p>\n")
    }

    private func writeForm(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h2>").text(t("assignment.staff.grade_heading")).raw("</h2>\n")
            .postForm(action, csrf: csrf, class: "form", multipart: true).alert(errors["rubric"])
        if let rubric = settings.rubric {
            let chosen = input?.levels ?? stored.chosenLevels.map { Optional($0) }
            for (index, criterion) in rubric.criteria.enumerated() {
                h.raw("<fieldset><legend>").text(criterion.name).raw("</legend>\n")
                for (level, option) in criterion.levels.enumerated() {
                    let id = "level_\(index)_\(level)"
                    h.raw("<label class=\"choice\" for=\"").attr(id).raw("\"><input type=\"radio\" id=\"").attr(id)
                        .raw("\" name=\"level_\(index)\" value=\"\(level)\"")
                        .flag("checked", chosen.indices.contains(index) && chosen[index] == level).raw("> ")
                        .text(option.label).raw(" <span class=\"muted\">(").text(Number.text(option.points))
                        .raw(")</span></label>\n")
                }
                h.raw("</fieldset>\n")
            }
        } else if settings.grading == .score {
            h.textField(
                TextField(
                    "score", label: t("assignment.staff.score"),
                    value: input?.score ?? stored.percent.map { Grade.text($0) }, error: errors["score"],
                    hint: t("assignment.staff.score_hint"), attributes: " inputmode=\"decimal\""))
        } else {
            let current = input?.passed ?? stored.passed.map { $0 ? "yes" : "no" }
            h.raw("<fieldset><legend>").text(t("assignment.staff.result")).raw("</legend>\n")
            for (value, label) in [("yes", "assignment.grade.passed"), ("no", "assignment.grade.not_passed")] {
                h.raw("<label class=\"choice\" for=\"passed_\(value)\"><input type=\"radio\" id=\"passed_\(value)\"")
                    .raw(" name=\"passed\" value=\"\(value)\"").flag("checked", current == value).raw("> ").text(
                        t(label)
                    )
                    .raw("</label>\n")
            }
            h.raw("</fieldset>\n").fieldError(errors["passed"], for: "passed")
        }
        h.textField(
            TextField(
                "feedback", label: t("assignment.feedback"), value: input?.feedback ?? stored.feedback,
                error: errors["feedback"], kind: .area(rows: 6), max: GradeInput.maxFeedback)
        )
        .textField(
            TextField(
                "feedback_file", label: t("assignment.staff.feedback_file"), value: nil, error: errors["feedback_file"],
                hint: t("assignment.staff.feedback_file_hint"),
                kind: .file(
                    accept: AssignmentSettings.fileRule.kinds.map { "." + $0.fileExtension }.joined(separator: ","))))
        if released {
            h.raw("<p class=\"hint\">").text(t("assignment.staff.already_shown")).raw("</p>\n")
        } else {
            h.raw("<div class=\"check\"><input id=\"release\" name=\"release\" type=\"checkbox\"")
                .flag("checked", input?.release ?? false).raw("><label for=\"release\">")
                .text(t("assignment.staff.release_now")).raw("</label></div>\n")
        }
        h.raw("<p class=\"actions\"><button type=\"submit\" name=\"go\" value=\"berikutnya\">")
            .text(t("assignment.staff.save_next")).raw("</button> <button type=\"submit\" class=\"secondary\">")
            .text(t("assignment.staff.save")).raw("</button></p>\n</form>\n")
    }
}
