import Fluent
import Foundation
import Testing
import Vapor
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// Quick replies: a coordinator keeps them; an officer starts a reply from one, its
/// placeholders filled from the case, and edits it before sending.
@Suite("Service desk: quick replies")
struct QuickReplyTests {
    @Test(arguments: TestDatabase.all)
    func anOfficerStartsAReplyFromAQuickReplyFilledFromTheCase(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let given = Given(app)
            let admin = try await given.browser(signedInAs: o.admin)
            let body =
                "Laporan {nomor} ({kategori}) kami teruskan ke {unit}; tenggat {tenggat}. Salam, {instansi}. {lain}"
            #expect(
                try await admin.post(DeskRoute.templates(slug).path, form: ["title": "Diteruskan", "body": body]).status
                    == .seeOther)
            let again = try await admin.post(
                DeskRoute.templates(slug).path, form: ["title": "Diteruskan", "body": "x"])
            #expect(again.status == .unprocessableEntity && again.body.string.contains("sudah ada"))
            let officer = try await given.browser(signedInAs: o.officer)
            #expect(
                try await officer.post(DeskRoute.templates(slug).path, form: ["title": "X", "body": "y"]).status
                    == .forbidden)

            let (item, _) = try await OfficeDeskTests.report(o, app, text: "Jalan berlubang di depan balai desa.")
            let template = try #require(try await o.scope.query(DeskTemplate.self).first())
            let casePath = OfficeDeskTests.casePath(o, item)
            let page = try await officer.get(casePath).body.string
            #expect(page.contains("Mulai dari templat") && page.contains("Diteruskan"))
            let filled = try await officer.get(casePath + "?templat=" + template.id!.uuidString).body.string
            #expect(filled.contains("Laporan \(item.number) (Infrastruktur) kami teruskan ke Dinas PUPR; tenggat "))
            #expect(filled.contains("Salam, \(o.tenant.name). {lain}"))
            #expect(try await officer.get(casePath + "?templat=" + UUID().uuidString).status == .notFound)
            #expect(try await officer.get(casePath + "?templat=abc").status == .badRequest)

            let removed = try await admin.post(
                DeskRoute.templatesRemove(slug).path, form: ["id": template.id!.uuidString])
            let left = try await o.scope.query(DeskTemplate.self).count()
            #expect(removed.status == .seeOther && left == 0)
        }
    }
}
