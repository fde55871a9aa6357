import Vapor

/// An RFC 9457 problem document, the shape of every API error.
public struct ProblemDetails: Content, Sendable {
    public var type: String = "about:blank"
    public var title: String
    public var status: Int
    public var detail: String
    /// Every input problem, by field (and row for files), in the caller's language.
    public var errors: [FieldError]?

    public struct FieldError: Codable, Sendable {
        public var field: String
        public var row: Int?
        public var message: String
    }
}

/// An error whose message Gotong wrote, already in the caller's language. Vapor's own errors carry
/// English reasons; those are replaced by the catalogue's text for their status.
public struct LocalizedAbort: Error, Sendable {
    public let status: HTTPStatus
    public let message: String

    public init(_ status: HTTPStatus, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// Turns every error into a page (web) or a problem document (API) in the caller's language.
/// A web request that needs sign-in is sent to the sign-in page and brought back afterwards.
/// Future-based, so a request that succeeds pays no task for it; an error page is made in a task.
package struct GotongErrorMiddleware: Middleware {
    package init() {}

    package func respond(to req: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: req).flatMapError { error in
            req.eventLoop.makeFutureWithTask { await handle(error, for: req) }
        }
    }

    private func handle(_ error: any Error, for req: Request) async -> Response {
        var (status, detail, fieldErrors) = describe(error, for: req)
        var allowed: [HTTPMethod] = []
        if status == .notFound, req.route == nil {
            // The router found no route: if the path exists with other methods, say so (405).
            allowed = Self.methods(matching: req.url.path, in: req.application.routes)
            if !allowed.isEmpty {
                status = .methodNotAllowed
                detail = req.t("error.405.detail")
            }
        }
        if status == .internalServerError {
            req.logger.report(error: error)
        }
        if Surface.of(req) == .api {
            let response = problem(status: status, detail: detail, errors: fieldErrors, for: req)
            if !allowed.isEmpty {
                response.headers.replaceOrAdd(name: .allow, value: allowed.map(\.rawValue).joined(separator: ", "))
            }
            if status == .unauthorized { response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer") }
            return response
        }
        if status == .unauthorized {
            let next = req.url.string
            var components = URLComponents()
            components.path = "/masuk"
            components.queryItems = [URLQueryItem(name: "next", value: next)]
            return req.seeOther(components.string ?? "/masuk")
        }
        // A page has no fields to put the problems beside (an address that was wrong, say): it
        // says what each one was, in the reader's words. A wrong address (400) names the
        // parameter the reader can see in it (`tahun`) when the message does not; otherwise a
        // field's name is the API's (course, slot) and means nothing to a reader. A file's
        // row does.
        if let fieldErrors, !fieldErrors.isEmpty {
            detail = fieldErrors.map { problem in
                var text = problem.message
                if status == .badRequest, !text.contains(problem.field) { text = problem.field + ": " + text }
                return problem.row.map { req.t("error.row", ["row": "\($0)"]) + " " + text } ?? text
            }.joined(separator: " ")
        }
        return await errorPage(status: status, detail: detail, for: req)
    }

    /// The methods of every route whose path matches `path`, parameters matching any segment.
    static func methods(matching path: String, in routes: Routes) -> [HTTPMethod] {
        let segments = path.split(separator: "/").map(String.init)
        let methods = routes.all.filter { route in
            route.path.count == segments.count
                && zip(route.path, segments).allSatisfy { component, segment in
                    switch component {
                    case .constant(let value): value == segment
                    case .parameter, .anything: true
                    case .catchall: true
                    }
                }
        }.map(\.method)
        var unique: [HTTPMethod] = []
        for method in methods where !unique.contains(method) { unique.append(method) }
        if unique.contains(.GET), !unique.contains(.HEAD) { unique.append(.HEAD) }
        return unique
    }

    private func describe(_ error: any Error, for req: Request) -> (HTTPStatus, String, [ProblemDetails.FieldError]?) {
        switch error {
        case let input as InputError:
            let errors = input.problems.map {
                ProblemDetails.FieldError(field: $0.field, row: $0.row, message: req.t($0.key, $0.args))
            }
            return (input.status, req.t("error.\(input.status.code).detail", fallback: "error.422.detail"), errors)
        case let localized as LocalizedAbort:
            return (localized.status, localized.message, nil)
        case let abort as any AbortError:
            return (abort.status, req.t("error.\(abort.status.code).detail", fallback: "error.generic.detail"), nil)
        case is DecodingError:
            return (.badRequest, req.t("error.400.detail"), nil)
        default:
            return (.internalServerError, req.t("error.500.detail"), nil)
        }
    }

    private func problem(
        status: HTTPStatus, detail: String, errors: [ProblemDetails.FieldError]?, for req: Request
    ) -> Response {
        let body = ProblemDetails(
            title: req.t("error.\(status.code).title", fallback: "error.generic.title"),
            status: Int(status.code), detail: detail, errors: errors)
        let response = Response(status: status)
        response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json")
        response.headers.replaceOrAdd(name: .contentLanguage, value: req.language.rawValue)
        response.body = .init(data: (try? JSONEncoder().encode(body)) ?? Data())
        return response
    }

    private func errorPage(status: HTTPStatus, detail: String, for req: Request) async -> Response {
        // A status the catalogue has no title for (423, say) takes the generic one, in the
        // heading and in the window's title alike.
        let specific = "error.\(status.code).title"
        let title = req.t(specific) == specific ? "error.generic.title" : specific
        let model = ErrorPage(code: Int(status.code), heading: req.t(title), detail: detail)
        if let page = try? await req.render(model, title: title, brand: nil, status: status) {
            return page
        }
        let response = Response(status: status, body: .init(string: "\(status.code) \(model.heading)"))
        response.headers.contentType = .plainText
        return response
    }
}

extension Request {
    /// Catalogue text for `key`, or for `fallback` when the catalogue has no such key.
    package func t(_ key: String, fallback: String, _ args: [String: String] = [:]) -> String {
        let text = t(key, args)
        return text == key ? t(fallback, args) : text
    }
}
