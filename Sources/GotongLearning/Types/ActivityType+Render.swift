import GotongCatalog
import GotongIdentity
import GotongPlatform
import GotongTenancy
import Vapor

extension ActivityViewContext {
    /// The type's view of the activity, written in Swift from its model (see docs/rendering.md),
    /// in the reader's language. `csrf` is the token for a form in it (the forum's).
    public func html(_ body: some PageBody, csrf: String = "") -> String {
        body.html(texts: request.texts, csrf: csrf)
    }

    /// The activity's page: the type's own web routes are registered under it.
    public var webRoute: LearningRoute { LearningRoute.activity(tenant.routeSlug, course.routeSlug, activity.routeID) }

    /// Where a learner downloads the file the activity keeps in its setting `field`.
    public func fileURL(_ field: String) -> String {
        LearningRoute.activityFile(tenant.routeSlug, course.routeSlug, activity.routeID, .value(FileField(field))).path
    }
}
