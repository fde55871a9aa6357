import Foundation
import GotongPlatform
import GotongTenancy
import Tagged

/// The officers' queue: its filters as one small form (works without script), then the cases
/// soonest deadline first, overdue ones marked.
struct QueueModel: PageBody {
    let slug: Param<TenantSlug>
    let filter: QueueFilter
    let rows: [QueueRow]
    let window: PageWindow
    let categories: [(UUID, String)]
    let units: [(UUID, String)]
    let dayLength: TimeInterval
    let coordinator: Bool
    /// Other modules' pages for coordinators (``DeskLinks``).
    var links: [(label: String, path: String)] = []

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("desk.queue.heading")).raw("</h1>\n<p><a href=\"").attr(DeskRoute.dashboard(slug).path)
            .raw("\">").text(t("desk.dashboard.heading")).raw("</a></p>\n")
        if coordinator {
            h.raw("<p><a href=\"").attr(DeskRoute.units(slug).path).raw("\">").text(t("desk.units.link"))
                .raw("</a> · <a href=\"").attr(DeskRoute.templates(slug).path).raw("\">").text(t("desk.templates.link"))
                .raw("</a></p>\n")
            h.linkLine(links, t)
        }
        writeFilters(to: h, t)
        h.raw("<p class=\"lead\">").text(t("desk.queue.count", ["count": "\(window.total)"])).raw("</p>\n")
        if rows.isEmpty {
            h.raw("<p class=\"muted\">").text(t("desk.queue.empty")).raw("</p>\n")
            return
        }
        h.raw("<ol class=\"list queue\">\n")
        for row in rows { writeRow(row, to: h, t) }
        h.raw("</ol>\n")
        writePager(to: h, t)
    }

    private func writeFilters(to h: HTMLText, _ t: Texts) {
        // Folded on a phone unless a filter is on: the cases come first.
        let filtered = filter != QueueFilter(page: filter.page)
        h.raw("<details class=\"filters\"").flag("open", filtered).raw("><summary>").text(t("desk.queue.filter"))
            .raw("</summary>\n<form method=\"get\" action=\"").attr(DeskRoute.queue(slug).path)
            .raw("\" class=\"form\">\n")
        let states = QueueState.allCases.map {
            SelectOption(value: $0.rawValue, label: t("desk.queue.state.\($0.rawValue)"), selected: filter.state == $0)
        }
        h.textField(TextField("status", label: t("desk.field.status"), value: nil, error: nil, kind: .select(states)))
        let any = SelectOption(value: "", label: t("desk.queue.any"), selected: false)
        if units.count > 1 {
            let options = units.map { SelectOption(value: $0.0.uuidString, label: $0.1, selected: filter.unit == $0.0) }
            h.textField(
                TextField("unit", label: t("desk.field.unit"), value: nil, error: nil, kind: .select([any] + options)))
        }
        let categoryOptions = categories.map {
            SelectOption(value: $0.0.uuidString, label: $0.1, selected: filter.category == $0.0)
        }
        h.textField(
            TextField(
                "kategori", label: t("desk.field.category"), value: nil, error: nil,
                kind: .select([any] + categoryOptions)))
        let channels = DeskCase.Channel.allCases.map {
            SelectOption(value: $0.rawValue, label: t("desk.channel.\($0.rawValue)"), selected: filter.channel == $0)
        }
        h.textField(
            TextField("kanal", label: t("desk.field.channel"), value: nil, error: nil, kind: .select([any] + channels)))
        for (name, on, label) in [
            ("terlambat", filter.overdue, "desk.queue.overdue"), ("saya", filter.mine, "desk.queue.mine"),
        ] {
            h.raw("<p><input type=\"checkbox\" name=\"").attr(name).raw("\" id=\"").attr(name).raw("\" value=\"1\"")
                .flag("checked", on).raw("> <label for=\"").attr(name).raw("\">").text(t(label)).raw("</label></p>\n")
        }
        h.raw("<button type=\"submit\" class=\"secondary\">").text(t("desk.queue.apply"))
            .raw("</button>\n</form>\n</details>\n")
    }

    private func writeRow(_ row: QueueRow, to h: HTMLText, _ t: Texts) {
        let item = row.item
        let late = row.overdue
        h.raw(late ? "<li class=\"overdue\">" : "<li>").raw("<a href=\"")
            .attr(DeskRoute.officeCase(slug, .value(CaseNumber(item.number)!)).path).raw("\"><strong>")
            .text(item.number).raw("</strong></a> · ").text(t("desk.status.\(item.status.rawValue)")).raw(" · ")
            .text(row.category).raw("<br>")
        if let left = row.left {
            h.raw(late ? "<strong class=\"late\">" : "<span>").text(
                TimeLeft.text(left, late: late, dayLength: dayLength, t)
            )
            .raw(late ? "</strong>" : "</span>")
        } else if item.status == .menungguWarga {
            h.text(t("desk.queue.paused"))
        }
        if item.escalation >= 2 { h.raw(" · <strong class=\"late\">").text(t("desk.queue.escalated")).raw("</strong>") }
        h.raw("<br><span class=\"muted\">").text(
            [row.unit ?? t("desk.queue.no_unit"), t("desk.channel.\(item.channel.rawValue)"), row.assignee ?? ""]
                .filter { !$0.isEmpty }.joined(separator: " · ")
        ).raw("</span><br>").text(String(item.text.prefix(140))).raw("</li>\n")
    }

    private func writePager(to h: HTMLText, _ t: Texts) {
        guard window.pages > 1 else { return }
        let page = { (n: Int) in
            DeskRoute.queue(slug).path(query: [
                "status": filter.state.rawValue, "unit": filter.unit?.uuidString,
                "kategori": filter.category?.uuidString, "kanal": filter.channel?.rawValue,
                "terlambat": filter.overdue ? "1" : nil, "saya": filter.mine ? "1" : nil, "halaman": "\(n)",
            ])
        }
        h.raw("<nav class=\"pager\" aria-label=\"").attr(t("catalog.pages")).raw("\">")
        if window.hasPrevious {
            h.raw("<a href=\"").attr(page(window.page - 1)).raw("\" rel=\"prev\">").text(t("catalog.previous"))
                .raw("</a>")
        }
        h.raw(" <span>").text(t("catalog.page_of", ["page": "\(window.page)", "pages": "\(window.pages)"]))
            .raw("</span> ")
        if window.hasNext {
            h.raw("<a href=\"").attr(page(window.page + 1)).raw("\" rel=\"next\">").text(t("catalog.next")).raw("</a>")
        }
        h.raw("</nav>\n")
    }
}

/// A case as officers see it: its facts and time left, the conversation with internal notes,
/// the history, and the forms of the work on it.
struct OfficeCaseModel: PageBody {
    let slug: Param<TenantSlug>
    let view: OfficeView
    let me: UUID
    let dayLength: TimeInterval
    let when: @Sendable (Date) -> String
    let errors: [String: String]
    let values: [String: String]

    private var number: Param<CaseNumber> { .value(CaseNumber(view.item.number)!) }

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let item = view.item
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.queue(slug).path).raw("\">").text(t("desk.queue.back"))
            .raw("</a></p>\n<h1>").text(item.number).raw("</h1>\n")
        if let left = view.left {
            h.raw(view.overdue ? "<p class=\"flash error\">" : "<p class=\"panel\">")
                .text(TimeLeft.text(left, late: view.overdue, dayLength: dayLength, t))
            if view.item.escalation >= 2 { h.raw(" · ").text(t("desk.queue.escalated")) }
            h.raw("</p>\n")
        }
        writeFacts(to: h, t)
        h.raw("<h2>").text(t("desk.case.conversation")).raw("</h2>\n<ol class=\"list\">\n")
        for message in view.messages {
            let who: String
            switch message.direction {
            case .incoming: who = t("desk.office.citizen")
            case .outgoing: who = message.authorID.flatMap { view.names.people[$0] } ?? t("desk.case.officer")
            case .note:
                who = t("desk.office.note_by", ["name": message.authorID.flatMap { view.names.people[$0] } ?? ""])
            }
            h.raw(message.direction == .note ? "<li class=\"note\"><strong>" : "<li><strong>").text(who)
                .raw("</strong> <span class=\"muted\">").text(when(message.createdAt)).raw(" · ")
                .text(t("desk.channel.\(message.channel.rawValue)")).raw("</span><br>").text(message.body)
            DeskFilesView.write(view.files[message.id!] ?? [], to: h, t) { row in
                DeskRoute.officeFile(slug, number, .value(AttachmentID(row.id!))).path
            }
            if let id = message.id, let sends = view.deliveries[id] { writeDelivery(sends, to: h, t, csrf: csrf) }
            h.raw("</li>\n")
        }
        h.raw("</ol>\n")
        writeWrite(to: h, t, csrf: csrf)
        writeActions(to: h, t, csrf: csrf)
        writeAssign(to: h, t, csrf: csrf)
        writeMerge(to: h, t, csrf: csrf)
        h.raw("<h2>").text(t("desk.case.history")).raw("</h2>\n<ol class=\"list\">\n")
        for event in view.events {
            h.raw("<li>").text(t("desk.status.\(event.to.rawValue)")).raw(" <span class=\"muted\">")
                .text(when(event.at)).raw(" · ")
                .text(event.actorID.flatMap { view.names.people[$0] } ?? t("desk.office.by_citizen_or_system"))
                .raw("</span>")
            if !event.note.isEmpty { h.raw("<br>").text(event.note) }
            h.raw("</li>\n")
        }
        h.raw("</ol>\n")
    }

    /// How a reply went out on its platform: the least advanced of its parts, a failure with
    /// the platform's words and a button that sends it again.
    private func writeDelivery(_ sends: [DeskOutbox], to h: HTMLText, _ t: Texts, csrf: String) {
        guard let worst = sends.min(by: { Outbox.rank($0.state) < Outbox.rank($1.state) }) else { return }
        h.raw("<br><span class=\"").raw(worst.state == .failed ? "error" : "muted").raw("\">")
            .text(t("desk.delivery.\(worst.state.rawValue)"))
        if worst.state != .sent, worst.state != .delivered, worst.state != .read, !worst.lastError.isEmpty {
            h.raw(" (").text(worst.lastError).raw(")")
        }
        h.raw("</span>")
        guard worst.state == .failed, let id = worst.id, let number = CaseNumber(view.item.number) else { return }
        h.raw(" ")
        h.postForm(DeskRoute.officeResend(slug, .value(number)).path, csrf: csrf, class: "inline")
            .raw("<input type=\"hidden\" name=\"kirim\" value=\"").attr(id.uuidString)
            .raw("\"><button type=\"submit\" class=\"small secondary\">").text(t("desk.delivery.resend"))
            .raw("</button></form>")
    }

    private func writeFacts(to h: HTMLText, _ t: Texts) {
        let item = view.item
        h.raw("<dl class=\"facts\">\n")
        let facts: [(String, String)] =
            [
                (t("desk.field.status"), t("desk.status.\(item.status.rawValue)")),
                (t("desk.field.kind"), t("desk.kind.\(item.kind.rawValue)")),
                (t("desk.field.category"), view.names.categories[item.categoryID] ?? ""),
                (t("desk.field.unit"), item.unitID.flatMap { view.names.units[$0] } ?? t("desk.queue.no_unit")),
                (t("desk.office.assignee"), item.assigneeID.flatMap { view.names.people[$0] } ?? "–"),
                (t("desk.field.channel"), t("desk.channel.\(item.channel.rawValue)")),
                (t("desk.case.received"), when(item.createdAt)),
                (t("desk.case.due"), item.dueAt.map(when) ?? "–"),
                (t("desk.field.privacy"), t("desk.privacy.\(item.privacy.rawValue)")),
                (
                    t("desk.office.contact"),
                    item.privacy == .anonymous ? t("desk.office.anonymous") : item.contactMasked
                ),
            ] + (item.location.isEmpty ? [] : [(t("desk.field.location"), item.location)])
        for (label, value) in facts { h.raw("<dt>").text(label).raw("</dt><dd>").text(value).raw("</dd>\n") }
        h.raw("</dl>\n")
    }

    private func writeWrite(to h: HTMLText, _ t: Texts, csrf: String) {
        h.raw("<h2 id=\"tulis\">").text(t("desk.office.write")).raw("</h2>\n")
        if !view.templates.isEmpty {
            // Without script: the page again with the chosen reply in the message.
            let options = view.templates.map {
                SelectOption(value: $0.id?.uuidString ?? "", label: $0.title, selected: false)
            }
            h.raw("<form method=\"get\" action=\"").attr(DeskRoute.officeCase(slug, number).path)
                .raw("#tulis\" class=\"form\">\n")
                .textField(
                    TextField(
                        "templat", label: t("desk.templates.choose"), value: nil, error: nil, kind: .select(options))
                )
                .raw("<button type=\"submit\" class=\"secondary\">").text(t("desk.templates.use"))
                .raw("</button>\n</form>\n")
        }
        h.postForm(DeskRoute.officeWrite(slug, number).path, csrf: csrf, class: "form")
        h.textField(
            TextField(
                "body", label: t("desk.office.message"), value: values["body"], error: errors["body"],
                kind: .area(rows: 4), max: 4000, required: true))
        h.raw("<p><button type=\"submit\" name=\"jenis\" value=\"balasan\"")
            .flag("disabled", view.item.status.isClosed).raw(">").text(t("desk.office.send_reply"))
            .raw("</button> <button type=\"submit\" name=\"jenis\" value=\"catatan\" class=\"secondary\">")
            .text(t("desk.office.send_note")).raw("</button></p>\n<p class=\"hint\">").text(t("desk.office.note_hint"))
            .raw("</p>\n</form>\n")
    }

    private func writeActions(to h: HTMLText, _ t: Texts, csrf: String) {
        guard !view.actions.isEmpty else { return }
        h.raw("<h2 id=\"tindakan\">").text(t("desk.office.actions")).raw("</h2>\n")
        h.postForm(DeskRoute.officeAction(slug, number).path, csrf: csrf, class: "form")
            .fieldError(errors["action"], for: "action")
        if view.actions.contains(.route) {
            let options =
                [SelectOption(value: "", label: t("desk.field.choose"), selected: false)]
                + view.units.map {
                    SelectOption(value: $0.id!.uuidString, label: $0.name, selected: $0.id == view.item.unitID)
                }
            h.textField(
                TextField(
                    "unit", label: t("desk.office.route_to"), value: nil, error: errors["unit"],
                    kind: .select(options)))
        }
        h.textField(
            TextField(
                "catatan", label: t("desk.office.action_note"), value: values["note"], error: errors["note"],
                hint: t("desk.office.action_note_hint"), kind: .area(rows: 2), max: 1000))
        h.raw("<p class=\"actions\">")
        for action in view.actions {
            h.raw("<button type=\"submit\" name=\"aksi\" value=\"").attr(action.rawValue).raw("\"")
                .raw(action == .refuse ? " class=\"secondary\">" : ">").text(t("desk.action.\(action.rawValue)"))
                .raw("</button> ")
        }
        h.raw("</p>\n</form>\n")
    }

    private func writeAssign(to h: HTMLText, _ t: Texts, csrf: String) {
        guard !view.item.status.isClosed else { return }
        h.raw("<h2>").text(t("desk.office.assignee")).raw("</h2>\n")
        h.postForm(DeskRoute.officeAssign(slug, number).path, csrf: csrf, class: "form")
        let options =
            [SelectOption(value: "", label: t("desk.office.nobody"), selected: view.item.assigneeID == nil)]
            + view.assignees.map { id in
                SelectOption(
                    value: id.uuidString,
                    label: id == me ? t("desk.office.me") : view.names.people[id] ?? id.uuidString,
                    selected: view.item.assigneeID == id)
            }
        h.textField(
            TextField(
                "petugas", label: t("desk.office.assign_to"), value: nil, error: errors["assignee"],
                kind: .select(options)))
        h.raw("<button type=\"submit\" class=\"secondary\">").text(t("desk.office.assign")).raw("</button>\n</form>\n")
    }

    /// A duplicate merged into the case it repeats, by that case's number.
    private func writeMerge(to h: HTMLText, _ t: Texts, csrf: String) {
        guard !view.item.status.isClosed else { return }
        h.raw("<h2>").text(t("desk.merge.heading")).raw("</h2>\n")
        h.postForm(DeskRoute.officeMerge(slug, number).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "nomor", label: t("desk.merge.number"), value: values["merge"], error: errors["into"],
                    hint: t("desk.merge.hint"), max: 20, attributes: " autocapitalize=\"characters\"")
            )
            .raw("<button type=\"submit\" class=\"secondary\">").text(t("desk.merge.submit"))
            .raw("</button>\n</form>\n")
    }
}
