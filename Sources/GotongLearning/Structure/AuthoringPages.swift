import GotongCatalog
import GotongPlatform
import GotongTenancy

// The authors' editor, activity form and delete confirmation, written in Swift from their
// models (see docs/rendering.md). Every button is a plain form: the editor needs no script.

extension LearningAdminRoutes.EditorModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let course = Param<CourseID>.value(courseID)
        let courseURL = CatalogRoute.managedCourse(desk, course).path
        h.raw("<p class=\"crumbs\"><a href=\"").attr(courseURL).raw("\">").text(courseTitle).raw("</a></p>\n<h1>")
            .text(t("authoring.heading")).raw("</h1>\n<p class=\"lead\">").text(t("authoring.lead")).raw("</p>\n<p>")
            .text(t(sequential ? "authoring.sequential_on" : "authoring.sequential_off")).raw(" <a href=\"")
            .attr(courseURL).raw("\">").text(t("authoring.course_settings")).raw("</a>")
        if let learnURL { h.raw(" · <a href=\"").attr(learnURL).raw("\">").text(t("authoring.preview")).raw("</a>") }
        h.raw("</p>\n")
        for section in sections { write(section, to: h, texts: t, csrf: csrf) }
        if sections.isEmpty { h.raw("<p class=\"muted\">").text(t("authoring.empty")).raw("</p>\n") }
        h.postForm(LearningRoute.addSection(desk, course).path, csrf: csrf, class: "panel")
            .raw("\n<label for=\"new-section\">").text(t("authoring.new_section"))
            .raw("</label>\n<input id=\"new-section\" name=\"title\" required minlength=\"2\" data-max=\"200\"")
            .raw(" placeholder=\"")
            .attr(t("authoring.section_placeholder")).raw("\"")
        if sectionError != nil { h.raw(" aria-invalid=\"true\" aria-describedby=\"section-error\"") }
        h.raw(">\n").fieldError(sectionError, for: "section").raw("<button type=\"submit\">")
            .text(t("authoring.add_section")).raw("</button>\n</form>\n")
    }

    private func write(_ section: Section, to h: HTMLText, texts t: Texts, csrf: String) {
        let course = Param<CourseID>.value(courseID)
        let id = section.id.rawValue.uuidString
        let named = ["title": section.title]
        h.raw("<section class=\"topic\" id=\"topik-").raw(id).raw("\" aria-labelledby=\"h-").raw(id).raw(
            "\">\n<h2 id=\"h-"
        )
        .raw(id).raw("\">").text(section.title)
        if section.hidden { h.raw(" <span class=\"badge\">").text(t("authoring.hidden")).raw("</span>") }
        h.raw("</h2>\n<div class=\"actions\">\n")
        // Renaming in place: the field keeps what was typed and says why it was refused.
        h.postForm(
            LearningRoute.renameSection(desk, course, .value(section.id)).path, csrf: csrf, class: "inline reason"
        )
        .raw("<label for=\"t-").raw(id).raw("\" class=\"sr\">").text(t("authoring.section_title"))
        .raw("</label><input id=\"t-").raw(id).raw("\" name=\"title\" value=\"").attr(section.typedTitle)
        .raw("\" required minlength=\"2\" data-max=\"200\"")
        if section.renameError != nil {
            h.raw(" aria-invalid=\"true\" aria-describedby=\"t-").raw(id).raw("-error\"")
        }
        h.raw("><button type=\"submit\" class=\"small secondary\" aria-label=\"").attr(
            t("authoring.rename_named", named)
        )
        .raw("\">").text(t("authoring.rename")).raw("</button>")
        if let error = section.renameError {
            h.raw("<p class=\"field-error\" id=\"t-").raw(id).raw("-error\">").text(error).raw("</p>")
        }
        h.raw("</form>\n")
        let arrange = { (action: ArrangeAction) in
            LearningRoute.arrangeSection(desk, course, .value(section.id), .value(action)).path
        }
        if !section.first {
            arrangeButton(arrange(.up), "↑ " + t("authoring.up"), t("authoring.up_named", named), to: h, csrf: csrf)
        }
        if !section.last {
            arrangeButton(
                arrange(.down), "↓ " + t("authoring.down"), t("authoring.down_named", named), to: h, csrf: csrf)
        }
        visibilityButton(section.hidden, arrange, named, to: h, texts: t, csrf: csrf)
        deleteLink(LearningRoute.deleteSection(desk, course, .value(section.id)).path, named, to: h, texts: t)
        h.raw("</div>\n")
        if section.items.isEmpty {
            h.raw("<p class=\"muted\">").text(t("authoring.no_activities")).raw("</p>\n")
        } else {
            h.raw("<ol class=\"steps\">\n")
            for item in section.items { write(item, to: h, texts: t, csrf: csrf) }
            h.raw("</ol>\n")
        }
        h.raw("<form method=\"get\" action=\"").attr(LearningRoute.newActivity(desk, course).path)
            .raw("\" class=\"inline reason\"><input type=\"hidden\" name=\"topik\" value=\"").raw(id)
            .raw("\"><label for=\"j-").raw(id).raw("\">").text(t("authoring.add_activity")).raw(
                "</label><select id=\"j-"
            )
            .raw(id).raw("\" name=\"jenis\">").options(types).raw("</select><button type=\"submit\" class=\"small\">")
            .text(t("action.add")).raw("</button></form>\n</section>\n")
    }

    private func write(_ item: Item, to h: HTMLText, texts t: Texts, csrf: String) {
        let course = Param<CourseID>.value(courseID)
        let activity = Param<ActivityID>.value(item.id)
        let named = ["title": item.title]
        h.raw("<li id=\"materi-").raw(item.id.rawValue.uuidString).raw("\"><a href=\"")
            .attr(LearningRoute.editActivity(desk, course, activity).path).raw("\">").text(item.title)
            .raw("</a> <span class=\"muted\">(").text(item.type).raw(")")
        if let rule = item.rule { h.raw(" · ").text(rule) }
        if let opens = item.opens { h.raw(" · ").text(t("authoring.opens", ["date": opens])) }
        h.raw("</span>")
        if item.hidden { h.raw(" <span class=\"badge\">").text(t("authoring.hidden")).raw("</span>") }
        h.raw("\n<div class=\"actions\">\n")
        let arrange = { (action: ArrangeAction) in
            LearningRoute.arrangeActivity(desk, course, activity, .value(action)).path
        }
        if !item.first { arrangeButton(arrange(.up), "↑", t("authoring.up_named", named), to: h, csrf: csrf) }
        if !item.last { arrangeButton(arrange(.down), "↓", t("authoring.down_named", named), to: h, csrf: csrf) }
        visibilityButton(item.hidden, arrange, named, to: h, texts: t, csrf: csrf)
        deleteLink(LearningRoute.deleteActivity(desk, course, activity).path, named, to: h, texts: t)
        h.raw("</div></li>\n")
    }

    /// A small button that moves or hides a section or activity; `label` names what it acts on
    /// for a screen reader, since the visible text is only an arrow or a verb.
    private func arrangeButton(_ action: String, _ text: String, _ label: String, to h: HTMLText, csrf: String) {
        h.postForm(action, csrf: csrf, class: "inline").raw(
            "<button type=\"submit\" class=\"small secondary\" aria-label=\""
        )
        .attr(label).raw("\">").text(text).raw("</button></form>\n")
    }

    private func visibilityButton(
        _ hidden: Bool, _ arrange: (ArrangeAction) -> String, _ named: [String: String], to h: HTMLText, texts t: Texts,
        csrf: String
    ) {
        arrangeButton(
            arrange(hidden ? .show : .hide), t(hidden ? "authoring.show" : "authoring.hide"),
            t(hidden ? "authoring.show_named" : "authoring.hide_named", named), to: h, csrf: csrf)
    }

    private func deleteLink(_ path: String, _ named: [String: String], to h: HTMLText, texts t: Texts) {
        h.raw("<a class=\"small-link\" href=\"").attr(path).raw("\" aria-label=\"").attr(
            t("authoring.delete_named", named)
        )
        .raw("\">").text(t("action.delete")).raw("</a>\n")
    }
}

extension LearningAdminRoutes.ConfirmModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(heading).raw("</h1>\n<p class=\"flash error\">").text(warning).raw("</p>\n")
            .postButton(action, csrf: csrf, label: t("authoring.confirm_delete"), buttonClass: "danger")
            .raw("\n<a href=\"").attr(back).raw("\">").text(t("authoring.cancel")).raw("</a>\n")
    }
}

extension LearningAdminRoutes.ActivityFormModel: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let course = Param<CourseID>.value(courseID)
        let editorURL = LearningRoute.editor(desk, course).path
        let action =
            activityID.map { LearningRoute.editActivity(desk, course, .value($0)) } ?? .newActivity(desk, course)
        h.raw("<p class=\"crumbs\"><a href=\"").attr(editorURL).raw("\">").text(courseTitle).raw("</a></p>\n<h1>")
            .text(t(activityID == nil ? "authoring.new_activity" : "authoring.edit_activity", ["type": typeLabel]))
            .raw("</h1>\n").alert(formError)
        h.postForm(action.path, csrf: csrf, multipart: true).raw("\n<input type=\"hidden\" name=\"type\" value=\"")
            .attr(type)
            .raw("\"><input type=\"hidden\" name=\"section\" value=\"").attr(sectionID.rawValue.uuidString)
            .raw("\">\n<label for=\"title\">").text(t("authoring.activity_title"))
            .raw("</label>\n<input id=\"title\" name=\"title\" value=\"").attr(title)
            .raw("\" required minlength=\"2\" data-max=\"200\"")
        if titleError != nil { h.raw(" aria-invalid=\"true\" aria-describedby=\"title-error\"") }
        h.raw(">\n").fieldError(titleError, for: "title")
        for field in fields { write(field, to: h) }
        writeCompletion(to: h, texts: t)
        h.raw("<label for=\"opens_at\">").text(t("authoring.opens_at"))
            .raw("</label>\n<p class=\"hint\" id=\"opens-hint\">").text(t("authoring.opens_hint"))
            .raw("</p>\n<input id=\"opens_at\" name=\"opens_at\" type=\"date\" value=\"").attr(opensAt).raw("\"")
            .described("opens_at", hint: "opens-hint", error: opensError).raw(">\n").fieldError(
                opensError, for: "opens_at"
            )
            .raw("<div class=\"check\"><input id=\"hidden\" name=\"hidden\" type=\"checkbox\"").flag("checked", hidden)
            .raw("><label for=\"hidden\">").text(t("authoring.hide_from_learners")).raw("</label></div>\n")
            .raw("<button type=\"submit\">").text(t("form.save")).raw("</button> <a href=\"").attr(editorURL).raw("\">")
            .text(t("authoring.cancel")).raw("</a>\n</form>\n")
    }

    /// One of the fields the activity's type declares.
    private func write(_ field: Field, to h: HTMLText) {
        let id = "f-" + field.name
        let hintID = "hint-" + field.name
        h.raw("<label for=\"").attr(id).raw("\">").text(field.label).raw(field.required ? " *</label>\n" : "</label>\n")
        if let hint = field.hint { h.raw("<p class=\"hint\" id=\"").attr(hintID).raw("\">").text(hint).raw("</p>\n") }
        let described = { h.described(id, hint: field.hint == nil ? nil : hintID, error: field.error) }
        let opening = { (tag: String) in
            h.raw("<").raw(tag).raw(" id=\"").attr(id).raw("\" name=\"").attr(field.name).raw("\"")
        }
        switch field.kind {
        case .markdown:
            opening("textarea")
            h.raw(" rows=\"10\" data-max=\"").text(field.max.map(String.init) ?? "").raw("\"").flag(
                "required", field.required)
            described()
            h.raw(">").text(field.value).raw("</textarea>")
        case .file:
            opening("input")
            h.raw(" type=\"file\" accept=\"").attr(field.accept ?? "").raw("\"").flag("required", field.required)
            described()
            h.raw(">")
        case .number:
            opening("input")
            h.raw(" type=\"number\" min=\"").text(field.min.map(String.init) ?? "").raw("\" max=\"")
                .text(field.max.map(String.init) ?? "").raw("\" value=\"").attr(field.value).raw("\"")
                .flag("required", field.required)
            described()
            h.raw(">")
        case .url:
            opening("input")
            h.raw(" type=\"url\" inputmode=\"url\" value=\"").attr(field.value).raw("\"").flag(
                "required", field.required)
            described()
            h.raw(">")
        case .dateTime:
            opening("input")
            h.raw(" type=\"datetime-local\" value=\"").attr(field.value).raw("\"").flag("required", field.required)
            described()
            h.raw(">")
        case .choice:
            opening("select")
            described()
            h.raw(">")
            let current = field.value.isEmpty ? field.options.first?.value : field.value
            h.options(
                field.options.map { SelectOption(value: $0.value, label: $0.label, selected: $0.value == current) })
            h.raw("</select>")
        case .text:
            opening("input")
            h.raw(" value=\"").attr(field.value).raw("\" data-max=\"").text(field.max.map(String.init) ?? "").raw("\"")
                .flag("required", field.required)
            described()
            h.raw(">")
        }
        h.raw("\n").fieldError(field.error, for: id)
    }
}
