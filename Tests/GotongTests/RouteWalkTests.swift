import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

@Suite("Route walk", .serialized)
struct RouteWalkTests {
    // The route walk: every route the router holds (`app.routes.all`, so a new route is walked the
    // day it is added), called as every role, with the records of the caller's own tenant, of
    // another tenant, and mixed (the caller's tenant in the address, the other tenant's record
    // ids after it), then once more with hostile values in every query parameter and in every
    // path parameter. It catches classes of mistakes rather than instances:
    //
    // - **no answer is a 5xx**, and nothing traps (a trap ends the test process: that fails too);
    // - **another tenant's ids never answer with its data** to someone who is not a member of that
    //   tenant, except where the product means the data to be public (`publicByDesign`) or where
    //   the person learns in that course (`learning`, checked against their enrolment at the time
    //   of the call);
    // - **a tenant in the address never reaches another tenant's records** (mixed ids), for
    //   anyone, platform administrators included;
    // - **platform pages answer only platform administrators**, and **management answers no
    //   learner and nobody signed out**;
    // - **no answer shows another tenant's private text** (`RouteWalk.marker`, carried by every
    //   non-public record of the fixture) or its members' addresses to an outsider.
    //
    // A parameter the walk has no value for fails the test with "add a value for :name", so a new
    // route cannot be skipped silently.

    // MARK: What the product means to be public

    /// Routes that answer anyone about any tenant: the storefront a citizen reads, joining as a
    /// learner, and the marketplace — published courses, their pages and covers, enrolling in
    /// them and withdrawing. A route not listed here, under another tenant's slug or with another
    /// tenant's ids, must answer an outsider 401/403/404 (or send them to sign in).
    static let publicByDesign: Set<String> = [
        "GET /t/:slug", "GET /t/:slug/halaman/:key", "GET /t/:slug/logo", "POST /t/:slug/gabung",
        "GET /t/:slug/pelatihan", "GET /t/:slug/pelatihan/:course", "GET /t/:slug/pelatihan/:course/sampul",
        "POST /t/:slug/pelatihan/:course/ikuti", "POST /t/:slug/pelatihan/:course/mundur",
        "GET /api/v1/tenants/:slug", "GET /api/v1/tenants/:slug/courses", "GET /api/v1/tenants/:slug/courses/:id",
        "POST /api/v1/courses/:id/enrolments", "DELETE /api/v1/courses/:id/enrolments/me",
        // Links mailed to a person: whoever holds the secret may use it (it is not a tenant's record).
        "GET /verifikasi/:token", "GET /atur-sandi/:token", "POST /atur-sandi/:token",
    ]

    /// Learning a course of another tenant is the marketplace's point: these answer a person
    /// enrolled in the course (or on its staff), whatever tenant they belong to.
    static func isLearning(_ route: Route) -> Bool {
        let p = route.path.map(\.description)
        return p.starts(with: ["t", ":slug", "belajar"]) || p.starts(with: ["api", "v1", "activities"])
            || p == ["api", "v1", "courses", ":id", "outline"] || p == ["api", "v1", "me", "courses", ":id", "progress"]
    }

    /// A person's own pages (their courses, notifications, profile, tokens): they show what the
    /// person takes part in, in whatever tenant — another tenant's course they enrolled in, say.
    static func isPersonal(_ route: Route) -> Bool {
        let p = route.path.map(\.description)
        return ["saya", "notifikasi", "profil"].contains(p.first ?? "") || p.starts(with: ["api", "v1", "me"])
    }

    /// Links mailed to one person (verify the address, set a password): they show that person's
    /// address to whoever holds the link, which is what the link is for.
    static func isPersonLink(_ route: Route) -> Bool {
        ["verifikasi", "atur-sandi"].contains(route.path.first?.description ?? "")
    }

    /// Platform administration: only a platform administrator may get anything but a refusal.
    static func isPlatformOnly(_ route: Route) -> Bool {
        let p = route.path.map(\.description)
        return p.first == "admin" || p.starts(with: ["api", "v1", "curation"]) || (route.method == .POST && p == ["api", "v1", "tenants"])
    }

    /// A tenant's management (web `/t/{slug}/kelola/…`; in the API everything under a tenant
    /// that writes, or reads sections, enrolments, monitoring or people): no learner and nobody
    /// signed out may get anything but a refusal.
    static func isManagement(_ route: Route) -> Bool {
        let p = route.path.map(\.description)
        if p.starts(with: ["t", ":slug", "kelola"]) { return true }
        guard p.starts(with: ["api", "v1", "tenants", ":slug"]) else { return false }
        return route.method != .GET || ["sections", "activities", "enrolments", "monitoring", "people", "assignments"].contains { p.contains($0) }
    }

    // MARK: Parameters

    /// Which set of records a call takes its parameter values from.
    enum Variant: String, Sendable { case own, foreign, mixed }

    struct Values: Sendable {
        /// Fills `:slug` (and means the master template for `/admin/master/…`).
        let slugTenant: WalkRecords
        /// Fills every record id.
        let records: WalkRecords
        /// Fills a person's tokens and links.
        let person: PersonRecords
        let jobID: UUID?
    }

    struct UnknownParameter: Error { let name: String; let after: String; let route: String }

    /// The values to try for parameter `name` of `route` (that follows the constant `after`).
    /// Several values make several calls: every activity type, every action. nil: unknown.
    static func values(_ name: String, after: String, route: Route, _ v: Values) -> [(value: String, note: String)]? {
        let p = route.path.map(\.description)
        // Management pages name a course by its id; learners' and marketplace pages by its slug.
        let management = p.contains("kelola") || p.first == "admin"
        func activities() -> [(String, String)] {
            // Every type where the type matters (its page, its form, deleting its files); one
            // where only the activity's place does (moving, hiding: `:action`).
            let types: [String] = p.contains("utas") || p.contains("threads") ? ["forum"]
                : p.contains("berkas") || p.contains("files") ? ["file", "video"]
                : p.contains(":action") ? ["page"] : WalkRecords.activityTypes
            return types.compactMap { type in v.records.activities[type].map { ($0.uuidString, "activity=\(type)") } }
        }
        func one(_ id: UUID?) -> [(String, String)] { [((id ?? UUID()).uuidString, id == nil ? "unfilled:\(name)" : "")] }
        switch name {
        case "slug": return [(v.slugTenant.slug, "")]
        case "course": return management ? one(v.records.courseID) : [(v.records.courseSlug, "")]
        case "id":
            switch after {
            case "courses": return one(v.records.courseID)
            case "activities": return activities()
            case "tokens", "token": return one(v.person.apiTokenID)
            case "tugas": return one(v.jobID)
            default: return nil
            }
        case "section_id": return one(v.records.sectionID)
        case "activity_id", "activity": return activities()
        case "thread": return one(v.records.threadID)
        case "enrolment": return one(v.records.enrolmentID)
        case "category": return one(v.records.categoryID)
        case "import": return one(v.records.importID)
        case "key": return [("tentang", "")]
        case "field": return [("file", "")]
        case "lang": return [("id", ""), ("en", "")]
        case "token":
            switch after {
            case "verifikasi": return [(v.person.verifyToken, "")]
            case "atur-sandi": return [(v.person.resetToken, "")]
            default: return nil
            }
        case "action":
            let actions: [String]
            switch after {
            case "kurasi": actions = ["setujui", "tolak"]
            case "peserta": actions = ["setujui", "tolak", "keluarkan"]
            case "topik", "materi": actions = ["naik", "turun", "sembunyikan", "tampilkan"]
            default: return nil
            }
            return (actions + ["bukan-aksi"]).map { ($0, "action=\($0)") }
        default: return nil
        }
    }

    /// Parameters that name a tenant's records (as opposed to a tenant, a person's secret, or a
    /// fixed word): the ones a mixed call takes from the other tenant.
    static func namesRecord(_ name: String, after: String) -> Bool {
        switch name {
        case "course", "section_id", "activity_id", "activity", "thread", "enrolment", "category", "import": true
        case "id": after == "courses" || after == "activities"
        default: false
        }
    }

    static func namesPerson(_ name: String, after: String) -> Bool {
        name == "token" || (name == "id" && (after == "tokens" || after == "token"))
    }

    static func namesPerson(_ route: Route) -> Bool {
        var after = ""
        for component in route.path {
            if case .constant(let value) = component { after = value }
            if case .parameter(let name) = component, namesPerson(name, after: after) { return true }
        }
        return false
    }

    /// Every concrete address of `route` with values `v`: one per combination of the values.
    static func addresses(_ route: Route, _ v: Values) throws -> [(path: String, note: String)] {
        var results: [(String, String)] = [("", "")]
        var after = ""
        for component in route.path {
            var choices: [(String, String)]
            switch component {
            case .constant(let value):
                choices = [(value, "")]
                after = value
            case .parameter(let name):
                guard let found = values(name, after: after, route: route, v) else {
                    throw UnknownParameter(name: name, after: after, route: RouteWalk.key(route))
                }
                choices = found
            case .anything: choices = [("x", "")]
            case .catchall: choices = [("x/y", "")]
            }
            results = results.flatMap { base in choices.map { (base.0 + "/" + $0.0, [base.1, $0.1].filter { !$0.isEmpty }.joined(separator: " ")) } }
        }
        return results.map { ($0.0.isEmpty ? "/" : $0.0, $0.1) }
    }

    // MARK: One call, planned and judged

    struct Call: Sendable {
        let route: Route
        let key: String
        let path: String
        let variant: Variant
        let note: String
        /// 0: harmless; 1: removes or changes standing (deleting, archiving, withdrawing,
        /// refusing); 2: ends the caller's own sign-in or tokens. Walked in that order.
        let rank: Int
        /// The course whose records fill the call (for the enrolment check of learning routes).
        let courseID: UUID
        /// Which of the route's addresses this is (for filling it again with fresh records).
        var expansion = 0

        func with(path: String, note: String, courseID: UUID? = nil) -> Call {
            var copy = Call(route: route, key: key, path: path, variant: variant, note: note, rank: rank, courseID: courseID ?? self.courseID)
            copy.expansion = expansion
            return copy
        }
    }

    static func rank(_ route: Route, note: String) -> Int {
        guard route.method != .GET, route.method != .HEAD else { return 0 }
        let p = route.path.map(\.description)
        if p.contains("keluar") || p.contains("keluar-semua") || p.contains("cabut") || (route.method == .DELETE && p.contains("tokens")) { return 2 }
        let destructive = ["hapus", "arsipkan", "archive", "remove", "reject", "mundur", "status", "simpan", "ulang"]
        if route.method == .DELETE || p.contains(where: destructive.contains) { return 1 }
        if ["action=tolak", "action=keluarkan", "action=sembunyikan"].contains(where: note.contains) { return 1 }
        return 0
    }

    struct Finding: Sendable {
        let kind: String
        let key: String
        let role: String
        let variant: String
        let path: String
        let status: HTTPStatus
        let detail: String
    }

    /// Whether an answer gave the caller what they asked for: a 2xx, or for a write a redirect
    /// anywhere but the sign-in page (web forms redirect after doing their work, and after
    /// refusing bad input: either way the handler let the caller in).
    static func granted(_ reply: WalkReply, method: HTTPMethod) -> Bool {
        if (200..<300).contains(reply.status.code) { return true }
        if method != .GET, method != .HEAD, (300..<400).contains(reply.status.code) {
            return !(reply.location ?? "").hasPrefix("/masuk")
        }
        return false
    }

    /// The rules, applied to one answer.
    static func judge(_ call: Call, _ reply: WalkReply, caller: WalkCaller, other: WalkRecords, app: Application, phase: String) async throws -> [Finding] {
        var found: [Finding] = []
        func add(_ kind: String, _ detail: String = "") {
            found.append(Finding(kind: kind, key: call.key, role: caller.role, variant: "\(phase)/\(call.variant.rawValue)",
                                 path: call.path, status: reply.status, detail: [call.note, detail].filter { !$0.isEmpty }.joined(separator: " ")))
        }
        if reply.status.code >= 500 { add("5xx") }
        let method = call.route.method
        let outsider = !caller.isPlatformAdmin && !caller.memberOf.contains(other.slug)
        // Learning routes answer whoever learns in (or teaches) the course, in any tenant; a
        // person's own pages show the courses they learn in.
        var learns = false
        if Self.isLearning(call.route), let personID = caller.personID {
            let enrolled = try await Enrolment.query(on: app.db).filter(\.$courseID == call.courseID).filter(\.$personID == personID)
                .filter(\.$status ~~ [.enrolled, .completed]).count()
            let staff = try await CourseStaff.query(on: app.db).filter(\.$courseID == call.courseID).filter(\.$personID == personID).count()
            learns = enrolled + staff > 0
        } else if Self.isPersonal(call.route), let personID = caller.personID {
            learns = try await Enrolment.query(on: app.db).filter(\.$tenantID == other.tenantID).filter(\.$personID == personID).count() > 0
        }
        if granted(reply, method: method) {
            switch call.variant {
            case .mixed:
                add("mixed-ids-answered", "the tenant in the address reached another tenant's record")
            case .foreign where outsider && !publicByDesign.contains(call.key) && !learns:
                add("other-tenant-answered", "a non-member reached another tenant's records")
            case .foreign where namesPerson(call.route) && !publicByDesign.contains(call.key):
                // Another person's tokens are theirs alone, platform administrators included.
                add("other-person-answered", "the caller reached another person's token")
            default: break
            }
            if isPlatformOnly(call.route), !caller.isPlatformAdmin { add("platform-only-answered") }
            if isManagement(call.route), call.variant == .own, caller.isAnonymous || caller.role == "peserta" {
                add("management-answered-learner")
            }
        }
        let marker = RouteWalk.marker(other.slug), address = "@\(other.slug).gotong.test"
        if outsider && !learns && !isPersonLink(call.route), reply.body.contains(marker) || reply.body.contains(address) {
            add("other-tenant-data-in-body", "the body holds \(reply.body.contains(marker) ? marker : address)")
        }
        return found
    }

    // MARK: Hostile values

    static let queryNames = [
        "hal", "halaman", "page", "q", "filter", "urut", "next", "kategori", "jenis", "topik", "status", "dry_run", "filename",
        "jp_min", "jp_max", "sort", "tenant", "language", "open", "competency_type", "delivery_method", "due_at",
    ]

    /// Values that make sense for each name, so a hostile value in one name reaches the code
    /// behind the others (`jenis` must name a type before `topik` is read).
    static func sensible(_ own: WalkRecords) -> [String: String] {
        ["hal": "1", "halaman": "1", "page": "1", "q": "statistik", "filter": "belum_selesai", "urut": "nama", "next": "/saya",
         "kategori": "teknis", "jenis": "page", "topik": own.sectionID.uuidString, "status": "enrolled", "dry_run": "true",
         "filename": "modul.pdf", "jp_min": "1", "jp_max": "40", "sort": "newest", "tenant": own.slug, "language": "id", "open": "1",
         "competency_type": "teknis", "delivery_method": "mandiri", "due_at": "2030-01-31"]
    }

    /// Hostile values, already encoded for an address (`%00` and a lone `%` are sent as they are).
    /// `short` is the handful tried where many calls multiply (each name alone, each path segment).
    static func hostile(other: WalkRecords, short: Bool = false) -> [(encoded: String, label: String)] {
        var plain: [(String, String)] = [
            ("1383505805528216372", "huge"), ("99999999999999999999999", "beyond-64-bit"), ("-1", "-1"), ("abc", "abc"),
            (String(repeating: "a", count: 10_000), "10k-chars"),
        ]
        if !short {
            plain += [("0", "0"), ("", "empty"), ("../../etc/passwd", "path"), ("<script>", "script"),
                      (other.sectionID.uuidString, "other-tenant-section")]
        }
        return plain.map { (RouteWalk.encode($0.0), $0.1) } + [("%00", "%00")] + (short ? [] : [("%", "lone-%")])
    }

    // MARK: The walk

    struct Tally {
        var calls = 0
        var byPhase: [String: Int] = [:]
        var routesWalked: Set<String> = []
        var findings: [Finding] = []
        var unfilled: Set<String> = []
        var reauths = 0
        /// Answers by phase, variant and class (`walk/own 2xx`): shows the walk got in where it should.
        var statuses: [String: Int] = [:]
        /// Fixture transactions SQLite refused with "database is locked" (and were tried again).
        var fixtureLocked = 0
        var fixtures = 0
    }

    static let roles: [(role: String, email: String?)] = [
        ("anonim", nil), ("peserta", "peserta1@bps.gotong.test"), ("pengajar", "pengajar@bps.gotong.test"),
        ("pengelola", "pengelola@bps.gotong.test"), ("admin", "admin@bps.gotong.test"), ("admin-platform", DemoData.platformAdminEmail),
    ]

    /// The records one role's walk uses; the caller's own are made again after a call removed them.
    struct Fixture {
        var own: WalkRecords
        let other: WalkRecords
        var master: WalkRecords
        var ownPerson: PersonRecords
        let otherPerson: PersonRecords
        let jobID: UUID?

        func values(_ variant: Variant, master isMaster: Bool) -> (Values, WalkRecords) {
            let home = isMaster ? master : own
            switch variant {
            case .own: return (Values(slugTenant: home, records: home, person: ownPerson, jobID: jobID), home)
            case .foreign: return (Values(slugTenant: other, records: other, person: otherPerson, jobID: jobID), other)
            case .mixed:
                let stranger = isMaster ? own : other
                return (Values(slugTenant: home, records: stranger, person: ownPerson, jobID: jobID), stranger)
            }
        }
    }

    static func isMaster(_ route: Route) -> Bool { route.path.map(\.description).starts(with: ["admin", "master"]) }

    /// Every call of every route in the variants that apply to it. Routes with a parameter the
    /// walk has no value for are reported (once) and left out.
    static func plan(_ routes: [Route], _ f: Fixture, tally: inout Tally, report: Bool) -> [Call] {
        var planned: [Call] = []
        for route in routes {
            let key = RouteWalk.key(route)
            var after = ""
            var hasSlug = false, hasRecord = false, hasPerson = false
            for component in route.path {
                if case .constant(let value) = component { after = value }
                if case .parameter(let name) = component {
                    hasSlug = hasSlug || name == "slug"
                    hasRecord = hasRecord || namesRecord(name, after: after)
                    hasPerson = hasPerson || namesPerson(name, after: after)
                }
            }
            let master = isMaster(route)
            var variants: [Variant] = [.own]
            if !master, hasSlug || hasRecord || hasPerson { variants.append(.foreign) }
            if hasSlug || master, hasRecord { variants.append(.mixed) }
            for variant in variants {
                let (values, records) = f.values(variant, master: master)
                let addresses: [(path: String, note: String)]
                do {
                    addresses = try Self.addresses(route, values)
                } catch let unknown as UnknownParameter {
                    if report {
                        Issue.record(Comment(rawValue: "\(unknown.route): add a value for :\(unknown.name) (after “\(unknown.after)”) in RouteWalkTests.values"))
                    }
                    break
                } catch {
                    Issue.record(error)
                    break
                }
                // Another tenant's ids are refused whatever the activity type or the action: one
                // address is enough there; every one where the caller's own ids get in.
                for (index, address) in (variant == .own ? addresses : Array(addresses.prefix(1))).enumerated() {
                    if address.note.contains("unfilled") { tally.unfilled.insert("\(key) \(address.note)") }
                    var call = Call(route: route, key: key, path: address.path, variant: variant, note: address.note,
                                    rank: rank(route, note: address.note), courseID: records.courseID)
                    call.expansion = index
                    planned.append(call)
                }
            }
        }
        return planned
    }

    @Test(arguments: TestDatabase.all)
    func everyRouteAsEveryRole(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let started = ContinuousClock.now
            // GOTONG_ROUTE_WALK_TRACE=1 prints each call before it is made (to find one that traps);
            // GOTONG_ROUTE_WALK_LOG=file writes every answer there, one line each.
            let trace = ProcessInfo.processInfo.environment["GOTONG_ROUTE_WALK_TRACE"] == "1"
            let log = ProcessInfo.processInfo.environment["GOTONG_ROUTE_WALK_LOG"].flatMap { path -> FileHandle? in
                FileManager.default.createFile(atPath: path, contents: nil)
                return FileHandle(forWritingAtPath: path)
            }
            defer { try? log?.close() }
            var phaseTime: [String: Duration] = [:]
            /// The status of each of the current role's own plain calls, by address.
            var answered: [String: UInt] = [:]
            var tally = Tally()
            let routes = app.routes.all
            #expect(routes.count >= 150, "the router holds only \(routes.count) routes")

            print("route walk on \(db): demo data seeded, walking \(app.routes.all.count) routes")
            func records(_ slug: String?) async throws -> WalkRecords {
                tally.fixtures += 1
                let (made, refused) = try await WalkRecords.makeRetrying(app, slug: slug, n: tally.fixtures)
                tally.fixtureLocked += refused
                return made
            }
            func person(_ email: String) async throws -> PersonRecords {
                let (made, refused) = try await RouteWalk.retryingLocked { _ in try await PersonRecords.make(app, email: email) }
                tally.fixtureLocked += refused
                return made
            }

            @discardableResult
            func call(_ c: Call, _ caller: WalkCaller, other: WalkRecords, phase: String) async throws -> WalkReply? {
                if trace { print("route-walk \(caller.role) \(phase)/\(c.variant.rawValue) \(c.route.method.rawValue) \(c.path.prefix(200))") }
                tally.calls += 1
                tally.byPhase[phase, default: 0] += 1
                tally.routesWalked.insert(c.key)
                let reply: WalkReply
                let sent = ContinuousClock.now
                defer { phaseTime[phase, default: .zero] += ContinuousClock.now - sent }
                do {
                    reply = try await RouteWalk.send(caller, c.route.method, c.path)
                } catch {
                    tally.findings.append(Finding(kind: "request-threw", key: c.key, role: caller.role, variant: "\(phase)/\(c.variant.rawValue)",
                                                  path: c.path, status: .internalServerError, detail: "\(error)"))
                    return nil
                }
                tally.statuses["\(phase)/\(c.variant.rawValue) \(reply.status.code / 100)xx", default: 0] += 1
                log?.write(Data("\(caller.role)\t\(phase)/\(c.variant.rawValue)\t\(c.key)\t\(c.route.method.rawValue) \(c.path.prefix(300))\t\(c.note)\t\(reply.status.code)\t\(reply.location ?? "")\n".utf8))
                tally.findings += try await Self.judge(c, reply, caller: caller, other: other, app: app, phase: phase)
                if phase == "walk", c.variant == .own { answered[c.path] = reply.status.code }
                // Signing out (everywhere) and revoking tokens are walked last; after any write
                // that ended the caller's session or token, they sign in again, so what follows
                // is still walked as this role.
                if c.route.method != .GET, try await caller.stayInside(ask: c.rank > 0) { tally.reauths += 1 }
                return reply
            }

            for (n, role) in Self.roles.enumerated() {
                // Fresh records for every role: the one before may have deleted, archived or
                // withdrawn from the last set.
                var f = Fixture(own: try await records("bps"), other: try await records("bppk"), master: try await records(nil),
                                ownPerson: try await person(role.email ?? "peserta2@bps.gotong.test"),
                                otherPerson: try await person("peserta1@bppk.gotong.test"),
                                jobID: await RouteWalk.failedJob(app))
                let other = f.other
                let caller = WalkCaller(app: app, role: role.role, email: role.email)
                answered = [:]
                try await caller.signIn()
                let planned = Self.plan(routes, f, tally: &tally, report: n == 0)
                let harmless = planned.filter { $0.rank == 0 }
                let isGET: (Call) -> Bool = { $0.route.method == .GET }

                // 1. Mixed ids: all must be refused, so nothing changes. 2. Another tenant's
                // ids before the caller enrols anywhere there: reading, then writing (except
                // enrolling and joining). 3. Enrolling and joining. 4. Learning and personal
                // routes again, now as a learner of the other tenant's course. 5. Their own.
                for c in harmless where c.variant == .mixed { try await call(c, caller, other: other, phase: "walk") }
                for c in harmless where c.variant == .foreign && isGET(c) { try await call(c, caller, other: other, phase: "walk") }
                for c in harmless where c.variant == .foreign && !isGET(c) && !Self.publicByDesign.contains(c.key) {
                    try await call(c, caller, other: other, phase: "walk")
                }
                for c in harmless where c.variant == .foreign && !isGET(c) && Self.publicByDesign.contains(c.key) {
                    try await call(c, caller, other: other, phase: "walk")
                }
                for c in harmless where c.variant == .foreign && (Self.isLearning(c.route) || Self.isPersonal(c.route)) {
                    try await call(c, caller, other: other, phase: "walk-enrolled")
                }
                for c in harmless where c.variant == .own && isGET(c) { try await call(c, caller, other: other, phase: "walk") }
                for c in harmless where c.variant == .own && !isGET(c) { try await call(c, caller, other: other, phase: "walk") }

                // Hostile query values, on one address per GET route (the first activity type,
                // action…): every value in every name at once, as the roles whose pages differ
                // most — a learner, and the platform administrator, who holds every role
                // everywhere and so gets deepest. Where that was refused (4xx) after sensible
                // values were not, a handler read one name and may have stopped there: then each
                // name alone, the others sensible, as the platform administrator.
                var firsts: [String: Call] = [:]
                for c in planned where c.variant == .own && firsts[c.key] == nil { firsts[c.key] = c }
                let heads = planned.filter { $0.variant == .own && firsts[$0.key]?.path == $0.path && $0.rank < 2 }
                let sensible = Self.sensible(f.own)
                func query(_ values: [String: String]) -> String {
                    Self.queryNames.map { "\($0)=\(values[$0] ?? "")" }.joined(separator: "&")
                }
                if ["anonim", "peserta", "admin-platform"].contains(role.role) {
                    let values = Self.hostile(other: other)
                    // Only where the plain call got in: a refusal comes before any query is read.
                    for c in heads where isGET(c) && (answered[c.path].map { $0 < 400 } ?? false) {
                        let base = try await call(c.with(path: c.path + "?" + query(sensible.mapValues(RouteWalk.encode)), note: "query=sensible"),
                                                  caller, other: other, phase: "query")
                        var refused = false
                        for value in values {
                            let all = Dictionary(uniqueKeysWithValues: Self.queryNames.map { ($0, value.encoded) })
                            let reply = try await call(c.with(path: c.path + "?" + query(all), note: "query=\(value.label)"), caller, other: other, phase: "query")
                            refused = refused || (reply.map { (400..<500).contains($0.status.code) } ?? false)
                        }
                        guard refused, caller.isPlatformAdmin, let base, base.status.code < 400 else { continue }
                        for name in Self.queryNames {
                            for value in Self.hostile(other: other, short: true) {
                                var one = sensible.mapValues(RouteWalk.encode)
                                one[name] = value.encoded
                                try await call(c.with(path: c.path + "?" + query(one), note: "\(name)=\(value.label)"), caller, other: other, phase: "query-name")
                            }
                        }
                    }
                }

                // API writes read a few names too (`dry_run`, `filename`, `due_at`): every value in
                // every name at once on each harmless one, as the platform administrator.
                if caller.isPlatformAdmin {
                    for c in heads where !isGET(c) && c.rank == 0 && c.path.hasPrefix("/api/") {
                        for value in Self.hostile(other: other) {
                            let all = Dictionary(uniqueKeysWithValues: Self.queryNames.map { ($0, value.encoded) })
                            try await call(c.with(path: c.path + "?" + query(all), note: "query=\(value.label)"), caller, other: other, phase: "query-write")
                        }
                    }
                }

                // Hostile path values: each parameter of each route in turn, as the platform
                // administrator (who gets deepest into handlers).
                if caller.isPlatformAdmin {
                    let values = Self.hostile(other: other, short: true)
                    // `:slug` is resolved by one middleware before any handler: once per prefix.
                    var slugPrefixes: Set<String> = []
                    for c in heads {
                        var segments = c.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                        for (index, component) in c.route.path.enumerated() {
                            guard case .parameter(let name) = component else { continue }
                            if name == "slug" {
                                let prefix = c.route.path.prefix(index + 1).map(\.description).joined(separator: "/")
                                guard slugPrefixes.insert(prefix).inserted else { continue }
                            }
                            let original = segments[index + 1]
                            for value in values {
                                segments[index + 1] = value.encoded
                                try await call(c.with(path: segments.joined(separator: "/"), note: ":\(name)=\(value.label)"), caller, other: other, phase: "path")
                            }
                            segments[index + 1] = original
                        }
                    }
                }

                // What removes records, then what ends the caller's own sign-in: other tenants'
                // ids first, then the caller's own — each own call on fresh records when the call
                // before it took effect (so every delete, archive or withdrawal meets a record
                // that is there, rather than one the call before removed).
                for rank in [1, 2] {
                    let these = planned.filter { $0.rank == rank }
                    for c in these where c.variant != .own { try await call(c, caller, other: other, phase: "walk") }
                    var dirty = false
                    for c in these where c.variant == .own {
                        var c = c
                        if dirty {
                            if Self.isMaster(c.route) { f.master = try await records(nil) } else { f.own = try await records("bps") }
                            f.ownPerson = try await person(role.email ?? "peserta2@bps.gotong.test")
                            let (values, home) = f.values(.own, master: Self.isMaster(c.route))
                            if let address = try? Self.addresses(c.route, values)[c.expansion] {
                                c = c.with(path: address.path, note: address.note, courseID: home.courseID)
                            }
                        }
                        let reply = try await call(c, caller, other: other, phase: "walk")
                        dirty = reply.map { Self.granted($0, method: c.route.method) } ?? true
                    }
                }
            }

            // Report: one issue per route, kind and status, naming the roles and one address.
            var groups: [String: [Finding]] = [:]
            for f in tally.findings { groups["\(f.kind) \(f.key) → \(f.status.code)", default: []].append(f) }
            for (title, list) in groups.sorted(by: { $0.key < $1.key }) {
                let roles = Array(Set(list.map { "\($0.role)(\($0.variant))" })).sorted().joined(separator: ", ")
                let first = list[0]
                Issue.record(Comment(rawValue: "\(title) ×\(list.count) as \(roles); e.g. \(first.path.prefix(180)) \(first.detail.prefix(200))"))
            }
            // Making the records is the one place the walk writes real data outside a request
            // (the same services the forms call), while the jobs worker runs. SQLite refusing it
            // is the product's failure, and would be a 500 for a request doing the same.
            if tally.fixtureLocked > 0 {
                let steps = RouteWalk.lockedSteps.withLock { $0 }.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: "; ")
                Issue.record(Comment(rawValue: "SQLite refused \(tally.fixtureLocked) writing transactions with “database is locked” while the jobs worker ran: \(steps)"))
            }
            let seconds = (ContinuousClock.now - started).components.seconds
            print("""
                route walk on \(db): \(routes.count) routes in the router, \(tally.routesWalked.count) walked, \(tally.calls) calls \
                (\(tally.byPhase.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))), \
                \(Self.roles.count) roles, \(tally.fixtures) sets of records, \(tally.reauths) sign-ins again, \
                \(tally.fixtureLocked) fixture transactions refused as locked, \(tally.findings.count) findings in \(groups.count) groups, \(seconds) s
                """)
            print("route walk on \(db), seconds per phase (calls and judging): \(phaseTime.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.components.seconds)" }.joined(separator: ", "))")
            print("route walk on \(db), answers: \(tally.statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
            if !tally.unfilled.isEmpty { print("route walk: parameters no record can fill (a random id was used): \(tally.unfilled.sorted())") }
        }
    }

    // MARK: The rules themselves

    /// The rules catch what they are meant to on made-up answers, so a walk that finds nothing
    /// means the product refused, not that a rule never fires.
    @Test func theRulesFireOnMadeUpAnswers() async throws {
        try await withConfiguredApp { app in
            let other = WalkRecords(slug: "bppk", tenantID: UUID(), courseID: UUID(), courseSlug: "x", sectionID: UUID(), activities: [:],
                                    threadID: nil, enrolmentID: nil, categoryID: nil, importID: nil)
            let admin = WalkCaller(app: app, role: "admin", email: "admin@bps.gotong.test")
            admin.memberOf = ["bps"]
            let learner = WalkCaller(app: app, role: "peserta", email: "peserta1@bps.gotong.test")
            learner.memberOf = ["bps"]
            let platform = WalkCaller(app: app, role: "admin-platform", email: DemoData.platformAdminEmail)
            platform.isPlatformAdmin = true
            struct Case {
                let key: String; let variant: Variant; let status: HTTPStatus; var location: String? = nil; var body = ""
                let caller: WalkCaller; let expected: [String]
            }
            let cases: [Case] = [
                .init(key: "GET /t/:slug/kelola/anggota", variant: .foreign, status: .ok, caller: admin, expected: ["other-tenant-answered"]),
                .init(key: "GET /t/:slug/kelola/anggota", variant: .foreign, status: .notFound, caller: admin, expected: []),
                .init(key: "GET /t/:slug/kelola/anggota", variant: .foreign, status: .notFound, body: "… RWSECRET-bppk …", caller: admin,
                      expected: ["other-tenant-data-in-body"]),
                .init(key: "POST /t/:slug/kelola/kategori", variant: .foreign, status: .seeOther, location: "/t/bppk/kelola", caller: admin,
                      expected: ["other-tenant-answered"]),
                .init(key: "POST /t/:slug/kelola/kategori", variant: .foreign, status: .seeOther, location: "/masuk?next=/x", caller: admin, expected: []),
                // The marketplace is public.
                .init(key: "GET /t/:slug/pelatihan/:course", variant: .foreign, status: .ok, caller: admin, expected: []),
                .init(key: "GET /t/:slug/kelola/pelatihan/:course", variant: .mixed, status: .ok, caller: admin, expected: ["mixed-ids-answered"]),
                .init(key: "GET /t/:slug/kelola/anggota", variant: .own, status: .ok, caller: learner, expected: ["management-answered-learner"]),
                .init(key: "GET /admin/instansi", variant: .own, status: .ok, caller: admin, expected: ["platform-only-answered"]),
                .init(key: "GET /katalog", variant: .own, status: .internalServerError, caller: admin, expected: ["5xx"]),
                .init(key: "DELETE /api/v1/tokens/:id", variant: .foreign, status: .noContent, caller: platform, expected: ["other-person-answered"]),
                .init(key: "GET /atur-sandi/:token", variant: .foreign, status: .ok, body: "peserta1@bppk.gotong.test", caller: admin, expected: []),
            ]
            for c in cases {
                let r = try #require(app.routes.all.first { RouteWalk.key($0) == c.key }, "no route \(c.key)")
                let call = Call(route: r, key: c.key, path: "/x", variant: c.variant, note: "", rank: 0, courseID: other.courseID)
                let found = try await Self.judge(call, WalkReply(status: c.status, location: c.location, body: c.body), caller: c.caller,
                                                 other: other, app: app, phase: "test").map(\.kind)
                #expect(found == c.expected, "\(c.key) (\(c.variant), \(c.status.code)) as \(c.caller.role)")
            }
        }
    }
}
