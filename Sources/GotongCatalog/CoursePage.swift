import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// A course's public page: the page every catalogue search leads to, and so the one most often
/// shown (see docs/rendering.md).
struct CoursePage: PageBody {
    let model: CatalogRoutes.CourseModel
    let tenantSlug: String
    let tenantName: String

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let p = model
        h.raw("<p class=\"crumbs\"><a href=\"").attr(CatalogRoute.catalogue.path).raw("\">").text(
            t("catalog.heading")
        )
        .raw("</a> › <a href=\"").attr(CatalogRoute.storefront(.value(TenantSlug(rawValue: tenantSlug))).path).raw(
            "\">"
        )
        .text(tenantName).raw("</a></p>\n<h1>").text(p.title).raw("</h1>\n")
        if let cover = p.coverURL {
            h.raw("<img class=\"cover\" src=\"").attr(cover).raw(
                "\" alt=\"\" width=\"640\" height=\"320\" loading=\"lazy\">")
        }
        if !p.isPublished {
            h.raw("<p class=\"flash info\">").text(t("course.page.not_published", ["status": p.status])).raw("</p>")
        }
        if !p.summary.isEmpty { h.raw("<p class=\"lead\">").text(p.summary).raw("</p>") }
        h.raw("\n<section class=\"panel enrol\" aria-labelledby=\"enrol-heading\">\n<h2 id=\"enrol-heading\">").text(
            t("course.page.enrolment")
        ).raw("</h2>\n")
        if let status = p.myStatusText {
            h.raw("<p class=\"flash success\">").text(status)
            if let due = p.myDue { h.raw(" · ").text(t("course.page.due", ["date": due])) }
            h.raw("</p>")
        }
        if let learn = p.learnURL {
            h.raw("\n<p><a class=\"button\" href=\"").attr(learn).raw("\">").text(t("learning.open_course")).raw(
                "</a></p>")
        }
        let course = (TenantSlug(rawValue: tenantSlug), CourseSlug(rawValue: p.slug))
        if p.canEnrol {
            h.raw("\n<form method=\"post\" action=\"").attr(CatalogRoute.enrol(.value(course.0), .value(course.1)).path)
                .raw(
                    "\"><input type=\"hidden\" name=\"_csrf\" value=\""
                ).attr(csrf)
                .raw("\"><button type=\"submit\">").text(p.enrolLabel).raw("</button></form>\n")
        }
        if let blocked = p.enrolBlocked { h.raw("<p class=\"flash error\">").text(blocked).raw("</p>") }
        if let signIn = p.signInURL {
            h.raw("\n<p><a class=\"button\" href=\"").attr(signIn).raw("\">").text(t("course.page.signin_to_enrol"))
                .raw("</a></p>")
        }
        if p.canWithdraw {
            // Withdrawing asks first (without a script): the first tap only opens the question.
            h.raw("\n<details class=\"confirm\"><summary class=\"button secondary\">").text(t("enrol.withdraw"))
                .raw("</summary>\n<p>").text(t("enrol.withdraw_confirm", ["course": p.title])).raw("</p>\n")
                .postButton(
                    CatalogRoute.withdraw(.value(course.0), .value(course.1)).path, csrf: csrf,
                    label: t("enrol.withdraw_yes"), buttonClass: "secondary"
                ).raw("\n</details>\n")
        }
        if let quota = p.quota {
            h.raw("\n<p>").text(t("course.page.seats", ["left": "\(p.seatsLeft ?? 0)", "quota": "\(quota)"])).raw(
                "</p>")
        }
        h.raw("\n</section>\n<dl class=\"facts\">\n")
        func fact(_ label: String, _ value: String) {
            h.raw("<dt>").text(t(label)).raw("</dt><dd>").text(value).raw("</dd>\n")
        }
        fact("course.field.jp", t("course.page.jp", ["jp": "\(p.jp)", "minutes": "\(p.minutes)"]))
        fact(
            "course.field.delivery_method",
            p.method + (p.microMinutes.map { " · " + t("catalog.minutes", ["n": "\($0)"]) } ?? ""))
        fact("course.field.competency_type", p.competency)
        fact("course.field.level", p.level)
        fact("course.field.language", p.language)
        let dates: String
        switch (p.alwaysOpen, p.starts, p.ends) {
        case (true, _, _): dates = t("course.page.always_open")
        case (_, let starts?, let ends?): dates = "\(starts) – \(ends)"
        case (_, let starts?, nil): dates = t("course.page.from", ["date": starts])
        case (_, nil, let ends): dates = t("course.page.until", ["date": ends ?? ""])
        }
        fact("course.field.dates", dates)
        if let opens = p.enrolOpens { fact("course.field.enrol_opens_at", opens) }
        if let closes = p.enrolCloses { fact("course.field.enrol_closes_at", closes) }
        fact("course.field.enrolment_mode", p.mode)
        fact("course.field.audience", p.audience)
        if let category = p.category { fact("course.field.category", category) }
        fact("course.field.trainers", p.trainers.isEmpty ? "—" : p.trainers.joined(separator: ", "))
        fact("course.field.coordinators", p.coordinators.isEmpty ? "—" : p.coordinators.joined(separator: ", "))
        h.raw("</dl>\n")
        if !p.tags.isEmpty {
            h.raw("<ul class=\"chips\">")
            for tag in p.tags { h.raw("<li>").text(tag).raw("</li>") }
            h.raw("</ul>")
        }
        h.raw("\n<section class=\"description\">").raw(p.descriptionHTML).raw("</section>\n")
        if !p.prerequisites.isEmpty {
            h.raw("<h2>").text(t("course.field.prerequisites")).raw("</h2>\n")
            if !p.missingPrerequisites.isEmpty {
                h.raw("<p class=\"flash error\">").text(t("course.page.missing_prerequisites")).raw("</p>")
            }
            h.raw("\n<ul class=\"cards\">\n")
            CatalogFragments.cards(p.prerequisites, into: h, texts: t)
            h.raw("</ul>\n")
        }
        if p.canManage, let id = CourseID(pathSegment: p.id) {
            h.raw("<p><a class=\"button secondary\" href=\"").attr(
                CatalogRoute.managedCourse(.tenant(.value(course.0)), .value(id)).path
            ).raw("\">")
                .text(t("course.page.manage")).raw("</a></p>")
        }
    }
}
