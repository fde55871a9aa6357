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

    struct Model: Encodable, Sendable { let html: String }

    func render(_ context: ActivityViewContext) async throws -> ActivityBody {
        ActivityBody(
            html: try await context.html(
                "page", Model(html: SafeMarkdown.html(context.activity.settings.string("body")))))
    }

    func apiContent(_ context: ActivityViewContext) async throws -> [String: JSONScalar] {
        ["html": .string(SafeMarkdown.html(context.activity.settings.string("body")))]
    }
}
