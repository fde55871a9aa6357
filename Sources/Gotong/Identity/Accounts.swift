import Fluent
import Vapor

/// Account life cycle: registration, email verification, password reset and activation.
/// Web handlers and commands call these; none of them touch the tables directly.
public struct Accounts: Sendable {
    public static let minimumPasswordLength = 8

    let db: any Database
    let mailer: any Mailer
    let baseURL: String
    let hasher: any PasswordHashing

    public struct Registration: Sendable {
        public var name: String
        public var email: String
        public var password: String
        public var passwordConfirmation: String
        public var nip: String?
        public var unitKerja: String
        public var jabatan: String
    }

    /// How a sign-in attempt ended.
    public enum SignIn: Sendable {
        case success(Person)
        /// Wrong email or password (never says which).
        case failed
        /// Too many failures for this account or address; tries are refused until then.
        case locked(until: Date)
        /// Right password, but the email is not verified yet.
        case unverified
    }

    /// Checks an email and password under the sign-in throttle: after a few failures each try is
    /// slowed, after more the account (or address) is locked for a while. Used by the sign-in
    /// page and by `POST /api/v1/tokens`, so both are guarded the same way.
    public func signIn(email: String, password: String, from ip: String) async throws -> SignIn {
        let throttle = LoginThrottle(db: db)
        switch try await throttle.check(email: email, ip: ip) {
        case .locked(let until):
            return .locked(until: until)
        case .allowed(let delay) where delay > 0:
            try await Task.sleep(for: .seconds(delay))
        case .allowed:
            break
        }
        let person = try await Person.find(email: email, on: db)
        var valid = false
        if let hash = person?.passwordHash {
            valid = try await hasher.verify(password, hash: hash)
        }
        guard valid, let person else {
            if let until = try await throttle.recordFailure(email: email, ip: ip) { return .locked(until: until) }
            return .failed
        }
        guard person.emailVerifiedAt != nil else { return .unverified }
        try await throttle.recordSuccess(email: email)
        return .success(person)
    }

    /// Whole minutes until `date`, at least one, for "try again in N minutes".
    public static func minutes(until date: Date) -> String {
        "\(max(1, Int((date.timeIntervalSinceNow / 60).rounded(.up))))"
    }

    /// Checks a new password; the same rules on every form.
    public static func check(password: String, confirmation: String, into problems: inout ProblemList) {
        if password.count < minimumPasswordLength {
            problems.add("password", "identity.error.password_short", ["min": "\(minimumPasswordLength)"])
        } else if password.count > 128 {
            problems.add("password", "identity.error.password_long")
        }
        if password != confirmation { problems.add("password_confirmation", "identity.error.password_mismatch") }
    }

    /// Creates an unverified account and mails the verification link.
    public func register(_ form: Registration, language: Language, localizer: Localizer) async throws -> Person {
        var problems = ProblemList()
        let name = form.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let email = Person.normalise(email: form.email)
        if name.isEmpty || name.count > 200 { problems.add("name", "identity.error.name_required") }
        if !Person.isValidEmail(email) { problems.add("email", "identity.error.email_invalid") }
        var nip: String?
        if let raw = form.nip?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            switch NIP.parse(raw) {
            case .success(let parsed): nip = parsed.value
            case .failure(let box): problems.add("nip", box.problem.rawValue)
            }
        }
        Self.check(password: form.password, confirmation: form.passwordConfirmation, into: &problems)
        if problems.isEmpty, try await Person.find(email: email, on: db) != nil {
            problems.add("email", "identity.error.email_taken")
        }
        if problems.isEmpty, let nip, try await Person.query(on: db).filter(\.$nip == nip).count() > 0 {
            problems.add("nip", "identity.error.nip_taken")
        }
        try problems.throwIfAny()

        let hash = try await hasher.hash(form.password)
        let person = Person(name: name, email: email, nip: nip, unitKerja: form.unitKerja.trimmed(max: 200),
                            jabatan: form.jabatan.trimmed(max: 200), passwordHash: hash, locale: language.rawValue)
        let link = try await db.transaction { tx in
            try await person.create(on: tx)
            let (token, secret) = PersonToken.issue(for: try person.requireID(), purpose: .verifyEmail)
            try await token.create(on: tx)
            return "\(baseURL)/verifikasi/\(secret)"
        }
        try await mailer.send(Mail(
            to: email, subject: localizer.text("mail.verify.subject", language),
            body: localizer.text("mail.verify.body", language, ["name": name, "link": link])
        ))
        return person
    }

    /// Marks the email of the token's owner verified. Returns false for a bad or expired link.
    public func verify(token: String) async throws -> Bool {
        guard let row = try await PersonToken.usable(token, purpose: .verifyEmail, on: db),
              let person = try await Person.find(row.personID, on: db)
        else { return false }
        try await db.transaction { tx in
            row.usedAt = Date()
            try await row.save(on: tx)
            person.emailVerifiedAt = person.emailVerifiedAt ?? Date()
            try await person.save(on: tx)
        }
        return true
    }

    /// Mails a one-time reset link when the address has an account; says nothing either way.
    public func requestReset(email: String, localizer: Localizer, fallback language: Language) async throws {
        guard let person = try await Person.find(email: email, on: db), let id = person.id else { return }
        let (token, secret) = PersonToken.issue(for: id, purpose: .resetPassword)
        try await token.create(on: db)
        let language = Language(rawValue: person.locale) ?? language
        try await mailer.send(Mail(
            to: person.email, subject: localizer.text("mail.reset.subject", language),
            body: localizer.text("mail.reset.body", language, ["name": person.name, "link": "\(baseURL)/atur-sandi/\(secret)"])
        ))
    }

    /// The token behind a reset or activation link, if it is still usable.
    public func passwordToken(_ secret: String) async throws -> PersonToken? {
        if let reset = try await PersonToken.usable(secret, purpose: .resetPassword, on: db) { return reset }
        return try await PersonToken.usable(secret, purpose: .activate, on: db)
    }

    /// Sets a new password through a reset or activation link. The link proves the address, so
    /// the email counts as verified afterwards.
    public func setPassword(token secret: String, password: String, confirmation: String) async throws -> Person? {
        guard let row = try await passwordToken(secret), let person = try await Person.find(row.personID, on: db) else {
            return nil
        }
        var problems = ProblemList()
        Self.check(password: password, confirmation: confirmation, into: &problems)
        try problems.throwIfAny()
        let hash = try await hasher.hash(password)
        try await db.transaction { tx in
            row.usedAt = Date()
            try await row.save(on: tx)
            person.passwordHash = hash
            person.emailVerifiedAt = person.emailVerifiedAt ?? Date()
            try await person.save(on: tx)
            // Any other outstanding reset link dies with this one.
            try await PersonToken.query(on: tx).filter(\.$personID == person.requireID())
                .filter(\.$purpose == .resetPassword).filter(\.$usedAt == nil).set(\.$usedAt, to: Date()).update()
        }
        return person
    }
}

/// Hashes and checks passwords off the event loop.
public protocol PasswordHashing: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, hash: String) async throws -> Bool
}

/// bcrypt through Vapor's thread pool.
struct BcryptHasher: PasswordHashing {
    let app: Application

    func hash(_ password: String) async throws -> String {
        try await app.password.async.hash(password).get()
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await app.password.async.verify(password, created: hash).get()
    }
}

extension Request {
    public var accounts: Accounts {
        Accounts(db: db, mailer: application.mailer, baseURL: application.gotong.baseURL, hasher: BcryptHasher(app: application))
    }
}

extension String {
    /// Trimmed, without control characters (line breaks and tabs kept), cut to `max` characters.
    /// PostgreSQL refuses NUL in text, and no form field has a use for the others.
    func trimmed(max: Int) -> String {
        let clean = unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        return String(String(String.UnicodeScalarView(clean)).trimmingCharacters(in: .whitespacesAndNewlines).prefix(max))
    }

    /// Whether the text holds a control character other than line breaks and tabs.
    var hasControlCharacters: Bool {
        unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) && $0 != "\n" && $0 != "\r" && $0 != "\t" }
    }
}
