import Vapor

/// The two faces of the server: web pages and the JSON API under `/api/`.
public enum Surface: Sendable {
    case web, api

    private struct Key: StorageKey { typealias Value = Surface }

    /// Worked out once per request and kept on the request. Reading `url.path` percent-decodes
    /// it through Foundation, a noticeable cost on the busiest requests, so the path as sent is
    /// used when it has nothing to decode (it is then the same text).
    public static func of(_ request: Request) -> Surface {
        if let known = request.storage[Key.self] { return known }
        let sent = request.url.string
        let path = sent.hasPrefix("/") && !sent.utf8.contains(UInt8(ascii: "%")) ? sent : request.url.path
        // The platforms' webhooks are machines' too: JSON errors, no form token.
        let surface: Surface = path.hasPrefix("/api/") || path.hasPrefix("/hooks/") ? .api : .web
        request.storage[Key.self] = surface
        return surface
    }

    /// Runs `middleware` only for requests of this surface.
    public func only(_ middleware: any Middleware) -> any Middleware {
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
public struct WhenAuthorized: Middleware {
    let inner: any Middleware

    public init(inner: any Middleware) { self.inner = inner }

    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        request.headers[.authorization].isEmpty
            ? next.respond(to: request) : inner.respond(to: request, chainingTo: next)
    }
}
