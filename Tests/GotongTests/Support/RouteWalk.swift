import Fluent
import Foundation
import NIOCore
import Synchronization
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongAssessment
@testable import GotongCatalog
@testable import GotongCredentials
@testable import GotongEvaluation
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

// The machinery of the route walk (`RouteWalkTests`): the records route parameters are filled
// with, the callers (one per role), and sending one call. The rules that judge the answers
// live in the test itself, where a reader looks for them.

/// The records of one tenant that a walk fills route parameters with: a published course with
/// one section holding an activity of every type, a forum thread with a reply, enrolments, a
/// category and a pending people import. Every text of it that is not public carries
/// `RouteWalk.marker(slug)`, so an answer that shows it to an outsider is caught by its body.
struct WalkRecords: Sendable {
    let slug: String
    let tenantID: UUID
    let courseID: UUID
    let courseSlug: String
    let sectionID: UUID
    /// Activity ids by type key (`page`, `video`, `file`, `link`, `forum`).
    let activities: [String: UUID]
    let threadID: UUID?
    let enrolmentID: UUID?
    let categoryID: UUID?
    let importID: UUID?
    /// The question bank's: a category, a question in it, and a question file awaiting its preview.
    var bank = BankRecords()
    /// The verification code of the first learner's certificate of the course.
    var certificateCode: String?
    /// A record of learning elsewhere by the first learner, awaiting their home institution.
    var ledgerEntryID: UUID?
    /// The tenant's evaluation form (a copy of the template's course form) and its first question.
    var evaluationFormID: UUID?
    var evaluationItemID: UUID?
    /// The link mailed to the first learner's supervisor for the course's follow-up.
    var supervisorToken: String?
    /// A live programme and its episode (on air now, so claims are taken).
    var programmeSlug: String?
    var episodeNumber: Int?
    /// A citizen's case at the tenant's service desk, and a photo its citizen sent.
    var caseNumber: String?
    var attachmentID: UUID?
    var serviceID: UUID?
    var serviceSlug: String?
    var documentID: UUID?
    var factCheckID: UUID?
    var postID, formFileID, consultationID: UUID?
    var qaSessionID: UUID?

    struct BankRecords: Sendable {
        var categoryID: UUID?
        var questionID: UUID?
        var importID: UUID?
        /// The quiz's slot holding that question, and a learner's attempt at it.
        var quizSlotID: UUID?
        var attemptID: UUID?
        /// A learner's handed-in assignment, and its file.
        var submissionID: UUID?
        var assignmentFileID: UUID?
    }

    static let activityTypes = ["page", "video", "file", "link", "forum", "quiz", "assignment"]

    /// ``make(_:tenantSlug:n:)``, tried again when SQLite refuses a transaction with "database is
    /// locked" (a read-then-write transaction that met the jobs worker's write: see the report
    /// of the walk). Returns the records and how many tries were refused.
    static func makeRetrying(_ app: Application, slug: String?, n: Int) async throws -> (WalkRecords, Int) {
        try await RouteWalk.retryingLocked { attempt in try await make(app, slug: slug, n: n * 100 + attempt) }
    }

    /// Builds a fresh set of records in tenant `slug` (`nil`: the master template), numbered `n`
    /// so slugs never clash with an earlier set.
    static func make(_ app: Application, slug: String?, n: Int) async throws -> WalkRecords {
        var step = "start"
        do {
            return try await make(app, slug: slug, n: n, step: &step)
        } catch {
            throw FixtureError(step: step, underlying: error)
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        let step: String
        let underlying: any Error
        var description: String { "\(underlying) (while making the walk's records: \(step))" }
    }

    private static func make(_ app: Application, slug: String?, n: Int, step: inout String) async throws -> WalkRecords
    {
        let db = app.db
        let tenant: Tenant
        if let slug {
            tenant = try #require(try await Tenant.find(slug: slug, on: db), "no demo tenant \(slug)")
        } else {
            tenant = try await Tenant.master(on: db)
        }
        let tenantID = try tenant.requireID()
        let name = slug ?? "master"
        let mark = RouteWalk.marker(name)

        var change = CourseChange()
        change.title = "Jelajah Rute \(name) \(n)"
        change.slug = "rw-\(name)-\(n)"
        change.summary = "Pelatihan untuk uji jelajah rute."
        change.enrolmentMode = Course.EnrolmentMode.open.rawValue
        if let slug {
            change.trainers = ["pengajar@\(slug).gotong.test"]
            change.coordinators = ["pengelola@\(slug).gotong.test"]
        }
        let workflow = CourseWorkflow(db: db)
        step = "CourseWorkflow.create"
        let course = try await workflow.create(in: TenantID(tenantID), change)
        if slug != nil {
            step = "CourseWorkflow.publish"
            try await workflow.publish(course)
            step = "CourseWorkflow.approve"
            _ = try await workflow.approve(course)
        }
        step = "CourseStructure.addSection"

        let structure = app.learning.structure(of: course, on: db, files: app.files)
        let section = try await structure.addSection(title: "Topik \(mark)")
        var activities: [String: UUID] = [:]
        for type in activityTypes {
            var a = ActivityChange()
            a.type = type
            a.title = "Materi \(type) \(mark)"
            switch type {
            case "page": a.settings = ["body": .string("Isi halaman \(mark).")]
            case "video": a.settings = ["url": .string("https://youtu.be/dQw4w9WgXcQ")]
            case "link": a.settings = ["url": .string("https://contoh.go.id/\(mark)")]
            case "file":
                a.files["file"] = try await ReceivedFile.holding(
                    ByteBuffer(string: "%PDF-1.4\n% \(mark)\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"),
                    filename: "modul-\(mark).pdf", app: app)
            default: break
            }
            step = "CourseStructure.addActivity(\(type))"
            activities[type] = try await structure.addActivity(to: section, a).requireID()
        }

        var threadID: UUID?, enrolmentID: UUID?, categoryID: UUID?, importID: UUID?
        if let slug {
            // Two learners of the tenant enrol; the first opens a thread and the second replies.
            let viewer = CatalogViewer(tenantIDs: [tenantID])
            var learners: [Person] = []
            for prefix in ["peserta1", "peserta2"] {
                let person = try #require(try await Person.find(email: "\(prefix)@\(slug).gotong.test", on: db))
                step = "EnrolmentService.enrol"
                let enrolment = try await EnrolmentService(db: db).enrol(person, in: course, viewer: viewer).enrolment
                learners.append(person)
                enrolmentID = try enrolment.requireID()
            }
            step = "forum thread (API)"
            let forum = try #require(activities["forum"])
            let first = try await RouteWalk.api(
                app, person: learners[0], .POST, "/api/v1/activities/\(forum)/threads",
                ["title": "Utas \(mark)", "body": "Pertanyaan \(mark)"])
            #expect(first.status == .created, "fixture thread: \(first.status) \(first.body.prefix(300))")
            if let id = ((first.json["thread"] as? [String: Any])?["id"] as? String).flatMap(UUID.init(uuidString:)) {
                threadID = id
                let reply = try await RouteWalk.api(
                    app, person: learners[1], .POST, "/api/v1/activities/\(forum)/threads/\(id)/replies",
                    ["body": "Balasan \(mark)"])
                #expect(reply.status == .created, "fixture reply: \(reply.status)")
            }
            step = "imports"
            let admin = try #require(try await Person.find(email: "admin@\(slug).gotong.test", on: db))
            let pending = PendingImport(
                tenantID: tenantID, createdBy: try admin.requireID(), filename: "rw-\(n).csv",
                content:
                    """
                    nama,email,nip,unit_kerja,jabatan,peran\nRahasia \
                    \(mark),rahasia.rw\(n)@\(slug).gotong.test,,,,peserta\n
                    """
            )
            try await pending.create(on: db)
            importID = try pending.requireID()
        }
        // The master template has categories too (new tenants copy them); it takes no enrolments.
        step = "categories"
        let category = TenantCategory(
            tenantID: tenantID, slug: "rw-\(n)", name: "Kategori Jelajah \(n)", position: 100 + n)
        try await category.create(on: db)
        categoryID = try category.requireID()
        var records = WalkRecords(
            slug: name, tenantID: tenantID, courseID: try course.requireID(), courseSlug: course.slug,
            sectionID: try section.requireID(), activities: activities, threadID: threadID,
            enrolmentID: enrolmentID, categoryID: categoryID, importID: importID)
        try await addAssessment(to: &records, app, slug: slug, n: n, step: &step)
        if let slug {
            try await addCredentials(to: &records, app, slug: slug, step: &step)
            try await addLive(to: &records, app, slug: slug, step: &step)
            try await addDesk(to: &records, app, slug: slug, step: &step)
        }
        return records
    }
}

/// Records that belong to one person rather than a tenant: an API token (not the one the caller
/// uses), an email-verification link and a password-reset link.
struct PersonRecords: Sendable {
    let email: String
    let apiTokenID: UUID
    let verifyToken: String
    let resetToken: String

    static func make(_ app: Application, email: String) async throws -> PersonRecords {
        let person = try #require(try await Person.find(email: email, on: app.db), "no person \(email)")
        let personID = try person.requireID()
        let (token, _) = try await APIToken.create(for: personID, name: "jelajah cadangan", on: app.db)
        let (verify, verifySecret) = PersonToken.issue(for: personID, purpose: .verifyEmail)
        try await verify.create(on: app.db)
        let (reset, resetSecret) = PersonToken.issue(for: personID, purpose: .resetPassword)
        try await reset.create(on: app.db)
        return PersonRecords(
            email: email, apiTokenID: try token.requireID(), verifyToken: verifySecret, resetToken: resetSecret)
    }
}

/// Who calls: anonymous, or one demo account signed in on the web (cookies, CSRF field) and
/// holding an API token.
final class WalkCaller: @unchecked Sendable {
    let role: String
    let email: String?
    let app: Application
    let browser: Browser
    private(set) var token: String?
    private(set) var personID: UUID?
    var isPlatformAdmin = false
    /// Slugs of the tenants this person holds any role in.
    var memberOf: Set<String> = []

    init(app: Application, role: String, email: String?) {
        self.app = app
        self.role = role
        self.email = email
        browser = Browser(app)
    }

    var isAnonymous: Bool { email == nil }

    /// Signs in on the web and takes an API token (made directly, so the login throttle does not
    /// count a walk that signs in again and again).
    func signIn() async throws {
        guard let email else { return }
        let person = try #require(try await Person.find(email: email, on: app.db))
        personID = try person.requireID()
        isPlatformAdmin = person.isPlatformAdmin
        memberOf = Set(try await TenantLink.memberships(of: try person.requireID(), on: app.db).map(\.slug))
        browser.cookies = [CSRF.cookieName: Browser.csrf]
        let response = try await browser.post("/masuk", form: ["email": email, "password": TestData.password])
        #expect(
            response.status == .seeOther && browser.cookies[SessionCookie.name] != nil,
            "sign-in of \(email) answered \(response.status)")
        token = try await APIToken.create(for: try person.requireID(), name: "jelajah", on: app.db).1
    }

    /// After a call that may have ended the session or revoked the token (signing out, signing
    /// out everywhere, revoking a token), signs in again or takes a new token, so the walk goes
    /// on as this role. Returns whether it had to. `ask`: ask the server whether the session
    /// still holds the person (signing out keeps the cookie of an emptied session); otherwise
    /// only a cookie that is gone counts.
    @discardableResult
    func stayInside(ask: Bool) async throws -> Bool {
        guard !isAnonymous, let personID else { return false }
        var signedOut = browser.cookies[SessionCookie.name] == nil
        if !signedOut, ask {
            let profile = try await browser.get("/profil")
            signedOut = profile.status != .ok
        }
        if signedOut {
            try await signIn()
            return true
        }
        if let token, try await APIToken.owner(of: token, on: app.db) != nil { return false }
        token = try await APIToken.create(for: personID, name: "jelajah", on: app.db).1
        return true
    }
}

/// One answer, as much of it as the rules need.
struct WalkReply: Sendable {
    let status: HTTPStatus
    let location: String?
    let body: String
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:] }
}

enum RouteWalk {
    /// What SQLite refused as locked while the walk made its records, and how often.
    static let lockedSteps = Mutex<[String: Int]>([:])

    /// Text every non-public record of tenant `slug` carries.
    static func marker(_ slug: String) -> String { "RWSECRET-\(slug)" }

    /// `GET /t/:tenantSlug/…` as a key for lists and messages.
    static func key(_ route: Route) -> String {
        "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
    }

    /// Sends one call as `caller`: API paths with the bearer token and a `{}` body, web paths
    /// with the browser's cookies and, for anything but GET, a form holding only the CSRF field.
    static func send(_ caller: WalkCaller, _ method: HTTPMethod, _ path: String) async throws -> WalkReply {
        let response: TestingHTTPResponse
        if path.hasPrefix("/api/") {
            var headers = HTTPHeaders()
            if let token = caller.token { headers.bearerAuthorization = .init(token: token) }
            var body = ByteBuffer()
            if method != .GET && method != .HEAD {
                headers.contentType = .json
                body = ByteBuffer(string: "{}")
            }
            response = try await caller.app.testing().performTest(
                request: .init(method: method, url: .init(string: path), headers: headers, body: body))
        } else if method == .GET || method == .HEAD {
            response = try await caller.browser.send(method, path)
        } else {
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            response = try await caller.browser.send(
                method, path, headers: headers, body: ByteBuffer(string: "\(CSRF.fieldName)=\(Browser.csrf)"))
        }
        return WalkReply(
            status: response.status, location: response.headers.first(name: .location),
            body: String(decoding: response.body.readableBytesView, as: UTF8.self))
    }

    /// A JSON API call as `person` with a token made for it, for building fixtures.
    static func api(
        _ app: Application, person: Person, _ method: HTTPMethod, _ path: String, _ object: [String: Any]
    ) async throws -> WalkReply {
        let secret = try await APIToken.create(for: try person.requireID(), name: "jelajah fixture", on: app.db).1
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: secret)
        headers.contentType = .json
        let response = try await app.testing().performTest(
            request: .init(
                method: method, url: .init(string: path), headers: headers,
                body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: object))))
        return WalkReply(
            status: response.status, location: response.headers.first(name: .location),
            body: String(decoding: response.body.readableBytesView, as: UTF8.self))
    }

    /// A failed background job, for the administrator's retry page. Written with SQL so the walk
    /// does not depend on the jobs module's Swift types; nil if the table is not there.
    static func failedJob(_ app: Application) async -> UUID? {
        guard let sql = app.db as? any SQLDatabase else { return nil }
        let id = UUID()
        let now = Date()
        do {
            try await sql.insert(into: "jobs")
                .columns(
                    "id", "kind", "payload", "status", "attempts", "run_at", "last_error", "created_at", "updated_at"
                )
                .values(
                    SQLBind(id), SQLBind("route-walk.noop"), SQLBind("{}"), SQLBind("failed"), SQLBind(3), SQLBind(now),
                    SQLBind("gagal untuk uji jelajah"), SQLBind(now), SQLBind(now)
                )
                .run()
            return id
        } catch {
            return nil
        }
    }

    /// Runs `body` again (up to 20 times) when SQLite refused one of its transactions with
    /// "database is locked"; returns its result and how many times it was refused.
    static func retryingLocked<T>(_ body: (Int) async throws -> T) async throws -> (T, Int) {
        var refused = 0
        while true {
            do {
                return (try await body(refused), refused)
            } catch  where refused < 20 && "\(error)".contains("database is locked") {
                refused += 1
                lockedSteps.withLock { $0["\(error)", default: 0] += 1 }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    /// Percent-encodes a value for a query or a path segment.
    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? value
    }
}
