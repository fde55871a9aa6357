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

/// `/saya/jp`: the person's year of JP against the 20-JP target, as they would show it.
@Suite("JP ledger page")
struct LedgerPageTests {
    @Test(arguments: TestDatabase.all)
    func aFinishedCourseShowsOnTheYearsPageAgainstTheTarget(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a learner who finished a course this year, and an entry of an earlier year
            app.jobs.startsWorker = false
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, "Etika Pelayanan", activities: [.page("Satu")])
            let learner = try await given.learner(enrolledIn: built)
            let browser = try await given.browser(signedInAs: learner)
            let page = LearningRoute.activity(tenant.routeSlug, built.course.routeSlug, built.activities[0].routeID)
            _ = try await browser.get(page.path)
            await JobQueue.runDue(app)
            let thisYear = LocalDates.year(of: app.clock.now())
            let learnerID = try learner.requireID()
            try await Self.fromElsewhere(
                learnerID, "Seminar Kearsipan", by: "ANRI", type: "teknis", jp: 24, year: thisYear - 2,
                at: app.clock.now().addingTimeInterval(-2 * 366 * 86_400), on: app.db)
            // (and one of this year from elsewhere, already verified)
            try await Self.fromElsewhere(
                learnerID, "Lokakarya Data Terbuka", by: "Bappenas", type: "sosial_kultural", jp: 5, year: thisYear,
                at: app.clock.now(), on: app.db)

            // when they open their record from /saya
            let mine = try await browser.get(CatalogRoute.myCourses.path).body.string
            #expect(mine.contains("href=\"/saya/jp\""))
            // (/saya counts the courses finished here; learning from elsewhere is the ledger's)
            #expect(mine.contains("JP selesai tahun ini: \(built.course.jp) dari 20 JP wajib."))
            let year = try await browser.get(CredentialsRoute.myLedger.path)

            // then this year's page shows the course, its JP against 20, and what is still short
            #expect(year.status == .ok)
            let html = year.body.string
            let jp = built.course.jp + 5
            #expect(html.contains("Catatan pengembangan kompetensi \(thisYear)"))
            #expect(html.contains("\(jp) dari 20 JP"))
            #expect(html.contains(built.course.title))
            #expect(html.contains(tenant.name))
            if jp < 20 { #expect(html.contains("Kurang \(20 - jp) JP lagi untuk memenuhi 20 JP tahun \(thisYear).")) }
            #expect(html.contains("aria-valuenow=\"\(min(jp, 20))\""))
            #expect(!html.contains("Seminar Kearsipan"))
            #expect(html.contains("Lokakarya Data Terbuka"))
            #expect(html.contains("Sosial kultural: <strong>5 JP</strong>"))
            #expect(html.contains("href=\"/saya/jp?tahun=\(thisYear - 2)\""))

            // and the earlier year's page has its own entry, the target met
            let before = try await browser.get(CredentialsRoute.myLedger.path + "?tahun=\(thisYear - 2)").body.string
            #expect(before.contains("Seminar Kearsipan"))
            #expect(before.contains("24 dari 20 JP"))
            #expect(before.contains("Target 20 JP tahun \(thisYear - 2) sudah terpenuhi."))
            #expect(before.contains("Teknis: <strong>24 JP</strong>"))
            #expect(!before.contains(built.course.title))

            // and a year that is not one is refused; someone signed out is sent to sign in
            let bad = try await browser.get(CredentialsRoute.myLedger.path + "?tahun=abad")
            #expect(bad.status == .badRequest)
            #expect(bad.body.string.contains("tahun: "))
            let signedOut = try await Browser(app).get(CredentialsRoute.myLedger.path)
            #expect(signedOut.status == .seeOther)
        }
    }

    /// A verified entry of learning from elsewhere, as its verification will leave it.
    @discardableResult
    static func fromElsewhere(
        _ person: UUID, _ title: String, by provider: String, type: String, jp: Int, year: Int,
        at day: Date, on db: any Database
    ) async throws -> LedgerEntry {
        let entry = LedgerEntry()
        entry.personID = person
        entry.source = .external
        entry.title = title
        entry.provider = provider
        entry.competencyType = type
        entry.jp = jp
        entry.year = year
        entry.completedAt = day
        entry.status = .verified
        entry.createdAt = day
        (entry.kind, entry.certificateNumber, entry.decidedBy, entry.reason) = ("seminar", "", "", "")
        try await entry.create(on: db)
        return entry
    }
}
