import Fluent
import Vapor

/// The platform's own pages: the front page listing institutions, the stylesheet, the language
/// switch and the health check.
struct PlatformRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.get("healthz", use: health)
        routes.get("static", "gotong.css", use: stylesheet)
        routes.get("bahasa", ":lang", use: switchLanguage)
    }

    struct HomeModel: Encodable, Sendable {
        struct Card: Encodable, Sendable {
            let slug: String
            let name: String
            let kind: String
            let tagline: String
            let color: String
        }
        let tenants: [Card]
    }

    func home(req: Request) async throws -> Response {
        let tenants = try await Tenant.listed(on: req.db).filter(\.$status == .active).sort(\.$name).limit(200).all()
        let cards = tenants.map {
            HomeModel.Card(slug: $0.slug, name: $0.name, kind: req.t("tenant.kind.\($0.kind.rawValue)"), tagline: $0.tagline, color: $0.primaryColor)
        }
        return try await req.render("home", title: "home.title", page: HomeModel(tenants: cards))
    }

    /// 200 when the database answers a trivial query, 503 otherwise.
    func health(req: Request) async throws -> Response {
        do {
            _ = try await req.db.sql.raw("SELECT 1 AS ok").all()
            return Response(status: .ok, body: .init(string: "ok\n"))
        } catch {
            req.logger.error("health check: database did not answer: \(String(reflecting: error))")
            return Response(status: .serviceUnavailable, body: .init(string: "database unavailable\n"))
        }
    }

    func stylesheet(req: Request) async throws -> Response {
        let css = try Stylesheet.shared()
        if req.headers.first(name: .ifNoneMatch) == css.etag {
            return Response(status: .notModified)
        }
        let response = Response(status: .ok, body: .init(string: css.text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .eTag, value: css.etag)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }

    func switchLanguage(req: Request) async throws -> Response {
        guard let language = Language(rawValue: req.parameters.get("lang") ?? "") else { throw Abort(.notFound) }
        if let person = req.person {
            person.locale = language.rawValue
            try await person.save(on: req.db)
        }
        let response = req.seeOther(localPath(req.query[String.self, at: "next"]) ?? "/")
        response.cookies["lang"] = languageCookie(language, secure: req.application.gotong.isHTTPS)
        return response
    }
}

/// The one hand-written stylesheet, read once from the resources.
struct Stylesheet: Sendable {
    let text: String
    let etag: String

    private static let loaded: Result<Stylesheet, any Error> = Result {
        guard let url = Bundle.module.url(forResource: "gotong", withExtension: "css", subdirectory: "Resources/Public") else {
            throw Abort(.internalServerError, reason: "stylesheet missing from the build")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        return Stylesheet(text: text, etag: "\"" + String(SecretToken.hash(text).prefix(16)) + "\"")
    }

    static func shared() throws -> Stylesheet { try loaded.get() }
}
