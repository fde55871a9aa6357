import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Issue 12, items 6, 7 and 10: return paths that stay on the site, a sign-in throttle that a
/// stranger cannot turn against the account's owner, and sessions and API tokens that end.
@Suite("Identity hardening")
struct IdentityHardeningTests {
    // MARK: 6. Open redirect

    /// Every way off the site we know of; none may come back from the shared check.
    static let hostileReturnPaths: [String] = [
        "//evil.example", "//evil.example/x", "/\\evil.example", "\\\\evil.example", "/x\\y",
        "/%09/evil.example/x", "/\t/evil.example/x", "/\n/evil.example", "/%0A/evil.example", "/%0d%0a/evil.example",
        "/%2F/evil.example", "/%2f%2fevil.example", "/%252F/evil.example", "/%25252F%25252Fevil.example",
        "/%5Cevil.example", "/%5cevil.example", "/%255Cevil.example",
        "https://evil.example", "http:evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
        "evil.example", "./x", "", " /x", "/ /evil.example", "/%20/evil.example", "/%E3%80%80/evil.example", "/%00/x",
        "/" + String(repeating: "a", count: 5000),
    ]

    /// Ordinary addresses of ours, with queries and fragments; they come back as they are.
    static let ordinaryReturnPaths: [String] = [
        "/", "/t/bppk", "/t/bppk/kelola?tab=kursus&hal=2", "/katalog?q=manajemen+risiko&jp=20",
        "/katalog?q=manajemen%20risiko", "/t/lan/pelatihan/dasar-k3#materi-1", "/masuk?next=/t/bppk/kelola",
        "/%7Eberkas",
    ]

    @Test func theSharedCheckRefusesEveryWayOffTheSite() {
        for raw in Self.hostileReturnPaths {
            #expect(localPath(raw) == nil, "accepted: \(raw.debugDescription)")
            #expect(safeNext(raw, otherwise: "/saya") == "/saya", "sign-in would follow: \(raw.debugDescription)")
        }
        for raw in Self.ordinaryReturnPaths {
            #expect(localPath(raw) == raw, "refused: \(raw)")
        }
        #expect(localPath(nil) == nil)
        // never back to the sign-in page itself
        #expect(safeNext("/masuk?next=/t/bppk", otherwise: "/saya") == "/saya")
        #expect(safeNext("/t/bppk/kelola?tab=kursus", otherwise: "/saya") == "/t/bppk/kelola?tab=kursus")
        // none, or the front page's own "Masuk" link: one's own courses
        #expect(safeNext(nil, otherwise: "/saya") == "/saya")
        #expect(safeNext("/", otherwise: "/saya") == "/saya")
    }

    @Test(arguments: TestDatabase.all)
    func languageSwitchAndSignInStayOnTheSite(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let email = try await given.person(in: try await given.tenant()).email
            let browser = Browser(app)
            // the address from the issue, sent as written
            #expect(try await browser.get("/bahasa/en?next=/%09/evil.example/x").headers.first(name: .location) == "/")
            for raw in Self.hostileReturnPaths {
                let next = Self.queryValue(raw)
                let switched = try await browser.get("/bahasa/id?next=\(next)")
                #expect(
                    switched.headers.first(name: .location) == "/", "language switch followed \(raw.debugDescription)")
            }
            // a sign-in with a hostile next goes to one's own courses; an ordinary one where it said
            let hostile = try await browser.post(
                "/masuk",
                form: ["email": email, "password": TestData.password, "next": "/%09/evil.example/x"])
            #expect(hostile.status == .seeOther)
            #expect(hostile.headers.first(name: .location) == "/saya")
            // signed in, the sign-in page sends on to next at once: the same check
            for raw in Self.hostileReturnPaths {
                let page = try await browser.get("/masuk?next=\(Self.queryValue(raw))")
                #expect(page.headers.first(name: .location) == "/saya", "sign-in page followed \(raw.debugDescription)")
            }
            for raw in Self.ordinaryReturnPaths {
                let switched = try await browser.get("/bahasa/id?next=\(Self.queryValue(raw))")
                #expect(switched.headers.first(name: .location) == raw)
            }
            let again = Browser(app)
            let ordinary = try await again.post(
                "/masuk",
                form: [
                    "email": email, "password": TestData.password, "next": "/katalog?q=manajemen+risiko&jp=20",
                ])
            #expect(ordinary.headers.first(name: .location) == "/katalog?q=manajemen+risiko&jp=20")
        }
    }

    static func queryValue(_ raw: String) -> String {
        raw.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    // MARK: 7. Sign-in throttle

    @Test(arguments: TestDatabase.all)
    func aStrangerFailingCannotLockTheOwnerOut(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let pauses = PauseRecorder(app)
            let given = Given(app)
            let victim = try await given.person(in: try await given.tenant()).email
            let attacker = Visitor(app, from: "203.0.113.7")
            var statuses: [HTTPStatus] = []
            var last = ""
            for _ in 0..<30 {
                let reply = try await attacker.post("/masuk", form: ["email": victim, "password": "tebakan-salah"])
                statuses.append(reply.status)
                last = reply.body
            }
            #expect(statuses.prefix(LoginThrottle.lockAfter - 1).allSatisfy { $0 == .unauthorized })
            #expect(statuses.dropFirst(LoginThrottle.lockAfter - 1).allSatisfy { $0 == .tooManyRequests })
            #expect(last.contains("Terlalu banyak percobaan masuk yang gagal"))
            // slowed before the lock, each wait longer than the last, never on the event loop
            #expect(pauses.all == [.seconds(1), .seconds(2)])
            // the attacker's address stays locked out of the account, even with the right password
            #expect(
                try await attacker.post("/masuk", form: ["email": victim, "password": TestData.password]).status
                    == .tooManyRequests)
            let api = try await attacker.json(
                .POST, "/api/v1/tokens", ["email": victim, "password": TestData.password])
            #expect(api.status == .tooManyRequests)
            #expect((api.json["detail"] as? String)?.contains("Terlalu banyak percobaan") == true)

            // the owner, elsewhere, signs in at once
            let owner = Visitor(app, from: "198.51.100.20")
            let signedIn = try await owner.post("/masuk", form: ["email": victim, "password": TestData.password])
            #expect(signedIn.status == .seeOther)
            #expect(owner.cookies[SessionCookie.name] != nil)
            #expect(
                try await Visitor(app, from: "198.51.100.21").json(
                    .POST, "/api/v1/tokens", ["email": victim, "password": TestData.password]
                ).status == .created)
            #expect(pauses.all.count == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAddressFailingOnManyAccountsIsLockedOnlyThere(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let email = try await given.person(in: try await given.tenant()).email
            let pauses = PauseRecorder(app)
            let hasher = RecordingHasher(app, skipDummy: true)
            let sprayer = Visitor(app, from: "192.0.2.66")
            var statuses: [HTTPStatus] = []
            for i in 0..<LoginThrottle.lockAddressAfter {
                statuses.append(
                    try await sprayer.post(
                        "/masuk", form: ["email": "pegawai\(i)@contoh.go.id", "password": "Rahasia123"]
                    ).status)
            }
            #expect(statuses.dropLast().allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
            // every one of those was a real password check, against the stand-in hash
            #expect(hasher.verified.count == LoginThrottle.lockAddressAfter)
            #expect(hasher.verified.allSatisfy { $0 == Accounts.dummyHash })
            // slowed after ten failures: 1, 2, 4, then 8 seconds at most
            let waits = pauses.all
            #expect(waits.count == LoginThrottle.lockAddressAfter - LoginThrottle.slowAddressAfter)
            #expect(Array(waits.prefix(4)) == [.seconds(1), .seconds(2), .seconds(4), .seconds(8)])
            #expect(waits.allSatisfy { $0 <= .seconds(LoginThrottle.longestDelaySeconds) })
            // the address is locked for every account, and no password is checked while it is
            let locked = try await sprayer.post(
                "/masuk", form: ["email": email, "password": TestData.password])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.contains("Terlalu banyak percobaan"))
            #expect(hasher.verified.count == LoginThrottle.lockAddressAfter)
            // nobody else is
            let colleague = Visitor(app, from: "192.0.2.67")
            #expect(
                try await colleague.post("/masuk", form: ["email": email, "password": TestData.password])
                    .status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anUnknownAccountIsCheckedAgainstTheStandInHash(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let known = try await given.person(in: try await given.tenant())
            let hasher = RecordingHasher(app, skipDummy: false)
            let visitor = Visitor(app, from: "198.51.100.30")
            // no such account: the password is still checked, against the fixed stand-in hash
            #expect(
                try await visitor.post("/masuk", form: ["email": "tidak-ada@contoh.go.id", "password": "Rahasia123"])
                    .status == .unauthorized)
            #expect(hasher.verified == [Accounts.dummyHash])
            // an imported account that has no password yet: the same
            try await Person(name: "Belum Aktif", email: "belum-aktif@contoh.go.id").create(on: app.db)
            #expect(
                try await visitor.post("/masuk", form: ["email": "belum-aktif@contoh.go.id", "password": "Rahasia123"])
                    .status == .unauthorized)
            #expect(hasher.verified == [Accounts.dummyHash, Accounts.dummyHash])
            // a real account: its own hash
            #expect(
                try await visitor.post("/masuk", form: ["email": known.email, "password": "Rahasia123"]).status
                    == .unauthorized)
            let person = try #require(try await Person.find(email: known.email, on: app.db))
            #expect(hasher.verified.last == person.passwordHash)
            // the stand-in is a real bcrypt hash of the same cost as every stored one, so the
            // check costs the same: bcrypt's "$2b$12$" and a verify that answers rather than throws
            #expect(person.passwordHash?.prefix(7) == Accounts.dummyHash.prefix(7))
            #expect(try await BcryptHasher(app: app).verify("Rahasia123", hash: Accounts.dummyHash) == false)
        }
    }

    @Test(arguments: TestDatabase.all)
    func locksGrowWhileFailuresGoOnAndAQuietHourForgetsThem(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let throttle = LoginThrottle(db: app.db)
            let email = "sasaran@contoh.go.id", ip = "203.0.113.44"
            let start = Date()
            func attempt(at minutes: Double, _ who: String = email) async throws -> LoginThrottle.Verdict {
                try await throttle.begin(email: who, ip: ip, now: start.addingTimeInterval(minutes * 60))
            }
            func lock(_ verdict: LoginThrottle.Verdict) -> Date? {
                if case .go(let attempt) = verdict { return attempt.lockIfWrong }
                return nil
            }
            _ = try await attempt(at: 0, "lain@contoh.go.id")
            for _ in 1..<LoginThrottle.lockAfter { #expect(lock(try await attempt(at: 0)) == nil) }
            // the fifth failure locks this address out of the account for 15 minutes
            #expect(lock(try await attempt(at: 0)) == start.addingTimeInterval(15 * 60))
            guard case .locked(let until) = try await attempt(at: 1) else { Issue.record("not locked"); return }
            #expect(abs(until.timeIntervalSince(start) - 15 * 60) < 0.01)
            // after the lock, one more failure locks twice as long
            let second = try #require(lock(try await attempt(at: 16)))
            #expect(abs(second.timeIntervalSince(start) - (16 + 30) * 60) < 1)
            // an hour of quiet after the lock ends: counting starts again, without a wait
            guard case .go(let fresh) = try await attempt(at: 16 + 30 + 61) else {
                Issue.record("still locked"); return
            }
            #expect(fresh.lockIfWrong == nil)
            #expect(fresh.delay == .zero)
            // a success clears the pair and sweeps away counts quiet for an hour
            try await throttle.succeeded(fresh, now: start.addingTimeInterval((16 + 30 + 61) * 60))
            let keys = try await LoginAttempt.query(on: app.db).all().map(\.key)
            #expect(keys == [LoginThrottle.addressKey(ip)])
        }
    }

    @Test func forwardedForIsReadOnlyFromTrustedProxies() throws {
        let none = TrustedProxies.none
        #expect(none.clientAddress(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"]) == "203.0.113.9")
        #expect(none.clientAddress(peer: nil, forwardedFor: ["1.2.3.4"]) == "unknown")

        let proxies = try TrustedProxies(parsing: "10.0.0.0/8, 192.168.1.10, ::1")
        #expect(proxies.ranges.count == 3)
        // from a trusted proxy: the client it names
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.7"]) == "198.51.100.7")
        // a client's own invented entries sit to the left of what the proxy appended: ignored
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["6.6.6.6, 198.51.100.7"]) == "198.51.100.7")
        // two proxies, and the header split over two lines
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.7, 192.168.1.10"]) == "198.51.100.7")
        #expect(
            proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.7", "192.168.1.10"]) == "198.51.100.7")
        // not from a trusted proxy: the header means nothing
        #expect(proxies.clientAddress(peer: "198.51.100.99", forwardedFor: ["1.2.3.4"]) == "198.51.100.99")
        // garbage where the proxy should have written an address: the proxy itself
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["unknown"]) == "10.0.0.2")
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: []) == "10.0.0.2")
        // IPv6, ports, brackets, and IPv4 written as IPv6
        #expect(proxies.clientAddress(peer: "::1", forwardedFor: ["[2001:db8::1]:443"]) == "2001:db8::1")
        #expect(proxies.clientAddress(peer: "::ffff:10.0.0.2", forwardedFor: ["198.51.100.7:5123"]) == "198.51.100.7")
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: ["::ffff:198.51.100.7"]) == "198.51.100.7")

        for bad in ["10.0.0.0/33", "bukan-alamat", "10.0.0.1/", "10.0.0.1/8/8", "::1/129"] {
            #expect(throws: ConfigurationError.self, "accepted \(bad)") { try TrustedProxies(parsing: bad) }
        }
        #expect(try GotongConfig.load(environment: [:], directory: "/nonexistent").trustedProxies == .none)
        let loaded = try GotongConfig.load(
            environment: ["GOTONG_TRUSTED_PROXIES": "10.0.0.0/8, fd00::/8"], directory: "/nonexistent")
        #expect(loaded.trustedProxies.ranges.count == 2)
        #expect(throws: ConfigurationError.self) {
            try GotongConfig.load(
                environment: ["GOTONG_TRUSTED_PROXIES": "10.0.0.0/8, semua"], directory: "/nonexistent")
        }
    }

    @Test func theRequestsClientAddressFollowsTheConfiguredProxies() async throws {
        try await withConfiguredApp { app in
            func address(peer: String, forwardedFor: String) throws -> String {
                Request(
                    application: app, headers: ["X-Forwarded-For": forwardedFor],
                    remoteAddress: try SocketAddress(ipAddress: peer, port: 40000), on: app.eventLoopGroup.next()
                ).clientAddress
            }
            #expect(try address(peer: "10.0.0.2", forwardedFor: "198.51.100.7") == "10.0.0.2")
            app.gotong.trustedProxies = try TrustedProxies(parsing: "10.0.0.0/8")
            #expect(try address(peer: "10.0.0.2", forwardedFor: "198.51.100.7") == "198.51.100.7")
            #expect(try address(peer: "203.0.113.5", forwardedFor: "198.51.100.7") == "203.0.113.5")
        }
    }

    @Test(arguments: TestDatabase.all)
    func signInThrottleUsesTheForwardedAddressOnlyFromATrustedProxy(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            _ = PauseRecorder(app)
            let given = Given(app)
            let tenant = try await given.tenant()
            let account = try await given.person(in: tenant).email, email = try await given.person(in: tenant).email
            // untrusted peer: inventing a new X-Forwarded-For each time does not dodge the count
            let direct = Visitor(app, from: "203.0.113.80")
            var statuses: [HTTPStatus] = []
            for i in 0..<LoginThrottle.lockAfter {
                direct.headers = ["X-Forwarded-For": "100.64.0.\(i)"]
                statuses.append(
                    try await direct.post("/masuk", form: ["email": account, "password": "tebakan-salah"]).status)
            }
            #expect(statuses.last == .tooManyRequests)

            // behind the trusted load balancer each client is its own address
            app.gotong.trustedProxies = try TrustedProxies(parsing: "10.0.0.0/8")
            let balancer = Visitor(app, from: "10.0.0.2")
            balancer.headers = ["X-Forwarded-For": "198.51.100.7"]
            statuses = []
            for _ in 0..<LoginThrottle.lockAfter {
                statuses.append(
                    try await balancer.post("/masuk", form: ["email": email, "password": "tebakan-salah"])
                        .status)
            }
            #expect(statuses.last == .tooManyRequests)
            // another person behind the same balancer signs in to that account at once
            let colleague = Visitor(app, from: "10.0.0.2")
            colleague.headers = ["X-Forwarded-For": "198.51.100.8"]
            #expect(
                try await colleague.post("/masuk", form: ["email": email, "password": TestData.password])
                    .status == .seeOther)
        }
    }
}
