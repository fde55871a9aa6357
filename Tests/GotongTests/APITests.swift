import Fluent
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

@Suite("JSON API")
struct APITests {
    static func token(_ app: Application, _ email: String) async throws -> HTTPHeaders {
        let response = try await app.testing().performTest(
            request: .init(
                method: .POST, url: "/api/v1/tokens", headers: ["Content-Type": "application/json"],
                body: ByteBuffer(string: #"{"email":"\#(email)","password":"\#(TestData.password)"}"#)))
        #expect(response.status == .created)
        let token = try response.content.decode([String: String].self)["token"] ?? ""
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: token)
        return headers
    }

    @Test(arguments: TestDatabase.all)
    func tokenActsWithThePersonsRoles(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a learner of two institutions, with a token
            let given = Given(app)
            let person = try await given.person(in: [try await given.tenant(), try await given.tenant()])
            let learner = try await Self.token(app, person.email)

            // when they ask who they are, then the API answers as them, with both institutions
            let me = try await app.testing().performTest(
                request: .init(method: .GET, url: "/api/v1/me", headers: learner, body: .init()))
            #expect(me.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(me.body.readableBytesView)) as? [String: Any]
            #expect(json?["email"] as? String == person.email)
            #expect((json?["tenants"] as? [[String: Any]])?.count == 2)

            // when they try what only a platform administrator may, then they are refused
            var headers = learner
            headers.contentType = .json
            let create = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: "/api/v1/tenants", headers: headers,
                    body: ByteBuffer(string: #"{"slug":"x-y","name":"X","kind":"lembaga"}"#)))
            #expect(create.status == .forbidden)
            #expect(create.headers.contentType?.description.hasPrefix("application/problem+json") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func platformAdminCreatesATenantAndSeesProvisioningTime(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            var headers = try await Self.token(app, try await Given(app).platformAdmin().email)
            headers.contentType = .json
            let response = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: "/api/v1/tenants", headers: headers,
                    body: ByteBuffer(string: #"{"slug":"bkn","name":"Badan Kepegawaian Negara","kind":"lembaga"}"#)))
            #expect(response.status == .created)
            let json = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            #expect(json?["slug"] as? String == "bkn")
            let ms = try #require(json?["provisioning_ms"] as? Double)
            // Provisioning time is measured by scripts/bench-tenants; here it only has to be reported.
            #expect(ms > 0)
            let again = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: "/api/v1/tenants", headers: headers,
                    body: ByteBuffer(string: #"{"slug":"bkn","name":"Lagi","kind":"lembaga"}"#)))
            #expect(again.status == .conflict)
            let problem = try problem(again)
            #expect(problem.errors?.first?.field == "slug")
            #expect(problem.errors?.first?.message.contains("sudah dipakai") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func problemsComeInTheCallersLanguage(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a tenant administrator
            let given = Given(app)
            let tenant = try await given.tenant()
            let admin = try await given.person("Admin Uji", in: tenant, roles: [.admin])
            let importPath = "/api/v1/tenants/\(tenant.slug)/people/import"
            var headers = try await Self.token(app, admin.email)
            headers.replaceOrAdd(name: .acceptLanguage, value: "en-GB,en;q=0.8")
            headers.contentType = HTTPMediaType(type: "text", subType: "csv")
            let csv = "nama,email,nip,unit_kerja,jabatan,peran\nA,not-an-email,,,,peserta\n"
            let response = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: .init(string: importPath + "?dry_run=true"),
                    headers: headers, body: ByteBuffer(string: csv)))
            #expect(response.status == .unprocessableEntity)
            let problem = try problem(response)
            #expect(problem.errors?.first?.row == 2)
            #expect(problem.errors?.first?.field == "email")
            #expect(problem.errors?.first?.message == "The email \u{201C}not-an-email\u{201D} is not valid.")
            let ok = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: .init(string: importPath + "?dry_run=true"), headers: headers,
                    body: ByteBuffer(string: "nama,email,nip,unit_kerja,jabatan,peran\nA,a@contoh.go.id,,,,peserta\n")))
            #expect(ok.status == .ok)
            #expect(try await Person.find(email: "a@contoh.go.id", on: app.db) == nil)
            let committed = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: .init(string: importPath), headers: headers,
                    body: ByteBuffer(string: "nama,email,nip,unit_kerja,jabatan,peran\nA,a@contoh.go.id,,,,peserta\n")))
            #expect(committed.status == .created)
            #expect(try await Person.find(email: "a@contoh.go.id", on: app.db) != nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func bearerCallsNeverCreateSessionsAndCookiesNeverAuthoriseTheAPI(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let admin = try await Given(app).platformAdmin()
            let token = try await Self.token(app, admin.email)
            let me = try await app.testing().performTest(
                request: .init(method: .GET, url: "/api/v1/me", headers: token, body: .init()))
            #expect(me.status == .ok)
            #expect(me.headers.setCookie == nil)
            #expect(try await SessionRecord.query(on: app.db).count() == 0)
            // a signed-in web session does not open the API
            let browser = Browser(app)
            try await browser.signIn(admin.email)
            let viaCookie = try await browser.get("/api/v1/me")
            #expect(viaCookie.status == .unauthorized)
            #expect(viaCookie.headers.first(name: .wwwAuthenticate) == "Bearer")
        }
    }

    @Test(arguments: TestDatabase.all)
    func oddInputIsRefusedCleanly(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a platform administrator and one tenant
            let given = Given(app)
            let tenant = try await given.tenant()
            var headers = try await Self.token(app, try await given.platformAdmin().email)
            #expect(
                try await app.testing().performTest(
                    request: .init(method: .GET, url: "/api/v1/tenants/a%00b", headers: headers, body: .init())
                ).status == .notFound)
            headers.contentType = HTTPMediaType(type: "text", subType: "csv")
            let csv = "nama,email,nip,unit_kerja,jabatan,peran\nA,a@contoh.go.id,,,,peserta\n"
            let maybe = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: .init(string: "/api/v1/tenants/\(tenant.slug)/people/import?dry_run=yes"),
                    headers: headers, body: ByteBuffer(string: csv)))
            #expect(maybe.status == .unprocessableEntity)
            #expect(try await Person.find(email: "a@contoh.go.id", on: app.db) == nil)
            let nul = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: .init(string: "/api/v1/tenants/\(tenant.slug)/people/import"),
                    headers: headers,
                    body: ByteBuffer(
                        string: "nama,email,nip,unit_kerja,jabatan,peran\nA,a@contoh.go.id,,u\u{0}k,,admin\n")))
            #expect(nul.status == .unprocessableEntity)
            headers.contentType = .json
            let created = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: "/api/v1/tenants", headers: headers,
                    body: ByteBuffer(string: #"{"slug":"nul-test","name":"a\u0000b","kind":"lainnya"}"#)))
            #expect(created.status == .created)
            #expect(try await Tenant.find(slug: "nul-test", on: app.db)?.name == "ab")
            let nonASCII = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: "/api/v1/tenants", headers: headers,
                    body: ByteBuffer(string: #"{"slug":"q\u0301q","name":"Q","kind":"lainnya"}"#)))
            #expect(nonASCII.status == .unprocessableEntity)
        }
    }

    @Test(arguments: TestDatabase.all)
    func wrongPasswordGetsA401Problem(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let email = try await given.person(in: try await given.tenant()).email
            let response = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: "/api/v1/tokens", headers: ["Content-Type": "application/json"],
                    body: ByteBuffer(string: #"{"email":"\#(email)","password":"salah"}"#)))
            #expect(response.status == .unauthorized)
            #expect(try problem(response).detail == "Email atau kata sandi salah.")
        }
    }

    /// Every operation in the OpenAPI document is a real route, and every API route is documented,
    /// its path parameters under the names the router reads (`{courseID}` is `:courseID`).
    @Test func openAPIDocumentMatchesTheRoutes() async throws {
        try await withConfiguredApp { app in
            let answer = try await app.testing().performTest(
                request: .init(method: .GET, url: "/api/v1/openapi.json", headers: [:], body: .init()))
            #expect(answer.headers.contentType == .json)
            let document = try JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView)) as? [String: Any]
            #expect(document?["openapi"] as? String == "3.1.0")
            let paths = try #require(document?["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths {
                // A path with servers of its own (the platforms' webhooks) sits at the root.
                let base = operations["servers"] == nil ? "/api/v1" : ""
                for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    let normalised =
                        base
                        + path.replacingOccurrences(of: #"\{([^}]+)\}"#, with: ":$1", options: .regularExpression)
                    documented.insert("\(method.uppercased()) \(normalised)")
                }
            }
            let served = Set(
                app.routes.all
                    .filter { $0.path.first == .constant("api") || $0.path.first == .constant("hooks") }
                    .map { route in
                        "\(route.method.rawValue) /"
                            + route.path.map(\.description).joined(separator: "/")
                    })
            #expect(
                documented.subtracting(served).isEmpty,
                "documented but not served: \(documented.subtracting(served).sorted())")
            #expect(
                served.subtracting(documented).isEmpty,
                "served but not documented: \(served.subtracting(documented).sorted())")
            // Every operation that requires a JSON body says what a body of another type, or one
            // that does not parse, gets (the shared body decoding answers 415 and 400 for all).
            var unstated: [String] = []
            for (path, operations) in paths {
                for (method, operation) in operations {
                    guard let operation = operation as? [String: Any],
                        let body = operation["requestBody"] as? [String: Any], body["required"] as? Bool == true,
                        let content = body["content"] as? [String: Any], Array(content.keys) == ["application/json"],
                        let responses = operation["responses"] as? [String: Any]
                    else { continue }
                    for status in ["400", "415"] where responses[status] == nil {
                        unstated.append("\(method.uppercased()) \(path) \(status)")
                    }
                }
            }
            #expect(unstated.isEmpty, "bodies whose refusals are not documented: \(unstated.sorted())")
        }
    }
}

@Suite("Health")
struct HealthTests {
    @Test(arguments: TestDatabase.all)
    func answers200WhenTheDatabaseAnswers(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let status = try await Browser(app).get("/healthz").status
            #expect(status == .ok)
        }
    }

    @Test func answers503WhenTheDatabaseIsDown() async throws {
        // Nothing listens on port 1; the pool's connect fails fast.
        try await withConfiguredApp(.postgres(url: "postgres://nobody@127.0.0.1:1/none")) { app in
            let status = try await Browser(app).get("/healthz").status
            #expect(status == .serviceUnavailable)
        }
    }
}

/// Decodes an RFC 9457 problem document.
func problem(_ response: TestingHTTPResponse) throws -> ProblemDetails {
    #expect(response.headers.contentType?.description.hasPrefix("application/problem+json") == true)
    return try JSONDecoder().decode(ProblemDetails.self, from: Data(response.body.readableBytesView))
}

@Suite("HTTP semantics")
struct HTTPSemanticsTests {
    @Test func knownPathWithAnotherMethodAnswers405WithAllow() async throws {
        try await withConfiguredApp { app in
            let response = try await app.testing().performTest(
                request: .init(method: .PUT, url: "/api/v1/tenants", headers: [:], body: .init()))
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers.first(name: .allow)?.contains("GET") == true)
            #expect(response.headers.first(name: .allow)?.contains("POST") == true)
            let unknown = try await app.testing().performTest(
                request: .init(method: .GET, url: "/api/v1/nothing-here", headers: [:], body: .init()))
            #expect(unknown.status == .notFound)
        }
    }
}
