import Fluent
import Vapor

/// The platform's own pages: the front page listing institutions, the stylesheet, the language
/// switch and the health check.
struct PlatformRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.get("healthz", use: health)
        routes.get("static", "gotong.css") { req in try StaticAsset.stylesheet.get().response(for: req) }
        routes.get("static", "gotong.js") { req in try StaticAsset.script.get().response(for: req) }
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
/// The one stylesheet and the one script of every page, read from the build once, served with
/// an ETag so a phone downloads them once.
struct StaticAsset: Sendable {
    let text: String
    let etag: String
    let mediaType: HTTPMediaType

    static let stylesheet = load("gotong", "css", HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"]))
    /// Enhancements only: every page works without it (heartbeats, the video player's reports).
    static let script = load("gotong", "js", HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"]))

    private static func load(_ name: String, _ ext: String, _ type: HTTPMediaType) -> Result<StaticAsset, any Error> {
        Result {
            guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources/Public") else {
                throw Abort(.internalServerError, reason: "\(name).\(ext) missing from the build")
            }
            let text = try String(contentsOf: url, encoding: .utf8)
            return StaticAsset(text: text, etag: "\"" + String(SecretToken.hash(text).prefix(16)) + "\"", mediaType: type)
        }
    }

    func response(for req: Request) -> Response {
        if req.headers.first(name: .ifNoneMatch) == etag { return Response(status: .notModified) }
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = mediaType
        response.headers.replaceOrAdd(name: .eTag, value: etag)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
}
