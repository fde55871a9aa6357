import Fluent
import GotongAssessment
import GotongCredentials
import GotongEvaluation
import GotongLiveLearning
import GotongServiceDesk
import GotongPublicInfo
import GotongCatalog
import GotongIdentity
import GotongLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// Sets up a Gotong application: database, migrations, sessions, views, middleware, routes and
/// commands. Used by the executable and by every test.
///
/// `activityTypes` are activity types defined outside the Learning module (plug-ins), each
/// registered like the built-in ones.
public func configure(
    _ app: Application, config: GotongConfig, activityTypes: [any ActivityType] = []
) async throws {
    app.gotong = config
    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    // Compression is ResponseCompressionMiddleware's (zlib at settings that pay on small pages).
    app.http.server.configuration.responseCompression = .forceDisabled
    // Vapor times every request into swift-metrics; no metrics backend is set up, so that is
    // work thrown away on every request (a counter and a timer made, a label built).
    app.http.server.configuration.reportMetrics = false
    app.routes.defaultMaxBodySize = "16mb"

    try app.configureDatabase(config.database)
    app.migrations.addStablyNamed(GotongMigrations.all)

    let modules = try GotongModules.resources()
    app.localizer = try Localizer.load(from: modules)
    app.openAPIDocument = try OpenAPIDocument.joined(modules)
    app.configureSessions(secure: config.isHTTPS)
    app.mailer =
        config.smtp.map { SMTPMailer(config: $0, group: app.eventLoopGroup, logger: app.logger) }
        ?? LogMailer(logger: app.logger)
    app.storage[FileStoreKey.self] = LocalFileStore(root: config.dataDirectory + "/files")
    Uploads.removeStale(in: Uploads.directory(of: app))

    Tenancy.setUp(app)
    Identity.setUp(app)
    TenantContent.registerCloners(app.tenantCloners)
    Catalog.setUp(app)
    app.frameLinks = FrameLinks(
        catalogue: CatalogRoute.catalogue.path, myCourses: CatalogRoute.myCourses.path,
        notifications: CatalogRoute.notifications.path, profile: IdentityRoute.profile.path,
        platformAdmin: TenancyRoute.adminTenants.path, curation: CatalogRoute.curation.path,
        signIn: IdentityRoute.signIn.path, signOut: IdentityRoute.signOut.path, register: IdentityRoute.register.path,
        language: { IdentityRoute.language(.value($0)).path },
        storefront: { CatalogRoute.storefront(.value(TenantSlug(rawValue: $0))).path },
        desk: { TenancyRoute.desk(.tenant(.value(TenantSlug(rawValue: $0)))).path },
        courses: { CatalogRoute.managedCourses(.tenant(.value(TenantSlug(rawValue: $0)))).path })
    app.frameLinks.ledger = CredentialsRoute.myLedger.path
    app.frameLinks.certificates = CredentialsRoute.myCertificates.path
    // After the courses' cloners: sections and activities point at cloned courses.
    try Learning.setUp(app, extraTypes: Assessment.activityTypes + activityTypes)
    Assessment.setUp(app)
    Evaluation.setUp(app)
    Credentials.setUp(app)
    LiveLearning.setUp(app)
    ServiceDesk.setUp(app)
    PublicInfo.setUp(app)
    _ = app.secretKeys
    // Every write the marketplace search must see raises the catalogue version.
    app.setUpCatalogCaches()
    app.setUpSharedPages()
    let (search, version) = (app.catalogSearch, app.catalogVersion)
    app.databases.middleware.use(ModelChangeMiddleware<Course>.catalogue(search: search, version: version))
    app.databases.middleware.use(ModelChangeMiddleware<CourseStaff>.catalogue(search: search, version: version))
    app.databases.middleware.use(ModelChangeMiddleware<CoursePrerequisite>.catalogue(search: search, version: version))
    app.databases.middleware.use(
        ModelChangeMiddleware<Tenant>.catalogue(search: search, version: version, onCreate: false))
    // What storefronts show besides courses (their read cache holds to the catalogue version).
    app.databases.middleware.use(ModelChangeMiddleware<TenantCategory>.storefront(search: search, version: version))
    app.databases.middleware.use(ModelChangeMiddleware<TenantPage>.storefront(search: search, version: version))
    app.databases.middleware.use(ModelChangeMiddleware<TenantSetting>.storefront(search: search, version: version))
    app.databases.middleware.use(ModelChangeMiddleware<LiveProgramme>.storefront(search: search, version: version))

    app.middleware = Middlewares()
    // Outermost, so that error pages are compressed too.
    app.middleware.use(ResponseCompressionMiddleware())
    // Web pages use cookie sessions and CSRF tokens; the API uses bearer tokens only, so an API
    // call never creates a session and a session cookie never authorises an API call.
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(Surface.web.only(app.sessions.middleware))
    app.middleware.use(GotongErrorMiddleware())
    app.middleware.use(PathGuardMiddleware())
    // Around everything that may read an upload (the form check, the route), so its temporary
    // files go however the request ends.
    app.middleware.use(UploadCleanupMiddleware())
    app.middleware.use(Surface.web.only(PersonSessionAuthenticator()))
    app.middleware.use(Surface.api.only(WhenAuthorized(inner: BearerTokenAuthenticator())))
    app.middleware.use(Surface.web.only(CSRFMiddleware(secureCookies: config.isHTTPS)))

    app.lifecycle.use(JobWorker())
    Notifier.registerJobs(app.jobs)

    try routes(app)
    registerCommands(app)
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
            MoveTypeProgressToState(),
            AddNotificationRoute(),
            AddUnreadNotificationCount(),
            CreateContentVersions(),
        ] + Assessment.migrations + Evaluation.migrations + Credentials.migrations
            + LiveLearning.migrations + ServiceDesk.migrations + PublicInfo.migrations
    }
}

/// Registers every route of every module.
func routes(_ app: Application) throws {
    try PlatformRoutes().boot(routes: app)
    try HomeRoutes().boot(routes: app)
    try LanguageRoutes().boot(routes: app)
    try IdentityRoutes().boot(routes: app)
    try StorefrontRoutes().boot(routes: app)
    try TenantPagesRoutes().boot(routes: app)
    try MemberRoutes().boot(routes: app)
    try PlatformAdminRoutes().boot(routes: app)
    try TenancyAPIRoutes().boot(routes: app)
    try IdentityAPIRoutes().boot(routes: app)
    try CatalogRoutes().boot(routes: app)
    try CurationRoutes().boot(routes: app)
    try CatalogAPIRoutes().boot(routes: app)
    try LearningRoutes(types: app.learning.types).boot(routes: app)
    try LearningAPIRoutes().boot(routes: app)
    try MonitoringAPIRoutes().boot(routes: app)
    try BankAPIRoutes().boot(routes: app)
    try BankRoutes().boot(routes: app)
    try GradebookRoutes().boot(routes: app)
    try AnswerRoutes().boot(routes: app)
    try LedgerAPIRoutes().boot(routes: app)
    try LedgerPage().boot(routes: app)
    try CertificatePages().boot(routes: app)
    try CertificateDesk().boot(routes: app)
    try CertificateAPIRoutes().boot(routes: app)
    try LedgerRecordRoutes().boot(routes: app)
    try LedgerDesk().boot(routes: app)
    try LedgerExportRoutes().boot(routes: app)
    try LedgerEntryAPIRoutes().boot(routes: app)
    try PlatformCompliance().boot(routes: app)
    try OpenBadgeRoutes().boot(routes: app)
    try BadgeDesk().boot(routes: app)
    try BadgeAPIRoutes().boot(routes: app)
    try ParticipantPages().boot(routes: app)
    try FormDesk().boot(routes: app)
    try CourseSetupDesk().boot(routes: app)
    try ResultsPage().boot(routes: app)
    try EvaluationAPIRoutes().boot(routes: app)
    try SupervisorPages().boot(routes: app)
    try FollowUpDesk().boot(routes: app)
    for collection in LiveLearning.routes { try collection.boot(routes: app) }
    for collection in ServiceDesk.routes { try collection.boot(routes: app) }
    for collection in PublicInfo.routes { try collection.boot(routes: app) }
}

/// Every module's resources, lowest first: templates are searched in this order, and strings
/// and API paths are joined from all of them.
enum GotongModules {
    static func resources() throws -> [ModuleResources] {
        [
            try .platform, try .tenancy, try .identity, try .catalog, try .learning, try .assessment, try .evaluation,
            try .credentials, try .liveLearning, try .serviceDesk, try .publicInfo,
        ]
    }
}
