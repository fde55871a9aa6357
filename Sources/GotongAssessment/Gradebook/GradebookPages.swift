import Foundation
import GotongPlatform

/// The staff's gradebook: a row per participant, a column per graded item, the average, and
/// the pre-test to post-test gain with the course's average.
struct GradebookModel: Sendable {
    let courseTitle: String
    let courseURL: String
    let csvURL: String
    let book: Gradebook
}

extension GradebookModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("grades.heading")).raw("</h1>\n<p><a href=\"").attr(courseURL).raw("\">").text(courseTitle)
            .raw("</a> · <a href=\"").attr(csvURL).raw("\" download>").text(t("grades.csv")).raw("</a></p>\n")
        if book.items.isEmpty {
            h.raw("<p class=\"muted\">").text(t("grades.no_items")).raw("</p>\n")
            return
        }
        writeGain(to: h, texts: t)
        let hasGain = book.pretest != nil && book.posttest != nil
        var headings = [t("grades.name")] + book.items.map(\.title) + [t("grades.average")]
        if hasGain { headings.append(t("grades.gain")) }
        h.stackTable(headings)
        for row in book.rows {
            h.raw("<tr>").cell(headings[0]).text(row.name)
            if row.waiting > 0 { h.raw(" <span class=\"muted\">").text(t("grades.waiting")).raw("</span>") }
            h.raw("</td>")
            for (index, grade) in row.grades.enumerated() {
                h.cell(headings[index + 1]).text(grade.map(Grade.text) ?? "—").raw("</td>")
            }
            h.cell(headings[book.items.count + 1]).text(row.average(of: book.items.count).map(Grade.text) ?? "—")
                .raw("</td>")
            if hasGain {
                h.cell(headings[book.items.count + 2]).text(book.gain(row).map { Self.signed($0.gain) } ?? "—").raw(
                    "</td>")
            }
            h.raw("</tr>\n")
        }
        h.endStackTable()
        if book.rows.isEmpty { h.raw("<p class=\"muted\">").text(t("grades.no_participants")).raw("</p>\n") }
    }

    private func writeGain(to h: HTMLText, texts t: Texts) {
        guard book.pretest != nil, book.posttest != nil else {
            h.raw("<p class=\"hint\">").text(t("grades.no_pre_post")).raw("</p>\n")
            return
        }
        guard let average = book.averageGain else {
            h.raw("<p class=\"hint\">").text(t("grades.no_gain_yet")).raw("</p>\n")
            return
        }
        h.raw("<section class=\"panel\"><h2>").text(t("grades.gain_heading")).raw("</h2>\n<p><strong>")
            .text(t("grades.average_gain", ["gain": Self.signed(average.gain), "count": "\(average.count)"]))
            .raw("</strong></p>\n")
        if let normalised = average.normalised {
            h.raw("<p>").text(t("grades.average_normalised", ["value": String(format: "%.2f", normalised)])).raw(
                "</p>\n")
        }
        h.raw("<p class=\"hint\">").text(t("grades.gain_lead")).raw("</p></section>\n")
    }

    static func signed(_ value: Double) -> String { (value > 0 ? "+" : "") + Grade.text(value) }
}

/// A learner's own grades in one course.
struct MyGradesModel: Sendable {
    struct Item: Sendable {
        let title: String
        let grade: Double?
        let passPercent: Int
        let url: String
        /// A grader's feedback (assignments).
        var feedback: String?
    }

    let courseTitle: String
    let outlineURL: String
    let items: [Item]
    let waiting: Int
    let gain: (pre: Double, post: Double, gain: Double)?
}

extension MyGradesModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("grades.mine_heading")).raw("</h1>\n<p><a href=\"").attr(outlineURL).raw("\">")
            .text(courseTitle).raw("</a></p>\n")
        if items.isEmpty { h.raw("<p class=\"muted\">").text(t("grades.no_items")).raw("</p>\n") }
        let headings = ["grades.item", "grades.grade"].map { t($0) }
        if !items.isEmpty {
            h.stackTable(headings)
            for item in items {
                h.raw("<tr>").cell(headings[0]).raw("<a href=\"").attr(item.url).raw("\">").text(item.title).raw(
                    "</a></td>"
                )
                .cell(headings[1]).text(item.grade.map(Grade.text) ?? "—")
                if let grade = item.grade, item.passPercent > 0 {
                    h.text(" · ").text(
                        t(grade + 1e-9 >= Double(item.passPercent) ? "quiz.review.passed" : "quiz.review.not_passed"))
                }
                if let feedback = item.feedback {
                    h.raw("<div class=\"plain\">").text(feedback).raw("</div>")
                }
                h.raw("</td></tr>\n")
            }
            h.endStackTable()
        }
        if waiting > 0 { h.raw("<p class=\"hint\">").text(t("grades.mine_waiting")).raw("</p>\n") }
        if let gain {
            h.raw("<p><strong>")
                .text(
                    t(
                        "grades.mine_gain",
                        [
                            "pre": Grade.text(gain.pre), "post": Grade.text(gain.post),
                            "gain": GradebookModel.signed(gain.gain),
                        ])
                )
                .raw("</strong></p>\n")
        }
    }
}
