import Fluent
import GotongPlatform
import GotongTenancy
import Vapor

/// The profile page: name and details, home institution, password, and API tokens.
extension IdentityRoutes {
    // MARK: Profile and API tokens

    struct ProfileModel: Sendable {
        struct TokenRow: Sendable {
            let id: APITokenID
            let name: String
            let created: String
            let lastUsed: String
            let expires: String
            let expired: Bool
        }
        struct LifetimeOption: Sendable { let days: Int; let selected: Bool }
        /// An institution the person belongs to, linked to its home.
        struct Institution: Sendable { let name: String; let url: String }
        var values: [String: String]
        var errors: [String: String]
        var tokens: [TokenRow]
        var newToken: String?
        var homeTenants: [SelectOption]
        var institutions: [Institution]
        var languages: [SelectOption]
        var lifetimes: [LifetimeOption]
    }

    struct ProfileForm: Content {
        var name: String
        var phone: String?
        var nip: String?
        var unit_kerja: String?
        var jabatan: String?
        var home_tenant: String?
        var locale: String?
    }

    func profile(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        return try await renderProfile(req, person: person, values: nil, errors: [:], newToken: nil)
    }

    private func renderProfile(
        _ req: Request, person: Person, values: [String: String]?, errors: [String: String],
        newToken: String?, status: HTTPStatus = .ok
    ) async throws -> Response {
        let tokens = try await APIToken.query(on: req.database).filter(\.$personID == person.requireID())
            .sort(\.$createdAt, .descending).all()
        let values =
            values ?? [
                "name": person.name, "email": person.email, "phone": person.phone, "nip": person.nip ?? "",
                "unit_kerja": person.unitKerja, "jabatan": person.jabatan,
            ]
        let now = Date()
        let memberships = try await req.myTenants()
        let model = ProfileModel(
            values: values.merging(["email": person.email]) { $1 },
            errors: errors,
            tokens: try tokens.map {
                .init(
                    id: try $0.typedID(), name: $0.name, created: shortDate($0.createdAt),
                    lastUsed: $0.lastUsedAt.map { shortDate($0) } ?? "—", expires: shortDate($0.expiresAt),
                    expired: $0.expiresAt <= now)
            },
            newToken: newToken,
            // A home institution is chosen among the person's memberships, which institutions granted.
            homeTenants: memberships.map {
                .init(value: $0.id.uuidString, label: $0.name, selected: $0.id == person.homeTenantID)
            },
            institutions: memberships.map {
                .init(name: $0.name, url: TenancyRoute.pages(.value(TenantSlug(rawValue: $0.slug))).path)
            },
            languages: Language.allCases.map {
                .init(
                    value: $0.rawValue, label: req.t("language.\($0.rawValue)"), selected: $0.rawValue == person.locale)
            },
            lifetimes: APIToken.offeredLifetimeDays.map {
                .init(days: $0, selected: $0 * 86400 == Int(APIToken.defaultLifetime))
            }
        )
        return try await req.render(model, title: "identity.profile.title", tenant: nil, status: status)
    }

    func updateProfile(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let form = try req.content.decode(ProfileForm.self)
        var problems = ProblemList()
        let name = problems.text(form.name, "name", max: 200, required: "identity.error.name_required")
        let phone = problems.text(form.phone, "phone", max: 40)
        let unitKerja = problems.text(form.unit_kerja, "unit_kerja", max: 200)
        let jabatan = problems.text(form.jabatan, "jabatan", max: 200)
        var nip: String?
        if let raw = form.nip?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            switch NIP.parse(raw) {
            case .success(let parsed):
                nip = parsed.value
                if try await Person.query(on: req.database).filter(\.$nip == parsed.value).filter(
                    \.$id != person.requireID()
                )
                .count() > 0 {
                    problems.add("nip", "identity.error.nip_taken")
                }
            case .failure(let box): problems.add("nip", box.problem.rawValue)
            }
        }
        var homeTenant: UUID?
        if let raw = form.home_tenant, !raw.isEmpty {
            if let id = UUID(uuidString: raw), try await req.myTenants().contains(where: { $0.id == id }) {
                homeTenant = id
            } else {
                problems.add("home_tenant", "identity.error.home_tenant")
            }
        }
        let locale = Language(rawValue: form.locale ?? "") ?? Language(rawValue: person.locale) ?? .default
        guard problems.isEmpty else {
            let values = [
                "name": form.name, "phone": form.phone ?? "", "nip": form.nip ?? "",
                "unit_kerja": form.unit_kerja ?? "", "jabatan": form.jabatan ?? "",
            ]
            return try await renderProfile(
                req, person: person, values: values, errors: InputError(problems.problems).messages(req),
                newToken: nil, status: .unprocessableEntity)
        }
        person.name = name
        person.phone = phone
        person.nip = nip
        person.unitKerja = unitKerja
        person.jabatan = jabatan
        person.homeTenantID = homeTenant
        person.locale = locale.rawValue
        try await person.save(on: req.database)
        req.flash(.success, "identity.profile.saved")
        let response = req.seeOther(IdentityRoute.profile.path)
        response.cookies["lang"] = languageCookie(locale, secure: req.application.gotong.isHTTPS)
        return response
    }

    struct TokenForm: Content { var name: String?; var days: String? }

    func createToken(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        let form = try req.content.decode(TokenForm.self)
        var lifetime = APIToken.defaultLifetime
        var problems = ProblemList()
        let name = problems.text(form.name, "token_name", max: 100)
        if let days = WholeNumber.read(
            form.days, field: "days", in: 1...APIToken.longestLifetimeDays, problems: &problems)
        {
            lifetime = TimeInterval(days) * 86400
        }
        guard problems.isEmpty else {
            var errors = InputError(problems.problems).messages(req)
            if errors["days"] != nil {
                errors["days"] = req.t("identity.error.token_lifetime", ["max": "\(APIToken.longestLifetimeDays)"])
            }
            return try await renderProfile(
                req, person: person, values: nil, errors: errors, newToken: nil, status: .unprocessableEntity)
        }
        let (_, secret) = try await APIToken.create(
            for: try person.requireID(), name: name.isEmpty ? req.t("identity.token.default_name") : name,
            lifetime: lifetime, on: req.database)
        try await req.audit("token.create", subject: person.email, detail: name)
        return try await renderProfile(req, person: person, values: nil, errors: [:], newToken: secret)
    }

    func revokeToken(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        guard let id = try? req.parameter(APITokenID.self).rawValue,
            let token = try await APIToken.query(on: req.database).filter(\.$id == id).filter(
                \.$personID == person.requireID()
            ).first()
        else { throw Abort(.notFound) }
        try await token.delete(on: req.database)
        try await req.audit("token.revoke", subject: person.email, detail: token.name)
        req.flash(.success, "identity.token.revoked", ["name": token.name])
        return req.seeOther(IdentityRoute.profile.path)
    }

    /// Ends the person's sessions on every other device and all their API tokens; this browser
    /// stays signed in.
    func signOutEverywhere(req: Request) async throws -> Response {
        let person = try req.requirePerson()
        try await req.accounts.endSessions(of: try person.requireID(), except: req.hasSession ? req.session.id : nil)
        try await req.audit("account.signout_everywhere", subject: person.email)
        req.flash(.success, "identity.signout_everywhere.done")
        return req.seeOther(IdentityRoute.profile.path)
    }
}
