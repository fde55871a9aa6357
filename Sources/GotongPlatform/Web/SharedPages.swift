import Synchronization
import Vapor

/// Pages that are the same for every visitor who is not signed in (a storefront, the platform's
/// home), kept rendered and compressed per process while their content version holds.
///
/// Only a request without a session cookie is served from here: without a session there are
/// no flashes and no person, so the page depends on its address and language alone. The page
/// is rendered without a CSRF cookie (its guest form is a GET search), so nothing in it or in
/// its headers belongs to one visitor. Derived state only: every process keeps its own.
public final class SharedPages: Sendable {
    struct Entry: Sendable {
        let version: Int
        let storedAt: ContinuousClock.Instant
        let status: HTTPStatus
        let headers: HTTPHeaders
        let body: SharedBody
    }

    private let entries = Mutex([String: Entry]())
    /// Longer addresses (a query string of some length) are rendered, not kept.
    static let maxKeyLength = 512
    let capacity: Int

    public init(capacity: Int = 2000) { self.capacity = capacity }

    /// Whether `req` may be answered with the page every guest sees.
    public static func isShared(_ req: Request) -> Bool {
        req.method == .GET && !req.hasSession && req.viewer == nil
    }

    /// The guest page at this address in the visitor's language, from the cache while `version`
    /// holds and it is younger than `maxAge`; else `render`'s (kept when it answers 200 with a
    /// body in memory). Signed-in visitors always get `render`'s.
    public func response(
        for req: Request, version: Int, maxAge: Duration,
        render: () async throws -> Response
    ) async throws -> Response {
        let key = req.language.rawValue + " " + req.url.string
        guard Self.isShared(req), key.utf8.count <= Self.maxKeyLength else { return try await render() }
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[key] }), entry.version == version, now - entry.storedAt < maxAge {
            return entry.response(for: req)
        }
        let rendered = try await render()
        guard rendered.status == .ok, let buffer = rendered.body.buffer,
            rendered.headers[.setCookie].isEmpty
        else { return rendered }
        let entry = Entry(
            version: version, storedAt: now, status: rendered.status, headers: rendered.headers,
            body: SharedBody(buffer))
        entries.withLock { entries in
            // Full: start over rather than track use; the next requests refill what is popular.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
        return entry.response(for: req)
    }

    /// Forgets every page (tests; a change this process knows every page shows).
    public func removeAll() { entries.withLock { $0.removeAll() } }
}

extension SharedPages.Entry {
    func response(for req: Request) -> Response {
        let response = Response(status: status, headers: headers)
        body.apply(to: response, for: req)
        return response
    }
}

extension Application {
    private struct SharedPagesKey: StorageKey { typealias Value = SharedPages }

    /// This process's cache of guest pages (set up in `configure`, before requests come).
    public var sharedPages: SharedPages {
        guard let pages = storage[SharedPagesKey.self] else { fatalError("shared pages are set up in configure") }
        return pages
    }

    package func setUpSharedPages() { storage[SharedPagesKey.self] = SharedPages() }
}
