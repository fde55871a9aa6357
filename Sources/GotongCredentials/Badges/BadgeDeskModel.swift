import Foundation
import GotongCatalog
import GotongPlatform
import GotongTenancy

/// The desk's badges page: every course, and whether it awards a badge.
struct BadgeListModel: PageBody {
    struct Row {
        let courseID: CourseID, course: String, jp: Int
        /// The badge's name; nil when the course has none.
        let badge: String?
    }

    let slug: Param<TenantSlug>
    let issuerURL: String
    let jwksURL: String
    let rows: [Row]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(TenancyRoute.desk(.tenant(slug)).path).raw("\">")
            .text(t("certificate.desk.back")).raw("</a></p>\n<h1>").text(t("badge.desk.heading")).raw("</h1>\n<p>")
            .text(t("badge.desk.lead")).raw("</p>\n")
        guard !rows.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("badge.desk.no_courses")).raw("</p>\n")
            return
        }
        let cols = [t("certificate.field.course"), "JP", t("badge.field.badge"), t("badge.col.action")]
        h.stackTable(cols, caption: t("badge.desk.heading"))
        for row in rows {
            h.raw("<tr>").cell(cols[0]).text(row.course).raw("</td>").cell(cols[1]).text("\(row.jp)").raw("</td>")
                .cell(cols[2]).text(row.badge ?? t("badge.desk.none")).raw("</td>").cell(cols[3]).raw("<a href=\"")
                .attr(CredentialsRoute.badge(slug, .value(row.courseID)).path).raw("\">")
                .text(t(row.badge == nil ? "badge.desk.create" : "badge.desk.edit")).raw("</a></td></tr>\n")
        }
        h.endStackTable()
        h.raw("<details><summary>").text(t("badge.desk.for_verifiers")).raw("</summary><p>")
            .text(t("badge.desk.verifiers_help")).raw("</p><ul><li><a href=\"").attr(issuerURL).raw("\">")
            .text(t("badge.desk.issuer_profile")).raw("</a></li><li><a href=\"").attr(jwksURL).raw("\">")
            .text(t("badge.desk.jwks")).raw("</a></li></ul></details>\n")
    }
}

/// One course's badge form: its picture, its words, and removal while nobody holds it.
struct BadgeFormModel: PageBody {
    let slug: Param<TenantSlug>
    let courseID: CourseID
    let course: String
    let jp: Int
    let exists: Bool
    let uploaded: Bool
    let holders: Int
    let imagePath: String?
    let classURL: String?
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(CredentialsRoute.badges(slug).path).raw("\">")
            .text(t("badge.form.back")).raw("</a></p>\n<h1>").text(t("badge.form.heading", ["course": course]))
            .raw("</h1>\n")
        if let imagePath {
            h.raw("<p><img src=\"").attr(imagePath).raw("\" width=\"120\" height=\"120\" alt=\"")
                .attr(t("badge.form.image_alt", ["course": course])).raw("\"></p>\n")
        }
        if exists {
            h.raw("<p class=\"hint\">").text(t("badge.form.holders", ["count": "\(holders)"])).raw("</p>\n")
        } else {
            h.raw("<p class=\"hint\">").text(t("badge.form.new_help")).raw("</p>\n")
        }
        h.postForm(CredentialsRoute.badge(slug, .value(courseID)).path, csrf: csrf, class: "form", multipart: true)
            .textField(
                TextField(
                    "name", label: t("badge.field.name"), value: values["name"], error: errors["name"], max: 120,
                    required: true)
            )
            .textField(
                TextField(
                    "description", label: t("badge.field.description"), value: values["description"],
                    error: errors["description"], kind: .area(rows: 3), max: 2000, required: true)
            )
            .textField(
                TextField(
                    "criteria", label: t("badge.field.criteria"), value: values["criteria"],
                    error: errors["criteria"], hint: t("badge.hint.criteria"), kind: .area(rows: 3), max: 2000,
                    required: true)
            )
            .textField(
                TextField(
                    "image", label: t("badge.field.image"), value: nil, error: errors["image"],
                    hint: t("badge.hint.image"), kind: .file(accept: "image/png"))
            )
        if uploaded {
            h.raw("<div class=\"check\"><input id=\"drawn_image\" name=\"drawn_image\" type=\"checkbox\" value=\"1\">")
                .raw("<label for=\"drawn_image\">").text(t("badge.field.drawn_image")).raw("</label></div>\n")
        }
        h.raw("<button type=\"submit\">").text(t("action.save")).raw("</button>\n</form>\n")
        if let classURL {
            h.raw("<p class=\"hint\">").text(t("badge.form.public_address")).raw(" <a href=\"").attr(classURL)
                .raw("\"><code>").text(classURL).raw("</code></a></p>\n")
        }
        if exists && holders == 0 {
            h.postForm(CredentialsRoute.removeBadge(slug, .value(courseID)).path, csrf: csrf, class: "form")
                .raw("<button type=\"submit\" class=\"secondary\">").text(t("badge.form.remove")).raw(
                    "</button></form>\n")
        }
    }
}
