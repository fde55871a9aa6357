import Vapor

/// Cross-site request forgery protection by double submit: a random cookie, and the same value in
/// a hidden `_csrf` field of every form. A forged cross-site POST cannot read the cookie, so cannot
/// send the field. No session is needed, so anonymous pages stay cheap.
package enum CSRF {
    static let cookieName = "gotong_csrf"
    static let fieldName = "_csrf"

    private struct TokenKey: StorageKey { typealias Value = String }

    /// The token for forms on this page; made (and set as a cookie on the way out) when missing.
    package static func token(for req: Request) -> String {
        if let existing = req.storage[TokenKey.self] { return existing }
        let token = req.parsedCookies[cookieName]?.string.nonEmptyToken ?? SecretToken().plain
        req.storage[TokenKey.self] = token
        return token
    }

    static func isFresh(_ req: Request) -> Bool {
        req.storage[TokenKey.self] != nil && req.parsedCookies[cookieName]?.string != req.storage[TokenKey.self]
    }
}

private extension String {
    var nonEmptyToken: String? { count >= 20 ? self : nil }
}

/// Refuses any state-changing web request whose `_csrf` field does not match its cookie, and
/// sets the cookie on responses that handed out a new token. API requests with a bearer token
/// carry no cookies of ours and are not subject to it.
package struct CSRFMiddleware: AsyncMiddleware {
    let secureCookies: Bool

    package init(secureCookies: Bool) {
        self.secureCookies = secureCookies
    }

    package func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.method != .GET, req.method != .HEAD {
            // A form may still be streaming in: read it first, so the token can be found in it,
            // but never more than the route takes for this caller (``BodyLimit``): once read
            // here, Vapor would not apply the route's limit again. An upload route's form is
            // read by the upload reader, its files going to disk as they arrive.
            let sent: String?
            if Uploads.isStreamed(req) {
                sent = try await req.receivedForm().values[CSRF.fieldName]
            } else {
                if req.body.data == nil { _ = try await req.body.collect(max: BodyLimit.forCaller(of: req)).get() }
                sent = try? req.content.get(String.self, at: CSRF.fieldName)
            }
            guard let cookie = req.parsedCookies[CSRF.cookieName]?.string, let sent, !cookie.isEmpty,
                sent.utf8.count == cookie.utf8.count, constantTimeEquals(sent, cookie)
            else {
                throw LocalizedAbort(.forbidden, req.t("error.csrf"))
            }
        }
        let response = try await next.respond(to: req)
        if CSRF.isFresh(req) {
            response.cookies[CSRF.cookieName] = HTTPCookies.Value(
                string: CSRF.token(for: req), maxAge: 60 * 60 * 24 * 30, path: "/",
                isSecure: secureCookies, isHTTPOnly: true, sameSite: .lax
            )
        }
        return response
    }

    private func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        zip(a.utf8, b.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Headers that make pages safer by default: a content security policy that allows only our own
/// scripts and images, no framing, and no MIME sniffing. Inline style attributes are allowed
/// because each tenant's brand colour is set inline; every value that reaches them is validated.
///
/// A future-based middleware, not an async one: it runs on every request, and an async
/// middleware starts a task and hops executors each time.
package struct SecurityHeadersMiddleware: Middleware {
    package init() {}

    package func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: req).map { response in
            let embeds = req.storage[EmbedSourcesKey.self] ?? EmbedSources()
            let frames = embeds.frames.isEmpty ? "" : "; frame-src " + embeds.frames.sorted().joined(separator: " ")
            let images = embeds.images.sorted().map { " " + $0 }.joined()
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy",
                value:
                    """
                    default-src 'self'; img-src 'self' data:\(images); style-src 'self' 'unsafe-inline'; \
                    script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'\(frames)
                    """
            )
            response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
            // A page whose address holds a secret says `no-referrer` itself: kept.
            if !response.headers.contains(name: "Referrer-Policy") {
                response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
            }
            response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
            return response
        }
    }
}

/// Outside players and pictures one page may show (a YouTube lecture the learner tapped to
/// play). Everything else stays `'self'`.
struct EmbedSources: Sendable {
    var frames: Set<String> = []
    var images: Set<String> = []
}

private struct EmbedSourcesKey: StorageKey { typealias Value = EmbedSources }

extension Request {
    /// Lets this response embed players from `frames` and show pictures from `images`.
    package func allowEmbeds(frames: [String], images: [String] = []) {
        var sources = storage[EmbedSourcesKey.self] ?? EmbedSources()
        sources.frames.formUnion(frames)
        sources.images.formUnion(images)
        storage[EmbedSourcesKey.self] = sources
    }
}
