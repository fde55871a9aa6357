import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

/// A downloadable resource: a PDF module, slides, a document or a spreadsheet, checked by its
/// bytes and size when uploaded.
struct FileType: ActivityType {
    let key = "file"
    let features: Set<ActivityFeature> = [.timeTracking]
    let completionOptions = [CompletionOption.viewed, .minSeconds]
    static let rule = FileRule(maxBytes: 50 * 1_048_576, kinds: [.pdf, .docx, .pptx, .xlsx, .png, .jpeg])
    let fields = [
        SettingField("file", .file(FileType.rule), required: true),
        SettingField("description", .markdown(max: 5_000)),
    ]

    struct Model: Sendable {
        let url: String
        let name: String
        let kind: String
        let size: String
        let descriptionHTML: String
    }

    func render(_ context: ActivityViewContext) async throws -> ActivityBody {
        let settings = context.activity.settings
        let key = settings.string("file")
        return ActivityBody(
            html: context.html(
                Model(
                    url: context.fileURL("file"), name: settings.string("file_name"),
                    kind: FileKind.of(key: key)?.fileExtension.uppercased() ?? "",
                    size: FileKind.sizeText(settings.int("file_size") ?? 0),
                    descriptionHTML: SafeMarkdown.html(settings.string("description"))
                )))
    }

    func apiContent(_ context: ActivityViewContext) async throws -> [String: JSONScalar] {
        let settings = context.activity.settings
        return [
            "download_url": .string(
                context.request.application.gotong.baseURL
                    + LearningAPIRoute.file(context.activity.routeID, .value(FileField(rawValue: "file"))).path),
            "file_name": .string(settings.string("file_name")), "file_size": .int(settings.int("file_size") ?? 0),
        ]
    }

}

extension FileType.Model: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.prose(descriptionHTML).raw("\n<p><a class=\"button\" href=\"").attr(url).raw("\" download>")
            .text(t("activity.file.download", ["name": name])).raw("</a> <span class=\"muted\">").text(kind)
            .raw(" · ").text(size).raw("</span></p>\n")
    }
}
