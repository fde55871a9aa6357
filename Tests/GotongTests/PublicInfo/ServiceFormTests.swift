import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongPublicInfo
@testable import GotongServiceDesk
@testable import GotongTenancy

/// A service's forms to download: officers add PDF, Word or Excel files (known by their bytes)
/// and remove them; a citizen finds them on the service's page and in the API and downloads them
/// under their names; another tenant's officers reach none of it.
@Suite("Public information: forms to download")
struct ServiceFormTests {
    static let docx = Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 7, count: 60))

    @Test(arguments: TestDatabase.all)
    func officersAddFormsThatCitizensDownload(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            var draft = ServiceDraft()
            (draft.name, draft.summary) = ("Surat Keterangan Pindah", "Untuk warga yang pindah domisili.")
            let service = try await ServiceCatalogue.add(draft, in: o.scope, now: app.clock.now())
            let id = Param<ServiceID>.value(.init(service.id!))
            let admin = try await Given(app).browser(signedInAs: o.admin)
            func add(
                _ title: String, _ name: String, _ data: Data, as browser: Browser
            ) async throws
                -> TestingHTTPResponse
            {
                try await browser.upload(
                    InfoRoute.formAdd(slug, id).path, field: ServiceForms.field, filename: name,
                    contentType: "application/octet-stream", data: data, form: ["form_title": title])
            }
            // A photo named .pdf and no name: both problems, nothing stored.
            let refused = try await add("", "formulir.pdf", DocumentTests.jpeg, as: admin)
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.body.string.contains("Isi nama formulir.") && refused.body.string.contains("harus berkas PDF"))
            #expect(try await o.scope.query(InfoServiceForm.self).count() == 0)
            #expect(
                try await add("F-1.03 Formulir Pindah", "f103.pdf", DocumentTests.pdf, as: admin).status == .seeOther)
            #expect(
                try await add("Surat pernyataan", "pernyataan.docx", Self.docx, as: admin).status == .seeOther)
            // A coordinator of another tenant reaches neither the service nor its forms.
            let other = try await OfficeDeskTests.office(app)
            let stranger = try await Given(app).browser(signedInAs: other.admin)
            #expect(try await add("Palsu", "palsu.pdf", DocumentTests.pdf, as: stranger).status == .forbidden)

            let citizen = Browser(app)
            let page = try await citizen.get(InfoRoute.service(slug, .value(.init(service.slug))).path).body.string
            #expect(page.contains("F-1.03 Formulir Pindah") && page.contains("PDF, 1 KB") && page.contains("DOCX"))
            let forms = try await o.scope.query(InfoServiceForm.self).sort(\.$position).all()
            #expect(forms.map(\.fileName) == ["f103.pdf", "pernyataan.docx"])
            let file = InfoRoute.serviceForm(slug, .value(.init(service.slug)), .value(.init(forms[0].id!))).path
            let got = try await citizen.get(file)
            #expect(got.status == .ok && Data(got.body.readableBytesView) == DocumentTests.pdf)
            #expect(got.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
            // Another service's address does not reach the form.
            #expect(
                try await citizen.get(
                    InfoRoute.serviceForm(slug, .value(.init("ktp-el")), .value(.init(forms[0].id!))).path
                ).status == .notFound)
            let api = try await APIClient(app: app, headers: [:]).call(
                .GET, InfoAPIRoute.service(slug, .value(.init(service.id!))).path)
            #expect((api["forms"] as? [[String: Any]])?.map { $0["url"] as? String }.first == file)

            let removed = try await admin.post(
                InfoRoute.formRemove(slug, id).path, form: ["id": forms[0].id!.uuidString])
            #expect(removed.status == .seeOther)
            #expect(try await citizen.get(file).status == .notFound)
            #expect(try await app.files.get(forms[0].fileKey) == nil)
        }
    }
}
