import Foundation
import GotongLearning
import GotongPlatform

/// The quiz as its activity page shows it: what it is, its rules, the learner's attempts and
/// the button to start or go on.
struct QuizFrontModel: Sendable {
    struct Row: Sendable {
        let number: Int
        let open: Bool
        let finishedAt: String?
        let percent: Double?
        let needsGrading: Bool
        let url: String
    }

    let intro: String
    let settings: QuizSettings
    let questionCount: Int
    let totalMarks: Double
    let attempts: [Row]
    let grade: Double?
    let startURL: String
    let canStart: Bool
    let isStaff: Bool
    let questionsURL: String
    let resultsURL: String
    let gradesURL: String
}

extension QuizFrontModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw(intro)
        h.raw("<ul class=\"facts\">\n<li>").text(t("quiz.front.questions", ["count": "\(questionCount)"])).raw(
            "</li>\n")
        h.raw("<li>")
            .text(
                settings.timeLimit.map { t("quiz.front.time_limit", ["minutes": "\($0 / 60)"]) }
                    ?? t("quiz.front.no_time_limit")
            ).raw("</li>\n<li>")
            .text(
                settings.attempts.map { t("quiz.front.attempts", ["count": "\($0)"]) } ?? t("quiz.front.any_attempts")
            ).raw("</li>\n<li>").text(t("quiz.front.grading.\(settings.grading.rawValue)")).raw("</li>\n")
        if settings.passPercent > 0 {
            h.raw("<li>").text(t("quiz.front.pass", ["percent": "\(settings.passPercent)"])).raw("</li>\n")
        }
        if settings.role != .none { h.raw("<li>").text(t("quiz.front.role.\(settings.role.rawValue)")).raw("</li>\n") }
        h.raw("</ul>\n")
        if !attempts.isEmpty { writeAttempts(to: h, texts: t) }
        if let grade {
            h.raw("<p class=\"grade\"><strong>").text(t("quiz.front.grade", ["grade": Grade.text(grade)]))
                .raw("</strong></p>\n")
        }
        if let current = attempts.first(where: \.open) {
            h.raw("<p><a class=\"button\" href=\"").attr(current.url).raw("\">").text(t("quiz.front.continue"))
                .raw("</a></p>\n")
        } else if canStart && questionCount > 0 && !isStaff {
            if settings.timeLimit != nil { h.raw("<p class=\"hint\">").text(t("quiz.front.timer_hint")).raw("</p>\n") }
            h.postButton(startURL, csrf: csrf, label: t(attempts.isEmpty ? "quiz.front.start" : "quiz.front.again"))
        } else if !canStart {
            h.raw("<p class=\"muted\">").text(t("quiz.front.no_more")).raw("</p>\n")
        }
        if !attempts.isEmpty {
            h.raw("<p><a href=\"").attr(gradesURL).raw("\">").text(t("quiz.front.my_grades")).raw("</a></p>\n")
        }
        if isStaff {
            h.raw("<p class=\"actions\"><a class=\"button secondary\" href=\"").attr(questionsURL).raw("\">")
                .text(t("quiz.staff.questions")).raw("</a> <a class=\"button secondary\" href=\"").attr(resultsURL)
                .raw("\">").text(t("quiz.staff.results")).raw("</a></p>\n")
        }
    }

    private func writeAttempts(to h: HTMLText, texts t: Texts) {
        let headings = ["quiz.front.attempt", "quiz.front.state", "quiz.front.score"].map { t($0) }
        h.stackTable(headings)
        for row in attempts {
            let state =
                row.open ? t("quiz.state.open") : row.finishedAt.map { t("quiz.state.finished", ["when": $0]) } ?? ""
            let score =
                row.open ? "—" : row.needsGrading ? t("quiz.state.needs_grading") : row.percent.map(Grade.text) ?? "—"
            h.raw("<tr>").cell(headings[0]).raw("<a href=\"").attr(row.url).raw("\">")
                .text(t("quiz.front.attempt_n", ["n": "\(row.number)"])).raw("</a></td>").cell(headings[1]).text(state)
                .raw("</td>").cell(headings[2]).text(score).raw("</td></tr>\n")
        }
        h.endStackTable()
    }
}

/// One attempt being answered: every question in one form. With JavaScript each answer is
/// sent as it is given (and kept in the browser while offline); without, each question's
/// button saves the whole form.
struct AttemptModel: Sendable {
    struct Shown: Sendable {
        let slot: Int
        let question: Question
        let order: [Int]
        let mark: Double
        let response: QuestionResponse
    }

    let activityTitle: String
    let number: Int
    let secondsLeft: Int?
    let questions: [Shown]
    let action: String
    /// Where the script sends each answer, with the attempt's ticket.
    let answersURL: String
    let ticket: String
    let finishURL: String
}

extension AttemptModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(activityTitle).raw("</h1>\n<p class=\"muted\">")
            .text(t("quiz.attempt.lead", ["n": "\(number)", "count": "\(questions.count)"])).raw("</p>\n")
        if let secondsLeft {
            h.raw("<p class=\"timer\" role=\"timer\" data-seconds=\"\(secondsLeft)\" data-finish=\"").attr(action)
                .raw("\" data-label=\"").attr(t("quiz.attempt.time_left")).raw("\">")
                .text(t("quiz.attempt.time_left", ["time": Self.clock(secondsLeft)])).raw("</p>\n")
        }
        h.raw("<p class=\"save-state\" role=\"status\" aria-live=\"polite\" data-offline=\"")
            .attr(t("quiz.attempt.offline")).raw("\" data-saved=\"").attr(t("quiz.attempt.saved")).raw("\"></p>\n")
        h.raw("<nav class=\"qnav\" aria-label=\"").attr(t("quiz.attempt.nav")).raw("\">")
        for shown in questions {
            h.raw("<a href=\"#q\(shown.slot)\"").raw(shown.response.isEmpty ? "" : " class=\"answered\"").raw(">")
                .text("\(shown.slot + 1)").raw("</a> ")
        }
        h.raw("</nav>\n")
        h.raw("<form method=\"post\" action=\"").attr(action).raw("\" novalidate class=\"form quiz\" data-answers=\"")
            .attr(answersURL).raw("\" data-ticket=\"").attr(ticket).raw("\">").csrfField(csrf)
        h.raw("\n")
        for (index, shown) in questions.enumerated() {
            h.raw("<fieldset id=\"q\(shown.slot)\" data-slot=\"\(shown.slot)\" data-kind=\"").raw(
                Self.kind(shown.question)
            )
            .raw("\">").raw("<legend>").text(
                t("quiz.attempt.question", ["n": "\(index + 1)", "mark": Number.text(shown.mark)])
            )
            .raw("</legend>\n<input type=\"hidden\" name=\"p\(shown.slot)\" value=\"1\">\n")
            QuestionForm(shown: shown).write(to: h, texts: t)
            let next = index + 1 < questions.count ? "q\(questions[index + 1].slot)" : "selesai"
            h.raw("<button type=\"submit\" name=\"go\" value=\"").attr(next).raw("\" class=\"secondary\">")
                .text(t(next == "selesai" ? "quiz.attempt.save_finish" : "quiz.attempt.save_next")).raw("</button>\n")
                .raw("</fieldset>\n")
        }
        h.raw("</form>\n<p><a class=\"button\" data-finish href=\"").attr(finishURL).raw("\">").text(
            t("quiz.attempt.finish")
        )
        .raw("</a></p>\n")
    }

    /// How the page's script reads the question's inputs.
    static func kind(_ question: Question) -> String {
        switch question.body {
        case .multipleChoice(let mc): mc.single ? "one" : "many"
        case .trueFalse: "one"
        case .matching: "match"
        case .shortAnswer, .numerical, .essay: "text"
        }
    }

    static func clock(_ seconds: Int) -> String {
        let h = seconds / 3600, m = seconds % 3600 / 60, s = seconds % 60
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}

/// One question's inputs, named as ``QuizForm`` reads them.
struct QuestionForm {
    let shown: AttemptModel.Shown

    func write(to h: HTMLText, texts t: Texts) {
        let q = shown.question, slot = shown.slot, name = "q\(slot)", response = shown.response
        h.raw("<div class=\"question-text\">").raw(QuestionText.html(q.text, format: q.format)).raw("</div>\n")
        switch q.body {
        case .multipleChoice(let mc):
            let chosen = Set(response.choices ?? [])
            h.raw("<p class=\"hint\">").text(t(mc.single ? "quiz.hint.one" : "quiz.hint.several")).raw("</p>\n")
            for index in shown.order where mc.answers.indices.contains(index) {
                let id = "\(name)-\(index)"
                h.raw("<label class=\"choice\" for=\"").attr(id).raw("\"><input id=\"").attr(id).raw("\" type=\"")
                    .raw(mc.single ? "radio" : "checkbox").raw("\" name=\"")
                    .attr(mc.single ? name : "\(name)_\(index)").raw("\" value=\"").raw(mc.single ? "\(index)" : "1")
                    .raw("\"").flag("checked", chosen.contains(index)).raw("> ").raw(
                        QuestionText.plain(mc.answers[index].text)
                    )
                    .raw("</label>\n")
            }
        case .trueFalse:
            for (value, label) in [(0, "bank.question.true"), (1, "bank.question.false")] {
                let id = "\(name)-\(value)"
                h.raw("<label class=\"choice\" for=\"").attr(id).raw("\"><input id=\"").attr(id)
                    .raw("\" type=\"radio\" name=\"").attr(name).raw("\" value=\"\(value)\"")
                    .flag("checked", response.choices?.first == value).raw("> ").text(t(label)).raw("</label>\n")
            }
        case .shortAnswer:
            h.raw("<label for=\"").attr(name).raw("\">").text(t("quiz.answer")).raw("</label><input id=\"").attr(name)
                .raw("\" name=\"").attr(name).raw("\" autocomplete=\"off\" value=\"").attr(response.text ?? "").raw(
                    "\">\n")
        case .numerical:
            h.raw("<label for=\"").attr(name).raw("\">").text(t("quiz.answer_number")).raw("</label><input id=\"")
                .attr(name).raw("\" name=\"").attr(name).raw("\" inputmode=\"decimal\" autocomplete=\"off\" value=\"")
                .attr(response.text ?? "").raw("\">\n")
        case .essay(let essay):
            h.raw("<label for=\"").attr(name).raw("\">").text(t("quiz.answer")).raw("</label><textarea id=\"")
                .attr(name).raw("\" name=\"").attr(name).raw("\" rows=\"\(min(essay.lines, 20))\">")
                .text(response.text ?? essay.template).raw("</textarea>\n")
        case .matching(let m):
            let choices = m.choices
            for (item, pair) in m.items.enumerated() {
                let id = "\(name)_\(item)"
                let chosen = (response.matches ?? []).indices.contains(item) ? response.matches?[item] : nil
                h.raw("<label for=\"").attr(id).raw("\">").raw(QuestionText.plain(pair.item)).raw(
                    "</label><select id=\""
                )
                .attr(id).raw("\" name=\"").attr(id).raw("\"><option value=\"\">")
                .text(t("quiz.choose")).raw("</option>")
                for index in shown.order where choices.indices.contains(index) {
                    h.raw("<option value=\"\(index)\"").flag("selected", chosen == index).raw(">").text(choices[index])
                        .raw("</option>")
                }
                h.raw("</select>\n")
            }
        }
    }
}

/// Before handing in: how many questions are still unanswered.
struct FinishModel: Sendable {
    let activityTitle: String
    let total: Int
    let unanswered: [Int]
    let action: String
    let back: String
}

extension FinishModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("quiz.finish.title")).raw("</h1>\n<p>").text(activityTitle).raw("</p>\n<p>")
        if unanswered.isEmpty {
            h.text(t("quiz.finish.all_answered", ["count": "\(total)"]))
        } else {
            h.text(
                t(
                    "quiz.finish.unanswered",
                    ["count": "\(unanswered.count)", "numbers": unanswered.map(String.init).joined(separator: ", ")]))
        }
        h.raw("</p>\n<p>").text(t("quiz.finish.final")).raw("</p>\n")
        h.postButton(action, csrf: csrf, label: t("quiz.finish.submit"), formClass: "inline")
        h.raw(" <a href=\"").attr(back).raw("\">").text(t("quiz.finish.back")).raw("</a>\n")
    }
}
