import Foundation
import GotongPlatform
import GotongTenancy

/// The desk's certificates page, as a value.
struct CertificateDeskModel: PageBody {
    struct Row {
        let number: String, name: String, course: String, day: String, revoked: Bool
        let code: CertificateCode
    }

    let slug: Param<TenantSlug>
    let year: Int
    let page: Int
    let hasNext: Bool
    let isAdmin: Bool
    let rows: [Row]
    let courses: [(id: UUID, title: String)]
    /// Courses with a signer of their own, by title.
    let courseSigners: [(course: String, name: String, position: String)]
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(TenancyRoute.desk(.tenant(slug)).path).raw("\">")
            .text(t("certificate.desk.back")).raw("</a></p>\n<h1>").text(t("certificate.desk.heading"))
            .raw("</h1>\n")
        writeCompletionForm(h, t, csrf)
        writeList(h, t, csrf)
        if isAdmin {
            writeSettings(h, t, csrf)
            writeCourseSigner(h, t, csrf)
        }
    }

    private func writeCompletionForm(_ h: HTMLText, _ t: Texts, _ csrf: String) {
        guard !courses.isEmpty else { return }
        h.raw("<section class=\"panel\" aria-labelledby=\"by-hand\">\n<h2 id=\"by-hand\">")
            .text(t("certificate.desk.by_hand")).raw("</h2>\n<p class=\"hint\">").text(
                t("certificate.desk.by_hand_help")
            )
            .raw("</p>\n").postForm(CredentialsRoute.recordCompletion(slug).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "course_id", label: t("certificate.field.course"), value: nil, error: nil,
                    kind: .select(
                        courses.map { SelectOption(value: $0.id.uuidString, label: $0.title, selected: false) }),
                    required: true)
            )
            .textField(
                TextField(
                    "email", label: t("certificate.desk.email"), value: nil, error: nil, kind: .input("email"),
                    max: 254, required: true, attributes: " autocomplete=\"off\"")
            )
            .raw("<button type=\"submit\">").text(t("certificate.desk.record")).raw("</button>\n</form>\n</section>\n")
    }

    private func writeList(_ h: HTMLText, _ t: Texts, _ csrf: String) {
        h.raw("<h2>").text(t("certificate.desk.year", ["year": "\(year)"])).raw("</h2>\n")
        let base = CredentialsRoute.certificates(slug).path
        h.raw("<p>").raw("<a href=\"").attr(base + "?tahun=\(year - 1)").raw("\">").text("\(year - 1)").raw("</a> · ")
            .raw("<a href=\"").attr(base + "?tahun=\(year + 1)").raw("\">").text("\(year + 1)").raw("</a></p>\n")
        guard !rows.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("certificate.desk.empty", ["year": "\(year)"])).raw("</p>\n")
            return
        }
        let cols = [
            t("certificate.field.number"), t("certificate.field.name"), t("certificate.field.course"),
            t("certificate.field.issued"), t("ledger.col.status"),
        ]
        h.stackTable(cols, caption: t("certificate.desk.year", ["year": "\(year)"]))
        for row in rows {
            h.raw("<tr>").cell(cols[0]).raw("<a href=\"").attr(CredentialsRoute.verification(.value(row.code)).path)
                .raw("\">").text(row.number).raw("</a></td>").cell(cols[1]).text(row.name).raw("</td>")
                .cell(cols[2]).text(row.course).raw("</td>").cell(cols[3]).text(row.day).raw("</td>").cell(cols[4])
            if row.revoked {
                h.text(t("certificate.status.revoked"))
            } else {
                h.text(t("certificate.status.valid"))
                if isAdmin { writeRevoke(h, t, csrf, row) }
            }
            h.raw("</td></tr>\n")
        }
        h.endStackTable()
        if page > 1 || hasNext {
            h.raw("<p>")
            if page > 1 {
                h.raw("<a href=\"").attr(base + "?tahun=\(year)&halaman=\(page - 1)").raw("\">")
                    .text(t("pager.previous")).raw("</a> ")
            }
            if hasNext {
                h.raw("<a href=\"").attr(base + "?tahun=\(year)&halaman=\(page + 1)").raw("\">").text(t("pager.next"))
                    .raw("</a>")
            }
            h.raw("</p>\n")
        }
    }

    /// Revocation behind a disclosure: a reason is required, and it is not a one-click act.
    private func writeRevoke(_ h: HTMLText, _ t: Texts, _ csrf: String, _ row: Row) {
        let id = "reason-" + row.code.rawValue.compact
        h.raw("<details><summary>").text(t("certificate.desk.revoke")).raw("</summary>")
            .postForm(CredentialsRoute.revokeCertificate(slug, .value(row.code)).path, csrf: csrf, class: "form")
            .raw("<label for=\"").attr(id).raw("\">").text(t("certificate.desk.reason")).raw("</label>")
            .raw("<input id=\"").attr(id).raw("\" name=\"reason\" required data-max=\"500\">")
            .raw("<button type=\"submit\">").text(t("certificate.desk.revoke_confirm", ["number": row.number]))
            .raw("</button></form></details>")
    }

    private func writeSettings(_ h: HTMLText, _ t: Texts, _ csrf: String) {
        h.raw("<section class=\"panel\" aria-labelledby=\"cert-settings\">\n<h2 id=\"cert-settings\">")
            .text(t("certificate.desk.settings")).raw("</h2>\n")
            .postForm(CredentialsRoute.certificates(slug).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "number_format", label: t("certificate.field.number_format"), value: values["number_format"],
                    error: errors["number_format"], hint: t("certificate.desk.format_hint"), max: 80, required: true)
            )
            .textField(
                TextField(
                    "signer_name", label: t("certificate.field.signer_name"), value: values["signer_name"],
                    error: errors["signer_name"], max: 120, required: true)
            )
            .textField(
                TextField(
                    "signer_position", label: t("certificate.field.signer_position"), value: values["signer_position"],
                    error: errors["signer_position"], max: 160, required: true)
            )
            .raw("<button type=\"submit\">").text(t("action.save")).raw("</button>\n</form>\n</section>\n")
    }

    /// A course's own signer: who signs its certificates instead of the tenant's signer.
    private func writeCourseSigner(_ h: HTMLText, _ t: Texts, _ csrf: String) {
        guard !courses.isEmpty else { return }
        h.raw("<section class=\"panel\" aria-labelledby=\"course-signer\">\n<h2 id=\"course-signer\">")
            .text(t("certificate.desk.course_signer")).raw("</h2>\n<p class=\"hint\">")
            .text(t("certificate.desk.course_signer_help")).raw("</p>\n")
        if !courseSigners.isEmpty {
            h.raw("<ul>")
            for signer in courseSigners {
                h.raw("<li>").text(signer.course).raw(": ").text(signer.name).raw(", ").text(signer.position).raw(
                    "</li>")
            }
            h.raw("</ul>\n")
        }
        h.postForm(CredentialsRoute.courseSigner(slug).path, csrf: csrf, class: "form")
        var course = TextField(
            "course_id", label: t("certificate.field.course"), value: nil, error: nil,
            kind: .select(courses.map { SelectOption(value: $0.id.uuidString, label: $0.title, selected: false) }),
            required: true)
        course.id = "signer-course"
        var name = TextField("signer_name", label: t("certificate.field.signer_name"), value: nil, error: nil, max: 120)
        name.id = "course-signer-name"
        var position = TextField(
            "signer_position", label: t("certificate.field.signer_position"), value: nil, error: nil, max: 160)
        position.id = "course-signer-position"
        h.textField(course).textField(name).textField(position).raw("<button type=\"submit\">").text(t("action.save"))
            .raw("</button>\n</form>\n</section>\n")
    }
}
