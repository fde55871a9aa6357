import Foundation
import GotongLearning
import GotongPlatform

/// The quiz's questions for its trainers: the slots in order, and a category of the bank to
/// pick questions from, or to draw some at random from.
struct QuizQuestionsModel: Sendable {
    struct Slot: Sendable {
        let id: QuizSlotID
        let name: String?
        let kind: QuestionKind?
        let randomFrom: String?
        let count: Int
        let mark: Double
    }

    struct Offered: Sendable {
        let id: UUID
        let name: String
        let kind: QuestionKind
    }

    let activityTitle: String
    let backURL: String
    let slots: [Slot]
    let folders: [QuestionBank.Folder]
    let category: QuestionBank.Folder?
    let offered: [Offered]
    let base: LearningRoute
    let attempts: Int
    let error: String?
}

extension QuizQuestionsModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("quiz.staff.questions")).raw("</h1>\n<p><a href=\"").attr(backURL).raw("\">")
            .text(activityTitle).raw("</a></p>\n")
        if attempts > 0 {
            h.raw("<p class=\"flash info\">").text(t("quiz.staff.attempts_keep", ["count": "\(attempts)"])).raw(
                "</p>\n")
        }
        h.alert(error)
        if slots.isEmpty {
            h.raw("<p class=\"muted\">").text(t("quiz.staff.no_slots")).raw("</p>\n")
        } else {
            let headings = ["quiz.staff.slot", "bank.question.kind", "bank.question.mark", "action.actions"].map {
                t($0)
            }
            h.stackTable(headings)
            for slot in slots {
                h.raw("<tr>").cell(headings[0])
                if let randomFrom = slot.randomFrom {
                    h.text(t("quiz.staff.random_from", ["count": "\(slot.count)", "category": randomFrom]))
                } else {
                    h.text(slot.name ?? "—")
                }
                h.raw("</td>").cell(headings[1]).text(
                    slot.kind.map { t("bank.kind.\($0.rawValue)") } ?? t("quiz.staff.random")
                )
                .raw("</td>").cell(headings[2]).text(Number.text(slot.mark)).raw("</td>").cell(headings[3])
                for (action, label) in [
                    (SlotAction.up, "quiz.staff.up"), (.down, "quiz.staff.down"), (.remove, "quiz.staff.remove"),
                ] {
                    h.postButton(
                        QuizPage.slot(.value(slot.id), .value(action)).path(under: base), csrf: csrf, label: t(label),
                        buttonClass: "small secondary")
                    h.raw(" ")
                }
                h.raw("</td></tr>\n")
            }
            h.endStackTable()
        }
        writePicker(to: h, texts: t, csrf: csrf)
    }

    private func writePicker(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h2>").text(t("quiz.staff.add")).raw("</h2>\n")
        guard !folders.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("quiz.staff.bank_empty")).raw("</p>\n")
            return
        }
        // Choosing a category is a plain link per category: no script needed.
        h.raw("<ul class=\"tree\">\n")
        for folder in folders {
            h.raw("<li style=\"--depth:\(folder.depth)\"><a href=\"")
                .attr(QuizPage.questions.path(under: base) + "?kategori=" + folder.id.uuidString).raw("\"")
                .raw(folder.id == category?.id ? " aria-current=\"page\"" : "").raw(">").text(folder.name)
                .raw("</a> <span class=\"muted\">").text(t("bank.count", ["count": "\(folder.questions)"]))
                .raw("</span></li>\n")
        }
        h.raw("</ul>\n")
        guard let category else { return }
        h.raw("<h3>").text(category.path.joined(separator: " / ")).raw("</h3>\n")
            .postForm(QuizPage.addSlots.path(under: base), csrf: csrf, class: "form")
            .raw("<input type=\"hidden\" name=\"category\" value=\"").attr(category.id.uuidString).raw("\">\n")
        if offered.isEmpty { h.raw("<p class=\"muted\">").text(t("bank.category_empty")).raw("</p>\n") }
        for question in offered {
            let id = "pick_" + question.id.uuidString
            h.raw("<label class=\"choice\" for=\"").attr(id).raw("\"><input type=\"checkbox\" id=\"").attr(id)
                .raw("\" name=\"").attr(id).raw("\" value=\"1\"> ").text(question.name).raw(" <span class=\"muted\">(")
                .text(t("bank.kind.\(question.kind.rawValue)")).raw(")</span></label>\n")
        }
        h.textField(
            TextField(
                "random", label: t("quiz.staff.random_count"), value: "0", error: nil,
                hint: t("quiz.staff.random_hint"),
                kind: .input("number"))
        )
        .textField(
            TextField(
                "mark", label: t("quiz.staff.mark"), value: "1", error: nil, kind: .input("text"),
                attributes: " inputmode=\"decimal\"")
        )
        .raw("<button type=\"submit\">").text(t("quiz.staff.add_submit")).raw("</button>\n</form>\n")
    }
}

extension QuizResults: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("quiz.staff.results")).raw("</h1>\n<p><a href=\"").attr(backURL).raw("\">")
            .text(activityTitle).raw("</a></p>\n")
        if let average { h.raw("<p>").text(t("quiz.staff.average", ["grade": Grade.text(average)])).raw("</p>\n") }
        let headings = ["quiz.staff.learner", "quiz.front.attempt", "quiz.front.score"].map { t($0) }
        if attempts.isEmpty {
            h.raw("<p class=\"muted\">").text(t("quiz.staff.no_attempts")).raw("</p>\n")
        } else {
            h.stackTable(headings)
            for row in attempts {
                let score: String
                if row.open {
                    score = t("quiz.state.open")
                } else if row.needsGrading {
                    score = t("quiz.state.needs_grading")
                } else {
                    score = row.percent.map(Grade.text) ?? "—"
                }
                h.raw("<tr>").cell(headings[0]).text(row.learner).raw("</td>").cell(headings[1]).raw("<a href=\"")
                    .attr(row.reviewURL).raw("\">").text(t("quiz.front.attempt_n", ["n": "\(row.number)"])).raw("</a>")
                if row.finishedBy == "timer" {
                    h.raw(" <span class=\"muted\">").text(t("quiz.staff.by_timer")).raw("</span>")
                }
                h.raw("</td>").cell(headings[2]).text(score)
                if row.needsGrading {
                    h.raw(" <a href=\"").attr(row.gradeURL).raw("\">").text(t("quiz.grade.open")).raw("</a>")
                }
                h.raw("</td></tr>\n")
            }
            h.endStackTable()
        }
        h.raw("<h2>").text(t("quiz.stats.title")).raw("</h2>\n<p class=\"hint\">").text(t("quiz.stats.lead")).raw(
            "</p>\n")
        for stats in questions { write(stats, to: h, texts: t) }
        h.raw("<h2>").text(t("quiz.staff.regrade")).raw("</h2>\n<p>").text(t("quiz.staff.regrade_lead")).raw("</p>\n")
            .postButton(regradeURL, csrf: csrf, label: t("quiz.staff.regrade"), buttonClass: "secondary")
    }

    private func write(_ stats: QuestionStats, to h: HTMLText, texts t: Texts) {
        h.raw("<section class=\"panel\"><h3>").text("\(stats.number). " + stats.name).raw("</h3>\n<p>")
            .text(t("bank.kind.\(stats.kind.rawValue)")).raw(" · ")
            .text(t("quiz.stats.answered", ["count": "\(stats.answered)"])).raw(" · ")
            .text(
                stats.facility.map { t("quiz.stats.facility", ["percent": Grade.text($0)]) }
                    ?? t("quiz.stats.no_facility")
            )
            .raw("</p>\n")
        if !stats.frequencies.isEmpty {
            let total = max(1, stats.frequencies.map(\.count).reduce(0, +))
            h.raw("<ul class=\"bars\">\n")
            for item in stats.frequencies {
                let percent = item.count * 100 / total
                h.raw("<li><span>").text(item.answer).text(item.right ? " (" + t("quiz.stats.key") + ")" : "").raw(
                    "</span> <meter min=\"0\" max=\"100\" value=\"\(percent)\">"
                )
                .text("\(percent)%").raw("</meter> ").text(t("quiz.stats.chosen", ["count": "\(item.count)"])).raw(
                    "</li>\n")
            }
            h.raw("</ul>\n")
        }
        h.raw("</section>\n")
    }
}

/// A finished attempt's essays, with the points and comment a grader gives each.
struct GradeEssaysModel: Sendable {
    struct Essay: Sendable {
        let slot: Int
        let question: Question
        let mark: Double
        let text: String
        let points: Double?
        let comment: String
        let error: String?
    }

    let learner: String
    let attemptNumber: Int
    let essays: [Essay]
    let action: String
    let reviewURL: String
}

extension GradeEssaysModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("quiz.grade.title")).raw("</h1>\n<p>")
            .text(t("quiz.grade.lead", ["learner": learner, "n": "\(attemptNumber)"])).raw(" <a href=\"").attr(
                reviewURL
            )
            .raw("\">").text(t("quiz.grade.review")).raw("</a></p>\n")
        guard !essays.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("quiz.grade.none")).raw("</p>\n")
            return
        }
        h.postForm(action, csrf: csrf, class: "form")
        for essay in essays {
            guard case .essay(let details) = essay.question.body else { continue }
            h.raw("<section class=\"panel\"><h2>").text(essay.question.name).raw("</h2>\n<div class=\"question-text\">")
                .raw(QuestionText.html(essay.question.text, format: essay.question.format)).raw("</div>\n<blockquote>")
                .raw(QuestionText.plain(essay.text.isEmpty ? "—" : essay.text)).raw("</blockquote>\n")
            if !details.graderInfo.isEmpty {
                h.raw("<p class=\"hint\">").text(t("bank.question.grader_info")).raw(" ").raw(
                    QuestionText.plain(details.graderInfo)
                )
                .raw("</p>\n")
            }
            h.textField(
                TextField(
                    "points_\(essay.slot)", label: t("quiz.grade.points", ["max": Number.text(essay.mark)]),
                    value: essay.points.map { Number.text(($0 * 100).rounded() / 100) }, error: essay.error,
                    kind: .input("text"), required: true, attributes: " inputmode=\"decimal\"")
            )
            .textField(
                TextField(
                    "comment_\(essay.slot)", label: t("quiz.grade.comment"), value: essay.comment, error: nil,
                    kind: .area(rows: 3), max: 5_000)
            )
            .raw("</section>\n")
        }
        h.raw("<button type=\"submit\">").text(t("quiz.grade.save")).raw("</button>\n</form>\n")
    }
}
