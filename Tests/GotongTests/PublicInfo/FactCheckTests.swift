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

/// Hoax notices ("Cek Fakta"): officers publish a claim's verdict with its explanation and
/// sources; anyone reads them and passes them on; a citizen's doubtful claim becomes a case of
/// kind "klarifikasi" through the desk's report form.
@Suite("Public information: hoax notices")
struct FactCheckTests {
    static let notice: [String: String] = [
        "claim": "Pendaftaran bantuan sosial Rp 3 juta lewat tautan bansos-gratis.xyz",
        "verdict": "hoaks", "explanation": "Pemerintah tidak membuka pendaftaran bansos lewat tautan itu.",
        "seen_on": "grup WhatsApp",
        "sources": "Kementerian Sosial | https://kemensos.go.id/klarifikasi\nhttps://cekfakta.example.id/bansos",
    ]

    @Test(arguments: TestDatabase.all)
    func officersPublishVerdictsAndCitizensReadAndAskForMore(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let admin = try await Given(app).browser(signedInAs: o.admin)
            var bad = Self.notice
            (bad["verdict"], bad["sources"], bad["claim"]) = ("bohong", "javascript:alert(1)", "")
            let refused = try await admin.post(InfoRoute.factCheckEditor(slug).path, form: bad)
            #expect(refused.status == .unprocessableEntity)
            for text in ["Tulis klaim yang dicek.", "Pilih hasil pemeriksaan.", "alamat web"] {
                #expect(refused.body.string.contains(text), "\(text)")
            }
            #expect(try await o.scope.query(FactCheck.self).count() == 0)

            let made = try await admin.post(InfoRoute.factCheckEditor(slug).path, form: Self.notice)
            #expect(made.status == .seeOther)
            let row = try #require(try await o.scope.query(FactCheck.self).first())
            #expect(row.sources.map(\.title) == ["Kementerian Sosial", "cekfakta.example.id"])

            let citizen = Browser(app)
            let list = try await citizen.get(InfoRoute.factChecks(slug).path)
            #expect(
                list.status == .ok && list.body.string.contains("Hoaks") && list.body.string.contains("bansos-gratis"))
            #expect(
                try await citizen.get(InfoRoute.factChecks(slug).path(query: ["vonis": "fakta"])).body.string
                    .contains("Belum ada"))
            #expect(
                try await citizen.get(InfoRoute.factChecks(slug).path(query: ["vonis": "bohong"])).status == .badRequest
            )
            let page = try await citizen.get(InfoRoute.factCheck(slug, .value(.init(row.id!))).path).body.string
            #expect(
                page.contains("https://wa.me/?text=") && page.contains("href=\"https://kemensos.go.id/klarifikasi\""))
            // The citizen's own doubt goes to the desk's form, as a request to check a claim.
            #expect(page.contains("/layanan/\(o.tenant.slug)?kind=klarifikasi#lapor"))
            let form = try await citizen.get(
                DeskRoute.desk(slug).path(query: ["kind": "klarifikasi", "text": "Benarkah ada vaksin berbayar?"]))
            #expect(form.body.string.contains("value=\"klarifikasi\" selected"))
            let sent = try await citizen.post(
                DeskRoute.desk(slug).path,
                form: CitizenDeskTests.form([
                    "kind": "klarifikasi", "category": "kesehatan",
                    "text": "Benarkah ada vaksin berbayar di puskesmas? Beredar di grup WhatsApp RT.",
                ]))
            #expect(sent.status == .seeOther)
            #expect(try await o.scope.query(DeskCase.self).filter(\.$kind == .klarifikasi).count() == 1)

            // Changed and removed by officers only.
            var changed = Self.notice
            changed["verdict"] = "disinformasi"
            let edit = InfoRoute.factCheckEdit(slug, .value(.init(row.id!))).path
            let editor = try await admin.get(edit)
            #expect(editor.status == .ok && editor.body.string.contains("Kementerian Sosial | https://kemensos.go.id"))
            #expect(try await admin.get(InfoRoute.factCheckEditor(slug).path).body.string.contains("bansos-gratis"))
            #expect(try await admin.post(edit, form: changed).status == .seeOther)
            #expect(
                try await citizen.get(InfoRoute.factCheck(slug, .value(.init(row.id!))).path).body.string
                    .contains("Disinformasi"))
            let officer = try await Given(app).browser(signedInAs: o.officer)
            #expect(try await officer.post(edit, form: changed).status == .forbidden)
            #expect(
                try await officer.post(InfoRoute.factCheckEditor(slug).path, form: Self.notice).status == .forbidden)
            #expect(
                try await admin.post(InfoRoute.factCheckRemove(slug, .value(.init(row.id!))).path).status == .seeOther)
            #expect(try await citizen.get(InfoRoute.factCheck(slug, .value(.init(row.id!))).path).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAPIWritesAndReadsNotices(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let api = try await APIClient.signIn(app, o.admin.email)
            let body: [String: Any] = [
                "claim": "Air PDAM tercemar bahan kimia", "verdict": "belum_terverifikasi",
                "explanation": "Sampel sedang diuji laboratorium.", "seen_on": "Instagram",
            ]
            let made = try await api.call(.POST, InfoAPIRoute.factChecks(slug).path, body)
            #expect(made.status == .created && made["verdict"] as? String == "belum_terverifikasi")
            let id = try #require(made["id"] as? String)
            let one = InfoAPIRoute.factChecks(slug).path + "/" + id
            // A verdict other than "not yet known" needs a source.
            var judged = body
            judged["verdict"] = "fakta"
            let refused = try await api.call(.PUT, one, judged)
            #expect(refused.status == .unprocessableEntity && refused.fields == ["sources"])
            judged["sources"] = [["title": "Hasil uji", "url": "https://pdam.example.id/uji"]]
            #expect(try await api.call(.PUT, one, judged)["verdict"] as? String == "fakta")
            let citizen = APIClient(app: app, headers: [:])
            let list = try await citizen.call(.GET, InfoAPIRoute.factChecks(slug).path + "?verdict=fakta")
            #expect((list["fact_checks"] as? [[String: Any]])?.count == 1)
            #expect(try await citizen.call(.GET, one).status == .ok)
            #expect(try await citizen.call(.DELETE, one).status == .unauthorized)
            let officer = try await APIClient.signIn(app, o.officer.email)
            #expect(try await officer.call(.PUT, one, judged).status == .forbidden)
            let other = try await OfficeDeskTests.office(app)
            #expect(
                try await APIClient.signIn(app, other.admin.email).call(
                    .DELETE, InfoAPIRoute.factChecks(other.tenant.routeSlug).path + "/" + id
                ).status == .notFound)
            #expect(try await api.call(.DELETE, one).status == .noContent)
            #expect(try await citizen.call(.GET, one).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aNoticeIsSharedToTheChannelsAsAPost(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let admin = try await Given(app).browser(signedInAs: o.admin)
            #expect(try await admin.post(InfoRoute.factCheckEditor(slug).path, form: Self.notice).status == .seeOther)
            let row = try #require(try await o.scope.query(FactCheck.self).first())
            let share = InfoRoute.factCheckShare(slug, .value(.init(row.id!))).path
            #expect(try await admin.post(share).status == .seeOther)
            #expect(try await o.scope.query(InfoPost.self).count() == 0)
            #expect(try await admin.post(share, form: ["channel_x": "1", "channel_telegram": "1"]).status == .seeOther)
            let post = try #require(try await o.scope.query(InfoPost.self).first())
            #expect(post.title.hasPrefix("Cek Fakta: Hoaks — Pendaftaran bantuan sosial") && post.kind == .edukasi)
            #expect(post.channels == [.x, .telegram])
            #expect(post.body.contains(InfoRoute.factCheck(slug, .value(.init(row.id!))).path))
            // Another tenant's officers cannot share it.
            let other = try await OfficeDeskTests.office(app)
            let stranger = try await Given(app).browser(signedInAs: other.admin)
            #expect(try await stranger.post(share, form: ["channel_x": "1"]).status == .forbidden)
        }
    }
}
