import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// Finishing a course is an event: a page that says so, with what was earned (the course's
/// JP; the certificate joins it when certificates exist) and courses to learn next.
struct CourseFinishedModel: Sendable {
    let courseTitle: String
    let tenantName: String
    let jp: Int
    let completedOn: String
    let outlineURL: String
    let next: [CourseCard]
}

extension LearningRoutes {
    /// `…/belajar/{course}/selesai`. A learner who met every rule but whose last beats are
    /// still in the job queue is recorded as finished here (the check is idempotent), so the
    /// page never says "not yet" to someone who is done. Anyone else goes to the outline.
    func finishedPage(req: Request) async throws -> Response {
        let loaded = try await Self.load(req)
        let outline = LearningRoute.outline(loaded.tenant.routeSlug, loaded.course.routeSlug).path
        guard var enrolment = loaded.access.enrolment else { return req.seeOther(outline) }
        if enrolment.status != .completed, loaded.outline.percent == 100 {
            let key = CourseCompletion.Key(
                tenantID: loaded.course.tenantID, courseID: try loaded.course.requireID(),
                personID: try loaded.access.person.requireID())
            let completion = CourseCompletion(db: req.database, jobs: req.application.jobs, logger: req.logger)
            try await completion.check(key, now: req.application.clock.now())
            enrolment = try await req.tenantScope.find(Enrolment.self, enrolment.requireID()) ?? enrolment
        }
        guard enrolment.status == .completed else { return req.seeOther(outline) }
        let model = CourseFinishedModel(
            courseTitle: loaded.course.title, tenantName: loaded.tenant.name, jp: loaded.course.jp,
            completedOn: req.day(enrolment.completedAt) ?? "", outlineURL: outline,
            next: try await req.relatedCourses(to: loaded.course))
        return try await req.render(
            model, title: "learning.finished.title", titleArgs: ["course": loaded.course.title], tenant: loaded.tenant)
    }
}

extension CourseFinishedModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(outlineURL).raw("\">").text(courseTitle).raw("</a></p>\n")
            .raw("<section class=\"finished\" aria-labelledby=\"finished-h\">\n<h1 id=\"finished-h\">").icon(.check)
            .raw(" ").text(t("learning.finished.heading")).raw("</h1>\n<p class=\"lead\"><strong>").text(courseTitle)
            .raw("</strong> · ").text(tenantName).raw("</p>\n<ul class=\"facts\">\n<li><strong>")
            .text(t("learning.finished.jp", ["jp": "\(jp)"])).raw("</strong> ").text(t("learning.finished.jp_note"))
            .raw("</li>\n<li>").text(t("learning.finished.on", ["date": completedOn])).raw("</li>\n</ul>\n")
            .raw("<p><a class=\"button\" href=\"").attr(CatalogRoute.myCourses.path).raw("\">")
            .text(t("learning.finished.my_courses")).raw("</a> <a href=\"").attr(outlineURL).raw("\">")
            .text(t("learning.finished.review")).raw("</a></p>\n</section>\n<h2>").text(t("learning.finished.next"))
            .raw("</h2>\n")
        if next.isEmpty {
            h.raw("<p>").text(t("learning.finished.no_next")).raw(" ")
        } else {
            h.courseCards(next, texts: t).raw("<p>")
        }
        h.raw("<a href=\"").attr(CatalogRoute.catalogue.path).raw("\">").text(t("learning.finished.catalogue"))
            .raw("</a></p>\n")
    }
}
