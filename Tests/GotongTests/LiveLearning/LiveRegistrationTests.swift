import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongLiveLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Registering for an episode: the reminder an hour before the start, in Gotong and by mail,
/// once; a moved start reminded of again and told; a cancellation told; registration closed
/// when the episode is over or cancelled; the page's button and the API's registration.
@Suite("Live Learning registration")
struct LiveRegistrationTests {
    struct Setting {
        let app: Application
        let tenant: Tenant
        let programme: LiveProgramme
        let episode: LiveEpisode
        let time: ManualTime
        let page: String
        let person: Person

        var slug: Param<TenantSlug> { tenant.routeSlug }
        var p: Param<ProgrammeSlug> { .value(ProgrammeSlug(programme.slug)) }
        var n: Param<EpisodeNumber> { .value(EpisodeNumber(episode.number)) }

        func notes(_ key: String) async throws -> [PersonNotification] {
            try await PersonNotification.query(on: app.db).filter(\.$personID == person.requireID())
                .filter(\.$messageKey == key).all()
        }
    }

    /// Episode 7, starting a day from now, and a civil servant of another tenant (one account).
    static func setting(_ app: Application) async throws -> Setting {
        let (clock, time) = ServerClock.manual(Date(timeIntervalSince1970: 1_796_000_000))
        app.clock = clock
        app.jobs.startsWorker = false
        app.notificationMails = true
        let given = Given(app)
        let tenant = try await given.tenant()
        let scope = TenantScope(tenantID: try tenant.requireID(), db: app.db)
        let programme = try await Programmes.findOrMake("live-learning", in: scope, now: clock.now())
        let episode = try await Episodes.create(
            {
                var c = EpisodeChange(); (c.number, c.topic, c.startsAt) = (7, "Etika ASN", clock.now() + 86_400);
                return c
            }(),
            in: programme, on: app.db, now: clock.now())
        let person = try await given.person("Peserta Pengingat", in: try await given.tenant())
        let page = LiveRoute.episode(
            tenant.routeSlug, .value(ProgrammeSlug(programme.slug)), .value(EpisodeNumber(7))
        ).path
        return Setting(
            app: app, tenant: tenant, programme: programme, episode: episode, time: time, page: page, person: person)
    }

    @Test(arguments: TestDatabase.all)
    func theRegisteredAreRemindedAnHourBeforeTheStartOnceInGotongAndByMail(db: TestDatabase) async throws {
        try await withGotong(db) { app, mailer in
            let s = try await Self.setting(app)
            let browser = try await Given(app).browser(signedInAs: s.person)
            let offered = try await browser.get(s.page).body.string
            #expect(offered.contains("Ingatkan saya") && offered.contains("lewat email"))
            let registered = try await browser.post(LiveRoute.register(s.slug, s.p, s.n).path)
            #expect(registered.status == .seeOther && registered.headers.first(name: .location) == s.page)
            let after = try await browser.get(s.page).body.string
            #expect(
                after.contains("Anda terdaftar. Kami akan mengingatkan Anda") && after.contains("Batalkan pendaftaran"))
            #expect(!after.contains("Ingatkan saya"))
            // registering twice keeps one registration
            #expect(try await browser.post(LiveRoute.register(s.slug, s.p, s.n).path).status == .seeOther)
            #expect(try await LiveRegistration.query(on: app.db).count() == 1)

            // nothing before the hour; then the reminder, once, by mail too
            await JobQueue.runDue(app)
            #expect(try await s.notes("notify.live.reminder").isEmpty)
            s.time.advance(23 * 3600 + 1)
            await JobQueue.runDue(app)
            let reminders = try await s.notes("notify.live.reminder")
            #expect(reminders.count == 1)
            let mail = try #require(mailer.outbox.first { $0.to == s.person.email })
            #expect(mail.subject.hasPrefix("Pengingat: live-learning #7, Etika ASN, mulai "))
            #expect(mail.subject.hasSuffix(" WIB.") && mail.body.contains(s.page))
            await JobQueue.runDue(app)
            #expect(try await s.notes("notify.live.reminder").count == 1)
            #expect(try await browser.get(s.page).body.string.contains("Anda terdaftar untuk episode ini."))
            // the coordinator sees how many registered
            let coordinator = try await Given(app).browser(
                signedInAs: try await Given(app).person("Pengelola", in: s.tenant, roles: [.pengelola]))
            #expect(
                try await coordinator.get(LiveRoute.deskEpisode(s.slug, s.p, s.n).path).body.string.contains(
                    "Terdaftar untuk pengingat: 1 orang"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aMovedStartIsToldAndRemindedAgainAndACancellationIsTold(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let s = try await Self.setting(app)
            let id = PersonID(try s.person.requireID())
            try await Registrations.register(s.episode, person: id, on: app.db, now: app.clock.now())
            s.time.advance(23 * 3600 + 1)
            await JobQueue.runDue(app)
            #expect(try await s.notes("notify.live.reminder").count == 1)

            // moved a day later: told now, reminded again an hour before the new start, once
            var later = EpisodeChange()
            later.startsAt = s.episode.startsAt + 86_400
            try await Episodes.update(s.episode, later, in: s.programme, on: app.db, now: app.clock.now())
            await JobQueue.runDue(app)
            let moved = try await s.notes("notify.live.moved")
            #expect(moved.count == 1 && moved.first?.argValues["when"]?.hasSuffix("WIB") == true)
            s.time.advance(3600)  // the old start: its job (if any were left) reminds no one
            await JobQueue.runDue(app)
            #expect(try await s.notes("notify.live.reminder").count == 1)
            s.time.advance(23 * 3600)
            await JobQueue.runDue(app)
            #expect(try await s.notes("notify.live.reminder").count == 2)

            // an edit that keeps the start tells nobody
            var topic = EpisodeChange()
            topic.topic = "Etika ASN di media sosial"
            try await Episodes.update(s.episode, topic, in: s.programme, on: app.db, now: app.clock.now())
            #expect(try await s.notes("notify.live.moved").count == 1)

            // cancelled: told once; no reminder, no registration after it
            var cancel = EpisodeChange()
            cancel.status = "cancelled"
            try await Episodes.update(s.episode, cancel, in: s.programme, on: app.db, now: app.clock.now())
            try await Episodes.update(s.episode, cancel, in: s.programme, on: app.db, now: app.clock.now())
            await JobQueue.runDue(app)
            #expect(try await s.notes("notify.live.cancelled").count == 1)
            let refused = try await #require(throws: InputError.self) {
                try await Registrations.register(
                    s.episode, person: PersonID(try await Given(app).person(in: s.tenant).requireID()), on: app.db,
                    now: app.clock.now())
            }
            #expect(refused.problems.map(\.key) == ["live.register.error.cancelled"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func aMoveBeforeTheReminderLeavesOneReminderForTheNewStart(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let s = try await Self.setting(app)
            try await Registrations.register(
                s.episode, person: PersonID(try s.person.requireID()), on: app.db, now: app.clock.now())
            // two hours earlier, then back: the jobs of every start but the current one do nothing,
            // and the registered hear only of the start that holds
            for shift in [-7200.0, 7200.0] {
                var change = EpisodeChange()
                change.startsAt = s.episode.startsAt + shift
                try await Episodes.update(s.episode, change, in: s.programme, on: app.db, now: app.clock.now())
            }
            await JobQueue.runDue(app)
            let moved = try await s.notes("notify.live.moved")
            #expect(moved.count == 1 && moved.first?.argValues["when"] == LocalDates.moment(s.episode.startsAt, .id))
            s.time.advance(86_400 - 3 * 3600 + 1)  // the reminder time of the earlier start
            await JobQueue.runDue(app)
            #expect(try await s.notes("notify.live.reminder").isEmpty)
            s.time.advance(2 * 3600)
            await JobQueue.runDue(app)
            #expect(try await s.notes("notify.live.reminder").count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theButtonsAndTheAPIRegisterAndCancelUntilTheEpisodeEnds(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let s = try await Self.setting(app)
            // a visitor is offered to sign in and come back
            let visitor = try await Browser(app).get(s.page).body.string
            #expect(visitor.contains("Masuk untuk diingatkan") && visitor.contains("/masuk?next=" + s.page))
            #expect(try await Browser(app).post(LiveRoute.register(s.slug, s.p, s.n).path).status == .seeOther)
            #expect(try await LiveRegistration.query(on: app.db).count() == 0)

            // the page's buttons
            let browser = try await Given(app).browser(signedInAs: s.person)
            #expect(try await browser.post(LiveRoute.register(s.slug, s.p, s.n).path).status == .seeOther)
            let cancelled = try await browser.post(LiveRoute.unregister(s.slug, s.p, s.n).path)
            #expect(cancelled.status == .seeOther && cancelled.headers.first(name: .location) == s.page)
            #expect(try await browser.get(s.page).body.string.contains("Pendaftaran dibatalkan"))
            #expect(try await LiveRegistration.query(on: app.db).count() == 0)

            // the API: the caller's own registration
            let api = try await Given(app).api(as: s.person)
            let path = LiveAPIRoute.registration(s.slug, s.p, s.n).path
            #expect(try await api.call(.GET, path).status == .notFound)
            let made = try await api.call(.PUT, path)
            #expect(made.status == .created && made["reminder_at"] as? String != nil && made["reminded_at"] == nil)
            #expect(try await api.call(.PUT, path).status == .ok)
            #expect(try await api.call(.GET, path)["registered_at"] as? String != nil)
            let episode = try await Given(app).api(
                as: try await Given(app).person("Pengelola", in: s.tenant, roles: [.pengelola])
            ).call(.GET, LiveAPIRoute.episode(s.slug, s.p, s.n).path)
            #expect(episode["registrations"] as? Int == 1)
            #expect(try await api.call(.DELETE, path).status == .noContent)
            #expect(try await api.call(.DELETE, path).status == .notFound)
            #expect(try await APIClient(app: app, headers: [:]).call(.PUT, path).status == .unauthorized)

            // over: closed, with a reason, and the page offers nothing
            s.time.advance(86_400 + Double(s.episode.minutes) * 60)
            let late = try await api.call(.PUT, path)
            #expect(late.status == .conflict && late.messages == ["Episode ini sudah selesai; pendaftaran ditutup."])
            #expect(!(try await browser.get(s.page).body.string.contains("Ingatkan saya")))
            // the button pressed on a page left open: back to the episode, with the reason
            let page = try await browser.post(LiveRoute.register(s.slug, s.p, s.n).path)
            #expect(page.status == .seeOther && page.headers.first(name: .location) == s.page)
            #expect(
                try await browser.get(s.page).body.string.contains("Episode ini sudah selesai; pendaftaran ditutup."))
            // after signing in again, the address of a button leads back to the episode
            for path in [LiveRoute.register(s.slug, s.p, s.n).path, LiveRoute.unregister(s.slug, s.p, s.n).path] {
                let back = try await browser.get(path)
                #expect(back.status == .seeOther && back.headers.first(name: .location) == s.page)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anEpisodeBackOnIsToldAndRemindedAndADoneOneIsNot(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let s = try await Self.setting(app)
            try await Registrations.register(
                s.episode, person: PersonID(try s.person.requireID()), on: app.db, now: app.clock.now())
            var cancel = EpisodeChange()
            cancel.status = "cancelled"
            try await Episodes.update(s.episode, cancel, in: s.programme, on: app.db, now: app.clock.now())
            // the reminder's moment passes while it is cancelled: nothing
            s.time.advance(23 * 3600 + 1)
            await JobQueue.runDue(app)
            #expect(try await s.notes("notify.live.cancelled").count == 1)
            #expect(try await s.notes("notify.live.reminder").isEmpty)
            // back on, half an hour before the start: told, and reminded at once
            var back = EpisodeChange()
            back.status = "planned"
            try await Episodes.update(s.episode, back, in: s.programme, on: app.db, now: app.clock.now())
            await JobQueue.runDue(app)
            let restored = try await s.notes("notify.live.restored")
            #expect(restored.count == 1 && restored.first?.argValues["when"]?.hasSuffix("WIB") == true)
            #expect(try await s.notes("notify.live.reminder").count == 1)

            // a second episode marked done before its reminder reminds nobody
            let other = try await Episodes.create(
                {
                    var c = EpisodeChange()
                    (c.number, c.topic, c.startsAt) = (8, "Pelayanan publik", app.clock.now() + 86_400)
                    return c
                }(), in: s.programme, on: app.db, now: app.clock.now())
            try await Registrations.register(
                other, person: PersonID(try s.person.requireID()), on: app.db, now: app.clock.now())
            var done = EpisodeChange()
            done.status = "done"
            try await Episodes.update(other, done, in: s.programme, on: app.db, now: app.clock.now())
            s.time.advance(86_400)
            await JobQueue.runDue(app)
            #expect(try await s.notes("notify.live.reminder").count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anEpisodeTheFiguresImportPlansIsRemindedOfAndAnImportedMoveIsTold(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let s = try await Self.setting(app)
            let day = { (offset: Double) in LocalDates.isoDay.string(from: app.clock.now() + offset) }
            let header =
                "episode,speakers,topic,date,platform,accounts_reached,peak_viewers,comments,"
                + "accounts_engaged,followers_gained\n"
            let importer = FiguresImport(programme: s.programme, db: app.db, now: app.clock.now())
            _ = try await importer.run(
                Data((header + "9,Sari Dewi,Menulis nota dinas,\(day(3 * 86_400)),instagram,,,,,\n").utf8), format: .csv
            )
            let planned = try #require(
                try await TenantScope(tenantID: s.programme.tenantID, db: app.db).query(LiveEpisode.self)
                    .filter(\.$number == 9).first())
            try await Registrations.register(
                planned, person: PersonID(try s.person.requireID()), on: app.db, now: app.clock.now())
            // a second file moves it a day later: the registered are told
            _ = try await importer.run(
                Data((header + "9,Sari Dewi,Menulis nota dinas,\(day(4 * 86_400)),instagram,,,,,\n").utf8), format: .csv
            )
            await JobQueue.runDue(app)
            #expect(try await s.notes("notify.live.moved").count == 1)
            let start = try #require(try await LiveEpisode.find(planned.id, on: app.db)).startsAt
            #expect(LocalDates.isoDay.string(from: start) == day(4 * 86_400))
            s.time.advance(start.timeIntervalSince(app.clock.now()) - 1800)
            await JobQueue.runDue(app)
            #expect(try await s.notes("notify.live.reminder").count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func registeringInTheLastHourPromisesNoReminder(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let s = try await Self.setting(app)
            s.time.advance(86_400 - 1800)
            let browser = try await Given(app).browser(signedInAs: s.person)
            #expect(try await browser.post(LiveRoute.register(s.slug, s.p, s.n).path).status == .seeOther)
            let page = try await browser.get(s.page).body.string
            #expect(page.contains("Siaran segera dimulai.") && page.contains("Anda terdaftar untuk episode ini."))
            #expect(!page.contains("Pengingat akan dikirim"))
            let api = try await Given(app).api(as: s.person)
            #expect(try await api.call(.GET, LiveAPIRoute.registration(s.slug, s.p, s.n).path)["reminder_at"] == nil)
        }
    }
}
