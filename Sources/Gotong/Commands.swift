import Fluent
import GotongAssessment
import GotongCatalog
import GotongServiceDesk
import GotongPublicInfo
import GotongCredentials
import GotongIdentity
import GotongLearning
import GotongLiveLearning
import GotongPlatform
import GotongTenancy
import Vapor

/// Operator commands: `gotong migrate`, `seed-demo`, `admin create`, `tenant create|list`,
/// `token create`. Output is plain lines so scripts can read it.
func registerCommands(_ app: Application) {
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(SeedDemoCommand(), as: "seed-demo")
    app.asyncCommands.use(
        Group(help: "Platform administrators", commands: ["create": CreateAdminCommand()]), as: "admin")
    app.asyncCommands.use(
        Group(
            help: "Tenants (institutions)", commands: ["create": CreateTenantCommand(), "list": ListTenantsCommand()]),
        as: "tenant")
    app.asyncCommands.use(Group(help: "API tokens", commands: ["create": CreateTokenCommand()]), as: "token")
    app.asyncCommands.use(
        Group(help: "Live Learning", commands: ["import": LiveImportCommand(), "report": LiveReportCommand()]),
        as: "live")
    app.asyncCommands.use(CatalogBenchSeedCommand(), as: "bench-seed")
    app.asyncCommands.use(LearningBenchSeedCommand(), as: "bench-seed-learning")
    app.asyncCommands.use(AssessmentBenchSeedCommand(), as: "bench-seed-assessment")
    app.asyncCommands.use(CredentialsBenchSeedCommand(), as: "bench-seed-credentials")
    app.asyncCommands.use(LiveBenchSeedCommand(), as: "bench-seed-live")
    app.asyncCommands.use(DeskBenchSeedCommand(), as: "bench-seed-desk")
    app.asyncCommands.use(PublicBenchSeedCommand(), as: "bench-seed-public")
}

private struct Group: AsyncCommandGroup {
    let help: String
    let commands: [String: any AnyAsyncCommand]
}

struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Brings the database schema up to date (safe to run repeatedly)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.migrateDatabase()
        context.console.print("database is up to date")
    }
}

struct SeedDemoCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Seeds the demo platform (LAN and three institutions) into an empty database" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrateDatabase()
        guard try await DemoData.isEmpty(app.db) else {
            context.console.print("the database already holds data; demo not seeded")
            return
        }
        let password = app.gotong.demoPassword ?? DemoPassword.random()
        try await DemoData.seed(app, password: password)
        context.console.print("demo seeded; sign in as \(DemoData.platformAdminEmail) with password \(password)")
    }
}

enum DemoPassword {
    /// A readable random password for demo accounts.
    static func random() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        return "demo-" + String((0..<10).map { _ in alphabet.randomElement()! })
    }
}

struct CreateAdminCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email") var email: String?
        @Option(name: "name") var name: String?
        @Option(name: "password") var password: String?
    }
    var help: String { "Creates a platform administrator (or makes an existing account one)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let email = signature.email, let name = signature.name, let password = signature.password else {
            throw CommandFailure("usage: gotong admin create --email E --name N --password P")
        }
        guard Person.isValidEmail(Person.normalise(email: email)) else {
            throw CommandFailure("not a valid email address: \(email)")
        }
        guard password.count >= Accounts.minimumPasswordLength else {
            throw CommandFailure("the password must be at least \(Accounts.minimumPasswordLength) characters")
        }
        let hash = try await BcryptHasher(app: app).hash(password)
        let person = try await Person.find(email: email, on: app.db) ?? Person(name: name, email: email)
        person.name = name
        person.passwordHash = hash
        person.isPlatformAdmin = true
        person.emailVerifiedAt = person.emailVerifiedAt ?? Date()
        try await person.save(on: app.db)
        try await AuditEntry(
            tenantID: nil, actorID: nil, actorName: "cli", action: "admin.create", subject: person.email, detail: "",
            ip: "cli"
        )
        .create(on: app.db)
        context.console.print("platform administrator \(person.email) is ready")
    }
}

struct CreateTenantCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "slug") var slug: String?
        @Option(name: "name") var name: String?
        @Option(name: "kind") var kind: String?
    }
    var help: String { "Creates a tenant by cloning the master template; prints its URL and the time it took" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let slug = signature.slug, let name = signature.name, let kind = signature.kind else {
            throw CommandFailure(
                "usage: gotong tenant create --slug S --name N --kind kementerian|lembaga|pemda|lainnya")
        }
        do {
            let result = try await TenantProvisioner(db: app.db, cloners: app.tenantCloners)
                .provision(.init(slug: slug, name: name, kind: Tenant.Kind(rawValue: kind)))
            try await AuditEntry(
                tenantID: result.tenant.id, actorID: nil, actorName: "cli", action: "tenant.create",
                subject: result.tenant.slug, detail: String(format: "%.1f ms", result.milliseconds), ip: "cli"
            ).create(on: app.db)
            context.console.print("\(app.gotong.baseURL)/t/\(result.tenant.slug)")
            context.console.print(String(format: "provisioned in %.1f ms", result.milliseconds))
        } catch let error as InputError {
            let lines = error.problems.map { "\($0.field): \(app.localizer.text($0.key, .en, $0.args))" }
            throw CommandFailure(lines.joined(separator: "\n"))
        }
    }
}

struct ListTenantsCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Lists tenants: slug, kind, status, name" }

    func run(using context: CommandContext, signature: Signature) async throws {
        for tenant in try await Tenant.listed(on: context.application.db).sort(\.$slug).all() {
            context.console.print("\(tenant.slug)\t\(tenant.kind.rawValue)\t\(tenant.status.rawValue)\t\(tenant.name)")
        }
    }
}

struct CreateTokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email") var email: String?
        @Option(name: "name") var name: String?
    }
    var help: String { "Prints a new API token for an account (only the token, for scripts)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let email = signature.email else {
            throw CommandFailure("usage: gotong token create --email E [--name N]")
        }
        guard let person = try await Person.find(email: email, on: app.db) else {
            throw CommandFailure("no account with email \(email)")
        }
        let (_, secret) = try await APIToken.create(
            for: try person.requireID(), name: signature.name ?? "cli", on: app.db)
        context.console.print(secret)
    }
}

/// A command error shown to the operator as its message alone.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
