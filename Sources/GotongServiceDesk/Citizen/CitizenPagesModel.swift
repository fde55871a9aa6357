import Foundation
import GotongPlatform
import GotongTenancy
import Tagged

/// The desk's front page: the report form, and the lookup of a case.
struct ReportModel: PageBody {
    let slug: Param<TenantSlug>
    let tenant: String
    let categories: [(slug: String, name: String)]
    let values: [String: String]
    let errors: [String: String]
    /// Other modules' pages of the desk's site, and their question box (``DeskLinks``).
    var links: [(label: String, path: String)] = []
    var search: (DeskLinks.Search, path: String)?

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<h1>").text(t("desk.public.heading", ["tenant": tenant])).raw("</h1>\n")
        h.linkLine(links, t, class: "chips-line")
        if let (search, path) = search {
            h.raw("<form method=\"get\" action=\"").attr(path).raw("\" class=\"form search\" role=\"search\">\n")
                .textField(
                    TextField(
                        "q", label: t(search.label), value: nil, error: nil, hint: t(search.hint),
                        kind: .input("search"), max: 500)
                )
                .raw("<button type=\"submit\">").text(t(search.button)).raw("</button>\n</form>\n")
        }
        h.raw("<h2 id=\"lapor\">").text(t("desk.public.report_heading")).raw("</h2>\n<p>").text(t("desk.public.lead"))
            .raw("</p>\n")
        h.postForm(DeskRoute.desk(slug).path, csrf: csrf, class: "form", multipart: true)
        let kinds = DeskCase.Kind.allCases.map { kind in
            SelectOption(
                value: kind.rawValue, label: t("desk.kind.\(kind.rawValue)"), selected: values["kind"] == kind.rawValue)
        }
        h.textField(
            TextField("kind", label: t("desk.field.kind"), value: nil, error: errors["kind"], kind: .select(kinds)))
        let choices =
            [SelectOption(value: "", label: t("desk.field.choose"), selected: values["category"] == nil)]
            + categories.map { SelectOption(value: $0.slug, label: $0.name, selected: values["category"] == $0.slug) }
        h.textField(
            TextField(
                "category", label: t("desk.field.category"), value: nil, error: errors["category"],
                kind: .select(choices), required: true))
        h.textField(
            TextField(
                "text", label: t("desk.field.text"), value: values["text"], error: errors["text"],
                hint: t("desk.field.text_hint"), kind: .area(rows: 6), max: 4000, required: true))
        h.textField(
            TextField(
                "location", label: t("desk.field.location"), value: values["location"], error: errors["location"],
                hint: t("desk.field.location_hint"), max: 300))
        h.textField(DeskFilesView.field(t, error: errors[DeskFiles.field]))
        writePrivacy(to: h, t)
        h.raw("<fieldset><legend>").text(t("desk.field.contact")).raw("</legend>\n<p class=\"hint\">")
            .text(t("desk.field.contact_hint")).raw("</p>\n").fieldError(errors["contact"], for: "contact")
        h.textField(
            TextField(
                "name", label: t("desk.field.name"), value: values["name"], error: errors["name"], max: 120,
                attributes: " autocomplete=\"name\""))
        h.textField(
            TextField(
                "phone", label: t("desk.field.phone"), value: values["phone"], error: errors["phone"],
                kind: .input("tel"), max: 20, attributes: " autocomplete=\"tel\""))
        h.textField(
            TextField(
                "email", label: t("desk.field.email"), value: values["email"], error: errors["email"],
                kind: .input("email"), max: 200, attributes: " autocomplete=\"email\""))
        h.textField(
            TextField(
                "nik", label: t("desk.field.nik"), value: values["nik"], error: errors["nik"],
                hint: t("desk.field.nik_hint"), max: 16, attributes: " inputmode=\"numeric\""))
        h.raw("</fieldset>\n")
        // A field people never see: robots fill every field in.
        h.raw("<div class=\"sr\" aria-hidden=\"true\"><label for=\"situs\">Situs</label>")
            .raw("<input id=\"situs\" name=\"situs\" tabindex=\"-1\" autocomplete=\"off\"></div>\n")
        h.raw("<button type=\"submit\">").text(t("desk.public.submit")).raw("</button>\n</form>\n")
        writeLookUp(to: h, t)
    }

    private func writePrivacy(to h: HTMLText, _ t: Texts) {
        let chosen = values["privacy"] ?? DeskCase.Privacy.public.rawValue
        h.raw("<fieldset><legend>").text(t("desk.field.privacy")).raw("</legend>\n")
        for privacy in DeskCase.Privacy.allCases {
            let id = "privacy-\(privacy.rawValue)"
            h.raw("<p><input type=\"radio\" name=\"privacy\" id=\"").attr(id).raw("\" value=\"")
                .attr(privacy.rawValue).raw("\"").flag("checked", chosen == privacy.rawValue)
                .raw(" aria-describedby=\"").attr(id + "-hint").raw("\"> <label for=\"").attr(id).raw("\">")
                .text(t("desk.privacy.\(privacy.rawValue)")).raw("</label><br><span class=\"hint\" id=\"").attr(
                    id + "-hint"
                )
                .raw("\">").text(t("desk.privacy.\(privacy.rawValue)_hint")).raw("</span></p>\n")
        }
        h.fieldError(errors["privacy"], for: "privacy").raw("</fieldset>\n")
    }

    private func writeLookUp(to h: HTMLText, _ t: Texts) {
        h.raw("<h2 id=\"lacak\">").text(t("desk.public.track")).raw("</h2>\n<form method=\"get\" action=\"")
            .attr(DeskRoute.lookUp(slug).path).raw("\" class=\"form\">\n")
            .textField(
                TextField(
                    "nomor", label: t("desk.field.number"), value: nil, error: errors["nomor"],
                    hint: t("desk.field.number_hint"),
                    max: 20, attributes: " autocapitalize=\"characters\"")
            )
            .textField(TextField("kode", label: t("desk.field.secret"), value: nil, error: nil, max: 100))
            .raw("<button type=\"submit\" class=\"secondary\">").text(t("desk.public.look_up"))
            .raw("</button>\n</form>\n<p><a href=\"").attr(DeskRoute.tracker(slug).path).raw("\">")
            .text(t("desk.tracker.link")).raw("</a></p>\n")
    }
}

/// A case as its citizen sees it.
struct CitizenCaseModel: PageBody {
    let slug: Param<TenantSlug>
    let view: CitizenView
    let secret: String
    let when: @Sendable (Date) -> String
    let error: String?
    let errors: [String: String]
    /// What was typed in a refused form, to be typed no more.
    let values: [String: String]
    let mayDispute: Bool

    private var number: Param<CaseNumber> { .value(CaseNumber(view.item.number)!) }

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let item = view.item
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.desk(slug).path).raw("\">").text(t("desk.public.back"))
            .raw("</a></p>\n<h1>").text(item.number).raw("</h1>\n")
        // A verdict refused for the case's state (not closed yet, rated before, too late to
        // reopen) has no form on the page to stand beside: said at the top.
        let formless = [
            ("rating", !item.status.isClosed || item.rating != nil), ("reason", !mayDispute),
        ].filter(\.1).compactMap { errors[$0.0] }
        for message in formless {
            h.raw("<p class=\"flash error\" role=\"alert\">").text(message).raw("</p>\n")
        }
        h.raw("<p class=\"panel\">")
            .text(t("desk.case.keep", ["number": item.number])).raw(" <strong class=\"code\">")
            .text(TrackingCode.code.normalised(secret).map(TrackingCode.shown) ?? "").raw("</strong></p>\n")
            .raw("<dl class=\"facts\">\n")
        let facts: [(String, String)] =
            [
                (t("desk.field.status"), t("desk.status.\(item.status.rawValue)")),
                (t("desk.field.kind"), t("desk.kind.\(item.kind.rawValue)")), (t("desk.field.category"), view.category),
                (t("desk.case.received"), when(item.createdAt)),
            ] + (item.dueAt.map { [(t("desk.case.due"), when($0))] } ?? [])
            + [(t("desk.field.privacy"), t("desk.privacy.\(item.privacy.rawValue)"))]
        for (label, value) in facts { h.raw("<dt>").text(label).raw("</dt><dd>").text(value).raw("</dd>\n") }
        h.raw("</dl>\n<h2>").text(t("desk.case.conversation")).raw("</h2>\n<ol class=\"list\">\n")
        for message in view.messages {
            let mine = message.direction == .incoming
            h.raw("<li><strong>").text(t(mine ? "desk.case.you" : "desk.case.officer")).raw(
                "</strong> <span class=\"muted\">"
            )
            .text(when(message.createdAt)).raw("</span><br>").text(message.body)
            DeskFilesView.write(view.files[message.id!] ?? [], to: h, t) { row in
                DeskRoute.citizenFile(slug, number, .value(AttachmentID(row.id!))).path(query: ["kode": secret])
            }
            h.raw("</li>\n")
        }
        h.raw("</ol>\n<h2>").text(t("desk.case.history")).raw("</h2>\n<ol class=\"list\">\n")
        for event in view.events {
            h.raw("<li>").text(t("desk.status.\(event.to.rawValue)")).raw(" <span class=\"muted\">").text(
                when(event.at)
            )
            .raw("</span>")
            if !event.note.isEmpty { h.raw("<br>").text(event.note) }
            h.raw("</li>\n")
        }
        h.raw("</ol>\n")
        guard !item.status.isClosed else {
            writeVerdict(to: h, t, csrf: csrf)
            return
        }
        h.postForm(DeskRoute.citizenReply(slug, number).path, csrf: csrf, class: "form", multipart: true)
            .raw("<input type=\"hidden\" name=\"kode\" value=\"").attr(secret).raw("\">\n")
            .textField(
                TextField(
                    "body", label: t("desk.case.reply"), value: nil, error: error, kind: .area(rows: 4), max: 4000)
            )
            .textField(DeskFilesView.field(t, error: nil))
            .raw("<button type=\"submit\">").text(t("desk.case.send")).raw("</button>\n</form>\n")
    }

    /// A closed case: the rating of its answer (once), and "not done yet" within 14 days.
    private func writeVerdict(to h: HTMLText, _ t: Texts, csrf: String) {
        let item = view.item
        if let rating = item.rating {
            h.raw("<p class=\"panel\">").text(t("desk.case.your_rating", ["rating": "\(rating)"])).raw("</p>\n")
        } else {
            h.postForm(DeskRoute.citizenRating(slug, number).path, csrf: csrf, class: "form")
                .raw("<input type=\"hidden\" name=\"kode\" value=\"").attr(secret).raw("\">\n<fieldset><legend>")
                .text(t("desk.case.rate")).raw("</legend>\n<p class=\"rating\">")
            for value in 1...5 {
                let id = "nilai-\(value)"
                h.raw("<input type=\"radio\" name=\"nilai\" id=\"").attr(id).raw("\" value=\"\(value)\"")
                    .raw(errors["rating"] == nil ? "" : " aria-describedby=\"rating-error\"").raw("> <label for=\"")
                    .attr(id).raw("\">").text(t("desk.case.rating.\(value)")).raw("</label><br>\n")
            }
            h.raw("</p>\n").fieldError(errors["rating"], for: "rating").raw("</fieldset>\n<button type=\"submit\">")
                .text(t("desk.case.rate_send")).raw("</button>\n</form>\n")
        }
        guard mayDispute else { return }
        h.raw("<h2>").text(t("desk.case.not_done")).raw("</h2>\n")
        h.postForm(DeskRoute.citizenReopen(slug, number).path, csrf: csrf, class: "form")
            .raw("<input type=\"hidden\" name=\"kode\" value=\"").attr(secret).raw("\">\n")
            .textField(
                TextField(
                    "alasan", label: t("desk.case.reopen_reason"), value: values["reason"], error: errors["reason"],
                    hint: t("desk.case.reopen_hint"), kind: .area(rows: 3), max: 4000, required: true)
            )
            .raw("<button type=\"submit\" class=\"secondary\">").text(t("desk.case.reopen"))
            .raw("</button>\n</form>\n")
    }
}

/// Citizens' files as the pages show them: under their message, each a link with its kind and
/// size; and the form field that takes one.
enum DeskFilesView {
    static func write(
        _ files: [DeskAttachment], to h: HTMLText, _ t: Texts, link: (DeskAttachment) -> String
    ) {
        guard !files.isEmpty else { return }
        h.raw("<ul class=\"files\">")
        for row in files {
            h.raw("<li><a href=\"").attr(link(row)).raw("\">").text(row.name).raw("</a> <span class=\"muted\">")
                .text((row.fileKind?.fileExtension ?? "").uppercased() + ", " + FileKind.sizeText(row.size))
                .raw("</span></li>")
        }
        h.raw("</ul>")
    }

    /// The field of a photo or a PDF (phones offer the camera for it).
    static func field(_ t: Texts, error: String?) -> TextField {
        TextField(
            DeskFiles.field, label: t("desk.field.file"), value: nil, error: error,
            hint: t("desk.field.file_hint", ["max": "\(DeskFiles.maxBytes / 1_048_576) MB"]),
            kind: .file(accept: "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"))
    }
}
