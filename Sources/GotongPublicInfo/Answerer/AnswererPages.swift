import Fluent
import Foundation
import GotongPlatform
import GotongServiceDesk
import GotongTenancy
import Vapor

/// The officers' pages of the answerer: its list of everyday words, and the questions it could
/// not answer, each to be answered with a new FAQ entry of a service or set aside.
package struct AnswererPages: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.resolvingTenant()
        tenant.get(InfoRoute.words(.key), use: words)
        tenant.post(InfoRoute.words(.key), use: saveWords)
        tenant.get(InfoRoute.unanswered(.key), use: unanswered)
        tenant.post(InfoRoute.unansweredAnswer(.key), use: answer)
        tenant.post(InfoRoute.unansweredDismiss(.key), use: dismiss)
    }

    func words(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let catalogue = try await ServiceCatalogue.current(scope, kept: req.application.keptCatalogues)
        return try await renderWords(req, text: catalogue.synonymsText, error: nil)
    }

    private func renderWords(
        _ req: Request, text: String, error: String?, status: HTTPStatus = .ok
    ) async throws -> Response {
        let model = WordsModel(slug: try req.tenant.routeSlug, text: text, error: error)
        return try await req.render(model, title: "info.words.title", tenant: try req.tenant, status: status)
    }

    struct WordsForm: Content { var synonyms: String? }

    func saveWords(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let text = try req.content.decode(WordsForm.self).synonyms
        do {
            try await ServiceCatalogue.saveSynonyms(text, in: scope, now: req.application.clock.now())
            try await req.audit("info.words.save", subject: "", tenantID: scope.tenantID)
            req.flash(.success, "info.words.saved")
            return req.seeOther(InfoRoute.words(try req.tenant.routeSlug).path)
        } catch let error as InputError {
            let message = error.messages(req).values.sorted().joined(separator: " ")
            return try await renderWords(req, text: text ?? "", error: message, status: error.status)
        }
    }

    func unanswered(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        return try await renderUnanswered(req, scope, errors: [:], values: [:])
    }

    private func renderUnanswered(
        _ req: Request, _ scope: TenantScope, errors: [String: String], values: [String: String],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let page = try req.pageNumber("halaman")
        let (rows, window) = try await Unanswered.list(scope, page: page)
        let catalogue = try await ServiceCatalogue.current(scope, kept: req.application.keptCatalogues)
        let model = UnansweredModel(
            slug: try req.tenant.routeSlug, rows: rows, window: window,
            services: catalogue.services.map { ($0.id, $0.name) }, errors: errors, values: values)
        return try await req.render(model, title: "info.unanswered.title", tenant: try req.tenant, status: status)
    }

    struct AnswerForm: Content { var id, service, question, answer: String? }

    /// The question answered with a new FAQ entry of the chosen service; it leaves the list in
    /// the same transaction.
    func answer(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        let form = try req.content.decode(AnswerForm.self)
        let id = try QueryValue.id(form.id, field: "id")
        do {
            guard let serviceID = try QueryValue.id(form.service, field: "service") else {
                throw InputError(field: "service", key: "info.error.service")
            }
            let catalogue = try await ServiceCatalogue.current(scope, kept: req.application.keptCatalogues)
            guard let service = catalogue.service(id: serviceID) else {
                throw InputError(field: "service", key: "info.error.service")
            }
            let entry = try await ServiceCatalogue.addFAQ(
                question: form.question, answer: form.answer, to: service.id, answering: id, in: scope,
                now: req.application.clock.now())
            try await req.audit("info.faq.add", subject: "\(service.name): \(entry.question)", tenantID: scope.tenantID)
            req.flash(.success, "info.editor.faq_added")
            return req.seeOther(InfoRoute.unanswered(try req.tenant.routeSlug).path)
        } catch let error as InputError {
            let values = [
                "id": form.id ?? "", "service": form.service ?? "", "question": form.question ?? "",
                "answer": form.answer ?? "",
            ]
            return try await renderUnanswered(
                req, scope, errors: error.messages(req), values: values, status: error.status)
        }
    }

    func dismiss(req: Request) async throws -> Response {
        let scope = try await ServiceEditor.scope(req)
        guard let id = try QueryValue.id(try req.content.decode(AnswerForm.self).id, field: "id") else {
            throw Abort(.notFound)
        }
        let row = try await Unanswered.dismiss(id, in: scope)
        try await req.audit("info.unanswered.dismiss", subject: row.question, tenantID: scope.tenantID)
        req.flash(.success, "info.unanswered.dismissed")
        return req.seeOther(InfoRoute.unanswered(try req.tenant.routeSlug).path)
    }
}

struct WordsModel: PageBody {
    let slug: Param<TenantSlug>
    let text: String
    let error: String?

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        EditorNav.write(h, t, slug: slug, unanswered: nil)
        h.raw("<h1>").text(t("info.words.heading")).raw("</h1>\n<p>").text(t("info.words.lead")).raw("</p>\n")
        h.postForm(InfoRoute.words(slug).path, csrf: csrf, class: "form")
            .textField(
                TextField(
                    "synonyms", label: t("info.words.label"), value: text, error: error, hint: t("info.words.hint"),
                    kind: .area(rows: 20), max: 20_000)
            )
            .raw("<button type=\"submit\">").text(t("info.words.save")).raw("</button>\n</form>\n")
    }
}

struct UnansweredModel: PageBody {
    let slug: Param<TenantSlug>
    let rows: [InfoUnanswered]
    let window: PageWindow
    let services: [(id: UUID, name: String)]
    let errors: [String: String]
    let values: [String: String]

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        EditorNav.write(h, t, slug: slug, unanswered: nil)
        h.raw("<h1>").text(t("info.unanswered.heading")).raw("</h1>\n<p>").text(t("info.unanswered.lead"))
            .raw("</p>\n")
        if rows.isEmpty { h.raw("<p>").text(t("info.unanswered.none")).raw("</p>\n") }
        for row in rows {
            let id = row.id?.uuidString ?? ""
            let mine = values["id"] == id
            h.raw("<details class=\"panel\"").raw(mine ? " open" : "").raw("><summary>").text(row.question)
                .raw(" <span class=\"muted\">")
                .text(
                    t(
                        "info.unanswered.asked",
                        ["count": "\(row.asked)", "when": LocalDates.moment(row.lastAt, t.language)])
                )
                .raw("</span></summary>\n")
            h.postForm(InfoRoute.unansweredAnswer(slug).path, csrf: csrf, class: "form")
                .raw("<input type=\"hidden\" name=\"id\" value=\"").attr(id).raw("\">\n")
            let choices =
                [SelectOption(value: "", label: t("desk.field.choose"), selected: false)]
                + services.map {
                    SelectOption(
                        value: $0.id.uuidString, label: $0.name, selected: mine && values["service"] == $0.id.uuidString
                    )
                }
            var service = TextField(
                "service", label: t("info.field.service"), value: nil, error: mine ? errors["service"] : nil,
                kind: .select(choices), required: true)
            service.id = "service-\(id)"
            var question = TextField(
                "question", label: t("info.field.question"), value: mine ? values["question"] : row.question,
                error: mine ? errors["question"] : nil, max: ServiceDraft.Limit.question, required: true)
            question.id = "question-\(id)"
            var answer = TextField(
                "answer", label: t("info.field.answer"), value: mine ? values["answer"] : nil,
                error: mine ? errors["answer"] : nil, kind: .area(rows: 3), max: ServiceDraft.Limit.answer,
                required: true)
            answer.id = "answer-\(id)"
            h.textField(service).textField(question).textField(answer)
                .raw("<button type=\"submit\">").text(t("info.unanswered.answer")).raw("</button>\n</form>\n")
            h.postForm(InfoRoute.unansweredDismiss(slug).path, csrf: csrf, class: "inline")
                .raw("<input type=\"hidden\" name=\"id\" value=\"").attr(id)
                .raw("\"><button type=\"submit\" class=\"small secondary\">").text(t("info.unanswered.dismiss"))
                .raw("</button></form></details>\n")
        }
        InfoPager.write(h, t, window) { InfoRoute.unanswered(slug).path(query: ["halaman": String($0)]) }
    }
}
