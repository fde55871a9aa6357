import Foundation
import GotongEvaluation
import GotongIdentity
import GotongPlatform
import GotongServiceDesk
import GotongTenancy

/// Counts as an SVG bar chart with the numbers on it, and the same numbers as a table for
/// readers who cannot see the chart.
enum ResultsChart {
    static func write(_ h: HTMLText, _ t: Texts, _ bars: ConsultationResults.Bars, id: String) {
        let total = bars.total
        let (row, width, barMax) = (46, 320, 230.0)
        h.raw("<figure class=\"chart\"><figcaption id=\"").attr(id).raw("\">").text(bars.prompt)
            .raw(" <span class=\"muted\">").text(t("info.voice.answers", ["count": "\(total)"])).raw("</span>")
            .raw("</figcaption>\n<svg viewBox=\"0 0 \(width) \(max(1, bars.labels.count) * row)\" width=\"100%\"")
            .raw(" role=\"img\" aria-labelledby=\"").attr(id).raw("\">\n")
        for (index, label) in bars.labels.enumerated() {
            let (y, count) = (index * row, bars.counts[index])
            let share = total == 0 ? 0 : Double(count) / Double(total)
            let length = max(2, Int(barMax * share))
            h.raw("<text x=\"0\" y=\"\(y + 14)\" font-size=\"13\">").text(String(label.prefix(48))).raw("</text>")
                .raw("<rect x=\"0\" y=\"\(y + 20)\" width=\"\(length)\" height=\"16\" rx=\"2\" fill=\"#1b6e3a\"/>")
                .raw("<text x=\"\(length + 6)\" y=\"\(y + 33)\" font-size=\"12\">")
                .text("\(count) (\(Self.percent(share)))").raw("</text>\n")
        }
        h.raw("</svg>\n<details><summary>").text(t("info.voice.numbers")).raw("</summary><table><tbody>")
        for (index, label) in bars.labels.enumerated() {
            let share = total == 0 ? 0 : Double(bars.counts[index]) / Double(total)
            h.raw("<tr><th scope=\"row\">").text(label).raw("</th><td>").text("\(bars.counts[index])").raw("</td><td>")
                .text(Self.percent(share)).raw("</td></tr>")
        }
        h.raw("</tbody></table></details></figure>\n")
    }

    /// "42 %" as Indonesians write it (a comma for decimals, none needed here).
    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded())) %" }
}

enum ConsultationPhase {
    static func text(_ row: Consultation, now: Date, _ t: Texts) -> String {
        switch row.phase(at: now) {
        case .upcoming: t("info.voice.phase.upcoming", ["date": LocalDates.moment(row.opensAt, t.language)])
        case .open: t("info.voice.phase.open", ["date": LocalDates.moment(row.closesAt, t.language)])
        case .closed: t("info.voice.phase.closed", ["date": LocalDates.day(row.closesAt, t.language)])
        }
    }
}

struct ConsultationListModel: PageBody {
    let slug: Param<TenantSlug>
    let tenant: String
    let rows: [Consultation]
    let window: PageWindow
    let now: Date

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.desk(slug).path).raw("\">").text(t("info.back_desk"))
            .raw("</a></p>\n<h1>").text(t("info.voice.heading", ["tenant": tenant])).raw("</h1>\n<p>")
            .text(t("info.voice.lead")).raw("</p>\n")
        if rows.isEmpty { h.raw("<p>").text(t("info.voice.none")).raw("</p>\n") }
        h.raw("<ul class=\"list\">\n")
        for row in rows {
            h.raw("<li><span class=\"muted\">").text(t("info.voice.kind.\(row.kind.rawValue)")).raw(
                "</span><br><a href=\""
            )
            .attr(InfoRoute.consultation(slug, .value(.init(row.id ?? UUID()))).path).raw("\"><strong>")
            .text(row.title).raw("</strong></a><br><span class=\"muted\">")
            .text(ConsultationPhase.text(row, now: now, t)).raw("</span></li>\n")
        }
        h.raw("</ul>\n")
        InfoPager.write(h, t, window) { InfoRoute.consultations(slug).path(query: ["halaman": String($0)]) }
    }
}

struct ConsultationPageModel: PageBody {
    let slug: Param<TenantSlug>
    let row: Consultation
    let now: Date
    let results: ConsultationResults
    /// Whether the reader is known (signed in, or proved an address), and whether they answered.
    let proved, signedIn, answered: Bool
    /// A code was sent and waits to be given back.
    let pending: Bool
    let values: [String: String]
    let errors: [String: String]

    var id: Param<ConsultationID> { .value(.init(row.id ?? UUID())) }
    var isOpen: Bool { row.phase(at: now) == .open }

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(InfoRoute.consultations(slug).path).raw("\">")
            .text(t("info.voice.back")).raw("</a></p>\n<p class=\"muted\">").text(
                t("info.voice.kind.\(row.kind.rawValue)")
            )
            .raw("</p>\n<h1>").text(row.title).raw("</h1>\n<p><strong>").text(ConsultationPhase.text(row, now: now, t))
            .raw("</strong></p>\n")
        if !row.intro.isEmpty { h.raw("<p class=\"plain\">").text(row.intro).raw("</p>\n") }
        if let problem = errors["consultation"] {
            h.raw("<p class=\"notice\" role=\"alert\">").text(problem).raw("</p>\n")
        }
        if !row.outcome.isEmpty {
            h.raw("<section class=\"panel\" id=\"tindak-lanjut\"><h2>").text(t("info.voice.outcome")).raw("</h2>\n")
                .raw("<p class=\"plain\">").text(row.outcome).raw("</p></section>\n")
        }
        if isOpen, !proved { writeProof(h, t, csrf: csrf) }
        if isOpen, proved, !signedIn {
            h.postForm(InfoRoute.consultationLeave(slug, id).path, csrf: csrf, class: "inline")
                .raw("<button type=\"submit\" class=\"small secondary\">").text(t("info.voice.leave"))
                .raw("</button></form>\n")
        }
        switch row.kind {
        case .jajak, .survei:
            if isOpen, proved, !answered { writeQuestions(h, t, csrf: csrf) }
            if answered, isOpen { h.raw("<p class=\"panel\">").text(t("info.voice.answered_before")).raw("</p>\n") }
            if answered || !isOpen { writeResults(h, t) }
        case .konsultasi:
            writeSections(h, t, csrf: csrf)
        }
    }

    private func writeProof(_ h: HTMLText, _ t: Texts, csrf: String) {
        h.raw("<section class=\"card\" id=\"bukti\"><h2>").text(t("info.voice.proof_heading")).raw("</h2>\n<p>")
            .text(t("info.voice.proof_lead")).raw(" <a href=\"")
            .attr(IdentityRoute.signIn.path(query: ["next": InfoRoute.consultation(slug, id).path])).raw("\">").text(
                t("info.voice.sign_in")
            ).raw("</a></p>\n")
        h.postForm(InfoRoute.consultationCode(slug, id).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "email", label: t("info.voice.email"), value: values["email"], error: errors["email"],
                    kind: .input("email"), max: 200, required: true, attributes: " autocomplete=\"email\"")
            )
            .raw("<button type=\"submit\">").text(t("info.voice.send_code")).raw("</button>\n</form>\n")
        if pending || errors["code"] != nil {
            h.postForm(InfoRoute.consultationConfirm(slug, id).path, csrf: csrf, class: "form")
                .textField(
                    TextField(
                        "code", label: t("info.voice.code"), value: nil, error: errors["code"], kind: .input("text"),
                        max: 6, required: true, attributes: " inputmode=\"numeric\" autocomplete=\"one-time-code\"")
                )
                .raw("<button type=\"submit\">").text(t("info.voice.confirm")).raw("</button>\n</form>\n")
        }
        h.raw("</section>\n")
    }

    private func writeQuestions(_ h: HTMLText, _ t: Texts, csrf: String) {
        h.raw("<section id=\"jawab\"><h2>").text(t("info.voice.your_answer")).raw("</h2>\n")
        h.postForm(InfoRoute.consultation(slug, id).path, csrf: csrf, class: "form")
        if row.kind == .jajak {
            h.raw("<fieldset id=\"pilihan\"><legend>").text(row.title).raw("</legend>\n")
            if let error = errors["pilihan"] { h.raw("<p class=\"error\">").text(error).raw("</p>\n") }
            for (index, choice) in row.choices.enumerated() {
                let field = "pilihan-\(index + 1)"
                h.raw("<div class=\"check\"><input type=\"radio\" name=\"pilihan\" id=\"").attr(field)
                    .raw("\" value=\"\(index + 1)\" required><label for=\"").attr(field).raw("\">").text(choice)
                    .raw("</label></div>\n")
            }
            h.raw("</fieldset>\n")
        } else {
            QuestionsHTML.write(results.items, values: values, errors: errors, to: h, texts: t)
        }
        h.raw("<button type=\"submit\">").text(t("info.voice.submit")).raw("</button>\n</form></section>\n")
    }

    private func writeResults(_ h: HTMLText, _ t: Texts) {
        let heading = isOpen ? "info.voice.results" : "info.voice.results_final"
        h.raw("<section id=\"hasil\"><h2>").text(t(heading, ["count": "\(results.responses)"]))
            .raw("</h2>\n")
        for (index, bars) in results.questions.enumerated() {
            if bars.labels.isEmpty {
                h.raw("<p><strong>").text(bars.prompt).raw("</strong><br>")
                    .text(t("info.voice.texts", ["count": "\(bars.texts)"])).raw("</p>\n")
            } else {
                ResultsChart.write(h, t, bars, id: "grafik-\(index + 1)")
            }
        }
        h.raw("</section>\n")
    }

    private func writeSections(_ h: HTMLText, _ t: Texts, csrf: String) {
        for section in results.sections {
            let sid = section.id?.uuidString.lowercased() ?? ""
            let shown = (results.comments[section.id ?? UUID()] ?? []).filter { $0.state == .tampil }
            h.raw("<section class=\"card\" id=\"bagian-").attr(sid).raw("\"><h2>").text(section.heading)
                .raw("</h2>\n<p class=\"plain\">").text(section.body).raw("</p>\n<h3>")
                .text(t("info.voice.comments", ["count": "\(shown.count)"])).raw("</h3>\n<ul class=\"list\">\n")
            for comment in shown {
                h.raw("<li><strong>").text(comment.name.isEmpty ? t("info.voice.citizen") : comment.name)
                    .raw("</strong><br>").text(comment.text).raw("</li>\n")
            }
            h.raw("</ul>\n")
            if isOpen, proved {
                let mine = values["section"] == sid
                h.postForm(InfoRoute.consultationComment(slug, id).path, csrf: csrf, class: "form")
                    .raw("<input type=\"hidden\" name=\"section\" value=\"").attr(sid).raw("\">\n")
                var text = TextField(
                    "text", label: t("info.voice.comment"), value: mine ? values["text"] : nil,
                    error: mine ? errors["text"] : nil, kind: .area(rows: 3), max: 2000, required: true)
                text.id = "komentar-" + sid
                var name = TextField(
                    "name", label: t("info.voice.name"), value: mine ? values["name"] : nil,
                    error: mine ? errors["name"] : nil, hint: t("info.voice.name_hint"), max: 80)
                name.id = "nama-" + sid
                h.textField(text).textField(name)
                    .raw("<button type=\"submit\">").text(t("info.voice.send_comment")).raw("</button>\n</form>\n")
            }
            h.raw("</section>\n")
        }
    }
}
