import Vapor

/// Refuses an address whose path holds a control character (NUL among them), written as is or
/// percent-encoded, before any route binds a path segment into SQL: PostgreSQL refuses NUL in
/// text and the request failed with 500. No Gotong address has one, so the answer is 404.
/// Future-based: it runs on every request.
package struct PathGuardMiddleware: Middleware {
    package init() {}

    package func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        if Self.hasControlCharacter(req.url.string) {
            return req.eventLoop.makeFailedFuture(Abort(.notFound))
        }
        return next.respond(to: req)
    }

    /// Looks at the path only (a query may carry a line break in a search, say).
    static func hasControlCharacter(_ address: String) -> Bool {
        let path = address.utf8.prefix { $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        var bytes = path.makeIterator()
        while let byte = bytes.next() {
            if byte < 0x20 || byte == 0x7F { return true }
            guard byte == UInt8(ascii: "%") else { continue }
            guard let high = bytes.next(), let low = bytes.next() else { return false }
            // %00–%1F and %7F
            if high == UInt8(ascii: "0") || high == UInt8(ascii: "1") { return true }
            if high == UInt8(ascii: "7"), low == UInt8(ascii: "F") || low == UInt8(ascii: "f") { return true }
        }
        return false
    }
}
