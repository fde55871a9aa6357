import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

extension ActivityViewContext {
    /// Renders one of the type's own templates (under `Views/learning/types/`) to HTML.
    public func html<M: Encodable & Sendable>(_ template: String, _ model: M) async throws -> String {
        let view = try await request.view.render("learning/types/" + template, model)
        return String(buffer: view.data)
    }

    /// Where the type's own web routes live for this activity.
    public var webBase: String { LearningRoute.activity(tenant.routeSlug, course.routeSlug, activity.routeID).path }
}
