import Fluent
import FluentSQL
import SQLKit
import GotongPlatform
import GotongTenancy
import Vapor

extension Person: ModelSessionAuthenticatable {
    /// The table's field keys, in the order of its columns.
    static let columnKeys = keys

    /// The table's columns, for plain SQL reads.
    static let columns = columnKeys.map(\.description).joined(separator: ", ")

    /// The columns prefixed with `alias.`, for a join that reads a person with something else.
    static func columns(_ alias: String) -> String {
        columnKeys.map { "\(alias).\($0.description)" }.joined(separator: ", ")
    }
}

/// The person read together with the session (``PersonSessionDriver``), for the authenticator.
struct SessionPersonKey: StorageKey { typealias Value = Person }

/// Signs in the person of the request's session, as `Person.sessionAuthenticator()` does: with
/// the person the session's read brought along (``PersonSessionDriver``), else by a plain read.
package struct PersonSessionAuthenticator: AsyncSessionAuthenticator {
    package typealias User = Person

    package init() {}

    package func authenticate(sessionID: UUID, for request: Request) async throws {
        if let person = request.storage[SessionPersonKey.self], person.id == sessionID {
            request.auth.login(person)
            return
        }
        let row = try await request.database.sql.raw(
            "SELECT \(unsafeRaw: Person.columns) FROM \(unsafeRaw: Person.schema) WHERE id = \(bind: sessionID)"
        ).first()
        if let person = try row?.decode(fluentModel: Person.self) { request.auth.login(person) }
    }
}

/// Signs in API callers that present `Authorization: Bearer gt_…`.
package struct BearerTokenAuthenticator: AsyncBearerAuthenticator {
    package init() {}

    package func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        guard let found = try await APIToken.lookUp(bearer.token, on: request.database, now: Date()) else { return }
        if found.stale {
            // Only a record of use: a batch that could not be written fails no request.
            do { try await request.application.tokenUses.submit(found.tokenID) } catch {
                request.logger.warning("token use not recorded: \(error)")
            }
        }
        request.auth.login(found.person)
    }
}

extension Application {
    private struct TokenUsesKey: StorageKey { typealias Value = GroupCommit<UUID, Void> }

    /// Writes tokens' last use in batches (``GroupCommit``): when thousands of phones start a
    /// post-test in the same minute, each first request of a token wrote its own row, every
    /// write a turn of SQLite's one writer. ``Identity/setUp(_:)`` makes it.
    var tokenUses: GroupCommit<UUID, Void> {
        guard let uses = storage[TokenUsesKey.self] else { fatalError("Identity.setUp(app) was not called") }
        return uses
    }

    func setUpTokenUses() {
        let db = self.db
        storage[TokenUsesKey.self] = GroupCommit(maxBatch: 500) { ids in
            try await APIToken.stamp(Array(Set(ids)), at: Date(), on: db)
            return ids.map { _ in () }
        }
    }
}

extension Request {
    /// The signed-in person, if any (by session cookie or bearer token).
    public var person: Person? { auth.get(Person.self) }

    /// The signed-in person, or 401: web pages turn that into a redirect to the sign-in page.
    public func requirePerson() throws -> Person {
        guard let person else { throw Abort(.unauthorized) }
        return person
    }
}

extension Person {
    /// The person as the modules below Identity see them.
    public var viewer: Viewer? {
        id.map {
            Viewer(
                id: $0, name: name, email: email, isPlatformAdmin: isPlatformAdmin,
                unreadNotifications: unreadNotifications)
        }
    }
}

/// Sets up what Identity offers the modules below and above it.
public enum Identity {
    public static func setUp(_ app: Application) {
        app.setUpTokenUses()
        app.viewerSource = { $0.person?.viewer }
        app.firstAdministrator = FirstAdministrators.appointment
        // A tenant's people and its log, on its desk (the master template has neither).
        let pages: [(Int, String, @Sendable (Param<TenantSlug>) -> IdentityRoute)] = [
            (20, "tenant.members.title", { .members($0) }), (30, "import.title", { .importPeople($0) }),
            (40, "audit.title", { .tenantAudit($0) }),
        ]
        for (position, label, route) in pages {
            app.deskTools.register(
                DeskTool(position: position) { desk in
                    guard case .tenant(let tenant) = desk else { return nil }
                    return (label, route(tenant).path)
                })
        }
    }
}
