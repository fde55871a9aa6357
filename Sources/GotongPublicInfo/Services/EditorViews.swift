import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged

/// A service's fields, for adding one and for changing it. Lists are one item a line, so the
/// form needs no script.
struct ServiceFormModel {
    let values: [String: String]
    let errors: [String: String]

    func write(to h: HTMLText, _ t: Texts) {
        typealias L = ServiceDraft.Limit
        field(h, "name", t("info.field.name"), max: L.name, required: true)
        field(h, "category", t("info.field.category"), hint: t("info.field.category_hint"), max: L.category)
        field(h, "summary", t("info.field.summary"), kind: .area(rows: 3), max: L.summary, required: true)
        field(h, "requirements", t("info.field.requirements"), hint: t("info.field.lines"), kind: .area(rows: 6))
        field(h, "steps", t("info.field.steps"), hint: t("info.field.lines"), kind: .area(rows: 6))
        field(h, "places", t("info.field.places"), hint: t("info.field.places_hint"), kind: .area(rows: 3))
        field(h, "duration", t("info.field.duration"), hint: t("info.field.duration_hint"), max: L.duration)
        field(
            h, "fee_rupiah", t("info.field.fee"), hint: t("info.field.fee_hint"), max: 10,
            attributes: " inputmode=\"numeric\"")
        field(h, "legal_basis", t("info.field.legal"), kind: .area(rows: 2), max: L.legal)
        field(h, "contact", t("info.field.contact"), max: L.contact)
        field(h, "keywords", t("info.field.keywords"), hint: t("info.field.keywords_hint"), kind: .area(rows: 2))
    }

    private func field(
        _ h: HTMLText, _ name: String, _ label: String, hint: String? = nil, kind: TextField.Kind = .input("text"),
        max: Int? = nil, required: Bool = false, attributes: String = ""
    ) {
        h.textField(
            TextField(
                name, label: label, value: values[name], error: errors[name], hint: hint, kind: kind, max: max,
                required: required, attributes: attributes))
    }
}

/// Links between the officers' pages of the public site.
enum EditorNav {
    static func write(_ h: HTMLText, _ t: Texts, slug: Param<TenantSlug>, unanswered: Int?) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.queue(slug).path).raw("\">").text(t("desk.queue.back"))
            .raw("</a> · <a href=\"").attr(InfoRoute.services(slug).path).raw("\">").text(t("info.editor.public"))
            .raw("</a> · <a href=\"").attr(InfoRoute.words(slug).path).raw("\">").text(t("info.words.title"))
            .raw("</a> · <a href=\"").attr(InfoRoute.unanswered(slug).path).raw("\">").text(t("info.unanswered.title"))
        if let unanswered, unanswered > 0 { h.raw(" (").text("\(unanswered)").raw(")") }
        h.raw("</a> · <a href=\"").attr(InfoRoute.editor(slug).path).raw("\">").text(t("info.editor.link"))
            .raw("</a> · <a href=\"").attr(InfoRoute.documentEditor(slug).path).raw("\">")
            .text(t("info.documents.editor_link")).raw("</a> · <a href=\"").attr(InfoRoute.factCheckEditor(slug).path)
            .raw("\">").text(t("info.facts.editor_link")).raw("</a> · <a href=\"").attr(InfoRoute.qaEditor(slug).path)
            .raw("\">").text(t("info.qa.editor_link")).raw("</a></p>\n")
    }
}

struct EditorListModel: PageBody {
    let slug: Param<TenantSlug>
    let groups: [(category: String, services: [ServiceFacts])]
    let unanswered: Int
    let form: ServiceFormModel

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        EditorNav.write(h, t, slug: slug, unanswered: unanswered)
        h.raw("<h1>").text(t("info.editor.heading")).raw("</h1>\n<p>").text(t("info.editor.lead")).raw("</p>\n")
        if groups.isEmpty { h.raw("<p>").text(t("info.services.none")).raw("</p>\n") }
        for group in groups {
            h.raw("<h2>").text(group.category).raw("</h2>\n<ul class=\"list\">\n")
            for service in group.services {
                h.raw("<li><a href=\"").attr(InfoRoute.edit(slug, .value(.init(service.id))).path).raw("\">")
                    .text(service.name).raw("</a> <span class=\"muted\">")
                    .text(t("info.editor.faq_count", ["count": "\(service.faq.count)"])).raw("</span></li>\n")
            }
            h.raw("</ul>\n")
        }
        h.raw("<h2 id=\"baru\">").text(t("info.editor.add")).raw("</h2>\n")
        h.postForm(InfoRoute.editor(slug).path, csrf: csrf, class: "form")
        form.write(to: h, t)
        h.raw("<button type=\"submit\">").text(t("info.editor.add")).raw("</button>\n</form>\n")
    }
}

struct EditorServiceModel: PageBody {
    let slug: Param<TenantSlug>
    let service: ServiceFacts
    let form: ServiceFormModel

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        let id = Param<ServiceID>.value(.init(service.id))
        h.raw("<p class=\"crumbs\"><a href=\"").attr(InfoRoute.editor(slug).path).raw("\">")
            .text(t("info.editor.back")).raw("</a> · <a href=\"")
            .attr(InfoRoute.service(slug, .value(.init(service.slug))).path).raw("\">").text(t("info.editor.view"))
            .raw("</a></p>\n<h1>").text(service.name).raw("</h1>\n")
        h.postForm(InfoRoute.edit(slug, id).path, csrf: csrf, class: "form")
        form.write(to: h, t)
        h.raw("<button type=\"submit\">").text(t("info.editor.save")).raw("</button>\n</form>\n")
        h.raw("<h2 id=\"faq\">").text(t("info.service.faq")).raw("</h2>\n<ul class=\"list\">\n")
        for entry in service.faq {
            h.raw("<li><strong>").text(entry.question).raw("</strong><br>").text(entry.answer).raw(" ")
            h.postForm(InfoRoute.faqRemove(slug, id).path, csrf: csrf, class: "inline")
                .raw("<input type=\"hidden\" name=\"id\" value=\"").attr(entry.id.uuidString)
                .raw("\"><button type=\"submit\" class=\"small secondary\" aria-label=\"")
                .attr(t("info.editor.faq_remove_named", ["question": entry.question])).raw("\">")
                .text(t("desk.units.remove")).raw("</button></form></li>\n")
        }
        h.raw("</ul>\n")
        h.postForm(InfoRoute.faqAdd(slug, id).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "question", label: t("info.field.question"), value: form.values["question"],
                    error: form.errors["question"], max: ServiceDraft.Limit.question, required: true)
            )
            .textField(
                TextField(
                    "answer", label: t("info.field.answer"), value: form.values["answer"],
                    error: form.errors["answer"], kind: .area(rows: 4), max: ServiceDraft.Limit.answer,
                    required: true)
            )
            .raw("<button type=\"submit\">").text(t("info.editor.faq_add")).raw("</button>\n</form>\n")
        writeForms(h, t, id: id, csrf: csrf)
        h.raw("<h2>").text(t("info.editor.remove_heading")).raw("</h2>\n")
        h.postForm(InfoRoute.remove(slug, id).path, csrf: csrf, class: "form")
            .raw("<button type=\"submit\" class=\"secondary\">").text(t("info.editor.remove")).raw(
                "</button>\n</form>\n")
    }

    /// The service's forms to download: each with a remove button, and one more to add.
    private func writeForms(_ h: HTMLText, _ t: Texts, id: Param<ServiceID>, csrf: String) {
        h.raw("<h2 id=\"formulir\">").text(t("info.service.forms")).raw("</h2>\n<ul class=\"list\">\n")
        for item in service.forms {
            h.raw("<li>").text(item.title).raw(" <span class=\"muted\">").text(item.fileName).raw("</span> ")
            h.postForm(InfoRoute.formRemove(slug, id).path, csrf: csrf, class: "inline")
                .raw("<input type=\"hidden\" name=\"id\" value=\"").attr(item.id.uuidString)
                .raw("\"><button type=\"submit\" class=\"small secondary\" aria-label=\"")
                .attr(t("info.editor.form_remove_named", ["title": item.title])).raw("\">")
                .text(t("desk.units.remove")).raw("</button></form></li>\n")
        }
        h.raw("</ul>\n")
        h.postForm(InfoRoute.formAdd(slug, id).path, csrf: csrf, class: "form", multipart: true)
            .textField(
                TextField(
                    "form_title", label: t("info.editor.form_title"), value: form.values["form_title"],
                    error: form.errors["form_title"], max: 150, required: true)
            )
            .textField(
                TextField(
                    ServiceForms.field, label: t("info.editor.form_file"), value: nil,
                    error: form.errors[ServiceForms.field], hint: t("info.editor.form_file_hint"),
                    kind: .file(accept: ".pdf,.docx,.xlsx"), required: true)
            )
            .raw("<button type=\"submit\">").text(t("info.editor.form_add")).raw("</button>\n</form>\n")
    }
}

/// The pages of a long list: earlier, "Halaman 2 dari 5", later; nothing for one page.
enum InfoPager {
    static func write(_ h: HTMLText, _ t: Texts, _ window: PageWindow, link: (Int) -> String) {
        guard window.pages > 1 else { return }
        h.raw("<nav class=\"pager\" aria-label=\"").attr(t("desk.tracker.pages")).raw("\">")
        if window.hasPrevious {
            h.raw("<a href=\"").attr(link(window.page - 1)).raw("\">").text(t("info.unanswered.previous")).raw("</a> ")
        }
        h.text(t("desk.tracker.page", ["page": "\(window.page)", "pages": "\(window.pages)"]))
        if window.hasNext {
            h.raw(" <a href=\"").attr(link(window.page + 1)).raw("\">").text(t("info.unanswered.next")).raw("</a>")
        }
        h.raw("</nav>\n")
    }
}
