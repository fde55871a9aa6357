import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongCatalog
@testable import GotongCredentials
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// A coordinator records that a participant finished a course attended in person: the JP are
/// credited and the certificate issued exactly as for a course finished online, once.
@Suite("Completions recorded by hand")
struct CompletionByHandTests {
    @Test(arguments: TestDatabase.all)
    func aCoordinatorsRecordCreditsAndCertifiesOnce(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            app.jobs.startsWorker = false
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, "Pelatihan Tatap Muka", activities: [.page("Satu")])
            // one participant never enrolled online; another had withdrawn
            let walkIn = try await given.person("Peserta Hadir", in: tenant)
            let withdrawn = try await given.learner(enrolledIn: built)
            _ = try await EnrolmentService(db: app.db).withdraw(withdrawn, from: built.course)
            let api = try await given.api(as: built.coordinator)
            let path = CredentialsAPIRoute.completions(tenant.routeSlug, .value(built.id)).path

            // when the coordinator records both (the second in capitals, as people type)
            let first = try await api.call(.POST, path, ["email": walkIn.email])
            let second = try await api.call(.POST, path, ["email": withdrawn.email.uppercased()])
            #expect(first.status == .created && first["status"] as? String == "recorded")
            #expect(second.status == .created)
            await JobQueue.runDue(app)

            // then each has a completed enrolment, the course's JP in their year and a certificate
            for person in [walkIn, withdrawn] {
                let enrolment = try await Enrolment.query(on: app.db).filter(\.$personID == person.requireID())
                    .filter(\.$courseID == built.course.requireID()).first()
                #expect(enrolment?.status == .completed && enrolment?.completedAt != nil)
                let year = try await JPLedger(db: app.db).year(
                    LocalDates.year(of: app.clock.now()), of: PersonID(person.requireID()))
                #expect(year.totalJP == built.course.jp)
                #expect(try await Certificate.query(on: app.db).filter(\.$personID == person.requireID()).count() == 1)
            }
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "course.complete_by_hand").all()
            #expect(audit.count == 2 && audit.allSatisfy { $0.actorID == built.coordinator.id })

            // and recording again changes nothing and queues nothing
            let again = try await api.call(.POST, path, ["email": walkIn.email])
            #expect(again.status == .ok && again["status"] as? String == "already_complete")
            await JobQueue.runDue(app)
            #expect(try await Certificate.query(on: app.db).count() == 2)
            #expect(try await LedgerEntry.query(on: app.db).count() == 2)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "course.complete_by_hand").count() == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRecordIsRefusedToOthersAndForUnknownPeople(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [.page("Satu")])
            let learner = try await given.learner(enrolledIn: built)
            let path = CredentialsAPIRoute.completions(tenant.routeSlug, .value(built.id)).path
            let coordinator = try await given.api(as: built.coordinator)

            // an unknown email and a missing one are refused, naming the field, in Indonesian
            let unknown = try await coordinator.call(.POST, path, ["email": "tidak.ada@contoh.go.id"])
            #expect(unknown.status == .unprocessableEntity && unknown.fields == ["email"])
            #expect(String(decoding: unknown.body, as: UTF8.self).contains("Tidak ada akun dengan email"))
            #expect(try await coordinator.call(.POST, path, [:]).fields == ["email"])
            #expect(
                try await coordinator.call(.POST, path, ["email": String(repeating: "a", count: 300)]).fields == [
                    "email"
                ])

            // a coordinator may not record their own completion, nor a learner theirs
            let ownRecord = try await coordinator.call(.POST, path, ["email": built.coordinator.email])
            #expect(ownRecord.status == .unprocessableEntity && ownRecord.fields == ["email"])
            let own = try await given.api(as: learner)
            #expect(try await own.call(.POST, path, ["email": learner.email]).status == .forbidden)

            // another tenant's coordinator reaches no course of this one, through their tenant either
            let elsewhere = try await given.tenant("Balai Lain")
            let theirs = try await given.course(in: elsewhere, activities: [.page("Satu")])
            let stranger = try await given.api(as: theirs.coordinator)
            let mixed = CredentialsAPIRoute.completions(elsewhere.routeSlug, .value(built.id)).path
            #expect(try await stranger.call(.POST, mixed, ["email": learner.email]).status == .notFound)
            #expect(try await stranger.call(.POST, path, ["email": learner.email]).status == .forbidden)
            let enrolment = try await Enrolment.query(on: app.db).filter(\.$personID == learner.requireID()).first()
            #expect(enrolment?.status == .enrolled)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "course.complete_by_hand").count() == 0)

            // the desk's form records the same way and tells the coordinator
            let browser = try await given.browser(signedInAs: built.coordinator)
            let desk = CredentialsRoute.certificates(tenant.routeSlug).path
            let page = try await browser.get(desk)
            #expect(page.status == .ok && page.body.string.contains(built.course.title))
            let saved = try await browser.post(
                CredentialsRoute.recordCompletion(tenant.routeSlug).path,
                form: ["course_id": built.course.id!.uuidString, "email": learner.email])
            #expect(saved.status == .seeOther)
            #expect(try await browser.get(desk).body.string.contains("dicatat"))
            let done = try await Enrolment.query(on: app.db).filter(\.$personID == learner.requireID()).first()
            #expect(done?.status == .completed)
            let foreignCourse = try await browser.post(
                CredentialsRoute.recordCompletion(tenant.routeSlug).path,
                form: ["course_id": theirs.course.id!.uuidString, "email": learner.email])
            #expect(foreignCourse.status == .seeOther)
            #expect(try await browser.get(desk).body.string.contains("Pilih pelatihan."))
        }
    }
}
