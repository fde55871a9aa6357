import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongCatalog
@testable import GotongEvaluation
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Level 3: the follow-up falls due weeks after a course is finished; the participant is told
/// and fills in their form; the supervisor they named gets a link, answers without an account,
/// once, and is reminded with a new link; an old or expired link answers nothing.
@Suite("Evaluation follow-up")
struct FollowUpTests {
    static let week: TimeInterval = 7 * 86_400

    /// A course evaluated only at level 3: its follow-up four weeks after finishing.
    static func followed(_ app: Application, _ given: Given) async throws -> EvaluationTests.Evaluated {
        let e = try await EvaluationTests.evaluated(app, given, required: false)
        let forms = try await TenantScope(tenantID: try e.tenant.requireID(), db: app.db).query(EvaluationForm.self)
            .all()
        let coordinator = try await given.browser(signedInAs: e.built.coordinator)
        let saved = try await coordinator.post(
            EvaluationRoute.course(e.slug, .value(e.built.id)).path,
            form: [
                "follow_up_weeks": "4",
                "follow_up_form": try #require(forms.first { $0.purpose == .followUp }).id!.uuidString,
                "supervisor_form": try #require(forms.first { $0.purpose == .supervisor }).id!.uuidString,
            ])
        #expect(saved.status == .seeOther)
        return e
    }

    static func link(_ mail: Mail) throws -> String {
        let line = try #require(mail.body.split(separator: "\n").first { $0.contains("/evaluasi-atasan/") })
        return String(line[line.range(of: "/evaluasi-atasan/")!.lowerBound...]).trimmingCharacters(in: .whitespaces)
    }

    @Test(arguments: TestDatabase.all)
    func theSupervisorNamedDuringTheCourseAnswersThroughTheLinkOnce(db: TestDatabase) async throws {
        try await withGotong(db) { app, mailer in
            app.jobs.startsWorker = false
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            let given = Given(app)
            let e = try await Self.followed(app, given)
            let learner = try await given.browser(signedInAs: e.learner)

            // during the course the participant names their supervisor; a bad address is refused
            let during = try await learner.get(e.page).body.string
            #expect(during.contains("Atasan langsung Anda") && during.contains("setelah Anda menyelesaikan"))
            let name = EvaluationRoute.supervisorName(e.slug, .value(e.built.id)).path
            let bad = try await learner.post(name, form: ["supervisor_name": "Dr. Rina", "supervisor_email": "rina@"])
            #expect(
                bad.status == .unprocessableEntity && bad.body.string.contains("Isi alamat email atasan yang benar."))
            // the name goes into a mail the platform sends: one line, no links; and not oneself
            let lines = try await learner.post(
                name,
                form: [
                    "supervisor_name": "Bapak\n\nTautan baru: https://contoh.test",
                    "supervisor_email": "a@contoh.go.id",
                ])
            #expect(lines.status == .unprocessableEntity && lines.body.string.contains("satu baris, tanpa tautan"))
            let me = try await learner.post(
                name, form: ["supervisor_name": "Saya", "supervisor_email": e.learner.email])
            #expect(me.status == .unprocessableEntity && me.body.string.contains("bukan email Anda sendiri"))
            let named = try await learner.post(
                name, form: ["supervisor_name": "Dr. Rina Wulandari", "supervisor_email": "Rina.Atasan@Contoh.go.id"])
            #expect(named.status == .seeOther)

            // finished: due in four weeks, and nothing goes before that
            try await EvaluationTests.finish(app, e)
            let followUp = try #require(try await EvaluationFollowUp.query(on: app.db).first())
            #expect(followUp.supervisorEmail == "rina.atasan@contoh.go.id")
            #expect(abs((followUp.dueAt ?? .distantPast).timeIntervalSince(time.current) - 4 * Self.week) < 5)
            await JobQueue.runDue(app)
            #expect(mailer.outbox.isEmpty)
            #expect(try await learner.get(e.page).body.string.contains("Formulir") == false)

            // four weeks on: the participant is told, the supervisor mailed a link
            time.advance(4 * Self.week + 60)
            await JobQueue.runDue(app)
            #expect(
                try await PersonNotification.query(on: app.db).filter(\.$personID == e.learner.requireID())
                    .filter(\.$messageKey == "notify.evaluation.follow_up").count() == 1)
            let mail = try #require(mailer.outbox.first)
            #expect(mail.to == "rina.atasan@contoh.go.id" && mail.body.contains("Yth. Bapak/Ibu Dr. Rina Wulandari"))
            let link = try Self.link(mail)
            // the participant fills in their follow-up form
            #expect(try await learner.get(e.page).body.string.contains("Evaluasi Pascapelatihan (Peserta)"))
            let own = try #require(
                try await EvaluationForm.query(on: app.db).filter(\.$purpose == .followUp)
                    .filter(\.$tenantID == e.tenant.requireID()).first())
            #expect(
                try await learner.post(e.page, form: try await EvaluationTests.answers(app, own, point: 5)).status
                    == .seeOther)
            // the supervisor cannot be changed once the link is out
            #expect(
                try await learner.post(
                    name, form: ["supervisor_name": "Lain", "supervisor_email": "lain@contoh.go.id"]
                ).status == .seeOther)
            #expect(
                try await EvaluationFollowUp.query(on: app.db).first()?.supervisorEmail == "rina.atasan@contoh.go.id")

            // the supervisor, with no account, opens the link: the form names the participant
            let supervisor = Browser(app)
            let form = try await supervisor.get(link)
            #expect(form.status == .ok && form.body.string.contains("Penilaian atas \(e.learner.name)"))
            #expect(form.headers.first(name: "X-Robots-Tag") == "noindex")
            let theirs = try #require(
                try await EvaluationForm.query(on: app.db).filter(\.$purpose == .supervisor)
                    .filter(\.$tenantID == e.tenant.requireID()).first())
            let blank = try await supervisor.post(link, form: [:])
            #expect(blank.status == .unprocessableEntity && blank.body.string.contains("Pertanyaan ini wajib dijawab."))
            #expect(
                try await supervisor.post(link, form: try await EvaluationTests.answers(app, theirs, point: 4)).status
                    == .seeOther)
            #expect(try await supervisor.get(link).body.string.contains("penilaian Anda sudah tersimpan"))
            #expect(
                try await supervisor.post(link, form: try await EvaluationTests.answers(app, theirs, point: 1)).status
                    == .ok)
            #expect(try await EvaluationResponse.query(on: app.db).filter(\.$purpose == .supervisor).count() == 1)

            // a week on, nobody who answered is reminded
            time.advance(Self.week + 60)
            await JobQueue.runDue(app)
            #expect(mailer.outbox.count == 1)
            #expect(
                try await PersonNotification.query(on: app.db).filter(
                    \.$messageKey == "notify.evaluation.follow_up_reminder"
                )
                .count() == 0)

            // the coordinator's results count it
            let coordinator = try await given.browser(signedInAs: e.built.coordinator)
            // (the run of the year the course was finished: the clock has moved on since)
            let year = LocalDates.year(of: try #require(followUp.completedAt))
            let results = try await coordinator.get(
                EvaluationRoute.results(e.slug, .value(e.built.id)).path + "?tahun=\(year)"
            ).body.string
            #expect(results.contains("1 dari 1 tindak lanjut sudah jatuh tempo; 1 peserta mengisi; 1 dari 1 atasan"))
            #expect(results.contains("Evaluasi Pascapelatihan (Atasan)"))
            // an unknown link names nothing
            #expect(
                try await supervisor.get("/evaluasi-atasan/bukan-tautan-yang-dikirim-sama-sekali").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aReminderSendsANewLinkAndAnOldOrExpiredOneAnswersNothing(db: TestDatabase) async throws {
        try await withGotong(db) { app, mailer in
            app.jobs.startsWorker = false
            let (clock, time) = ServerClock.manual()
            app.clock = clock
            let given = Given(app)
            let e = try await Self.followed(app, given)
            // finished without naming anyone: the follow-up goes to the participant alone
            try await EvaluationTests.finish(app, e)
            time.advance(4 * Self.week + 60)
            await JobQueue.runDue(app)
            #expect(mailer.outbox.isEmpty)

            // the coordinator names the supervisor afterwards: they are mailed at once
            let coordinator = try await given.browser(signedInAs: e.built.coordinator)
            let desk = EvaluationRoute.followUps(e.slug, .value(e.built.id)).path
            #expect(try await coordinator.get(desk).body.string.contains(e.learner.name))
            let named = try await coordinator.post(
                desk,
                form: [
                    "person_id": try e.learner.requireID().uuidString, "supervisor_name": "Pak Bambang",
                    "supervisor_email": "bambang@contoh.go.id",
                ])
            #expect(named.status == .seeOther)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "evaluation.supervisor").count() == 1)
            await JobQueue.runDue(app)
            let first = try Self.link(try #require(mailer.outbox.first))
            #expect(try await Browser(app).get(first).status == .ok)

            // a week after the follow-up: a reminder with a new link; the old one stops working
            time.advance(Self.week)
            await JobQueue.runDue(app)
            #expect(mailer.outbox.count == 2 && mailer.outbox[1].subject.hasPrefix("Pengingat: "))
            #expect(
                try await PersonNotification.query(on: app.db).filter(
                    \.$messageKey == "notify.evaluation.follow_up_reminder"
                )
                .count() == 1)
            let second = try Self.link(mailer.outbox[1])
            #expect(second != first)
            #expect(try await Browser(app).get(first).status == .notFound)
            #expect(try await Browser(app).get(second).status == .ok)

            // a month later the link has expired
            time.advance(31 * 86_400)
            #expect(try await Browser(app).get(second).status == .gone)
            #expect(try await Browser(app).post(second, form: [:]).status == .gone)
            // the coordinator sends it again (the same supervisor): a new link that works
            let again = try await coordinator.post(
                desk,
                form: [
                    "person_id": try e.learner.requireID().uuidString, "supervisor_name": "Pak Bambang",
                    "supervisor_email": "bambang@contoh.go.id",
                ])
            #expect(again.status == .seeOther)
            await JobQueue.runDue(app)
            let third = try Self.link(try #require(mailer.outbox.last))
            #expect(mailer.outbox.count == 3 && third != second)
            #expect(try await Browser(app).get(third).status == .ok)

            // another tenant's coordinator, or a participant of another course, names no one here
            let stranger = try await given.person("Orang Lain", in: e.tenant)
            #expect(
                try await coordinator.post(
                    desk,
                    form: [
                        "person_id": try stranger.requireID().uuidString, "supervisor_name": "X",
                        "supervisor_email": "x@contoh.go.id",
                    ]
                ).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCoordinatorSendsAFollowUpEarlyOnce(db: TestDatabase) async throws {
        try await withGotong(db) { app, mailer in
            app.jobs.startsWorker = false
            let given = Given(app)
            let e = try await Self.followed(app, given)
            let learner = try await given.browser(signedInAs: e.learner)
            let name = EvaluationRoute.supervisorName(e.slug, .value(e.built.id)).path
            #expect(
                try await learner.post(
                    name, form: ["supervisor_name": "Bu Sari", "supervisor_email": "sari@contoh.go.id"]
                ).status == .seeOther)
            let coordinator = try await given.browser(signedInAs: e.built.coordinator)
            let send = EvaluationRoute.sendFollowUp(e.slug, .value(e.built.id)).path
            let person = ["person_id": try e.learner.requireID().uuidString]
            // not finished yet: nothing to send
            #expect(try await coordinator.post(send, form: person).status == .seeOther)
            #expect(try await EvaluationFollowUp.query(on: app.db).first()?.dueAt == nil)
            try await EvaluationTests.finish(app, e)
            #expect(try await coordinator.post(send, form: person).status == .seeOther)
            await JobQueue.runDue(app)
            #expect(mailer.outbox.count == 1 && mailer.outbox.first?.to == "sari@contoh.go.id")
            #expect(try await learner.get(e.page).body.string.contains("Evaluasi Pascapelatihan (Peserta)"))
            // sent once: again changes nothing, and the act is audited once
            #expect(try await coordinator.post(send, form: person).status == .seeOther)
            await JobQueue.runDue(app)
            #expect(mailer.outbox.count == 1)
            #expect(
                try await AuditEntry.query(on: app.db).filter(\.$action == "evaluation.follow_up.send").count() == 1)
            // learners may not
            #expect(try await learner.post(send, form: person).status == .forbidden)
        }
    }
}
