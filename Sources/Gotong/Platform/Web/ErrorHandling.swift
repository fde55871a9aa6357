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

/// Turns every error into a page (web) or a problem document (API) in the caller's language.
/// A web request that needs sign-in is sent to the sign-in page and brought back afterwards.
struct GotongErrorMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            return await handle(error, for: req)
        }
    }

    private func handle(_ error: any Error, for req: Request) async -> Response {
        let (status, detail, fieldErrors) = describe(error, for: req)
        if status == .internalServerError {
            req.logger.report(error: error)
        }
        if req.url.path.hasPrefix("/api/") {
            return problem(status: status, detail: detail, errors: fieldErrors, for: req)
        }
        if status == .unauthorized {
            let next = req.url.string
            var components = URLComponents()
            components.path = "/masuk"
            components.queryItems = [URLQueryItem(name: "next", value: next)]
            return req.seeOther(components.string ?? "/masuk")
        }
        return await errorPage(status: status, detail: detail, for: req)
    }

    private func describe(_ error: any Error, for req: Request) -> (HTTPStatus, String, [ProblemDetails.FieldError]?) {
        switch error {
        case let input as InputError:
            let errors = input.problems.map { ProblemDetails.FieldError(field: $0.field, row: $0.row, message: req.t($0.key, $0.args)) }
            return (.unprocessableEntity, req.t("error.422.detail"), errors)
        case let abort as any AbortError:
            let status = abort.status
            // Reasons we wrote are already in the caller's language; Vapor's own are replaced.
            let ours = abort.reason != status.reasonPhrase && !abort.reason.isEmpty && !(abort is DecodingError)
            let detail = ours && status.code < 500 ? abort.reason : req.t("error.\(status.code).detail", fallback: "error.generic.detail")
            return (status, detail, nil)
        case is DecodingError:
            return (.badRequest, req.t("error.400.detail"), nil)
        default:
            return (.internalServerError, req.t("error.500.detail"), nil)
        }
    }

    private func problem(status: HTTPStatus, detail: String, errors: [ProblemDetails.FieldError]?, for req: Request) -> Response {
        let body = ProblemDetails(title: req.t("error.\(status.code).title", fallback: "error.generic.title"),
                                  status: Int(status.code), detail: detail, errors: errors)
        let response = Response(status: status)
        response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json")
        response.headers.replaceOrAdd(name: .contentLanguage, value: req.language.rawValue)
        response.body = .init(data: (try? JSONEncoder().encode(body)) ?? Data())
        return response
    }

    private func errorPage(status: HTTPStatus, detail: String, for req: Request) async -> Response {
        struct ErrorModel: Encodable, Sendable {
            let code: Int
            let heading: String
            let detail: String
        }
        let model = ErrorModel(code: Int(status.code), heading: req.t("error.\(status.code).title", fallback: "error.generic.title"), detail: detail)
        if let page = try? await req.render("error", title: "error.\(status.code).title", page: model, status: status) {
            return page
        }
        let response = Response(status: status, body: .init(string: "\(status.code) \(model.heading)"))
        response.headers.contentType = .plainText
        return response
    }
}

extension Request {
    /// Catalogue text for `key`, or for `fallback` when the catalogue has no such key.
    func t(_ key: String, fallback: String) -> String {
        let text = t(key)
        return text == key ? t(fallback) : text
    }
}
