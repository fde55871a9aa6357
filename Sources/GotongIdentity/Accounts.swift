import Fluent
import GotongPlatform
import GotongTenancy
import Vapor

/// Account life cycle: registration, email verification, password reset and activation.
/// Web handlers and commands call these; none of them touch the tables directly.
public struct Accounts: Sendable {
    public static let minimumPasswordLength = 8

    let db: any Database
    let mailer: any Mailer
    let baseURL: String
    let hasher: any PasswordHashing
    /// How sign-in waits when the throttle slows it: `Task.sleep`, which frees the event loop.
    var pause: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }

    /// A bcrypt hash (cost 12, Vapor's default and so the cost of every stored hash) of a
    /// password nobody knows. A sign-in for an address with no account, or an account with no
    /// password yet, is checked against it, so it takes the time of a real check and its timing
    /// does not tell which addresses have accounts.
    public static let dummyHash = "$2b$12$4.hj.pjNDfyna1skcIwjp.UX5EGb/dZfW1uL680E9zh7BqGwQOqWe"

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
        /// Wrong email or password (never says which), with what the next wrong try will do.
        case failed(LoginThrottle.Warning?)
        /// Too many failures for this account or address; tries are refused until then.
        case locked(until: Date)
        /// Right password, but the email is not verified yet.
        case unverified
    }

    /// Checks an email and password under the sign-in throttle (see ``LoginThrottle``): failures
    /// slow, then lock, only the address they come from, for that account or (after many) for
    /// all. Used by the sign-in page and by `POST /api/v1/tokens`, so both are guarded the same way.
    public func signIn(email: String, password: String, from ip: String) async throws -> SignIn {
        let throttle = LoginThrottle(db: db)
        let attempt: LoginThrottle.Attempt
        switch try await throttle.begin(email: email, ip: ip) {
        case .locked(let until): return .locked(until: until)
        case .go(let go): attempt = go
        }
        if attempt.delay > .zero { try await pause(attempt.delay) }
        let person = try await Person.find(email: email, on: db)
        let hash = person?.passwordHash
        let valid = try await hasher.verify(password, hash: hash ?? Self.dummyHash)
        guard valid, hash != nil, let person else {
            if let until = attempt.lockIfWrong { return .locked(until: until) }
            return .failed(attempt.warning)
        }
        try await throttle.succeeded(attempt)
        guard person.emailVerifiedAt != nil else { return .unverified }
        return .success(person)
    }

    /// Ends every session of a person but `kept`, and every API token: after a password reset,
    /// and when the person asks to be signed out everywhere.
    public func endSessions(of personID: UUID, except kept: SessionID?) async throws {
        try await db.lockingTransaction { tx in
            try await PersonSession.end(of: personID, except: kept, on: tx)
            try await APIToken.revokeAll(of: personID, on: tx)
        }
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
        let name = problems.text(form.name, "name", max: 200, required: "identity.error.name_required")
        let unitKerja = problems.text(form.unitKerja, "unit_kerja", max: 200)
        let jabatan = problems.text(form.jabatan, "jabatan", max: 200)
        let email = Person.normalise(email: form.email)
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
        let person = Person(
            name: name, email: email, nip: nip, unitKerja: unitKerja, jabatan: jabatan, passwordHash: hash,
            locale: language.rawValue)
        let link = try await db.lockingTransaction { tx in
            try await person.create(on: tx)
            let (token, secret) = PersonToken.issue(for: try person.requireID(), purpose: .verifyEmail)
            try await token.create(on: tx)
            return baseURL + IdentityRoute.verify(.value(MailedSecret(rawValue: secret))).path
        }
        try await mailer.send(
            Mail(
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
        try await db.lockingTransaction { tx in
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
        try await mailer.send(
            Mail(
                to: person.email, subject: localizer.text("mail.reset.subject", language),
                body: localizer.text(
                    "mail.reset.body", language, ["name": person.name, "link": "\(baseURL)/atur-sandi/\(secret)"])
            ))
    }

    /// The token behind a reset or activation link, if it is still usable.
    public func passwordToken(_ secret: String) async throws -> PersonToken? {
        if let reset = try await PersonToken.usable(secret, purpose: .resetPassword, on: db) { return reset }
        return try await PersonToken.usable(secret, purpose: .activate, on: db)
    }

    /// Sets a new password through a reset or activation link. The link proves the address, so
    /// the email counts as verified afterwards. Whoever knew the old password may have signed in
    /// with it, so every other session and every API token of the person ends here too, and the
    /// failed sign-ins counted against the account are forgotten.
    public func setPassword(
        token secret: String, password: String, confirmation: String,
        keeping kept: SessionID? = nil
    ) async throws -> Person? {
        guard let row = try await passwordToken(secret), let person = try await Person.find(row.personID, on: db) else {
            return nil
        }
        var problems = ProblemList()
        Self.check(password: password, confirmation: confirmation, into: &problems)
        try problems.throwIfAny()
        let hash = try await hasher.hash(password)
        try await db.lockingTransaction { tx in
            row.usedAt = Date()
            try await row.save(on: tx)
            person.passwordHash = hash
            person.emailVerifiedAt = person.emailVerifiedAt ?? Date()
            try await person.save(on: tx)
            // Any other outstanding reset link dies with this one.
            try await PersonToken.query(on: tx).filter(\.$personID == person.requireID())
                .filter(\.$purpose == .resetPassword).filter(\.$usedAt == nil).set(\.$usedAt, to: Date()).update()
            try await PersonSession.end(of: person.requireID(), except: kept, on: tx)
            try await APIToken.revokeAll(of: person.requireID(), on: tx)
            try await LoginThrottle(db: tx).clear(email: person.email)
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
package struct BcryptHasher: PasswordHashing {
    let app: Application

    package init(app: Application) {
        self.app = app
    }

    package func hash(_ password: String) async throws -> String {
        try await app.password.async.hash(password).get()
    }

    package func verify(_ password: String, hash: String) async throws -> Bool {
        try await app.password.async.verify(password, created: hash).get()
    }
}

extension Request {
    public var accounts: Accounts {
        Accounts(
            db: db, mailer: application.mailer, baseURL: application.gotong.baseURL,
            hasher: application.passwordHashing,
            pause: application.signInPause)
    }
}

extension Application {
    private struct HashingKey: StorageKey { typealias Value = any PasswordHashing }
    private struct PauseKey: StorageKey { typealias Value = @Sendable (Duration) async throws -> Void }

    /// How passwords are hashed and checked: bcrypt, unless a test puts in one that records.
    public var passwordHashing: any PasswordHashing {
        get { storage[HashingKey.self] ?? BcryptHasher(app: self) }
        set { storage[HashingKey.self] = newValue }
    }

    /// How a slowed sign-in waits: `Task.sleep`, unless a test puts in one that records.
    public var signInPause: @Sendable (Duration) async throws -> Void {
        get { storage[PauseKey.self] ?? { try await Task.sleep(for: $0) } }
        set { storage[PauseKey.self] = newValue }
    }
}
