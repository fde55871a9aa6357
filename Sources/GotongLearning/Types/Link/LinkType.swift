import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// An outside resource with a description: open content published on social media (a YouTube
/// lecture, an Instagram infographic) lives here, saving the platform's storage.
struct LinkType: ActivityType {
    let key = "link"
    let features: Set<ActivityFeature> = []
    let completionOptions = [CompletionOption.viewed]
    let fields = [
        SettingField("url", .url, required: true),
        SettingField("description", .markdown(max: 5_000)),
    ]

    struct Model: Sendable {
        let url: String
        let host: String
        let descriptionHTML: String
    }

    func render(_ context: ActivityViewContext) async throws -> ActivityBody {
        let settings = context.activity.settings
        let url = settings.string("url")
        return ActivityBody(
            html: context.html(
                Model(
                    url: url, host: URL(string: url)?.host ?? url,
                    descriptionHTML: SafeMarkdown.html(settings.string("description"))
                )), tracksTime: false)
    }

    func apiContent(_ context: ActivityViewContext) async throws -> [String: JSONScalar] {
        let settings = context.activity.settings
        return [
            "url": .string(settings.string("url")),
            "description_html": .string(SafeMarkdown.html(settings.string("description"))),
        ]
    }
}

extension LinkType.Model: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        h.prose(descriptionHTML).raw("\n<p><a class=\"button\" href=\"").attr(url)
            .raw("\" target=\"_blank\" rel=\"noopener noreferrer\">").text(t("activity.link.open", ["host": host]))
            .raw("</a></p>\n")
    }
}
