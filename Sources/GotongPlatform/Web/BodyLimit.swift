import Vapor

/// How large a request body a route takes. Vapor applies a route's limit only while the body is
/// still unread; the form check (CSRF) has to read a form before the route does, so it reads no
/// more than the limit recorded here — one number per route, holding for everyone.
enum BodyLimit {
    private static let key = AnySendableHashable("gotong.maxBody")

    /// The route's limit in bytes: the one it declared with ``RoutesBuilder/upload(_:_:maxSize:use:)``
    /// or ``RoutesBuilder/collecting(_:_:upTo:use:)``, or the application's default.
    static func of(_ req: Request) -> Int {
        (req.route?.userInfo[key] as? Int) ?? req.application.routes.defaultMaxBodySize.value
    }

    /// The limit for this caller: strangers' bodies stop at the default limit even on a route
    /// that takes more, so they cannot make the server read large bodies.
    static func forCaller(of req: Request) -> Int {
        let route = of(req)
        return req.viewer != nil ? route : min(route, req.application.routes.defaultMaxBodySize.value)
    }

    static func record(_ maxSize: ByteCount, on route: Route) {
        route.userInfo[key] = maxSize.value
    }
}

extension RoutesBuilder {
    /// A route whose body may be larger than the default and is read whole into memory (a CSV
    /// that is parsed whole anyway). Files go through ``upload(_:_:maxSize:use:)`` instead.
    @discardableResult
    package func collecting<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., upTo maxSize: ByteCount,
        use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        collecting(method, at: path, upTo: maxSize, use: closure)
    }

    /// ``collecting(_:_:upTo:use:)`` at a typed route.
    @discardableResult
    package func collecting<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ route: some SiteRoute, upTo maxSize: ByteCount,
        use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        collecting(method, at: route.pathComponents, upTo: maxSize, use: closure)
    }

    private func collecting<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, at path: [PathComponent], upTo maxSize: ByteCount,
        use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = on(method, path, body: .collect(maxSize: maxSize), use: closure)
        BodyLimit.record(maxSize, on: route)
        return route
    }
}
