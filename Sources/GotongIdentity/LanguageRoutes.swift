import Fluent
import GotongPlatform
import Vapor

/// The language switch: a cookie for everyone, and the signed-in person's own setting.
package struct LanguageRoutes: RouteCollection {
    /// The session key of a language chosen by someone not signed in.
    static let chosenKey = "chosen_language"

    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        routes.get(IdentityRoute.language(.key), use: switchLanguage)
    }

    func switchLanguage(req: Request) async throws -> Response {
        let language = try req.parameter(Language.self)
        if let person = req.person {
            person.locale = language.rawValue
            try await person.save(on: req.database)
        } else {
            // Chosen before signing in: the sign-in keeps it (``IdentityRoutes/signIn(req:)``).
            req.session.data[Self.chosenKey] = language.rawValue
        }
        let response = req.seeOther(localPath(req.query[String.self, at: "next"]) ?? "/")
        response.cookies["lang"] = languageCookie(language, secure: req.application.gotong.isHTTPS)
        return response
    }
}
