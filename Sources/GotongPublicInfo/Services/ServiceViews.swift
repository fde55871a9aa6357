import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Tagged

/// The answerer's box, on the services' list and the answerer's own page: a GET form, so it
/// works without script and a question can be linked to.
enum AskBox {
    static func write(_ h: HTMLText, _ t: Texts, slug: Param<TenantSlug>, question: String?) {
        h.raw("<form method=\"get\" action=\"").attr(InfoRoute.ask(slug).path).raw(
            "\" class=\"form search\" role=\"search\">\n"
        )
        .textField(
            TextField(
                "q", label: t("info.ask.label"), value: question, error: nil, hint: t("info.ask.hint"),
                kind: .input("search"), max: Answers.maxQuestion)
        )
        .raw("<button type=\"submit\">").text(t("info.ask.submit")).raw("</button>\n</form>\n")
    }
}

/// Names the services' offline worker (``InfoRoute/offlineWorker``), for the script to
/// register, and says that the page can be read offline once opened.
enum OfflineMarker {
    static func write(_ h: HTMLText, _ t: Texts, slug: Param<TenantSlug>) {
        h.raw("<p class=\"muted noprint\" data-offline=\"").attr(InfoRoute.offlineWorker(slug).path).raw("\">")
            .text(t("info.service.offline")).raw("</p>\n")
    }
}

struct ServiceListModel: PageBody {
    static let perCategory = 10

    let slug: Param<TenantSlug>
    let tenant: String
    let groups: [(category: String, services: [ServiceFacts])]
    /// How many of each category are listed; nil: all (one category asked for).
    var shown: Int? = nil

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(DeskRoute.desk(slug).path).raw("\">").text(t("info.back_desk"))
            .raw("</a></p>\n<h1>").text(t("info.services.heading", ["tenant": tenant])).raw("</h1>\n")
        AskBox.write(h, t, slug: slug, question: nil)
        if groups.isEmpty { h.raw("<p>").text(t("info.services.none")).raw("</p>\n") }
        for group in groups {
            h.raw("<h2>").text(group.category).raw("</h2>\n<ul class=\"list\">\n")
            for service in group.services.prefix(shown ?? .max) {
                h.raw("<li><a href=\"").attr(InfoRoute.service(slug, .value(.init(service.slug))).path).raw("\">")
                    .text(service.name).raw("</a><br><span class=\"muted\">").text(service.summary)
                    .raw("</span></li>\n")
            }
            h.raw("</ul>\n")
            if let shown, group.services.count > shown {
                h.raw("<p><a href=\"").attr(InfoRoute.services(slug).path(query: ["kategori": group.category]))
                    .raw("\">")
                    .text(t("info.services.all_in", ["count": "\(group.services.count)", "category": group.category]))
                    .raw("</a></p>\n")
            }
        }
    }
}

/// A service's page: everything a citizen needs before going to the office, in the order
/// they need it; it prints cleanly (the frame's print rules drop the menus).
struct ServicePageModel: PageBody {
    let slug: Param<TenantSlug>
    let service: ServiceFacts

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs noprint\"><a href=\"").attr(InfoRoute.services(slug).path).raw("\">")
            .text(t("info.services.back")).raw("</a></p>\n<h1>").text(service.name).raw("</h1>\n<p class=\"lead\">")
            .text(service.summary).raw("</p>\n<dl class=\"facts\">\n")
        fact(h, t("info.service.category"), service.category)
        fact(h, t("info.service.duration"), service.duration)
        fact(h, t("info.service.fee"), service.fee(t("info.service.free")) ?? t("info.service.fee_depends"))
        h.raw("</dl>\n")
        if !service.requirements.isEmpty {
            h.raw("<h2>").text(t("info.service.requirements")).raw("</h2>\n<ul class=\"checklist\">\n")
            for item in service.requirements { h.raw("<li>").text(item).raw("</li>\n") }
            h.raw("</ul>\n")
        }
        if !service.steps.isEmpty {
            h.raw("<h2>").text(t("info.service.steps")).raw("</h2>\n<ol>\n")
            for step in service.steps { h.raw("<li>").text(step).raw("</li>\n") }
            h.raw("</ol>\n")
        }
        if !service.places.isEmpty {
            h.raw("<h2>").text(t("info.service.places")).raw("</h2>\n<ul class=\"list\">\n")
            for place in service.places {
                h.raw("<li><strong>").text(place.name).raw("</strong>")
                if !place.address.isEmpty { h.raw("<br>").text(place.address) }
                if !place.hours.isEmpty {
                    h.raw("<br><span class=\"muted\">").text(t("info.service.hours")).raw(": ").text(place.hours)
                        .raw("</span>")
                }
                h.raw("</li>\n")
            }
            h.raw("</ul>\n")
        }
        if !service.forms.isEmpty {
            h.raw("<h2>").text(t("info.service.forms")).raw("</h2>\n<ul class=\"list\">\n")
            for item in service.forms {
                let kind = (FileKind.of(key: item.fileName) ?? .pdf).fileExtension.uppercased()
                h.raw("<li><a href=\"")
                    .attr(InfoRoute.serviceForm(slug, .value(.init(service.slug)), .value(.init(item.id))).path)
                    .raw("\" download>").text(item.title).raw("</a> <span class=\"muted\">").text(kind).raw(", ")
                    .text(FileKind.sizeText(item.size)).raw("</span></li>\n")
            }
            h.raw("</ul>\n")
        }
        if !service.faq.isEmpty {
            h.raw("<h2>").text(t("info.service.faq")).raw("</h2>\n")
            for entry in service.faq {
                h.raw("<h3>").text(entry.question).raw("</h3>\n<p>").text(entry.answer).raw("</p>\n")
            }
        }
        h.raw("<dl class=\"facts\">\n")
        fact(h, t("info.service.legal"), service.legalBasis)
        fact(h, t("info.service.contact"), service.contact)
        fact(h, t("info.service.updated"), LocalDates.day(service.updatedAt, t.language))
        h.raw("</dl>\n<p class=\"noprint\"><a href=\"").attr(DeskRoute.desk(slug).path).raw("\">")
            .text(t("info.service.report")).raw("</a></p>\n")
        OfflineMarker.write(h, t, slug: slug)
    }

    private func fact(_ h: HTMLText, _ label: String, _ value: String) {
        guard !value.isEmpty else { return }
        h.raw("<dt>").text(label).raw("</dt><dd>").text(value).raw("</dd>\n")
    }
}

struct AskModel: PageBody {
    let slug: Param<TenantSlug>
    let tenant: String
    let answers: Answers?

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(InfoRoute.services(slug).path).raw("\">")
            .text(t("info.services.back")).raw("</a></p>\n<h1>").text(t("info.ask.heading")).raw("</h1>\n")
        AskBox.write(h, t, slug: slug, question: answers?.question)
        guard let answers else { return }
        h.raw("<section aria-live=\"polite\">\n")
        if !answers.confident {
            h.raw("<p class=\"panel\">").text(t("info.ask.unsure")).raw(" <a href=\"")
                .attr(DeskRoute.desk(slug).path(query: ["kind": "informasi", "text": answers.question]) + "#text")
                .raw("\">").text(t("info.ask.open_case")).raw("</a></p>\n")
        }
        // Sure: the answer, then the other services found, by name only. Unsure: each with its facts.
        let full = answers.confident ? Array(answers.items.prefix(1)) : answers.items
        let more = answers.confident ? Array(answers.items.dropFirst()) : []
        if !full.isEmpty {
            h.raw("<h2>").text(t(answers.confident ? "info.ask.found" : "info.ask.maybe")).raw("</h2>\n")
        }
        for item in full {
            h.raw("<article class=\"panel\"><h3><a href=\"").attr(item.path).raw("\">").text(item.service.name)
                .raw("</a></h3>\n<p class=\"plain\">").text(item.text).raw("</p></article>\n")
        }
        if !more.isEmpty {
            h.raw("<h2>").text(t("info.ask.related")).raw("</h2>\n<ul class=\"list\">\n")
            for item in more {
                h.raw("<li><a href=\"").attr(item.path).raw("\">").text(item.service.name).raw(
                    "</a><br><span class=\"muted\">"
                )
                .text(item.service.summary).raw("</span></li>\n")
            }
            h.raw("</ul>\n")
        }
        h.raw("</section>\n")
    }
}
