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

/// The answerer: a citizen's everyday question to the service that answers it, on the desk's
/// site and in the API; what it is not sure of goes to the officers, who answer it with an
/// FAQ entry; the tenant's everyday words change how it reads.
@Suite("Public information: the answerer")
struct AnswererTests {
    static func catalogue(_ o: OfficeDeskTests.Office, _ app: Application) async throws {
        let admin = try await Given(app).browser(signedInAs: o.admin)
        #expect(
            try await admin.post(InfoRoute.editor(o.tenant.routeSlug).path, form: ServiceCatalogueTests.ktp).status
                == .seeOther)
        let api = try await APIClient.signIn(app, o.admin.email)
        #expect(
            try await api.call(.POST, InfoAPIRoute.services(o.tenant.routeSlug).path, ServiceCatalogueTests.apiService)
                .status == .created)
        var birth = ServiceDraft()
        (birth.name, birth.summary, birth.keywords) = (
            "Akta Kelahiran", "Pencatatan kelahiran anak.", ["akta lahir"]
        )
        birth.requirements = ["Surat keterangan lahir dari bidan atau rumah sakit", "Kartu Keluarga"]
        try await ServiceCatalogue.add(birth, in: o.scope, now: Date())
    }

    @Test(arguments: TestDatabase.all)
    func aCitizensQuestionFindsItsServiceAndWhatItAsks(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            try await Self.catalogue(o, app)
            let slug = o.tenant.routeSlug
            let citizen = APIClient(app: app, headers: [:])
            func ask(_ q: String) async throws -> APIClient.Reply {
                try await citizen.call(
                    .GET, InfoAPIRoute.answer(slug).path(query: ["q": q]))
            }
            let requirements = try await ask("syarat bikin ktp hilang apa aja?")
            let first = try #require((requirements["answers"] as? [[String: Any]])?.first)
            #expect(first["service"] as? String == "KTP-el" && requirements["confident"] as? Bool == true)
            #expect((first["text"] as? String)?.contains("Persyaratan:\n• Fotokopi Kartu Keluarga") == true)
            #expect(first["url"] as? String == InfoRoute.service(slug, .value(.init("ktp-el"))).path)
            let hours = try #require(
                (try await ask("jam buka disdukcapil sabtu?")["answers"] as? [[String: Any]])?.first)
            #expect((hours["text"] as? String)?.contains("Sabtu 08.00–12.00") == true)
            let fee = try #require((try await ask("perpanjang sim brp biayanya")["answers"] as? [[String: Any]])?.first)
            #expect(fee["service"] as? String == "SIM" && (fee["text"] as? String)?.contains("Rp 120.000") == true)
            // A typo and a spoken form: "akte lahir anak" still finds the birth certificate.
            let typo = try #require(
                (try await ask("akte kelahran anak syaratnya")["answers"] as? [[String: Any]])?.first)
            #expect(typo["service"] as? String == "Akta Kelahiran")
            // The FAQ entry that answers comes first.
            let faq = try #require(
                (try await ask("sim saya mati, bisa diperpanjang?")["answers"] as? [[String: Any]])?.first)
            #expect((faq["text"] as? String)?.hasPrefix("Tidak, buat SIM baru.") == true)

            // Not sure: says so, and the question waits for the officers, counted.
            for _ in 0..<2 {
                let unsure = try await ask("harga cabai rawit di pasar hari ini berapa")
                #expect(unsure["confident"] as? Bool == false)
            }
            let waiting = try #require(try await o.scope.query(InfoUnanswered.self).first())
            #expect(waiting.asked == 2 && waiting.question == "harga cabai rawit di pasar hari ini berapa")
            let kept = try await o.scope.query(InfoUnanswered.self).all(\.$question)
            #expect(kept == ["harga cabai rawit di pasar hari ini berapa"], "answered questions are not kept")

            // The address's question is read by the shared text rules.
            #expect(try await citizen.call(.GET, InfoAPIRoute.answer(slug).path).status == .badRequest)
            #expect(try await ask("   ").status == .badRequest)
            #expect(try await ask(String(repeating: "ktp ", count: 200)).status == .badRequest)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAnswerersPageOffersAnOfficerWhenItIsNotSure(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            try await Self.catalogue(o, app)
            let slug = o.tenant.routeSlug
            let citizen = Browser(app)
            // The desk's page has the question box and the link to the services.
            let desk = try await citizen.get(DeskRoute.desk(slug).path).body.string
            #expect(
                desk.contains("action=\"\(InfoRoute.ask(slug).path)\"") && desk.contains(InfoRoute.services(slug).path))

            let found = try await citizen.get(InfoRoute.ask(slug).path(query: ["q": "cara bikin sim gimana"]))
            #expect(found.status == .ok && found.headers.setCookie == nil)
            #expect(found.body.string.contains("Langkah-langkah:\n1. Daftar di Satpas"))
            #expect(!found.body.string.contains("belum yakin"))

            let question = "jadwal kereta bandung jakarta besok"
            let unsure = try await citizen.get(InfoRoute.ask(slug).path(query: ["q": question])).body.string
            #expect(unsure.contains("Kami belum yakin"))
            let offer = DeskRoute.desk(slug).path(query: ["kind": "informasi", "text": question])
            #expect(unsure.contains(offer.replacingOccurrences(of: "&", with: "&amp;")))
            // The report form starts with the question, as a request for information.
            let form = try await citizen.get(offer).body.string
            #expect(form.contains(">\(question)</textarea>") && form.contains("value=\"informasi\" selected"))

            // The officers answer it with an FAQ entry of a service: it leaves the list.
            let admin = try await Given(app).browser(signedInAs: o.admin)
            let list = try await admin.get(InfoRoute.unanswered(slug).path)
            #expect(list.status == .ok && list.body.string.contains(question))
            let waiting = try #require(try await o.scope.query(InfoUnanswered.self).first())
            let service = try #require(try await o.scope.query(InfoService.self).filter(\.$name == "SIM").first())
            let missing = try await admin.post(
                InfoRoute.unansweredAnswer(slug).path,
                form: ["id": waiting.id!.uuidString, "service": "", "question": question, "answer": "x"])
            #expect(missing.status == .unprocessableEntity && missing.body.string.contains("Pilih layanannya."))
            let answered = try await admin.post(
                InfoRoute.unansweredAnswer(slug).path,
                form: [
                    "id": waiting.id!.uuidString, "service": service.id!.uuidString,
                    "question": "Apakah ada SIM keliling ke Jakarta?", "answer": "SIM keliling hanya di Bandung.",
                ])
            #expect(answered.status == .seeOther)
            #expect(try await o.scope.query(InfoUnanswered.self).count() == 0)
            #expect(try await o.scope.query(InfoFAQ.self).filter(\.$serviceID == service.id!).count() == 2)

            // Another is set aside; the API lists what waits.
            _ = try await citizen.get(InfoRoute.ask(slug).path(query: ["q": "resep nasi goreng enak"]))
            let api = try await APIClient.signIn(app, o.admin.email)
            let listed = try await api.call(.GET, InfoAPIRoute.unanswered(slug).path)
            let item = try #require((listed["questions"] as? [[String: Any]])?.first)
            #expect(item["question"] as? String == "resep nasi goreng enak" && item["asked"] as? Int == 1)
            let id = try #require(item["id"] as? String)
            #expect(try await admin.post(InfoRoute.unansweredDismiss(slug).path, form: ["id": id]).status == .seeOther)
            #expect(try await o.scope.query(InfoUnanswered.self).count() == 0)
            #expect(try await admin.post(InfoRoute.unansweredDismiss(slug).path, form: ["id": id]).status == .notFound)
            let officer = try await Given(app).browser(signedInAs: o.officer)
            #expect(try await officer.get(InfoRoute.unanswered(slug).path).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theTenantsEverydayWordsChangeHowQuestionsAreRead(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            try await Self.catalogue(o, app)
            let slug = o.tenant.routeSlug
            let admin = try await Given(app).browser(signedInAs: o.admin)
            let page = try await admin.get(InfoRoute.words(slug).path)
            #expect(page.status == .ok && page.body.string.contains("bikin = buat"))
            let refused = try await admin.post(
                InfoRoute.words(slug).path, form: ["synonyms": "bikin = buat\nnyetir mengemudi"])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Baris 2"))
            let citizen = APIClient(app: app, headers: [:])
            let path = InfoAPIRoute.answer(slug).path(query: ["q": "lisensi nyetir mobil"])
            let before = try await citizen.call(.GET, path)
            #expect(before["confident"] as? Bool == false)
            let saved = try await admin.post(
                InfoRoute.words(slug).path, form: ["synonyms": "# kata warga\nnyetir = mengemudi\nlisensi = surat izin"]
            )
            #expect(saved.status == .seeOther)
            let after = try await citizen.call(.GET, path)
            #expect((after["answers"] as? [[String: Any]])?.first?["service"] as? String == "SIM")
            #expect(after["confident"] as? Bool == true)
            let learner = try await Given(app).browser(signedInAs: o.learner)
            #expect(try await learner.post(InfoRoute.words(slug).path, form: ["synonyms": ""]).status == .forbidden)
        }
    }
}
