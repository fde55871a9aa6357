import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongCatalog
@testable import GotongCredentials
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongLiveLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Claiming attendance: the code, the window, once per person, the limits on wrong codes, and
/// the JP and certificate a claim earns through the episode's course.
@Suite("Live Learning claims")
struct LiveClaimTests {
    struct Setting {
        let tenant: Tenant
        let programme: LiveProgramme
        let episode: LiveEpisode
        let time: ManualTime
        var claims: Claims
    }

    /// An episode starting an hour from now, 60 minutes long, claimable 48 hours after it.
    static func setting(_ app: Application) async throws -> Setting {
        let (clock, time) = ServerClock.manual(Date(timeIntervalSince1970: 1_796_000_000))
        app.clock = clock
        app.jobs.startsWorker = false
        let tenant = try await Given(app).tenant()
        let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
        let programme = try await Programmes.findOrMake("live-learning", in: scope, now: clock.now())
        let episode = try await Episodes.make(
            number: 7, topic: "Etika ASN di media sosial", speakers: [.init(name: "Dr. Rina Kusuma, M.Si.")],
            startsAt: clock.now().addingTimeInterval(3600), in: programme, on: app.db, now: clock.now())
        return Setting(
            tenant: tenant, programme: programme, episode: episode, time: time,
            claims: Claims(app: app, db: app.db))
    }

    @Test(arguments: TestDatabase.all)
    func aClaimWithTheCodeCreditsTheJPAndIssuesTheCertificateOnce(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let s = try await Self.setting(app)
            let person = try await Given(app).person("Peserta Live", in: s.tenant)
            let id = PersonID(try person.requireID())
            let code = s.episode.code
            // before the broadcast the code is not taken yet
            await #expect(throws: InputError.self) {
                try await s.claims.claim(s.episode, in: s.programme, by: id, code: code, from: "10.0.0.1")
            }
            s.time.advance(3600 + 30 * 60)
            // typed as a viewer types it: lower case, a space, O for 0
            let typed = AttendanceCode.spaced(code).lowercased().replacingOccurrences(of: "0", with: "o")
            #expect(
                try await s.claims.claim(s.episode, in: s.programme, by: id, code: typed, from: "10.0.0.1") == .credited
            )
            #expect(
                try await s.claims.claim(s.episode, in: s.programme, by: id, code: code, from: "10.0.0.1")
                    == .alreadyClaimed)
            await JobQueue.runDue(app)
            let year = try await JPLedger(db: app.db).year(LocalDates.year(of: app.clock.now()), of: id)
            #expect(year.totalJP == s.episode.jp)
            let certificates = try await Certificate.query(on: app.db).filter(\.$personID == person.id!).all()
            #expect(certificates.count == 1 && certificates.first?.courseTitle.contains("Etika ASN") == true)
            #expect(try await LiveClaim.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theWindowClosesAndACancelledEpisodeTakesNoClaims(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let s = try await Self.setting(app)
            let person = PersonID(try await Given(app).person(in: s.tenant).requireID())
            // one second after the window (start + 60 min + 48 h) it is closed
            s.time.advance(3600 + 3600 + 48 * 3600 + 1)
            let late = try await #require(throws: InputError.self) {
                try await s.claims.claim(s.episode, in: s.programme, by: person, code: s.episode.code, from: "a")
            }
            #expect(late.problems.map(\.key) == ["live.claim.error.closed"])
            s.time.advance(-2)
            s.episode.status = .cancelled
            let cancelled = try await #require(throws: InputError.self) {
                try await s.claims.claim(s.episode, in: s.programme, by: person, code: s.episode.code, from: "a")
            }
            #expect(cancelled.problems.map(\.key) == ["live.claim.error.cancelled"])
            s.episode.status = .live
            #expect(
                try await s.claims.claim(s.episode, in: s.programme, by: person, code: s.episode.code, from: "a")
                    == .credited)
        }
    }

    @Test(arguments: TestDatabase.all)
    func wrongCodesAreLimitedPerPersonAndPerAddress(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let s = try await Self.setting(app)
            s.time.advance(3600)
            let given = Given(app)
            let guesser = PersonID(try await given.person("Penebak", in: s.tenant).requireID())
            let wrong = s.episode.code == "AAAAAA" ? "BBBBBB" : "AAAAAA"
            var keys: [String] = []
            for _ in 0..<6 {
                let error = try await #require(throws: InputError.self) {
                    try await s.claims.claim(s.episode, in: s.programme, by: guesser, code: wrong, from: "10.0.0.9")
                }
                keys.append(error.problems[0].key + (error.problems[0].args["left"] ?? ""))
            }
            #expect(
                keys == [
                    "live.claim.error.wrong4", "live.claim.error.wrong3", "live.claim.error.wrong2",
                    "live.claim.error.wrong1", "live.claim.error.locked", "live.claim.error.locked",
                ])
            // the wait is counted from the last wrong code: trying again while locked does not extend it
            s.time.advance(Claims.memory - 60)
            let waiting = try await #require(throws: InputError.self) {
                try await s.claims.claim(
                    s.episode, in: s.programme, by: guesser, code: s.episode.code, from: "10.0.0.9")
            }
            #expect(waiting.problems[0].args["minutes"] == "1" && waiting.status == .tooManyRequests)
            s.time.advance(-(Claims.memory - 60))
            // what cannot be a code is said so, and not counted
            let slip = try await #require(throws: InputError.self) {
                try await s.claims.claim(s.episode, in: s.programme, by: guesser, code: "K7Q", from: "10.0.0.9")
            }
            #expect(slip.problems.map(\.key) == ["live.claim.error.format"])
            // locked: even the right code waits, for this person only
            await #expect(throws: InputError.self) {
                try await s.claims.claim(
                    s.episode, in: s.programme, by: guesser, code: s.episode.code, from: "10.0.0.8")
            }
            let colleague = PersonID(try await given.person("Rekan", in: s.tenant).requireID())
            #expect(
                try await s.claims.claim(
                    s.episode, in: s.programme, by: colleague, code: s.episode.code,
                    from: "10.0.0.9") == .credited)
            // fifteen quiet minutes later the guesser may try again
            s.time.advance(Claims.memory + 1)
            #expect(
                try await s.claims.claim(
                    s.episode, in: s.programme, by: guesser, code: s.episode.code,
                    from: "10.0.0.9") == .credited)

            // thirty wrong codes from one address (several people) stop those of its people who
            // type a wrong code too; a first right code from it still counts
            for n in 0..<10 {
                let person = PersonID(try await given.person("Kantor \(n)", in: s.tenant).requireID())
                for _ in 0..<3 {
                    _ = try? await s.claims.claim(s.episode, in: s.programme, by: person, code: wrong, from: "10.9.9.9")
                }
            }
            // one slip is forgiven
            let once = PersonID(try await given.person("Kantor sekali salah", in: s.tenant).requireID())
            _ = try? await s.claims.claim(s.episode, in: s.programme, by: once, code: wrong, from: "10.9.9.9")
            #expect(
                try await s.claims.claim(s.episode, in: s.programme, by: once, code: s.episode.code, from: "10.9.9.9")
                    == .credited)
            // a second wrong code from the hot address is guessing
            let slipped = PersonID(try await given.person("Kantor salah ketik", in: s.tenant).requireID())
            for _ in 0..<2 {
                _ = try? await s.claims.claim(s.episode, in: s.programme, by: slipped, code: wrong, from: "10.9.9.9")
            }
            let stopped = try await #require(throws: InputError.self) {
                try await s.claims.claim(
                    s.episode, in: s.programme, by: slipped, code: s.episode.code, from: "10.9.9.9")
            }
            #expect(stopped.problems.map(\.key) == ["live.claim.error.locked"])
            #expect(
                try await s.claims.claim(
                    s.episode, in: s.programme, by: slipped, code: s.episode.code, from: "10.9.9.10")
                    == .credited)
            let careful = PersonID(try await given.person("Kantor teliti", in: s.tenant).requireID())
            #expect(
                try await s.claims.claim(
                    s.episode, in: s.programme, by: careful, code: s.episode.code, from: "10.9.9.9")
                    == .credited)
            // a claimant's wrong codes leave nothing behind
            #expect(
                try await ClaimFailure.query(on: app.db).filter(\.$key == "person:\(slipped.rawValue.uuidString)")
                    .count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anEpisodeWithAQuizAdmitsTheClaimantToItInsteadOfCrediting(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let s = try await Self.setting(app)
            let scope = TenantScope(tenantID: s.tenant.id!, db: app.db)
            let course = try #require(try await scope.find(Course.self, s.episode.courseID))
            let structure = CourseStructure(course: course, db: app.db, types: app.learning.types, files: app.files)
            let section = try await structure.addSection(title: "Kuis")
            var change = ActivityChange()
            change.type = "page"
            change.title = "Pertanyaan tentang episode"
            change.settings = ["body": .string("Apa inti episode ini?")]
            change.completion = .viewed
            let activity = try await structure.addActivity(to: section, change)
            s.time.advance(3600)
            let person = try await Given(app).person(in: s.tenant)
            let outcome = try await s.claims.claim(
                s.episode, in: s.programme, by: PersonID(person.id!), code: s.episode.code, from: "a")
            #expect(outcome == .admitted(quiz: activity.id!))
            await JobQueue.runDue(app)
            let enrolment = try await Enrolment.query(on: app.db).filter(\.$personID == person.id!)
                .filter(\.$courseID == course.id!).first()
            #expect(enrolment?.status == .enrolled)
            #expect(try await LedgerEntry.query(on: app.db).filter(\.$personID == person.id!).count() == 0)
            // claiming again changes nothing; the quiz is still the way on, until the course is done
            #expect(
                try await s.claims.claim(
                    s.episode, in: s.programme, by: PersonID(person.id!), code: s.episode.code, from: "a")
                    == .alreadyClaimed)
            #expect(try await s.claims.pendingQuiz(of: s.episode, for: PersonID(person.id!)) == activity.id)
            enrolment?.status = .completed
            try await enrolment?.save(on: app.db)
            #expect(try await s.claims.pendingQuiz(of: s.episode, for: PersonID(person.id!)) == nil)
        }
    }
}
