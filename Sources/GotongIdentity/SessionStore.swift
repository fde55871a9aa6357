import Fluent
import FluentSQL
import GotongPlatform
import GotongTenancy
import Vapor

/// Sessions in the database (so several server processes share them), written only when their
/// data changed. Vapor's session middleware saves the session after every response; for a
/// signed-in person browsing storefronts that would be one database write per page view.
struct ChangedOnlySessionDriver: SessionDriver {
    let inner: any SessionDriver

    private struct ReadKey: StorageKey { typealias Value = SessionData }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        inner.createSession(data, for: request)
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        inner.readSession(sessionID, for: request).map { data in
            if let data { request.storage[ReadKey.self] = data }
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID>
    {
        if let read = request.storage[ReadKey.self], read == data {
            return request.eventLoop.makeSucceededFuture(sessionID)
        }
        return inner.updateSession(sessionID, to: data, for: request)
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        inner.deleteSession(sessionID, for: request)
    }
}

/// A row of Fluent's sessions table (`_fluent_sessions`) with the person signed in to it, so
/// all of one person's sessions can be found and ended together.
final class PersonSession: Model, @unchecked Sendable {
    static let schema = SessionRecord.schema

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: SessionID
    @Field(key: "data") var data: SessionData
    /// Who is signed in, read from the session data whenever it is written; nil when nobody is.
    @OptionalField(key: "person_id") var personID: UUID?

    init() {}

    /// Fluent's property list, written out: its default finds the properties by reflection
    /// on every query and every row read (see docs/performance.md); a test checks this list.
    var properties: [any AnyProperty] { [$id, $key, $data, $personID] }

    init(key: SessionID, data: SessionData) {
        self.key = key
        self.data = data
        self.personID = Self.personID(in: data)
    }

    /// The person a session's data signs in, as Vapor's session authentication wrote it.
    static func personID(in data: SessionData) -> UUID? {
        Session(data: data).authenticated(Person.self)
    }

    /// Ends every session of a person except `kept` (the one making the request, if it is theirs).
    static func end(of personID: UUID, except kept: SessionID?, on db: any Database) async throws {
        var query = PersonSession.query(on: db).filter(\.$personID == personID)
        if let kept { query = query.filter(\.$key != kept) }
        try await query.delete()
    }
}

/// Fluent's database sessions, plus the `person_id` column kept in step with the session data.
struct PersonSessionDriver: SessionDriver {
    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        let id = Self.newID()
        return PersonSession(key: id, data: data).create(on: request.database).map { id }
    }

    /// The session and, in the same statement, the person signed in to it (kept for
    /// ``PersonSessionAuthenticator``): every signed-in request reads both, and each statement
    /// is a round trip to PostgreSQL. Plain SQL: Fluent's query builder spent more on building
    /// and serialising the statement than the database on answering it.
    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        request.eventLoop.makeFutureWithTask {
            guard let row = try await request.database.read(SessionRead(key: sessionID.string)).first else {
                return nil
            }
            if let person = row.person { request.storage[SessionPersonKey.self] = person }
            return row.data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID>
    {
        PersonSession.query(on: request.database).filter(\.$key == sessionID)
            .set(\.$data, to: data)
            .set(\.$personID, to: PersonSession.personID(in: data))
            .update()
            .map { sessionID }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        PersonSession.query(on: request.database).filter(\.$key == sessionID).delete()
    }

    /// 32 random bytes, as Fluent's own driver makes them.
    private static func newID() -> SessionID {
        SessionID(string: Data([UInt8].random(count: 32)).base64EncodedString())
    }
}

extension Application.Sessions.Provider {
    /// Database sessions that know their person and are written only when changed.
    static var databaseChangedOnly: Self {
        .init { app in
            app.sessions.use { _ in ChangedOnlySessionDriver(inner: PersonSessionDriver()) }
        }
    }
}

extension Application {
    /// Sessions in the database, in a cookie that lives two weeks.
    public func configureSessions(secure: Bool) {
        sessions.use(.databaseChangedOnly)
        // Max-Age alone, no Expires: every browser in use honours it, and Vapor formats an Expires
        // date with a DateFormatter made afresh for each response, which cost signed-in pages
        // about 7% of their CPU.
        sessions.configuration = .init(cookieName: SessionCookie.name) { id in
            HTTPCookies.Value(
                string: id.string, maxAge: 60 * 60 * 24 * 14,
                path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax
            )
        }
    }
}

/// A session's data with the person signed in to it, if any: the read every signed-in request
/// starts with, prepared (``PreparedRead``).
struct SessionRead: PreparedRead {
    let key: String

    static let sql = """
        SELECT s.data AS session_data, \(Person.columns("p")) FROM \(PersonSession.schema) s \
        LEFT JOIN \(Person.schema) p ON p.id = s.person_id WHERE s.key = $1
        """

    var values: [any PreparedValue] { [key] }

    static func decode(_ columns: inout RowColumns) throws -> (data: SessionData, person: Person?) {
        let row = columns.row
        let data = try row.decode(column: "session_data", as: SessionData.self)
        guard try !row.decodeNil(column: "id") else { return (data, nil) }
        // The person by position: by name, Fluent's decoding was 3 % of a signed-in page.
        try columns.skip(1)
        return (data, try columns.model(Person.self, keys: Person.columnKeys))
    }
}
