import Fluent
import Leaf
import LeafKit
import Vapor

/// Sets up a Gotong application: database, migrations, sessions, views, middleware, routes and
/// commands. Used by the executable and by every test.
public func configure(_ app: Application, config: GotongConfig) async throws {
    app.gotong = config
    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    app.http.server.configuration.responseCompression = .enabled
    // Vapor times every request into swift-metrics; no metrics backend is set up, so that is
    // work thrown away on every request (a counter and a timer made, a label built).
    app.http.server.configuration.reportMetrics = false
    app.routes.defaultMaxBodySize = "16mb"

    try app.configureDatabase(config.database)
    app.migrations.add(GotongMigrations.all)

    app.localizer = try Localizer.bundled()
    try configureViews(app)
    configureSessions(app, secure: config.isHTTPS)
    app.mailer = config.smtp.map { SMTPMailer(config: $0, group: app.eventLoopGroup, logger: app.logger) } ?? LogMailer(logger: app.logger)
    app.storage[FileStoreKey.self] = LocalFileStore(root: config.dataDirectory + "/files")

    TenantContent.registerCloners(app.tenantCloners)
    CourseWorkflow.registerCloners(app.tenantCloners)
    // After the courses' cloners: sections and activities point at cloned courses.
    Learning.setUp(app)
    _ = app.secretKeys
    // Every write the marketplace search must see raises the catalogue version.
    app.setUpCatalogCaches()
    app.databases.middleware.use(CatalogChangeMiddleware<Course>(search: app.catalogSearch, version: app.catalogVersion))
    app.databases.middleware.use(CatalogChangeMiddleware<CourseStaff>(search: app.catalogSearch, version: app.catalogVersion))
    app.databases.middleware.use(CatalogChangeMiddleware<CoursePrerequisite>(search: app.catalogSearch, version: app.catalogVersion))
    app.databases.middleware.use(CatalogChangeMiddleware<Tenant>(search: app.catalogSearch, version: app.catalogVersion, onCreate: false))

    app.middleware = Middlewares()
    // Web pages use cookie sessions and CSRF tokens; the API uses bearer tokens only, so an API
    // call never creates a session and a session cookie never authorises an API call.
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(Surface.web.only(app.sessions.middleware))
    app.middleware.use(GotongErrorMiddleware())
    app.middleware.use(PathGuardMiddleware())
    app.middleware.use(Surface.web.only(Person.sessionAuthenticator()))
    app.middleware.use(Surface.api.only(WhenAuthorized(inner: BearerTokenAuthenticator())))
    app.middleware.use(Surface.web.only(CSRFMiddleware(secureCookies: config.isHTTPS)))

    app.lifecycle.use(JobWorker())
    Notifier.registerJobs(app.jobs)

    try routes(app)
    registerCommands(app)
}

/// The two faces of the server: web pages and the JSON API under `/api/`.
enum Surface {
    case web, api

    private struct Key: StorageKey { typealias Value = Surface }

    /// Worked out once per request and kept on the request. Reading `url.path` percent-decodes
    /// it through Foundation, a noticeable cost on the busiest requests, so the path as sent is
    /// used when it has nothing to decode (it is then the same text).
    static func of(_ request: Request) -> Surface {
        if let known = request.storage[Key.self] { return known }
        let sent = request.url.string
        let path = sent.hasPrefix("/") && !sent.utf8.contains(UInt8(ascii: "%")) ? sent : request.url.path
        let surface: Surface = path.hasPrefix("/api/") ? .api : .web
        request.storage[Key.self] = surface
        return surface
    }

    /// Runs `middleware` only for requests of this surface.
    func only(_ middleware: any Middleware) -> any Middleware {
        SurfaceMiddleware(surface: self, inner: middleware)
    }
}

private struct SurfaceMiddleware: Middleware {
    let surface: Surface
    let inner: any Middleware

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        Surface.of(request) == surface ? inner.respond(to: request, chainingTo: next) : next.respond(to: request)
    }
}

/// Runs `inner` only when the request carries an `Authorization` header: most requests carry
/// none, and they skip the task an async authenticator would start.
struct WhenAuthorized: Middleware {
    let inner: any Middleware

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        request.headers[.authorization].isEmpty ? next.respond(to: request) : inner.respond(to: request, chainingTo: next)
    }
}

/// Every migration, in order. Each module contributes its own; one migration per change.
enum GotongMigrations {
    static var all: [any Migration] {
        [
            CreateTenants(),
            CreateTenantContent(),
            CreateMasterTemplate(),
            CreateIdentity(),
            SessionRecord.migration,
            CreateAuditEntries(),
            CreatePeopleImports(),
            CreateCatalog(),
            CreateNotifications(),
            AddCourseSequential(),
            CreateTemplateCourses(),
            CreatePlatformSecrets(),
            CreateLearning(),
            CreateReminders(),
            AddSessionPerson(),
            AddAPITokenExpiry(),
            RekeyLoginAttempts(),
            CreateJobs(),
            CreateFileReferences(),
        ]
    }
}

/// Where the module's resources are on disk.
public enum GotongResources {
    /// The folder of Leaf page templates.
    public static var views: String? {
        Bundle.module.url(forResource: "Views", withExtension: nil, subdirectory: "Resources")?.path
    }
}

private func configureViews(_ app: Application) throws {
    guard let views = GotongResources.views else {
        throw ConfigurationError(description: "the page templates are missing from the build (Resources/Views)")
    }
    app.leaf.configuration = LeafConfiguration(rootDirectory: views + "/")
    app.leaf.sources = .singleSource(NIOLeafFiles(
        fileio: app.fileio, limits: [.toSandbox, .requireExtensions], sandboxDirectory: views, viewDirectory: views
    ))
    app.leaf.tags["t"] = TranslateTag()
    app.views.use(.leaf)
}

private func configureSessions(_ app: Application, secure: Bool) {
    app.sessions.use(.databaseChangedOnly)
    // Max-Age alone, no Expires: every browser in use honours it, and Vapor formats an Expires
    // date with a DateFormatter made afresh for each response, which cost signed-in pages
    // about 7% of their CPU.
    app.sessions.configuration = .init(cookieName: SessionCookie.name) { id in
        HTTPCookies.Value(
            string: id.string, maxAge: 60 * 60 * 24 * 14,
            path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax
        )
    }
}

/// Registers every route of every module.
func routes(_ app: Application) throws {
    try PlatformRoutes().boot(routes: app)
    try IdentityRoutes().boot(routes: app)
    try TenancyRoutes().boot(routes: app)
    try PlatformAdminRoutes().boot(routes: app)
    try APIRoutes().boot(routes: app)
    try CatalogRoutes().boot(routes: app)
    try CurationRoutes().boot(routes: app)
    try CatalogAPIRoutes().boot(routes: app)
    try LearningRoutes(types: app.learning.types).boot(routes: app)
    try LearningAPIRoutes().boot(routes: app)
    try MonitoringAPIRoutes().boot(routes: app)
}
