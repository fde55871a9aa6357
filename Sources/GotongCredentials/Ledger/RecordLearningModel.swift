import Foundation
import GotongCatalog
import GotongPlatform

/// The form where a person records learning done elsewhere, as a value.
struct RecordLearningModel: PageBody {
    let values: [String: String]
    let errors: [String: String]
    /// Today in Jakarta (`2026-12-05`): the latest day the form takes.
    let today: String

    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.raw("<p class=\"crumbs\"><a href=\"").attr(CredentialsRoute.myLedger.path).raw("\">")
            .text(t("ledger.record.back")).raw("</a></p>\n<h1>").text(t("ledger.record.heading")).raw("</h1>\n<p>")
            .text(t("ledger.record.lead")).raw("</p>\n")
        if !errors.isEmpty { h.alert(t("ledger.record.fix")) }
        h.postForm(CredentialsRoute.recordLearning.path, csrf: csrf, class: "form", multipart: true)
        field(h, "title", t("ledger.field.title"), max: 200, required: true, hint: t("ledger.field.title_hint"))
        h.textField(
            TextField(
                "kind", label: t("ledger.field.kind"), value: nil, error: errors["kind"],
                kind: .select(
                    LedgerEntry.Kind.allCases.map {
                        SelectOption(
                            value: $0.rawValue, label: t("ledger.kind.\($0.rawValue)"),
                            selected: values["kind"] == $0.rawValue)
                    }), required: true))
        field(
            h, "provider", t("ledger.field.provider"), max: 200, required: true, hint: t("ledger.field.provider_hint"))
        field(h, "started_on", t("ledger.field.started_on"), type: "date", attributes: " max=\"\(today)\"")
        field(
            h, "completed_on", t("ledger.field.completed_on"), type: "date", required: true,
            attributes: " max=\"\(today)\"")
        field(
            h, "jp", t("ledger.field.jp"), type: "number", required: true, hint: t("ledger.field.jp_hint"),
            attributes: " min=\"1\" max=\"\(ExternalLearning.jpRange.upperBound)\" inputmode=\"numeric\"")
        h.textField(
            TextField(
                "competency_type", label: t("ledger.field.competency_type"), value: nil,
                error: errors["competency_type"],
                kind: .select(
                    Course.CompetencyType.allCases.map {
                        SelectOption(
                            value: $0.rawValue, label: t("course.competency.\($0.rawValue)"),
                            selected: values["competency_type"] == $0.rawValue)
                    }), required: true))
        field(h, "certificate_number", t("ledger.field.certificate_number"), max: 100)
        h.textField(
            TextField(
                "file", label: t("ledger.field.file"), value: nil, error: errors["file"],
                hint: t("ledger.field.file_hint"), kind: .file(accept: "application/pdf,image/jpeg,image/png")))
        h.raw("<button type=\"submit\">").text(t("ledger.record.submit")).raw("</button>\n</form>\n")
    }

    private func field(
        _ h: HTMLText, _ name: String, _ label: String, type: String = "text", max: Int? = nil, required: Bool = false,
        hint: String? = nil, attributes: String = ""
    ) {
        h.textField(
            TextField(
                name, label: label, value: values[name], error: errors[name], hint: hint, kind: .input(type), max: max,
                required: required, attributes: attributes))
    }
}
