import GotongIdentity
import GotongPlatform
import GotongTenancy

// A desk's course management pages, written in Swift from their models (see docs/rendering.md).

extension CourseAdminRoutes.ListModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        if let back {
            h.raw("<p class=\"crumbs\"><a href=\"").attr(back).raw("\">")
                .text(t(isTemplate ? "master.title" : "tenant.admin.heading")).raw("</a></p>\n")
        }
        h.raw("<h1>").text(t(isTemplate ? "course.admin.templates" : "course.admin.title")).raw("</h1>\n")
        if isTemplate { h.raw("<p class=\"lead\">").text(t("course.admin.templates_lead")).raw("</p>\n") }
        h.raw("<p><a class=\"button\" href=\"").attr(CatalogRoute.newCourse(desk).path).raw("\">")
            .text(t("course.admin.new")).raw("</a>")
        // Coordinators and administrators bring their participants in from a spreadsheet.
        if case .tenant(let tenant) = desk {
            h.raw(" <a class=\"button secondary\" href=\"").attr(IdentityRoute.importPeople(tenant).path).raw("\">")
                .text(t("course.admin.import_people")).raw("</a>")
        }
        h.raw("</p>\n")
        guard !rows.isEmpty else {
            h.raw("<p class=\"muted\">").text(t("course.admin.none")).raw("</p>\n")
            return
        }
        let headings = [
            "course.field.title", "course.field.status", "course.field.curation", "course.admin.participants",
            "course.admin.requests",
        ].map { t($0) }
        h.stackTable(headings)
        for row in rows {
            h.raw("<tr>").cell(headings[0]).raw("<a href=\"").attr(
                CatalogRoute.managedCourse(desk, .value(row.id)).path
            )
            .raw("\">").text(row.title).raw("</a></td>").cell(headings[1]).text(row.status).raw("</td>")
            .cell(headings[2]).text(row.curation).raw("</td>").cell(headings[3]).raw("<a href=\"")
            .attr(CatalogRoute.courseStep(desk, .value(row.id), .participants).path).raw("\">").text("\(row.enrolled)")
            if let quota = row.quota { h.raw(" / ").text("\(quota)") }
            h.raw("</a></td>").cell(headings[4]).text("\(row.pending)").raw("</td></tr>\n")
        }
        h.endStackTable()
    }
}

extension CourseAdminRoutes.FormModel: PageBody {
    /// How a field of the course form is entered.
    enum Control {
        /// An `<input>` with these attributes (written before its value).
        case input(String)
        case textarea(rows: Int)
        case select
        case file(accept: String)
    }

    /// The form's fields in order: name, control, and the hint's key when it has one. The first
    /// ones (``essentials``) are what a coordinator needs to publish; the rest wait behind
    /// "Pengaturan lanjutan".
    static let fields: [(name: String, control: Control, hint: String?)] = [
        ("title", .input(" required data-max=\"200\""), nil),
        ("summary", .textarea(rows: 2), nil),
        ("category", .select, nil),
        ("competency_type", .select, nil),
        ("jp", .input(" type=\"number\" min=\"1\" max=\"1000\" required"), "course.hint.jp"),
        ("delivery_method", .select, nil),
        ("micro_minutes", .input(" type=\"number\" min=\"1\" max=\"60\""), "course.hint.micro_minutes"),
        ("slug", .input(" pattern=\"[a-z0-9-]{2,80}\""), "course.hint.slug"),
        ("description", .textarea(rows: 8), "course.hint.description"),
        ("tags", .input(""), "course.hint.tags"),
        ("level", .select, nil),
        ("language", .select, nil),
        ("audience", .select, nil),
        ("audience_tenants", .input(""), "course.hint.audience_tenants"),
        ("enrolment_mode", .select, nil),
        ("quota", .input(" type=\"number\" min=\"1\""), "course.hint.quota"),
        ("enrol_opens_at", .input(" type=\"date\""), nil),
        ("enrol_closes_at", .input(" type=\"date\""), nil),
        ("starts_at", .input(" type=\"date\""), "course.hint.dates"),
        ("ends_at", .input(" type=\"date\""), nil),
        ("trainers", .input(""), "course.hint.trainers"),
        ("coordinators", .input(""), "course.hint.coordinators"),
        ("prerequisites", .input(""), "course.hint.prerequisites"),
        ("cover", .file(accept: "image/png,image/jpeg"), "course.hint.cover"),
    ]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(CatalogRoute.managedCourses(desk).path).raw("\">")
            .text(t("course.admin.title")).raw("</a></p>\n")
        if let courseID {
            writeHeader(courseID, to: h, texts: t, csrf: csrf)
        } else {
            h.raw("<h1>").text(t("course.admin.new")).raw("</h1>\n")
        }
        if !errors.isEmpty { h.alert(t("form.has_errors")) }
        let action = courseID.map { CatalogRoute.managedCourse(desk, .value($0)) } ?? .newCourse(desk)
        h.raw("<form method=\"post\" action=\"").attr(action.path)
            .raw("\" class=\"form\" enctype=\"multipart/form-data\" novalidate>\n").csrfField(csrf).raw("\n")
        for field in Self.fields where Self.essentials.contains(field.name) { write(field, to: h, texts: t) }
        // The rest is folded, unless one of its fields has an error to show.
        let open = errors.keys.contains { !Self.essentials.contains($0) }
        h.raw("<details class=\"advanced\"").flag("open", open).raw("><summary>").text(t("course.form.advanced"))
            .raw("</summary>\n")
        for field in Self.fields where !Self.essentials.contains(field.name) { write(field, to: h, texts: t) }
        h.raw("<div class=\"check\"><input id=\"featured\" name=\"featured\" type=\"checkbox\"").flag(
            "checked", featured
        )
        .raw("><label for=\"featured\">").text(t("course.field.featured")).raw("</label></div>\n")
        h.raw("<div class=\"check\"><input id=\"sequential\" name=\"sequential\" type=\"checkbox\"")
            .flag("checked", sequential).raw(" aria-describedby=\"sequential-hint\"><label for=\"sequential\">")
            .text(t("course.field.sequential")).raw("</label></div>\n<p class=\"hint\" id=\"sequential-hint\">")
            .text(t("course.hint.sequential")).raw("</p>\n</details>\n<button type=\"submit\">").text(t("form.save"))
            .raw("</button>\n</form>\n")
    }

    /// The course's title, its tools, where it stands and the workflow's buttons.
    private func writeHeader(_ id: CourseID, to h: HTMLText, texts t: Texts, csrf: String) {
        let course = Param<CourseID>.value(id)
        h.raw("<h1>").text(values["title"] ?? "").raw("</h1>\n<p class=\"actions\">")
        for (index, tool) in tools.enumerated() {
            h.raw(index == 0 ? "" : " ").raw(
                tool.isPrimary ? "<a class=\"button small\" href=\"" : "<a class=\"button small secondary\" href=\""
            )
            .attr(tool.url).raw("\">").text(tool.label).raw("</a>")
        }
        h.raw("</p>\n<p>").text(t("course.field.status")).raw(": <strong>").text(statusText ?? "")
            .raw("</strong> · ").text(t("course.field.curation")).raw(": <strong>").text(curation ?? "")
            .raw("</strong>")
        if let publicURL {
            h.raw(" · <a href=\"").attr(publicURL).raw("\">").text(t("course.admin.view")).raw("</a>")
        }
        if !isTemplate {
            h.raw(" · <a href=\"").attr(CatalogRoute.courseStep(desk, course, .participants).path).raw("\">")
                .text(t("course.admin.participants")).raw("</a> · <a href=\"")
                .attr(CatalogRoute.courseStep(desk, course, .assignment).path).raw("\">")
                .text(t("assign.title_short")).raw("</a>")
        }
        h.raw("</p>\n")
        if let curationReason {
            h.raw("<p class=\"flash error\">").text(t("course.admin.rejected_because", ["reason": curationReason]))
                .raw("</p>\n")
        }
        h.raw("<div class=\"actions\">\n")
        let steps: [(CourseStep, String, String?, Bool)] = [
            (.submit, "course.admin.submit", "secondary", canSubmit),
            (.publish, "course.admin.publish", nil, canPublish),
            (.duplicate, "course.admin.duplicate", "secondary", true),
            (.archive, "course.admin.archive", "secondary", canArchive),
        ]
        for (step, label, look, shown) in steps where shown {
            h.postButton(
                CatalogRoute.courseStep(desk, course, step).path, csrf: csrf, label: t(label), buttonClass: look
            )
            .raw("\n")
        }
        h.raw("</div>\n")
    }

    /// The fields a coordinator needs to publish, shown first.
    static let essentials: Set<String> = [
        "title", "summary", "category", "competency_type", "jp", "delivery_method", "micro_minutes",
    ]

    private func write(_ field: (name: String, control: Control, hint: String?), to h: HTMLText, texts t: Texts) {
        let name = field.name
        let value = values[name] ?? ""
        // The length of a micro course means nothing for other methods: the script hides it then.
        if name == "micro_minutes" { h.raw("<div data-shown-for=\"delivery_method=mikro\">\n") }
        defer { if name == "micro_minutes" { h.raw("</div>\n") } }
        h.raw("<label for=\"").attr(name).raw("\">").text(t("course.field.\(name)")).raw("</label>\n")
        if let hint = field.hint {
            h.raw("<p class=\"hint\" id=\"").attr(name).raw("-hint\">").text(t(hint)).raw("</p>")
        }
        // The hint and any error are read with the field; a field with an error says it is invalid.
        let ids = [field.hint.map { _ in name + "-hint" }, errors[name].map { _ in name + "-error" }].compactMap { $0 }
        let described =
            (ids.isEmpty ? "" : " aria-describedby=\"\(ids.joined(separator: " "))\"")
            + (errors[name] == nil ? "" : " aria-invalid=\"true\"")
        switch field.control {
        case .input(let attributes):
            h.raw("<input id=\"").attr(name).raw("\" name=\"").attr(name).raw("\"").raw(attributes).raw(" value=\"")
                .attr(value).raw("\"").raw(described).raw(">")
        case .textarea(let rows):
            h.raw("<textarea id=\"").attr(name).raw("\" name=\"").attr(name).raw("\" rows=\"\(rows)\"").raw(described)
                .raw(">").text(value).raw("</textarea>")
        case .select:
            h.raw("<select id=\"").attr(name).raw("\" name=\"").attr(name).raw("\"").raw(described).raw(">")
                .options(choices[name] ?? [])
                .raw("</select>")
        case .file(let accept):
            h.raw("<input id=\"").attr(name).raw("\" name=\"").attr(name).raw("\" type=\"file\" accept=\"").attr(accept)
                .raw("\"").raw(described).raw(">")
        }
        h.raw("\n").fieldError(errors[name], for: name)
    }
}

extension CourseAdminRoutes.ParticipantsModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let course = Param<CourseID>.value(courseID)
        h.raw("<p class=\"crumbs\"><a href=\"").attr(CatalogRoute.managedCourses(desk).path).raw("\">")
            .text(t("course.admin.title")).raw("</a> › <a href=\"").attr(CatalogRoute.managedCourse(desk, course).path)
            .raw("\">").text(courseTitle).raw("</a></p>\n<h1>").text(t("participants.heading", ["title": courseTitle]))
            .raw("</h1>\n<p>").text(t("participants.summary", ["n": "\(enrolledCount)"]))
        if let quota {
            h.raw(" · ").text(t("course.page.seats", ["left": seatsLeft.map(String.init) ?? "", "quota": "\(quota)"]))
        }
        h.raw(" · <a href=\"").attr(CatalogRoute.courseStep(desk, course, .assignment).path).raw("\">")
            .text(t("assign.title_short")).raw("</a></p>\n")
        write("participants.pending", pending, actions: [.approve, .reject], to: h, texts: t, csrf: csrf)
        write("participants.enrolled", enrolled, actions: [.remove], to: h, texts: t, csrf: csrf)
        write("participants.waiting", waiting, actions: [.remove], to: h, texts: t, csrf: csrf)
        write("participants.others", others, actions: [], to: h, texts: t, csrf: csrf)
    }

    /// One group of enrolments as a table, with the decisions a coordinator can take on them.
    private func write(
        _ heading: String, _ rows: [Row], actions: [EnrolmentAction], to h: HTMLText, texts t: Texts, csrf: String
    ) {
        h.raw("<h2>").text(t(heading)).raw(" <span class=\"count\">").text("\(rows.count)").raw("</span></h2>\n")
        guard !rows.isEmpty else {
            h.raw("<p class=\"muted\">—</p>\n")
            return
        }
        let headings = [
            "field.name", "field.unit_kerja", "course.field.status", "participants.requested", "participants.actions",
        ].map { t($0) }
        // Several rows: a tick box each, tied to the group's form under the table (`form=`), so
        // one decision covers everyone ticked; the rows keep their own buttons.
        let bulk = rows.count > 1 && !actions.isEmpty ? "bulk-" + heading.replacingOccurrences(of: ".", with: "-") : nil
        h.stackTable((bulk == nil ? [] : [t("participants.select")]) + headings)
        for row in rows {
            h.raw("<tr>")
            if let bulk {
                h.cell(t("participants.select")).raw("<input type=\"checkbox\" name=\"ids[]\" value=\"")
                    .text(row.id.rawValue.uuidString).raw("\" form=\"").attr(bulk).raw("\" aria-label=\"")
                    .attr(t("participants.select_person", ["name": row.name])).raw("\"></td>")
            }
            h.cell(headings[0]).text(row.name).raw("<br><span class=\"muted\">").text(row.email)
                .raw("</span></td>").cell(headings[1]).text(row.unit).raw("</td>").cell(headings[2]).text(
                    row.statusText)
            if row.assigned { h.raw(" · ").text(t("participants.assigned")) }
            if let due = row.due { h.raw(" · ").text(due) }
            if let reason = row.reason { h.raw("<br><span class=\"muted\">").text(reason).raw("</span>") }
            h.raw("</td>").cell(headings[3]).text(row.requested).raw("</td>").cell(headings[4])
            for action in actions { write(action, on: row, to: h, texts: t, csrf: csrf) }
            h.raw("</td></tr>\n")
        }
        h.endStackTable()
        if let bulk { writeBulk(bulk, actions: actions, to: h, texts: t, csrf: csrf) }
    }

    /// The form the tick boxes of a group belong to: a reason when some decision needs one, and
    /// a button per decision, each posting to its own address (`formaction`).
    ///
    /// The decisions that take a reason come first, right after it: Enter in the reason field
    /// presses the first button (and the form's own address is the same), so typing a reason
    /// and pressing Enter rejects or removes; it never approves everyone ticked.
    private func writeBulk(_ id: String, actions: [EnrolmentAction], to h: HTMLText, texts t: Texts, csrf: String) {
        let actions = actions.filter { $0 != .approve } + actions.filter { $0 == .approve }
        let first = CatalogRoute.enrolmentDecisions(desk, .value(courseID), .value(actions[0])).path
        h.raw("<form method=\"post\" novalidate class=\"panel bulk\" id=\"").attr(id).raw("\" action=\"").attr(first)
            .raw("\" aria-label=\"").attr(t("participants.selected_heading")).raw("\">").csrfField(csrf)
            .raw("<p><strong>").text(t("participants.selected_heading")).raw("</strong></p>\n")
        if actions.contains(where: { $0 != .approve }) {
            h.raw("<label for=\"").attr(id).raw("-reason\">").text(t("participants.reason_selected"))
                .raw("</label><input id=\"").attr(id).raw("-reason\" name=\"reason\" data-max=\"500\">\n")
        }
        for action in actions {
            let label =
                ["approve": "participants.approve_selected", "reject": "participants.reject_selected"][
                    "\(action)"] ?? "participants.remove_selected"
            h.raw("<button type=\"submit\"").raw(action == .approve ? "" : " class=\"secondary\"")
                .raw(" formaction=\"").attr(
                    CatalogRoute.enrolmentDecisions(desk, .value(courseID), .value(action)).path
                )
                .raw("\">").text(t(label)).raw("</button> ")
        }
        h.raw("</form>\n")
    }

    private func write(_ action: EnrolmentAction, on row: Row, to h: HTMLText, texts t: Texts, csrf: String) {
        let path = CatalogRoute.enrolmentDecision(desk, .value(courseID), .value(row.id), .value(action)).path
        guard action != .approve else {
            h.postButton(path, csrf: csrf, label: t("participants.approve"), buttonClass: "small").raw("\n")
            return
        }
        // Refusing or removing someone says why: the reason goes into their notification.
        let id = (action == .reject ? "reject-" : "remove-") + row.id.rawValue.uuidString
        h.postForm(path, csrf: csrf, class: "inline reason").raw("<label for=\"").attr(id).raw("\" class=\"sr\">")
            .text(t("participants.reason")).raw("</label><input id=\"").attr(id)
            .raw("\" name=\"reason\" required data-max=\"500\" placeholder=\"").attr(t("participants.reason"))
            .raw("\"><button type=\"submit\" class=\"small secondary\">")
            .text(t(action == .reject ? "participants.reject" : "participants.remove")).raw("</button></form>")
    }
}

extension CourseAdminRoutes.AssignModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let course = Param<CourseID>.value(courseID)
        h.raw("<p class=\"crumbs\"><a href=\"").attr(CatalogRoute.managedCourses(desk).path).raw("\">")
            .text(t("course.admin.title")).raw("</a> › <a href=\"").attr(CatalogRoute.managedCourse(desk, course).path)
            .raw("\">").text(courseTitle).raw("</a></p>\n<h1>").text(t("assign.heading", ["title": courseTitle]))
            .raw("</h1>\n")
        if !published { h.raw("<p class=\"flash error\">").text(t("assign.error.not_published")).raw("</p>\n") }
        if let report {
            h.raw("<p class=\"flash success\" role=\"status\">").text(
                t(
                    "assign.done",
                    [
                        "people": "\(report.people)", "new": "\(report.newly_enrolled)",
                        "already": "\(report.already_enrolled)", "completed": "\(report.already_completed)",
                    ])
            ).raw("</p>\n")
        }
        if !problems.isEmpty {
            h.raw("<div class=\"flash error\" role=\"alert\"><p>").text(t("assign.problems")).raw("</p><ul>")
            for problem in problems { h.raw("<li>").text(problem).raw("</li>") }
            h.raw("</ul></div>\n")
        }
        h.postForm(CatalogRoute.courseStep(desk, course, .assignment).path, csrf: csrf, class: "form", multipart: true)
            .raw("\n<label for=\"due_at\">").text(t("assign.due"))
            .raw("</label>\n<input id=\"due_at\" name=\"due_at\" type=\"date\" required value=\"")
            .attr(values["due_at"] ?? "").raw("\">\n<fieldset><legend>").text(t("assign.who"))
            .raw("</legend>\n<label for=\"people\">").text(t("assign.people"))
            .raw("</label>\n<p class=\"hint\" id=\"people-hint\">").text(t("assign.people_hint"))
            .raw("</p>\n<textarea id=\"people\" name=\"people\" rows=\"5\" aria-describedby=\"people-hint\">")
            .text(values["people"] ?? "").raw("</textarea>\n<label for=\"file\">").text(t("assign.file"))
            .raw("</label>\n<input id=\"file\" name=\"file\" type=\"file\" accept=\".csv,text/csv,text/plain\">\n")
            .raw("<label for=\"unit_kerja\">").text(t("assign.unit"))
            .raw("</label>\n<select id=\"unit_kerja\" name=\"unit_kerja\"><option value=\"\">—</option>")
        for unit in units {
            h.raw(unit == values["unit_kerja"] ? "<option selected>" : "<option>").text(unit).raw("</option>")
        }
        h.raw("</select>\n</fieldset>\n<button type=\"submit\">").text(t("assign.submit")).raw("</button>\n</form>\n")
    }
}

extension CurationRoutes.QueueModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("curation.title")).raw("</h1>\n<p class=\"lead\">").text(t("curation.lead"))
            .raw("</p>\n")
        if rows.isEmpty {
            h.raw("<p class=\"muted\">").text(t("curation.none")).raw("</p>\n")
        } else {
            h.raw("<ul class=\"cards\">\n")
            for row in rows { write(row, to: h, texts: t, csrf: csrf) }
            h.raw("</ul>\n")
        }
        guard !recent.isEmpty else { return }
        h.raw("<h2>").text(t("curation.recent")).raw("</h2><ul>")
        for row in recent {
            h.raw("<li><a href=\"").attr(row.url).raw("\">").text(row.title).raw("</a> · ").text(row.tenantName)
                .raw(" · ").text(row.competency).raw("</li>")
        }
        h.raw("</ul>\n")
    }

    private func write(_ row: Row, to h: HTMLText, texts t: Texts, csrf: String) {
        let course = Param<CourseID>.value(row.id)
        let reasonID = "reason-" + row.id.rawValue.uuidString
        h.raw("<li class=\"card\"><a class=\"card-title\" href=\"").attr(row.url).raw("\">").text(row.title)
            .raw("</a>\n<p class=\"org\">").text(row.tenantName).raw(" · ").text("\(row.jp)").raw(" JP · ")
            .text(row.method).raw(" · ").text(row.competency).raw("</p>\n")
        if !row.summary.isEmpty { h.raw("<p class=\"summary\">").text(row.summary).raw("</p>\n") }
        h.raw("<p><a href=\"").attr(row.contentURL).raw("\">").text(t("curation.preview")).raw("</a></p>\n")
        h.postButton(
            CatalogRoute.curationDecision(course, .value(.approve)).path, csrf: csrf, label: t("curation.approve"),
            buttonClass: "small"
        ).raw("\n")
        h.postForm(CatalogRoute.curationDecision(course, .value(.reject)).path, csrf: csrf, class: "inline reason")
            .raw("<label for=\"").attr(reasonID).raw("\" class=\"sr\">").text(t("curation.reason"))
            .raw("</label><input id=\"").attr(reasonID)
            .raw("\" name=\"reason\" required data-max=\"1000\" placeholder=\"")
            .attr(t("curation.reason")).raw("\"><button type=\"submit\" class=\"small secondary\">")
            .text(t("curation.reject")).raw("</button></form>\n</li>\n")
    }
}
