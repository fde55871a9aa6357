import Fluent
import Vapor

/// A migration is recorded in `_fluent_migrations` under its name, and a database that has a
/// migration under another name runs it again ("table tenants already exists"). Fluent's default
/// name is the type's full name, module included, so moving a migration to another module renamed
/// it: a database made before the modules became targets could not be brought up to date.
///
/// Every Gotong migration is therefore recorded as `Gotong.<type>`, the name it had when every
/// module was one target, whichever module holds it now (``stableName(_:)``); and names recorded
/// by the builds in between (`GotongTenancy.CreateTenants`) are adopted before migrating
/// (``Application/migrateDatabase()``).
public enum RecordedMigrations {
    /// The name a migration of Fluent's default name `name` is recorded under: the same for any
    /// module whose name starts with `Gotong`; other names (Fluent's own) as they are.
    public static func stableName(_ name: String) -> String {
        guard let dot = name.firstIndex(of: "."), name[..<dot].hasPrefix("Gotong") else { return name }
        return "Gotong" + name[dot...]
    }

    /// `migration` under its stable name, for `app.migrations.add`.
    public static func stablyNamed(_ migration: any Migration) -> any Migration {
        StablyNamed(base: migration, name: stableName(migration.name))
    }

    /// Renames rows recorded under a module's name to the stable name, so those migrations are
    /// not run again. Returns how many rows it renamed.
    @discardableResult
    static func adoptModuleNames(on db: any Database) async throws -> Int {
        var renamed = 0
        for log in try await MigrationLog.query(on: db).all() {
            let stable = stableName(log.name)
            guard stable != log.name else { continue }
            if try await MigrationLog.query(on: db).filter(\.$name == stable).count() > 0 {
                // Both names recorded (should not happen): the stable one stands.
                try await log.delete(on: db)
            } else {
                log.name = stable
                try await log.update(on: db)
            }
            renamed += 1
        }
        return renamed
    }
}

/// A migration recorded under a name of our choosing; its work is the wrapped migration's.
private struct StablyNamed: Migration {
    let base: any Migration
    let name: String

    func prepare(on database: any Database) -> EventLoopFuture<Void> { base.prepare(on: database) }
    func revert(on database: any Database) -> EventLoopFuture<Void> { base.revert(on: database) }
}

extension Migrations {
    /// Registers `migrations` under their stable names (``RecordedMigrations``).
    public func addStablyNamed(_ migrations: [any Migration]) {
        add(migrations.map(RecordedMigrations.stablyNamed))
    }
}

extension Application {
    /// Brings the database up to date: the migration log is created if needed, names recorded by
    /// earlier builds are adopted, then every migration not yet run is run. Every start-up path
    /// (the server, `gotong migrate`, tests) comes through here.
    public func migrateDatabase() async throws {
        try await migrator.setupIfNeeded().get()
        try await RecordedMigrations.adoptModuleNames(on: db)
        try await autoMigrate()
    }
}
