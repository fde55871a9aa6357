import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// A citizen's contact data is kept the tenant's retention period after the case closed, then
/// emptied; a case reopened meanwhile keeps it until it closes again.
@Suite("Service desk: retention of contact data")
struct RetentionTests {
    @Test(arguments: TestDatabase.all)
    func contactDataIsEmptiedARetentionPeriodAfterClosing(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let (kept, _) = try await OfficeDeskTests.report(o, app, text: "Jalan rusak di gang Mawar, mohon segera.")
            let (cleared, _) = try await OfficeDeskTests.report(o, app, text: "Jalan amblas di gang Melati, berbahaya.")
            try await OfficeDeskTests.finish(o, kept, app)
            try await OfficeDeskTests.finish(o, cleared, app)
            // the first is reopened ten days later (and so kept), the second stays done
            o.time.advance(10 * 86_400)
            let done = try #require(try await o.scope.find(DeskCase.self, kept.id))
            try await CitizenVerdict(scope: o.scope, now: app.clock.now()).reopen(done, reason: "Belum diperbaiki.")
            o.time.advance(356 * 86_400 + 60)
            await JobQueue.runDue(app)
            let reporters = try await o.scope.query(DeskReporter.self).all()
            let gone = try #require(reporters.first { $0.caseID == cleared.id })
            #expect(gone.name == "" && gone.phone == "" && gone.email == "" && gone.nik == "")
            #expect(try await o.scope.find(DeskCase.self, cleared.id)?.contactMasked == "")
            let still = try #require(reporters.first { $0.caseID == kept.id })
            #expect(still.name == "Siti Aminah" && still.phone == "081234567890")
            #expect(try await o.scope.find(DeskCase.self, kept.id)?.contactMasked == "0812****7890")
        }
    }
}
