import Foundation
import GotongLearning
import GotongPlatform
import Vapor

/// The assignment as its activity page shows it: the instructions and dates; for a
/// participant, their round (the form while it is a draft) and released grades; for the staff,
/// the way to grading.
struct AssignmentFrontModel: Sendable {
    struct Round: Sendable {
        let number: Int
        let status: String
        let text: String
        let files: [ShownFile]
        let grade: ShownGrade?
        /// Graded but kept back by the grader.
        let gradeWaiting: Bool
    }

    let instructions: String
    let facts: [String]
    let isStaff: Bool
    let gradingURL: String
    let staffSummary: String?
    /// The participant's rounds, the latest first.
    let rounds: [Round]
    /// The form, while the latest round can be changed.
    let form: DraftForm?
    /// Why nothing can be handed in (past the cut-off), when so.
    let closedNote: String?
    /// The rubric the work is graded with, shown before anything is handed in.
    let rubric: Rubric?

    static func make(
        _ assignment: Assignment, person: UUID, base: LearningRoute, isStaff: Bool, req: Request
    ) async throws -> AssignmentFrontModel {
        let settings = assignment.settings
        let now = req.application.clock.now()
        var facts: [String] = []
        if let due = settings.dueAt { facts.append(req.t("assignment.due", ["when": req.dayTime(due)])) }
        if let cutoff = settings.cutoffAt { facts.append(req.t("assignment.cutoff", ["when": req.dayTime(cutoff)])) }
        facts.append(req.t("assignment.kind.\(settings.submission.rawValue)"))
        facts.append(
            settings.rubric != nil
                ? req.t("assignment.grading.rubric") : req.t("assignment.grading.\(settings.grading.rawValue)"))
        let gradingURL = AssignmentPage.grading.path(under: base)
        if isStaff {
            let latest = try await assignment.submissions.latestRounds().values
            let handedIn = latest.filter { $0.status == .submitted }
            return AssignmentFrontModel(
                instructions: SafeMarkdown.html(settings.instructions), facts: facts, isStaff: true,
                gradingURL: gradingURL,
                staffSummary: req.t(
                    "assignment.staff.summary",
                    ["submitted": "\(handedIn.count)", "waiting": "\(handedIn.filter { !$0.isGraded }.count)"]),
                rounds: [], form: nil, closedNote: nil, rubric: settings.rubric)
        }
        let rounds = try await assignment.submissions.rounds(of: person)
        let files = try await assignment.submissions.files(of: rounds.compactMap(\.id))
        let latest = rounds.last
        let editable = latest.map { $0.status == .draft } ?? !settings.isClosed(at: now)
        let closedByCutoff = (latest?.round ?? 1) == 1 && settings.isClosed(at: now) && latest?.status != .submitted
        let shown: [Round] = rounds.reversed().map { round in
            let mine = files[round.id!] ?? []
            let draft = round.status == .draft
            let released = round.isReleased
            return Round(
                number: round.round,
                status: status(round, req: req),
                text: draft ? "" : round.text,
                files: draft
                    ? [] : mine.filter { $0.role == .submission }.map { ShownFile($0, base: base, removable: false) },
                grade: released
                    ? ShownGrade(
                        round, settings: settings,
                        files: mine.filter { $0.role == .feedback }.map { ShownFile($0, base: base, removable: false) })
                    : nil,
                gradeWaiting: round.isGraded && !released)
        }
        let form: DraftForm? =
            editable && !closedByCutoff
            ? DraftForm(
                action: AssignmentPage.draft.path(under: base), takesText: settings.takesText,
                takesFiles: settings.takesFiles, text: latest?.status == .draft ? latest?.text ?? "" : "",
                files: latest.map { round in
                    (files[round.id!] ?? []).filter { $0.role == .submission }.map {
                        ShownFile($0, base: base, removable: true)
                    }
                } ?? [],
                maxFiles: settings.maxFiles, errors: [:])
            : nil
        return AssignmentFrontModel(
            instructions: SafeMarkdown.html(settings.instructions), facts: facts, isStaff: false,
            gradingURL: gradingURL, staffSummary: nil, rounds: shown, form: form,
            closedNote: closedByCutoff ? req.t("assignment.closed") : nil, rubric: settings.rubric)
    }

    /// "Draf, disimpan 3 Des 2026 10.15" / "Dikumpulkan 3 Des 2026 10.15 (terlambat)".
    static func status(_ round: AssignmentSubmission, req: Request) -> String {
        switch round.status {
        case .draft: return req.t("assignment.status.draft", ["when": req.dayTime(round.updatedAt)])
        case .submitted:
            let when = round.submittedAt.map { req.dayTime($0) } ?? ""
            return req.t(round.late ? "assignment.status.late" : "assignment.status.submitted", ["when": when])
        }
    }
}

extension AssignmentFrontModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw(instructions).raw("<ul class=\"facts\">\n")
        for fact in facts { h.raw("<li>").text(fact).raw("</li>\n") }
        h.raw("</ul>\n")
        if let rubric { writeRubric(rubric, to: h, texts: t) }
        if isStaff {
            h.raw("<p class=\"actions\"><a class=\"button\" href=\"").attr(gradingURL).raw("\">")
                .text(t("assignment.staff.grading")).raw("</a> <span class=\"muted\">").text(staffSummary ?? "")
                .raw("</span></p>\n")
            return
        }
        if let closedNote { h.raw("<p class=\"flash info\">").text(closedNote).raw("</p>\n") }
        if rounds.isEmpty {
            if form != nil { h.raw("<p class=\"muted\">").text(t("assignment.status.none")).raw("</p>\n") }
            form?.write(to: h, texts: t, csrf: csrf)
            return
        }
        for (index, round) in rounds.enumerated() {
            if index == 1 { h.raw("<details><summary>").text(t("assignment.earlier")).raw("</summary>\n") }
            if rounds.count > 1 {
                h.raw("<h3>").text(t("assignment.round", ["number": "\(round.number)"])).raw("</h3>\n")
            }
            h.raw("<p class=\"status\">").text(round.status).raw("</p>\n")
            if !round.text.isEmpty { h.raw("<div class=\"plain\">").text(round.text).raw("</div>\n") }
            writeFiles(round.files, to: h, texts: t, csrf: nil)
            if let grade = round.grade {
                grade.write(to: h, texts: t)
            } else if round.gradeWaiting {
                h.raw("<p class=\"muted\">").text(t("assignment.grade.waiting")).raw("</p>\n")
            }
            // The latest round's form, while it is a draft.
            if index == 0 { form?.write(to: h, texts: t, csrf: csrf) }
        }
        if rounds.count > 1 { h.raw("</details>\n") }
    }

    private func writeRubric(_ rubric: Rubric, to h: HTMLText, texts t: Texts) {
        h.raw("<details><summary>").text(t("assignment.rubric.shown")).raw("</summary>\n")
        let headings = ["assignment.rubric.criterion", "assignment.rubric.levels"].map { t($0) }
        h.stackTable(headings)
        for criterion in rubric.criteria {
            h.raw("<tr>").cell(headings[0]).text(criterion.name).raw("</td>").cell(headings[1])
                .text(criterion.levels.map { "\($0.label) (\(Number.text($0.points)))" }.joined(separator: " · "))
                .raw("</td></tr>\n")
        }
        h.endStackTable().raw("</details>\n")
    }
}
