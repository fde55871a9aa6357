import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongTenancy

/// A coordinator ticks several participants and decides once: approve or reject requests,
/// remove people. The reason is checked before anyone changes; each person is told.
@Suite("Deciding for several participants")
struct BulkDecisionTests {
    @Test(arguments: TestDatabase.all)
    func tickedRequestsAreApprovedOrRejectedAtOnce(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // given a course taken on approval and four requests
            let given = Given(app)
            let tenant = try await given.tenant()
            let built = try await given.course(in: tenant, activities: [], enrolment: .approval)
            var requests: [Enrolment] = []
            for _ in 0..<4 {
                let person = try await given.person(in: tenant)
                let outcome = try await EnrolmentService(db: app.db).enrol(
                    person, in: built.course, viewer: CatalogViewer(tenantIDs: [try tenant.requireID()]))
                requests.append(outcome.enrolment)
            }
            let desk = TenantDesk.tenant(tenant.routeSlug)
            let page = CatalogRoute.courseStep(desk, built.course.routeID, .participants).path
            func decide(_ action: EnrolmentAction, _ ids: [Enrolment], reason: String? = nil) -> String {
                CatalogRoute.enrolmentDecisions(desk, built.course.routeID, .value(action)).path
            }
            let browser = try await given.browser(signedInAs: built.coordinator)

            // the page ticks each request into one form with a button per decision
            let html = try await browser.get(page).body.string
            #expect(html.contains("form=\"bulk-participants-pending\""))
            #expect(html.contains("formaction=\"\(decide(.approve, []))\""))
            #expect(html.contains("formaction=\"\(decide(.reject, []))\""))
            // Enter in the reason field sends the form to its own address: rejecting, never approving
            #expect(html.contains("id=\"bulk-participants-pending\" action=\"\(decide(.reject, []))\""))
            // more than a decision takes at once is refused, not cut
            let many = (0...CourseAdminRoutes.maxSelected).map { _ in UUID() } + [requests[0].id!]
            _ = try await Self.post(browser, decide(.approve, []), ids: many)
            #expect(try await browser.get(page).body.string.contains("Terlalu banyak yang dicentang"))
            #expect(try await Self.statuses(app, requests) == [.pending, .pending, .pending, .pending])

            // when nothing is ticked, or a rejection has no reason, then nobody changes
            _ = try await browser.post(decide(.approve, []), form: [:])
            let reasonless = try await Self.post(browser, decide(.reject, []), ids: requests.map { $0.id! })
            #expect(reasonless.status == .seeOther)
            #expect(try await Self.statuses(app, requests) == [.pending, .pending, .pending, .pending])
            #expect(try await browser.get(page).body.string.contains("Tuliskan alasannya"))

            // when two are approved at once, then both are enrolled
            _ = try await Self.post(browser, decide(.approve, []), ids: [requests[0].id!, requests[1].id!])
            #expect(try await Self.statuses(app, requests) == [.enrolled, .enrolled, .pending, .pending])
            #expect(try await browser.get(page).body.string.contains("2 orang disetujui"))

            // when the rest and an already approved one are rejected with a reason, then the
            // rest are rejected with it and the approved one is skipped, said on the page
            _ = try await Self.post(
                browser, decide(.reject, []), ids: [requests[1].id!, requests[2].id!, requests[3].id!],
                reason: "Kuota unit sudah terpenuhi.")
            #expect(try await Self.statuses(app, requests) == [.enrolled, .enrolled, .rejected, .rejected])
            let after = try await browser.get(page).body.string
            #expect(after.contains("2 permintaan ditolak"))
            #expect(after.contains("1 orang dilewati"))
            let rejected = try await Enrolment.find(requests[2].id, on: app.db)
            #expect(rejected?.reason == "Kuota unit sudah terpenuhi.")

            // the enrolled group's ticked people are removed with the reason, and told
            _ = try await Self.post(browser, decide(.remove, []), ids: [requests[0].id!], reason: "Pindah tugas.")
            #expect(try await Self.statuses(app, requests) == [.removed, .enrolled, .rejected, .rejected])
            #expect(try await browser.get(page).body.string.contains("1 peserta dikeluarkan"))

            // and another course's enrolment cannot be reached through this one
            let elsewhere = try await given.course(in: tenant, activities: [], enrolment: .approval)
            let stranger = try await given.person(in: tenant)
            let foreign = try await EnrolmentService(db: app.db).enrol(
                stranger, in: elsewhere.course, viewer: CatalogViewer(tenantIDs: [try tenant.requireID()])
            ).enrolment
            _ = try await Self.post(browser, decide(.approve, []), ids: [foreign.id!])
            #expect(try await Enrolment.find(foreign.id, on: app.db)?.status == .pending)
        }
    }

    static func post(
        _ browser: Browser, _ path: String, ids: [UUID], reason: String? = nil
    ) async throws
        -> TestingHTTPResponse
    {
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        var fields = ids.map { "ids%5B%5D=\($0.uuidString)" } + ["_csrf=\(Browser.csrf)"]
        if let reason {
            fields.append("reason=" + (reason.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        return try await browser.send(
            .POST, path, headers: headers, body: ByteBuffer(string: fields.joined(separator: "&")))
    }

    static func statuses(_ app: Application, _ rows: [Enrolment]) async throws -> [Enrolment.Status] {
        var result: [Enrolment.Status] = []
        for row in rows { result.append(try await Enrolment.find(row.id, on: app.db)?.status ?? .withdrawn) }
        return result
    }
}
