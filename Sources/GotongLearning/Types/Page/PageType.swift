import Foundation
import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy

/// A page of reading: Markdown rendered safely (no scripts, no raw HTML).
struct PageType: ActivityType {
    let key = "page"
    let features: Set<ActivityFeature> = [.timeTracking]
    let completionOptions = [CompletionOption.viewed, .minSeconds]
    let fields = [SettingField("body", .markdown(max: 50_000), required: true)]

    struct Model: Sendable { let html: String }

    func render(_ context: ActivityViewContext) async throws -> ActivityBody {
        ActivityBody(
            html: context.html(Model(html: SafeMarkdown.html(context.activity.settings.string("body")))))
    }

    func apiContent(_ context: ActivityViewContext) async throws -> [String: JSONScalar] {
        ["html": .string(SafeMarkdown.html(context.activity.settings.string("body")))]
    }
}

extension PageType.Model: PageBody {
    func write(to h: HTMLText, texts t: Texts, csrf: String) {
        // Written by SafeMarkdown: escaped and sanitised already.
        h.raw("<div class=\"prose\">").raw(html).raw("</div>\n")
    }
}

extension HTMLText {
    /// An activity's description (Markdown made safe by ``SafeMarkdown``), when it has one.
    @discardableResult
    func prose(_ safeHTML: String) -> HTMLText {
        safeHTML.isEmpty ? self : raw("<div class=\"prose\">").raw(safeHTML).raw("</div>")
    }
}
