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

/// The service catalogue: the tenant's administrators and coordinators keep it (pages and
/// API); citizens read it on the desk's site and through the API; nobody else writes.
@Suite("Public information: the service catalogue")
struct ServiceCatalogueTests {
    static let ktp: [String: String] = [
        "name": "KTP-el", "category": "Kependudukan",
        "summary": "Kartu tanda penduduk elektronik untuk warga berumur 17 tahun atau sudah menikah.",
        "requirements": "Fotokopi Kartu Keluarga\nSurat keterangan hilang dari kepolisian (bila hilang)",
        "steps": "Datang ke Disdukcapil\nAmbil nomor antrean\nRekam sidik jari dan foto",
        "places": "Disdukcapil Kota Bandung | Jl. Ambon No. 1B, Bandung | Senin–Jumat 08.00–15.00; Sabtu 08.00–12.00",
        "duration": "1 hari kerja", "fee_rupiah": "0", "legal_basis": "UU No. 24 Tahun 2013",
        "contact": "WhatsApp 0811-0000-1111", "keywords": "e-KTP\nkartu tanda penduduk",
    ]

    static func path(_ o: OfficeDeskTests.Office, _ row: InfoService) -> String {
        InfoRoute.edit(o.tenant.routeSlug, .value(.init(row.id!))).path
    }

    @Test(arguments: TestDatabase.all)
    func officersKeepTheCatalogueAndCitizensReadIt(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let admin = try await Given(app).browser(signedInAs: o.admin)
            // Every problem at once, nothing written.
            let refused = try await admin.post(
                InfoRoute.editor(slug).path, form: ["name": "", "summary": "x", "fee_rupiah": "-5"])
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.body.string.contains("Tulis nama layanan.")
                    && refused.body.string.contains("bilangan bulat 0–1000000000"))
            #expect(try await o.scope.query(InfoService.self).count() == 0)

            let added = try await admin.post(InfoRoute.editor(slug).path, form: Self.ktp)
            #expect(added.status == .seeOther)
            let row = try #require(try await o.scope.query(InfoService.self).first())
            #expect(row.slug == "ktp-el" && added.headers.first(name: .location) == Self.path(o, row))
            #expect(try await admin.get(Self.path(o, row)).body.string.contains("Disdukcapil Kota Bandung | Jl. Ambon"))

            let citizen = Browser(app)
            let list = try await citizen.get(InfoRoute.services(slug).path)
            #expect(list.status == .ok && list.body.string.contains("<h2>Kependudukan</h2>"))
            let page = try await citizen.get(InfoRoute.service(slug, .value(.init("ktp-el"))).path)
            #expect(page.status == .ok && page.headers.setCookie == nil)
            for text in [
                "<h1>KTP-el</h1>", "Fotokopi Kartu Keluarga", "<li>Rekam sidik jari dan foto</li>", "Gratis",
                "Jam layanan: Senin–Jumat 08.00–15.00; Sabtu 08.00–12.00", "UU No. 24 Tahun 2013",
            ] { #expect(page.body.string.contains(text), "\(text)") }

            // Changed: the page follows at once.
            var changed = Self.ktp
            changed["fee_rupiah"] = "30000"
            #expect(try await admin.post(Self.path(o, row), form: changed).status == .seeOther)
            #expect(
                try await citizen.get(InfoRoute.service(slug, .value(.init("ktp-el"))).path).body.string
                    .contains("Rp 30.000"))
            changed["name"] = ""
            #expect(try await admin.post(Self.path(o, row), form: changed).status == .unprocessableEntity)

            // FAQ entries: added, shown, removed.
            let faq = try await admin.post(
                InfoRoute.faqAdd(slug, .value(.init(row.id!))).path,
                form: ["question": "Kalau KTP hilang bagaimana?", "answer": "Bawa surat kehilangan dari polisi."])
            #expect(faq.status == .seeOther)
            #expect(
                try await citizen.get(InfoRoute.service(slug, .value(.init("ktp-el"))).path).body.string
                    .contains("Kalau KTP hilang bagaimana?"))
            let blank = try await admin.post(
                InfoRoute.faqAdd(slug, .value(.init(row.id!))).path, form: ["question": "", "answer": ""])
            #expect(blank.status == .unprocessableEntity && blank.body.string.contains("Tulis pertanyaannya."))
            let entry = try #require(try await o.scope.query(InfoFAQ.self).first())
            #expect(
                try await admin.post(
                    InfoRoute.faqRemove(slug, .value(.init(row.id!))).path, form: ["id": entry.id!.uuidString]
                ).status == .seeOther)
            #expect(try await o.scope.query(InfoFAQ.self).count() == 0)

            // A coordinator keeps it too; a unit's officer and a learner do not; a visitor signs in.
            let coordinator = try await Given(app).person("Koordinator", in: o.tenant, roles: [.pengelola])
            #expect(
                try await Given(app).browser(signedInAs: coordinator).get(InfoRoute.editor(slug).path).status == .ok)
            for person in [o.officer, o.learner] {
                let browser = try await Given(app).browser(signedInAs: person)
                #expect(try await browser.get(InfoRoute.editor(slug).path).status == .forbidden)
                #expect(try await browser.post(InfoRoute.editor(slug).path, form: Self.ktp).status == .forbidden)
            }
            #expect(try await citizen.get(InfoRoute.editor(slug).path).status == .seeOther)

            #expect(try await admin.post(InfoRoute.remove(slug, .value(.init(row.id!))).path).status == .seeOther)
            #expect(try await citizen.get(InfoRoute.service(slug, .value(.init("ktp-el"))).path).status == .notFound)
            #expect(try await admin.get(Self.path(o, row)).status == .notFound)

            // A tenant without its desk has no catalogue.
            try await DeskSetup.disable(o.scope, now: Date())
            #expect(try await citizen.get(InfoRoute.services(slug).path).status == .notFound)
            #expect(try await admin.get(InfoRoute.editor(slug).path).status == .notFound)
        }
    }

    nonisolated(unsafe) static let apiService: [String: Any] = [
        "name": "SIM", "category": "Transportasi", "summary": "Surat izin mengemudi baru dan perpanjangan.",
        "keywords": ["surat izin mengemudi"], "requirements": ["KTP-el asli", "Surat keterangan sehat"],
        "steps": ["Daftar di Satpas", "Ujian teori", "Ujian praktik"],
        "places": [
            ["name": "Satpas Polrestabes Bandung", "address": "Jl. Jawa No. 1", "hours": "Senin–Sabtu 08.00–14.00"]
        ],
        "duration": "1 hari", "fee_rupiah": 120000, "legal_basis": "Perpol No. 5 Tahun 2021", "contact": "",
        "faq": [["question": "SIM mati bisa diperpanjang?", "answer": "Tidak, buat SIM baru."]],
    ]

    @Test(arguments: TestDatabase.all)
    func theAPIKeepsAndReadsServices(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let api = try await APIClient.signIn(app, o.admin.email)
            let created = try await api.call(.POST, InfoAPIRoute.services(slug).path, Self.apiService)
            #expect(created.status == .created)
            let id = try #require(created["id"] as? String)
            #expect(created["slug"] as? String == "sim" && created["fee_rupiah"] as? Int == 120_000)
            #expect((created["faq"] as? [[String: Any]])?.count == 1)
            let one = InfoAPIRoute.service(slug, .value(.init(UUID(uuidString: id)!))).path

            // Every problem named, nothing written.
            var bad = Self.apiService
            (bad["name"], bad["fee_rupiah"], bad["steps"]) = ("", -1, [String(repeating: "a", count: 501)])
            bad["faq"] = [["question": "", "answer": "x"]]
            let refused = try await api.call(.POST, InfoAPIRoute.services(slug).path, bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(Set(refused.fields) == ["name", "fee_rupiah", "steps", "faq"])
            #expect(try await api.call(.POST, InfoAPIRoute.services(slug).path, Self.apiService).status == .conflict)
            #expect(try await o.scope.query(InfoService.self).count() == 1)

            // Public reads, without a token.
            let citizen = APIClient(app: app, headers: [:])
            let list = try await citizen.call(.GET, InfoAPIRoute.services(slug).path)
            #expect((list["services"] as? [[String: Any]])?.first?["name"] as? String == "SIM")
            let read = try await citizen.call(.GET, one)
            #expect(
                read.status == .ok
                    && (read["places"] as? [[String: Any]])?.first?["hours"] as? String == "Senin–Sabtu 08.00–14.00")

            // PUT replaces; without `faq` the FAQ stays, with it the FAQ is replaced.
            var changed = Self.apiService
            changed["faq"] = nil
            changed["fee_rupiah"] = NSNull()
            let put = try await api.call(.PUT, one, changed)
            #expect(put.status == .ok && put["fee_rupiah"] == nil && (put["faq"] as? [[String: Any]])?.count == 1)
            changed["faq"] = [] as [Any]
            #expect((try await api.call(.PUT, one, changed)["faq"] as? [[String: Any]])?.isEmpty == true)

            // Who may write: not a unit's officer (403), not a visitor (401).
            let officer = try await APIClient.signIn(app, o.officer.email)
            #expect(
                try await officer.call(.POST, InfoAPIRoute.services(slug).path, Self.apiService).status == .forbidden)
            #expect(try await officer.call(.DELETE, one).status == .forbidden)
            #expect(try await citizen.call(.PUT, one, changed).status == .unauthorized)
            #expect(try await citizen.call(.GET, InfoAPIRoute.unanswered(slug).path).status == .unauthorized)
            #expect(try await officer.call(.GET, InfoAPIRoute.unanswered(slug).path).status == .forbidden)

            // Another tenant's service is not found under this tenant's address.
            let other = try await OfficeDeskTests.office(app)
            let theirs = try await APIClient.signIn(app, other.admin.email).call(
                .POST, InfoAPIRoute.services(other.tenant.routeSlug).path, Self.apiService)
            let theirID = UUID(uuidString: try #require(theirs["id"] as? String))!
            #expect(
                try await citizen.call(.GET, InfoAPIRoute.service(slug, .value(.init(theirID))).path).status
                    == .notFound)
            #expect(
                try await api.call(.DELETE, InfoAPIRoute.service(slug, .value(.init(theirID))).path).status == .notFound
            )

            #expect(try await api.call(.DELETE, one).status == .noContent)
            #expect(try await citizen.call(.GET, one).status == .notFound)
            #expect(try await api.call(.DELETE, one).status == .notFound)
        }
    }

    /// A change made by this process is seen at once; one made by another process (here: rows
    /// and the version row written without this process hearing of it) within a second, when
    /// the kept catalogue is trusted no longer and its version is read again.
    @Test(arguments: TestDatabase.all)
    func aKeptCatalogueIsReadAgainWhenAnotherProcessChangesIt(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let kept = KeptCatalogues()
            let t0 = Date(timeIntervalSince1970: 1_780_884_000)
            #expect(try await ServiceCatalogue.current(o.scope, kept: kept, now: t0).services.isEmpty)
            var draft = ServiceDraft()
            (draft.name, draft.summary) = ("Kartu Keluarga", "Kartu keluarga baru atau perubahan.")
            try await ServiceCatalogue.add(draft, in: o.scope, now: t0)
            let seen = try await ServiceCatalogue.current(o.scope, kept: kept, now: t0)
            #expect(seen.services.map(\.name) == ["Kartu Keluarga"] && seen.version == 1, "this process: at once")

            // Another process adds a service: its rows and the version, nothing said here.
            let row = InfoService()
            (row.tenantID, row.slug, row.name, row.category, row.summary) =
                (o.scope.tenantID, "akta-kelahiran", "Akta Kelahiran", "Kependudukan", "Pencatatan kelahiran.")
            (row.keywordsJSON, row.requirementsJSON, row.stepsJSON, row.placesJSON) = ("[]", "[]", "[]", "[]")
            (row.duration, row.legalBasis, row.contact, row.createdAt, row.updatedAt) = ("", "", "", t0, t0)
            try await row.create(on: app.db)
            try await ServiceCatalogue.bump(o.scope, now: t0)
            let trusted = try await ServiceCatalogue.current(o.scope, kept: kept, now: t0.addingTimeInterval(0.5))
            #expect(trusted.services.count == 1, "within the second the kept one is trusted")
            let later = try await ServiceCatalogue.current(o.scope, kept: kept, now: t0.addingTimeInterval(1.5))
            #expect(later.services.map(\.name) == ["Akta Kelahiran", "Kartu Keluarga"] && later.version == 2)

            // A refused change raises nothing.
            draft.name = ""
            await #expect(throws: InputError.self) { try await ServiceCatalogue.add(draft, in: o.scope, now: t0) }
            #expect(try await ServiceCatalogue.current(o.scope, kept: kept, now: t0.addingTimeInterval(3)).version == 2)
        }
    }
}
