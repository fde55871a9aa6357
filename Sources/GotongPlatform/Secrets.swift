import Fluent
import Foundation
import SQLKit
import Synchronization
import Vapor

/// Keys the server signs with (progress tickets), made at random on first use and kept in the
/// database, so every server process behind a load balancer signs and checks alike and nobody
/// has to configure one.
final class PlatformSecret: Model, @unchecked Sendable {
    static let schema = "platform_secrets"

    @ID(custom: "name", generatedBy: .user) var id: String?
    /// Base64 of 32 random bytes.
    @Field(key: "value") var value: String

    init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    var properties: [any AnyProperty] { [$id, $value] }

    init(name: String, value: String) {
        id = name
        self.value = value
    }
}

package struct CreatePlatformSecrets: AsyncMigration {
    package init() {}

    package func prepare(on db: any Database) async throws {
        try await db.schema(PlatformSecret.schema)
            .field("name", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
    }

    package func revert(on db: any Database) async throws {
        try await db.schema(PlatformSecret.schema).delete()
    }
}

/// Reads (or makes, once) a named signing key and keeps it for the life of the process. The
/// cache is read under a lock, not through an actor, because the busiest request of the
/// platform (a heartbeat) asks for a key every time.
package final class SecretKeys: Sendable {
    private let cache = Mutex<[String: SymmetricKey]>([:])

    /// `db` is only asked for on the first use of a key, so a request that finds it cached
    /// sets up no database handle.
    package func key(_ name: String, on database: @autoclosure () -> any Database) async throws -> SymmetricKey {
        if let key = cache.withLock({ $0[name] }) { return key }
        let db = database()
        let fresh = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        // Two processes (or two first requests) may make one at the same moment: the first
        // insert wins, and all read it.
        try await db.sql.raw(
            """
            INSERT INTO platform_secrets (name, value) VALUES (\(bind: name), \(bind: fresh)) ON CONFLICT \
            (name) DO NOTHING
            """
        ).run()
        guard let stored = try await PlatformSecret.find(name, on: db), let data = Data(base64Encoded: stored.value)
        else {
            throw Abort(.internalServerError, reason: "signing key \(name) is unreadable")
        }
        let key = SymmetricKey(data: data)
        cache.withLock { $0[name] = key }
        return key
    }
}

extension Application {
    private struct SecretKeysKey: StorageKey { typealias Value = SecretKeys }

    package var secretKeys: SecretKeys {
        if let keys = storage[SecretKeysKey.self] { return keys }
        let keys = SecretKeys()
        storage[SecretKeysKey.self] = keys
        return keys
    }
}
