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
        ("pengelola", "pengelola@bps.gotong.test"), ("admin", "admin@bps.gotong.test"),
        ("admin-platform", DemoData.platformAdminEmail),
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

    @Test(arguments: TestDatabase.all)
    func everyRouteAsEveryRole(db: TestDatabase) async throws {
        // The demo on purpose: every route walked with realistic data, every role in every tenant.
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
                let (made, refused) = try await RouteWalk.retryingLocked { _ in
                    try await PersonRecords.make(app, email: email)
                }
                tally.fixtureLocked += refused
                return made
            }

            @discardableResult
            func call(_ c: Call, _ caller: WalkCaller, other: WalkRecords, phase: String) async throws -> WalkReply? {
                if trace {
                    print(
                        """
                        route-walk \(caller.role) \(phase)/\(c.variant.rawValue) \(c.route.method.rawValue) \
                        \(c.path.prefix(200))
                        """
                    )
                }
                tally.calls += 1
                tally.byPhase[phase, default: 0] += 1
                tally.routesWalked.insert(c.key)
                let reply: WalkReply
                let sent = ContinuousClock.now
                defer { phaseTime[phase, default: .zero] += ContinuousClock.now - sent }
                do {
                    reply = try await RouteWalk.send(caller, c.route.method, c.path)
                } catch {
                    tally.findings.append(
                        Finding(
                            kind: "request-threw", key: c.key, role: caller.role,
                            variant: "\(phase)/\(c.variant.rawValue)",
                            path: c.path, status: .internalServerError, detail: "\(error)"))
                    return nil
                }
                tally.statuses["\(phase)/\(c.variant.rawValue) \(reply.status.code / 100)xx", default: 0] += 1
                log?.write(
                    Data(
                        """
                        \(caller.role)\t\(phase)/\(c.variant.rawValue)\t\(c.key)\t\(c.route.method.rawValue) \
                        \(c.path.prefix(300))\t\(c.note)\t\(reply.status.code)\t\(reply.location ?? "")\n
                        """
                        .utf8))
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
                var f = Fixture(
                    own: try await records("bps"), other: try await records("bppk"), master: try await records(nil),
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
                for c in harmless where c.variant == .foreign && isGET(c) {
                    try await call(c, caller, other: other, phase: "walk")
                }
                for c in harmless where c.variant == .foreign && !isGET(c) && !Self.publicByDesign.contains(c.key) {
                    try await call(c, caller, other: other, phase: "walk")
                }
                for c in harmless where c.variant == .foreign && !isGET(c) && Self.publicByDesign.contains(c.key) {
                    try await call(c, caller, other: other, phase: "walk")
                }
                for c in harmless where c.variant == .foreign && (Self.isLearning(c.route) || Self.isPersonal(c.route))
                {
                    try await call(c, caller, other: other, phase: "walk-enrolled")
                }
                for c in harmless where c.variant == .own && isGET(c) {
                    try await call(c, caller, other: other, phase: "walk")
                }
                for c in harmless where c.variant == .own && !isGET(c) {
                    try await call(c, caller, other: other, phase: "walk")
                }

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
                        let base = try await call(
                            c.with(
                                path: c.path + "?" + query(sensible.mapValues(RouteWalk.encode)), note: "query=sensible"
                            ),
                            caller, other: other, phase: "query")
                        var refused = false
                        for value in values {
                            let all = Dictionary(uniqueKeysWithValues: Self.queryNames.map { ($0, value.encoded) })
                            let reply = try await call(
                                c.with(path: c.path + "?" + query(all), note: "query=\(value.label)"), caller,
                                other: other, phase: "query")
                            refused = refused || (reply.map { (400..<500).contains($0.status.code) } ?? false)
                        }
                        guard refused, caller.isPlatformAdmin, let base, base.status.code < 400 else { continue }
                        for name in Self.queryNames {
                            for value in Self.hostile(other: other, short: true) {
                                var one = sensible.mapValues(RouteWalk.encode)
                                one[name] = value.encoded
                                try await call(
                                    c.with(path: c.path + "?" + query(one), note: "\(name)=\(value.label)"), caller,
                                    other: other, phase: "query-name")
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
                            try await call(
                                c.with(path: c.path + "?" + query(all), note: "query=\(value.label)"), caller,
                                other: other, phase: "query-write")
                        }
                    }
                }

                // Hostile path values: each parameter of each route in turn, as the platform
                // administrator (who gets deepest into handlers).
                if caller.isPlatformAdmin {
                    let values = Self.hostile(other: other, short: true)
                    // `:tenantSlug` is resolved by one middleware before any handler: once per prefix.
                    var slugPrefixes: Set<String> = []
                    for c in heads {
                        var segments = c.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                        for (index, component) in c.route.path.enumerated() {
                            guard case .parameter(let name) = component else { continue }
                            if name == "tenantSlug" {
                                let prefix = c.route.path.prefix(index + 1).map(\.description).joined(separator: "/")
                                guard slugPrefixes.insert(prefix).inserted else { continue }
                            }
                            let original = segments[index + 1]
                            for value in values {
                                segments[index + 1] = value.encoded
                                try await call(
                                    c.with(path: segments.joined(separator: "/"), note: ":\(name)=\(value.label)"),
                                    caller, other: other, phase: "path")
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
                            if Self.isMaster(c.route) {
                                f.master = try await records(nil)
                            } else {
                                f.own = try await records("bps")
                            }
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
                Issue.record(
                    Comment(
                        rawValue:
                            """
                            \(title) ×\(list.count) as \(roles); e.g. \(first.path.prefix(180)) \
                            \(first.detail.prefix(200))
                            """
                    ))
            }
            // Making the records is the one place the walk writes real data outside a request
            // (the same services the forms call), while the jobs worker runs. SQLite refusing it
            // is the product's failure, and would be a 500 for a request doing the same.
            if tally.fixtureLocked > 0 {
                let steps = RouteWalk.lockedSteps.withLock { $0 }.sorted { $0.key < $1.key }.map {
                    "\($0.value)× \($0.key)"
                }.joined(separator: "; ")
                Issue.record(
                    Comment(
                        rawValue:
                            """
                            SQLite refused \(tally.fixtureLocked) writing transactions with “database is \
                            locked” while the jobs worker ran: \(steps)
                            """
                    ))
            }
            let seconds = (ContinuousClock.now - started).components.seconds
            print(
                """
                route walk on \(db): \(routes.count) routes in the router, \(tally.routesWalked.count) walked, \
                \(tally.calls) calls \
                (\(tally.byPhase.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))), \
                \(Self.roles.count) roles, \(tally.fixtures) sets of records, \(tally.reauths) sign-ins again, \
                \(tally.fixtureLocked) fixture transactions refused as locked, \(tally.findings.count) findings in \
                \(groups.count) groups, \(seconds) s
                """)
            print(
                """
                route walk on \(db), seconds per phase (calls and judging): \
                \(phaseTime.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.components.seconds)" }
                        .joined(separator: ", "))
                """
            )
            print(
                """
                route walk on \(db), answers: \
                \(tally.statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                """
            )
            if !tally.unfilled.isEmpty {
                print("route walk: parameters no record can fill (a random id was used): \(tally.unfilled.sorted())")
            }
        }
    }
}
