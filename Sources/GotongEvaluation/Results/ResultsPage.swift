import Fluent
import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy
import Vapor

/// A course's evaluation results at the desk, for one run (`?tahun=`): level 1 per form and
/// trainer with its charts and comments, the runs side by side, and level 2.
package struct ResultsPage: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.resolvingTenant().get(EvaluationRoute.results(.key, .key), use: show)
    }

    static let years = 2000...2100

    func show(req: Request) async throws -> Response {
        try await req.requireTenantRole(FormDesk.keepers)
        let scope = try req.tenantScope
        let course = try await scope.require(Course.self, try req.parameter(CourseID.self).rawValue)
        let courseID = try course.requireID()
        let year = try req.queryNumber("tahun", in: Self.years) ?? LocalDates.year(of: req.application.clock.now())
        let levelOne = try await LevelOneResults.load(scope, course: courseID, year: year)
        let setup = try await LevelOne(db: req.database).setup(scope, course: courseID)
        let levelTwo = try await LevelTwo.load(scope, course: course, year: year)
        let levelThree =
            setup?.hasFollowUp == true
            ? try await LevelThree.load(scope, course: courseID, year: year, now: req.application.clock.now()) : nil
        let model = ResultsModel(
            slug: try req.tenant.routeSlug, courseID: CourseID(courseID), course: course.title, year: year,
            levelOne: levelOne, levelTwo: levelTwo, levelThree: levelThree)
        return try await req.render(model, title: "evaluation.results.title", tenant: try req.tenant)
    }
}

/// `3,45`: a mean as Indonesian writes it (English pages too: the figures are the same).
func decimal(_ value: Double?, digits: Int = 2) -> String { NumberText.decimal(value, digits: digits) }

struct ResultsModel: PageBody {
    let slug: Param<TenantSlug>
    let courseID: CourseID
    let course: String
    let year: Int
    let levelOne: LevelOneResults
    let levelTwo: LevelTwo?
    let levelThree: LevelThree?

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let base = EvaluationRoute.results(slug, .value(courseID)).path
        h.raw("<p class=\"crumbs\"><a href=\"").attr(EvaluationRoute.forms(slug).path).raw("\">")
            .text(t("evaluation.form.back")).raw("</a></p>\n<h1>").text(
                t("evaluation.results.heading", ["course": course])
            )
            .raw("</h1>\n<p>").text(t("evaluation.results.run", ["year": "\(year)"])).raw(" · <a href=\"")
            .attr(base + "?tahun=\(year - 1)").raw("\">\(year - 1)</a> · <a href=\"").attr(base + "?tahun=\(year + 1)")
            .raw("\">\(year + 1)</a></p>\n<h2>").text(t("evaluation.course.level1")).raw("</h2>\n<p>")
            .text(
                t(
                    "evaluation.results.rate",
                    [
                        "responded": "\(levelOne.responded)", "finished": "\(levelOne.finished)",
                        "rate": levelOne.responseRate.map { decimal($0 * 100, digits: 0) + "%" } ?? "—",
                    ])
            ).raw("</p>\n")
        if levelOne.parts.isEmpty { h.raw("<p class=\"muted\">").text(t("evaluation.results.none")).raw("</p>\n") }
        for part in levelOne.parts { writePart(h, t, part) }
        writeRuns(h, t)
        writeLevelTwo(h, t)
        writeLevelThree(h, t)
    }

    private func writeLevelThree(_ h: HTMLText, _ t: Texts) {
        h.raw("<h2>").text(t("evaluation.course.level3")).raw("</h2>\n")
        guard let three = levelThree else {
            h.raw("<p class=\"muted\">").text(t("evaluation.results.no_level3")).raw("</p>\n")
            return
        }
        h.raw("<p>").text(
            t(
                "evaluation.results.level3_summary",
                [
                    "due": "\(three.due)", "scheduled": "\(three.scheduled)",
                    "participants": "\(three.participantsAnswered)",
                    "mailed": "\(three.supervisorsMailed)", "supervisors": "\(three.supervisorsAnswered)",
                ])
        ).raw(" <a href=\"").attr(EvaluationRoute.followUps(slug, .value(courseID)).path).raw("\">")
            .text(t("evaluation.follow_ups.title")).raw("</a></p>\n")
        for part in three.answers.parts { writePart(h, t, part) }
    }

    private func writePart(_ h: HTMLText, _ t: Texts, _ part: LevelOneResults.Part) {
        h.raw("<section class=\"panel\"><h3>").text(part.form.title)
        if let trainer = part.trainer { h.raw(": ").text(trainer.name) }
        h.raw("</h3>\n<p class=\"muted\">")
            .text(t("evaluation.results.part", ["count": "\(part.responses)", "average": decimal(part.average)]))
            .raw("</p>\n")
        for question in part.questions {
            h.raw("<h4>").text(question.item.prompt).raw("</h4>\n")
            if question.item.kind.isText {
                writeComments(h, t, question.texts)
                continue
            }
            let labels = question.item.kind.scale.map { (1...$0).map { "\($0)" } } ?? question.item.choices
            let summary = zip(labels, question.counts).map { "\($0): \($1)" }.joined(separator: ", ")
            if let average = question.average {
                h.raw("<p>").text(
                    t(
                        "evaluation.results.average",
                        [
                            "average": decimal(average), "count": "\(question.answered)",
                            "scale": "\(question.item.kind.scale ?? 0)",
                        ])
                ).raw("</p>\n")
            } else {
                h.raw("<p>").text(t("evaluation.results.answers", ["count": "\(question.answered)"])).raw("</p>\n")
            }
            h.raw(BarChart.svg(labels: labels, counts: question.counts, summary: summary)).raw("\n")
        }
        h.raw("</section>\n")
    }

    private func writeComments(_ h: HTMLText, _ t: Texts, _ comments: [String]) {
        guard !comments.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("evaluation.results.no_comments")).raw("</p>\n")
            return
        }
        h.raw("<details><summary>").text(t("evaluation.results.comments", ["count": "\(comments.count)"]))
            .raw("</summary><ul>")
        for comment in comments { h.raw("<li>").text(comment).raw("</li>") }
        h.raw("</ul></details>\n")
    }

    private func writeRuns(_ h: HTMLText, _ t: Texts) {
        guard !levelOne.runs.isEmpty else { return }
        let cols = [
            t("evaluation.results.year"), t("evaluation.results.finished"), t("evaluation.results.responses"),
            t("evaluation.results.course_average"), t("evaluation.results.trainer_average"),
        ]
        h.raw("<h2>").text(t("evaluation.results.runs")).raw("</h2>\n").stackTable(
            cols, caption: t("evaluation.results.runs"))
        for run in levelOne.runs {
            h.raw("<tr>").cell(cols[0]).text("\(run.year)").raw("</td>").cell(cols[1]).text("\(run.finished)")
                .raw("</td>").cell(cols[2]).text("\(run.responses)").raw("</td>").cell(cols[3])
                .text(decimal(run.courseAverage)).raw("</td>").cell(cols[4]).text(decimal(run.trainerAverage))
                .raw("</td></tr>\n")
        }
        h.endStackTable()
    }

    private func writeLevelTwo(_ h: HTMLText, _ t: Texts) {
        h.raw("<h2>").text(t("evaluation.course.level2")).raw("</h2>\n")
        guard let levelTwo else {
            h.raw("<p class=\"muted\">").text(t("evaluation.results.no_level2")).raw("</p>\n")
            return
        }
        h.raw("<p>").text(
            t(
                "evaluation.results.level2_summary",
                [
                    "pre": decimal(levelTwo.averagePre, digits: 1), "post": decimal(levelTwo.averagePost, digits: 1),
                    "g": decimal(levelTwo.classGain), "mean_g": decimal(levelTwo.averageNormalisedGain),
                ])
        ).raw("</p>\n")
        let cols = [
            t("evaluation.results.name"), t("evaluation.results.pre"), t("evaluation.results.post"),
            t("evaluation.results.gain"), t("evaluation.results.g"),
        ]
        h.stackTable(cols, caption: t("evaluation.course.level2"))
        for row in levelTwo.rows {
            h.raw("<tr>").cell(cols[0]).text(row.name).raw("</td>").cell(cols[1]).text(decimal(row.pre, digits: 1))
                .raw("</td>").cell(cols[2]).text(decimal(row.post, digits: 1)).raw("</td>").cell(cols[3])
                .text(decimal(row.gain, digits: 1)).raw("</td>").cell(cols[4]).text(decimal(row.normalisedGain))
                .raw("</td></tr>\n")
        }
        h.endStackTable()
    }
}
