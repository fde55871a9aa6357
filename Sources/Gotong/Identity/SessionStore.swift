import Fluent
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

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        if let read = request.storage[ReadKey.self], read == data {
            return request.eventLoop.makeSucceededFuture(sessionID)
        }
        return inner.updateSession(sessionID, to: data, for: request)
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        inner.deleteSession(sessionID, for: request)
    }
}

extension Application.Sessions.Provider {
    /// Database sessions that are written only when changed.
    static var databaseChangedOnly: Self {
        .init { app in
            app.sessions.use { app in ChangedOnlySessionDriver(inner: app.fluent.sessions.driver(nil)) }
        }
    }
}
