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

/// Transparency documents: the tenant's administrators and coordinators publish PDFs (known by
/// their bytes) with year, kind and summary; anyone finds them by words, year and kind, and reads
/// them; nothing is stored for a refused one.
@Suite("Public information: transparency documents")
struct DocumentTests {
    static let pdf = Data("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 1, count: 64))

    static func publish(
        _ browser: Browser, _ slug: Param<TenantSlug>, title: String, kind: String, year: String, data: Data = pdf,
        summary: String = ""
    ) async throws -> TestingHTTPResponse {
        try await browser.upload(
            InfoRoute.documentEditor(slug).path, field: "berkas", filename: "\(title).pdf",
            contentType: "application/pdf",
            data: data, form: ["title": title, "kind": kind, "year": year, "summary": summary])
    }

    @Test(arguments: TestDatabase.all)
    func officersPublishDocumentsAndAnyoneFindsAndReadsThem(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let admin = try await Given(app).browser(signedInAs: o.admin)
            // A photo called .pdf, no title, a year out of range: every problem, nothing stored.
            let refused = try await Self.publish(admin, slug, title: "", kind: "apbd", year: "1999", data: Self.jpeg)
            #expect(refused.status == .unprocessableEntity)
            for text in ["Berkas harus PDF.", "Tulis judul dokumen.", "2000–2100"] {
                #expect(refused.body.string.contains(text), "\(text)")
            }
            #expect(try await o.scope.query(InfoDocument.self).count() == 0)

            let published = try await Self.publish(
                admin, slug, title: "APBD Tahun Anggaran 2025", kind: "apbd", year: "2025",
                summary: "Peraturan daerah tentang anggaran pendapatan dan belanja daerah 2025.")
            #expect(published.status == .seeOther)
            _ = try await Self.publish(admin, slug, title: "LKjIP 2024", kind: "kinerja", year: "2024")
            _ = try await Self.publish(admin, slug, title: "LHP BPK atas LKPD 2024", kind: "audit", year: "2024")

            #expect(try await admin.get(InfoRoute.documentEditor(slug).path).body.string.contains("Sudah terbit (3)"))
            let citizen = Browser(app)
            let all = try await citizen.get(InfoRoute.documents(slug).path)
            #expect(all.status == .ok && all.body.string.contains("3 dokumen") && all.headers.setCookie == nil)
            let found = try await citizen.get(InfoRoute.documents(slug).path(query: ["q": "anggaran belanja 2025"]))
            #expect(
                found.body.string.contains("APBD Tahun Anggaran 2025")
                    && !found.body.string.contains("<strong>LKjIP 2024"))
            let audits = try await citizen.get(InfoRoute.documents(slug).path(query: ["jenis": "audit"]))
            #expect(audits.body.string.contains("1 dokumen") && audits.body.string.contains("LHP BPK"))
            let year = try await citizen.get(InfoRoute.documentYear(slug, .value(DocumentYear(2024))).path)
            #expect(year.body.string.contains("Dokumen publik tahun 2024") && year.body.string.contains("2 dokumen"))
            // The shared readers: a year that is not one, a kind that is not one.
            #expect(try await citizen.get(InfoRoute.documents(slug).path + "/tahun/1999").status == .notFound)
            #expect(
                try await citizen.get(InfoRoute.documents(slug).path(query: ["tahun": "dua"])).status == .badRequest)
            #expect(
                try await citizen.get(InfoRoute.documents(slug).path(query: ["jenis": "rahasia"])).status == .badRequest
            )

            let row = try #require(try await o.scope.query(InfoDocument.self).filter(\.$kind == .apbd).first())
            let file = try await citizen.get(InfoRoute.documentFile(slug, .value(.init(row.id!))).path)
            #expect(file.status == .ok && Data(file.body.readableBytesView) == Self.pdf)
            #expect(file.headers.contentType == .pdf)
            #expect(file.headers.first(name: .contentDisposition)?.hasPrefix("inline; filename=\"APBD") == true)

            // Who publishes: not a unit's officer, not a visitor.
            let officer = try await Given(app).browser(signedInAs: o.officer)
            #expect(try await Self.publish(officer, slug, title: "X", kind: "apbd", year: "2025").status == .forbidden)
            #expect(try await officer.get(InfoRoute.documentEditor(slug).path).status == .forbidden)

            let removed = try await admin.post(InfoRoute.documentRemove(slug).path, form: ["id": row.id!.uuidString])
            #expect(removed.status == .seeOther)
            #expect(
                try await citizen.get(InfoRoute.documentFile(slug, .value(.init(row.id!))).path).status == .notFound)
            #expect(
                try await admin.post(InfoRoute.documentRemove(slug).path, form: ["id": row.id!.uuidString]).status
                    == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAPIPublishesFindsAndTakesDocumentsDown(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let api = try await APIClient.signIn(app, o.admin.email)
            let base = InfoAPIRoute.documents(slug).path
            let (bad, _) = try await api.raw(.POST, base + "?year=2025&kind=apbd&title=", data: Self.jpeg)
            #expect(bad.status == .unprocessableEntity && Set(bad.fields) == ["title", "body"])
            let (made, headers) = try await api.raw(
                .POST, base + "?year=2025&kind=apbd&title=APBD%202025&name=apbd-2025.pdf", data: Self.pdf)
            #expect(made.status == .created)
            let id = try #require(made["id"] as? String)
            #expect(headers.first(name: .location) == base + "/" + id)
            #expect(made["file_name"] as? String == "apbd-2025.pdf" && made["file_size"] as? Int == Self.pdf.count)

            let citizen = APIClient(app: app, headers: [:])
            let page = try await citizen.call(.GET, base + "?year=2025&kind=apbd&q=apbd")
            #expect((page["documents"] as? [[String: Any]])?.count == 1 && page["total"] as? Int == 1)
            #expect(try await citizen.call(.GET, base + "?year=20250").status == .badRequest)
            #expect(try await citizen.call(.GET, base + "/" + id).status == .ok)
            let (file, _) = try await citizen.raw(.GET, base + "/" + id + "/file")
            #expect(file.status == .ok && file.body == Self.pdf)

            let officer = try await APIClient.signIn(app, o.officer.email)
            #expect(
                try await officer.raw(.POST, base + "?year=2025&kind=apbd&title=X", data: Self.pdf).0.status
                    == .forbidden)
            #expect(
                try await citizen.raw(.POST, base + "?year=2025&kind=apbd&title=X", data: Self.pdf).0.status
                    == .unauthorized)
            #expect(try await officer.call(.DELETE, base + "/" + id).status == .forbidden)

            // Another tenant's document is not found under this tenant's address.
            let other = try await OfficeDeskTests.office(app)
            let theirs = try await APIClient.signIn(app, other.admin.email).raw(
                .POST, InfoAPIRoute.documents(other.tenant.routeSlug).path + "?year=2025&kind=apbd&title=Milik",
                data: Self.pdf)
            let theirID = try #require(theirs.0["id"] as? String)
            #expect(try await citizen.call(.GET, base + "/" + theirID).status == .notFound)
            #expect(try await api.call(.DELETE, base + "/" + theirID).status == .notFound)

            #expect(try await api.call(.DELETE, base + "/" + id).status == .noContent)
            #expect(try await citizen.raw(.GET, base + "/" + id + "/file").0.status == .notFound)
        }
    }
}
