import Fluent
import GotongPlatform
import GotongTenancy
import Vapor

/// Sign-in, sign-out, registration, email verification, password reset and activation, profile
/// and API tokens: the web pages of Identity.
package struct IdentityRoutes: RouteCollection {
    package init() {}

    package func boot(routes: any RoutesBuilder) throws {
        typealias R = IdentityRoute
        routes.get(R.signIn, use: signInForm)
        routes.post(R.signIn, use: signIn)
        routes.get(R.signOut, use: signOutForm)
        routes.post(R.signOut, use: signOut)
        routes.get(R.register, use: registerForm)
        routes.post(R.register, use: register)
        routes.get(R.verify(.key), use: verify)
        routes.get(R.forgotPassword, use: forgotForm)
        routes.post(R.forgotPassword, use: forgot)
        routes.get(R.setPassword(.key), use: setPasswordForm)
        routes.post(R.setPassword(.key), use: setPassword)
        routes.get(R.profile, use: profile)
        routes.post(R.profile, use: updateProfile)
        routes.post(R.createToken, use: createToken)
        routes.post(R.revokeToken(.key), use: revokeToken)
        routes.post(R.signOutEverywhere, use: signOutEverywhere)
    }

    // MARK: Sign in and out

    struct SignInModel: Sendable {
        var next: String
        var email: String
        var error: String?
    }

    struct SignInForm: Content {
        var email: String
        var password: String
        var next: String?
    }

    func signInForm(req: Request) async throws -> Response {
        let next = safeNext(req.query[String.self, at: "next"], otherwise: req.application.frameLinks.myCourses)
        if req.person != nil { return req.seeOther(next) }
        return try await req.render(SignInModel(next: next, email: ""), title: "identity.signin.title", tenant: nil)
    }

    func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(SignInForm.self)
        let next = safeNext(form.next, otherwise: req.application.frameLinks.myCourses)
        func refuse(
            _ key: String, _ args: [String: String] = [:], then more: String? = nil, status: HTTPStatus
        ) async throws -> Response {
            let error = [req.t(key, args), more].compactMap { $0 }.joined(separator: " ")
            return try await req.render(
                SignInModel(next: next, email: form.email, error: error), title: "identity.signin.title",
                tenant: nil, status: status)
        }
        let person: Person
        switch try await req.accounts.signIn(email: form.email, password: form.password, from: req.clientAddress) {
        case .success(let found): person = found
        case .failed(let warning):
            // Before the tries that wait, and before the one that locks: said, not sprung.
            let more: String?
            switch warning {
            case .slowing(let left)?: more = req.t("identity.signin.slowing", ["n": "\(left)"])
            case .lastTry?: more = req.t("identity.signin.last_try")
            case nil: more = nil
            }
            return try await refuse("identity.signin.failed", then: more, status: .unauthorized)
        case .locked(let until):
            return try await refuse(
                "identity.signin.locked", ["minutes": Accounts.minutes(until: until)], status: .tooManyRequests)
        case .unverified: return try await refuse("identity.signin.unverified", status: .forbidden)
        }
        // A language chosen on this visit before signing in is the person's choice: it stays,
        // and the account keeps it.
        if let chosen = req.session.data[LanguageRoutes.chosenKey].flatMap(Language.init(rawValue:)),
            chosen.rawValue != person.locale
        {
            person.locale = chosen.rawValue
            try await person.save(on: req.database)
        }
        // A fresh session id at sign-in, so an id planted before sign-in (session fixation) is
        // worth nothing afterwards.
        if let old = req.session.id {
            try await req.application.sessions.driver.deleteSession(old, for: req).get()
            req.session.id = nil
        }
        req.session.authenticate(person)
        req.auth.login(person)
        if let lang = Language(rawValue: person.locale) {
            let response = req.seeOther(next)
            response.cookies["lang"] = languageCookie(lang, secure: req.application.gotong.isHTTPS)
            return response
        }
        return req.seeOther(next)
    }

    func signOutForm(req: Request) async throws -> Response {
        guard req.person != nil else { return req.seeOther("/") }
        return try await req.render(SignOutModel(), title: "identity.signout.title", tenant: nil)
    }

    func signOut(req: Request) async throws -> Response {
        req.auth.logout(Person.self)
        req.session.unauthenticate(Person.self)
        // Clear everything the session held; it keeps only the goodbye message for the next page.
        req.session.data = SessionData()
        req.flash(.info, "identity.signout.done")
        return req.seeOther("/")
    }

    // MARK: Registration and verification

    /// The sign-out page's form (its model has nothing of its own).
    struct SignOutModel: Sendable {}

    struct RegisterModel: Sendable {
        var values: [String: String]
        var errors: [String: String]
    }

    struct RegisterForm: Content {
        var name: String
        var email: String
        var password: String
        var password_confirmation: String
        var nip: String?
        var unit_kerja: String?
        var jabatan: String?
    }

    func registerForm(req: Request) async throws -> Response {
        try await req.render(RegisterModel(values: [:], errors: [:]), title: "identity.register.title", tenant: nil)
    }

    func register(req: Request) async throws -> Response {
        let form = try req.content.decode(RegisterForm.self)
        do {
            _ = try await req.accounts.register(
                .init(
                    name: form.name, email: form.email, password: form.password,
                    passwordConfirmation: form.password_confirmation,
                    nip: form.nip, unitKerja: form.unit_kerja ?? "", jabatan: form.jabatan ?? ""
                ), language: req.language, localizer: req.application.localizer)
        } catch let error as InputError {
            let values = [
                "name": form.name, "email": form.email, "nip": form.nip ?? "",
                "unit_kerja": form.unit_kerja ?? "", "jabatan": form.jabatan ?? "",
            ]
            return try await req.render(
                RegisterModel(values: values, errors: error.messages(req)), title: "identity.register.title",
                tenant: nil, status: .unprocessableEntity)
        }
        req.flash(.success, "identity.register.check_mail", ["email": Person.normalise(email: form.email)])
        return req.seeOther(IdentityRoute.signIn.path)
    }

    func verify(req: Request) async throws -> Response {
        let token = (try? req.parameter(MailedSecret.self).rawValue) ?? ""
        if try await req.accounts.verify(token: token) {
            req.flash(.success, "identity.verify.done")
        } else {
            req.flash(.error, "identity.link.invalid")
        }
        return req.seeOther(IdentityRoute.signIn.path)
    }

    // MARK: Forgotten password, reset and activation

    /// The forgotten-password page's form (its model has nothing of its own).
    struct ForgotModel: Sendable {
        var email = ""
        var error: String?
    }

    struct ForgotForm: Content { var email: String }

    func forgotForm(req: Request) async throws -> Response {
        try await req.render(ForgotModel(), title: "identity.forgot.title", tenant: nil)
    }

    func forgot(req: Request) async throws -> Response {
        let form = try req.content.decode(ForgotForm.self)
        // Something that is no email address at all is said so (a known or unknown address is not).
        guard Person.isValidEmail(Person.normalise(email: form.email)) else {
            return try await req.render(
                ForgotModel(email: form.email, error: req.t("identity.error.email_invalid")),
                title: "identity.forgot.title", tenant: nil, status: .unprocessableEntity)
        }
        try await req.accounts.requestReset(
            email: form.email, localizer: req.application.localizer, fallback: req.language)
        req.flash(.info, "identity.forgot.sent")
        return req.seeOther(IdentityRoute.signIn.path)
    }

    struct SetPasswordModel: Sendable {
        var token: String
        var activation: Bool
        var email: String
        var errors: [String: String]
    }

    struct SetPasswordForm: Content {
        var password: String
        var password_confirmation: String
    }

    func setPasswordForm(req: Request) async throws -> Response {
        let secret = (try? req.parameter(MailedSecret.self).rawValue) ?? ""
        guard let token = try await req.accounts.passwordToken(secret),
            let person = try await Person.find(token.personID, on: req.database)
        else { return try await invalidLink(req) }
        return try await req.render(
            SetPasswordModel(token: secret, activation: token.purpose == .activate, email: person.email, errors: [:]),
            title: "identity.setpassword.title", tenant: nil)
    }

    func setPassword(req: Request) async throws -> Response {
        let secret = (try? req.parameter(MailedSecret.self).rawValue) ?? ""
        let form = try req.content.decode(SetPasswordForm.self)
        do {
            // A session this browser already has for the person stays; every other one ends.
            let kept = req.hasSession ? req.session.id : nil
            guard
                try await req.accounts.setPassword(
                    token: secret, password: form.password, confirmation: form.password_confirmation,
                    keeping: kept) != nil
            else {
                return try await invalidLink(req)
            }
        } catch let error as InputError {
            let token = try await req.accounts.passwordToken(secret)
            let email = try await token.asyncMap { try await Person.find($0.personID, on: req.database)?.email } ?? nil
            return try await req.render(
                SetPasswordModel(
                    token: secret, activation: token?.purpose == .activate, email: email ?? "",
                    errors: error.messages(req)), title: "identity.setpassword.title", tenant: nil,
                status: .unprocessableEntity)
        }
        req.flash(.success, "identity.setpassword.done")
        return req.seeOther(IdentityRoute.signIn.path)
    }

    private func invalidLink(_ req: Request) async throws -> Response {
        let message = MessagePage(
            heading: req.t("identity.link.invalid_title"), text: req.t("identity.link.invalid"),
            links: [
                .init(url: IdentityRoute.signIn.path, label: "layout.signin"),
                .init(url: IdentityRoute.forgotPassword.path, label: "identity.forgot.title"),
            ])
        return try await req.render(message, title: "identity.link.invalid_title", tenant: nil, status: .gone)
    }
}

/// Where to go after signing in: a local path (``localPath(_:)``, the one check for return
/// paths), but never back to the sign-in page itself. Without one, or from the front page (whose
/// "Masuk" link carries it), `otherwise`: a person who signs in lands on their own courses.
func safeNext(_ raw: String?, otherwise fallback: String) -> String {
    guard let path = localPath(raw) else { return fallback }
    let page = path.prefix { $0 != "?" && $0 != "#" }
    return page == "/" || page == "/masuk" || page.hasPrefix("/masuk/") ? fallback : path
}

func languageCookie(_ language: Language, secure: Bool) -> HTTPCookies.Value {
    HTTPCookies.Value(
        string: language.rawValue, maxAge: 60 * 60 * 24 * 365, path: "/", isSecure: secure, isHTTPOnly: true,
        sameSite: .lax)
}
