import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongEvaluation
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongPublicInfo
@testable import GotongServiceDesk
@testable import GotongTenancy

/// Polls, surveys and consultations: officers open them; a person proves who they are (an
/// account, or a code mailed to an address) and answers once, whatever browser they use;
/// comments on a draft show after moderation; results come as SVG charts with their numbers;
/// the outcome is published once closed.
@Suite("Public information: polls, surveys and consultations")
struct ConsultationTests {
    static func poll(_ app: Application) -> [String: String] {
        [
            "kind": "jajak", "title": "Jam berapa sebaiknya layanan Samsat keliling dibuka?",
            "choices": "07.00–11.00\n08.00–12.00\n13.00–17.00",
            "closes_at": LocalDates.formValue(moment: app.clock.now().addingTimeInterval(7 * 86_400)),
        ]
    }

    /// A citizen's browser that proves `email` with the code the mail carries.
    static func proved(
        _ app: Application, _ page: String, email: String, mailer: MemoryMailer
    ) async throws
        -> Browser
    {
        let citizen = Browser(app)
        let sent = try await citizen.post(page + "/kode", form: ["email": email])
        #expect(sent.status == .seeOther)
        let mail = try #require(mailer.outbox.last { $0.to == EmailAddress.normalise(email) })
        let code = try #require(mail.body.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
        #expect(
            try await citizen.post(page + "/cek", form: ["code": "000000" == code ? "111111" : "000000"]).status
                == .unprocessableEntity)
        #expect(try await citizen.post(page + "/cek", form: ["code": code]).status == .seeOther)
        return citizen
    }

    @Test(arguments: TestDatabase.all)
    func aPollTakesOneAnswerAPersonAndShowsItsResults(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let mailer = MemoryMailer()
            app.mailer = mailer
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let admin = try await Given(app).browser(signedInAs: o.admin)
            var bad = Self.poll(app)
            (bad["choices"], bad["closes_at"]) = ("Hanya satu", "")
            let refused = try await admin.post(InfoRoute.consultationEditor(slug).path, form: bad)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("2 sampai 10 pilihan"))
            #expect(
                try await admin.post(InfoRoute.consultationEditor(slug).path, form: Self.poll(app)).status == .seeOther)
            let row = try #require(try await o.scope.query(Consultation.self).first())
            let page = InfoRoute.consultation(slug, .value(.init(row.id!))).path

            // Unknown, a visitor is asked to prove who they are; an answer without proof goes nowhere.
            let stranger = Browser(app)
            #expect(try await stranger.get(page).body.string.contains("Satu orang, satu suara"))
            #expect(try await stranger.post(page, form: ["pilihan": "1"]).status == .seeOther)
            #expect(try await o.scope.query(ConsultationResponse.self).count() == 0)

            let siti = try await Self.proved(app, page, email: "siti@contoh.id", mailer: mailer)
            #expect(try await siti.get(page).body.string.contains("name=\"pilihan\""))
            #expect(try await siti.post(page, form: ["pilihan": "9"]).status == .unprocessableEntity)
            #expect(try await siti.post(page, form: ["pilihan": "2"]).status == .seeOther)
            // The same address in another browser is the same person: a second answer is refused.
            let again = try await Self.proved(app, page, email: "SITI@contoh.id ", mailer: mailer)
            #expect(try await again.post(page, form: ["pilihan": "3"]).status == .conflict)
            let answered = try await siti.get(page).body.string
            #expect(answered.contains("Anda sudah menjawab") && answered.contains("<svg"))
            #expect(answered.contains("1 (100 %)") && answered.contains("0 (0 %)"))
            // A signed-in account answers through the API, once.
            let api = try await APIClient.signIn(app, o.learner.email)
            let responses = InfoAPIRoute.consultationResponses(slug, .value(.init(row.id!))).path
            #expect(try await api.call(.POST, responses, ["choice": 1]).status == .created)
            #expect(try await api.call(.POST, responses, ["choice": 1]).status == .conflict)
            #expect(
                try await APIClient(app: app, headers: [:]).call(.POST, responses, ["choice": 1]).status
                    == .unauthorized)
            #expect(try await o.scope.query(ConsultationResponse.self).count() == 2)

            // Closed: no more answers; the outcome is published for everyone.
            let early = try await admin.post(
                InfoRoute.consultationOutcome(slug, .value(.init(row.id!))).path, form: ["outcome": "Belum."])
            #expect(early.status == .conflict)
            o.time.advance(8 * 86_400)
            #expect(try await api.call(.POST, responses, ["choice": 2]).status == .conflict)
            let outcome = "Mulai Januari, Samsat keliling buka pukul 08.00–12.00 sesuai pilihan terbanyak."
            #expect(
                try await admin.post(
                    InfoRoute.consultationOutcome(slug, .value(.init(row.id!))).path, form: ["outcome": outcome]
                ).status == .seeOther)
            let closed = try await stranger.get(page).body.string
            #expect(closed.contains(outcome) && closed.contains("Hasil akhir dari 2 jawaban"))
            let json = try await APIClient(app: app, headers: [:]).call(
                .GET, InfoAPIRoute.consultation(slug, .value(.init(row.id!))).path)
            #expect((json["results"] as? [[String: Any]])?.first?["counts"] as? [Int] == [1, 1, 0])
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSurveyAsksTheQuestionsOfItsEvaluationForm(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let mailer = MemoryMailer()
            app.mailer = mailer
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let form = EvaluationForm()
            (form.tenantID, form.purpose, form.title, form.intro) = (
                o.tenant.id!, .publicSurvey, "Kepuasan layanan", ""
            )
            (form.createdAt, form.updatedAt) = (Date(), Date())
            try await form.create(on: app.db)
            var items: [EvaluationItem] = []
            for (n, (kind, prompt, choices)) in [
                (EvaluationItem.Kind.likert5, "Petugas melayani dengan ramah", ""),
                (.single, "Dari mana Anda tahu layanan ini?", "Media sosial\nTetangga\nKantor desa"),
                (.long, "Saran Anda", ""),
            ].enumerated() {
                let item = EvaluationItem()
                (item.tenantID, item.formID, item.position, item.kind) = (o.tenant.id!, form.id!, n, kind)
                (item.prompt, item.choicesText, item.required) = (prompt, choices, kind != .long)
                try await item.create(on: app.db)
                items.append(item)
            }
            let admin = try await Given(app).browser(signedInAs: o.admin)
            var survey = Self.poll(app)
            (survey["kind"], survey["title"], survey["choices"], survey["form_id"]) = (
                "survei", "Survei kepuasan Disdukcapil", nil, form.id!.uuidString
            )
            #expect(try await admin.post(InfoRoute.consultationEditor(slug).path, form: survey).status == .seeOther)
            let row = try #require(try await o.scope.query(Consultation.self).first())
            let page = InfoRoute.consultation(slug, .value(.init(row.id!))).path
            let budi = try await Self.proved(app, page, email: "budi@contoh.id", mailer: mailer)
            let field = { (item: EvaluationItem) in AnswerSheet.field(item) }
            let missing = try await budi.post(page, form: [field(items[0]): "4"])
            #expect(missing.status == .unprocessableEntity)
            #expect(try await o.scope.query(ConsultationResponse.self).count() == 0)
            let sent = try await budi.post(
                page, form: [field(items[0]): "5", field(items[1]): "1", field(items[2]): "Tambah loket sore."])
            #expect(sent.status == .seeOther)
            let results = try await budi.get(page).body.string
            #expect(results.contains("Petugas melayani dengan ramah") && results.contains("5 — "))
            #expect(results.contains("1 orang menjawab dengan kata-kata sendiri"))
            #expect(!results.contains("Tambah loket sore."))
            let officers = try await admin.get(InfoRoute.consultationEdit(slug, .value(.init(row.id!))).path)
            #expect(officers.body.string.contains("Tambah loket sore."))
            #expect(officers.body.string.contains("1 jawaban tertulis"))
            // A second survey on the same form keeps its written answers to itself.
            var second = survey
            second["title"] = "Survei kepuasan Samsat"
            #expect(try await admin.post(InfoRoute.consultationEditor(slug).path, form: second).status == .seeOther)
            let other = try #require(
                try await o.scope.query(Consultation.self).filter(\.$title == "Survei kepuasan Samsat").first())
            let otherPage = InfoRoute.consultation(slug, .value(.init(other.id!))).path
            let answered = try await budi.post(
                otherPage, form: [field(items[0]): "3", field(items[1]): "2", field(items[2]): "Parkir diperluas."])
            #expect(answered.status == .seeOther)
            let first = try await admin.get(InfoRoute.consultationEdit(slug, .value(.init(row.id!))).path).body.string
            #expect(first.contains("Tambah loket sore.") && !first.contains("Parkir diperluas."))
            // Answered, the survey's questions stay; the title may still change.
            var changed = survey
            (changed["title"], changed["form_id"]) = ("Survei kepuasan 2026", UUID().uuidString)
            let saved = try await admin.post(
                InfoRoute.consultationEdit(slug, .value(.init(row.id!))).path, form: changed)
            #expect(saved.status == .unprocessableEntity)
            changed["form_id"] = form.id!.uuidString
            #expect(
                try await admin.post(InfoRoute.consultationEdit(slug, .value(.init(row.id!))).path, form: changed)
                    .status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aConsultationsCommentsShowOnceModerated(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let admin = try await Given(app).browser(signedInAs: o.admin)
            var draft = Self.poll(app)
            (draft["kind"], draft["title"], draft["choices"]) = ("konsultasi", "Rancangan Perda Pasar Rakyat", nil)
            draft["sections"] =
                "# Pasal 1 Jam operasional\nPasar buka pukul 05.00–17.00.\n\n"
                + "# Pasal 2 Retribusi\nRetribusi harian Rp 3.000."
            #expect(try await admin.post(InfoRoute.consultationEditor(slug).path, form: draft).status == .seeOther)
            let row = try #require(try await o.scope.query(Consultation.self).first())
            let sections = try await o.scope.query(ConsultationSection.self).sort(\.$position).all()
            #expect(sections.map(\.heading) == ["Pasal 1 Jam operasional", "Pasal 2 Retribusi"])
            let page = InfoRoute.consultation(slug, .value(.init(row.id!))).path
            let citizen = try await Given(app).browser(signedInAs: o.learner)
            let comment = [
                "section": sections[1].id!.uuidString, "text": "Retribusi sebaiknya Rp 2.000 untuk pedagang kecil.",
            ]
            #expect(try await citizen.post(page + "/komentar", form: comment).status == .seeOther)
            #expect(try await citizen.post(page + "/komentar", form: comment).status == .conflict)
            #expect(!(try await Browser(app).get(page).body.string.contains("pedagang kecil")))
            let waiting = try #require(try await o.scope.query(ConsultationComment.self).first())
            #expect(waiting.state == .menunggu)
            let moderated = try await admin.post(
                InfoRoute.consultationModerate(slug, .value(.init(row.id!))).path,
                form: ["comment": waiting.id!.uuidString, "state": "tampil"])
            #expect(moderated.status == .seeOther)
            let shown = try await Browser(app).get(page).body.string
            #expect(shown.contains("pedagang kecil") && shown.contains("Tanggapan warga (1)"))
            // Another tenant's officers cannot moderate it.
            let other = try await OfficeDeskTests.office(app)
            let stranger = try await Given(app).browser(signedInAs: other.admin)
            #expect(
                try await stranger.post(
                    InfoRoute.consultationModerate(slug, .value(.init(row.id!))).path,
                    form: ["comment": waiting.id!.uuidString, "state": "ditolak"]
                ).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func guessingACodeAndAskingForCodesAreBounded(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let mailer = MemoryMailer()
            app.mailer = mailer
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let api = try await APIClient.signIn(app, o.admin.email)
            var body: [String: Any] = [
                "kind": "jajak", "title": "Perlukah layanan KTP-el di hari Minggu?",
                "choices": ["Perlu", "Tidak perlu"],
                "closes_at": LocalDates.iso(app.clock.now().addingTimeInterval(86_400)),
            ]
            let made = try await api.call(.POST, InfoAPIRoute.consultations(slug).path, body)
            #expect(made.status == .created && made["phase"] as? String == "open")
            body["choices"] = ["Satu saja"]
            #expect(try await api.call(.POST, InfoAPIRoute.consultations(slug).path, body).fields == ["choices"])
            let list = try await APIClient(app: app, headers: [:]).call(.GET, InfoAPIRoute.consultations(slug).path)
            #expect(list["total"] as? Int == 1)
            let id = try #require((made["id"] as? String).flatMap(UUID.init(uuidString:)))
            let page = InfoRoute.consultation(slug, .value(.init(id))).path

            // Five wrong codes, counted even though each is refused; then even the right one is not taken.
            let guesser = Browser(app)
            #expect(try await guesser.post(page + "/kode", form: ["email": "ani@contoh.id"]).status == .seeOther)
            let mail = try #require(mailer.outbox.last)
            let code = try #require(mail.body.split(separator: "\n").first?.split(separator: " ").last.map(String.init))
            let wrong = code == "123456" ? "654321" : "123456"
            for _ in 0..<5 {
                #expect(try await guesser.post(page + "/cek", form: ["code": wrong]).status == .unprocessableEntity)
            }
            #expect(try await guesser.post(page + "/cek", form: ["code": code]).status == .tooManyRequests)
            // Five codes an hour to one address.
            for _ in 0..<4 {
                #expect(try await guesser.post(page + "/kode", form: ["email": "ani@contoh.id"]).status == .seeOther)
            }
            #expect(try await guesser.post(page + "/kode", form: ["email": "ani@contoh.id"]).status == .tooManyRequests)

            // "Bukan Anda?" forgets the proved address on this device.
            let budi = try await Self.proved(app, page, email: "budi@contoh.id", mailer: mailer)
            #expect(try await budi.get(page).body.string.contains("Bukan Anda?"))
            #expect(try await budi.post(page + "/keluar").status == .seeOther)
            #expect(try await budi.get(page).body.string.contains("Satu orang, satu suara"))

            // Removed with its answers, by its officers only.
            let admin = try await Given(app).browser(signedInAs: o.admin)
            #expect(
                try await admin.post(InfoRoute.consultationRemove(slug, .value(.init(id))).path).status == .seeOther)
            #expect(try await o.scope.query(Consultation.self).count() == 0)
            #expect(try await Browser(app).get(page).status == .notFound)
        }
    }
}
