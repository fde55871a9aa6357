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

/// Live Q&A with an official: citizens ask beforehand and back each other's questions (once
/// each); the host goes live, works down the list, writes the answers and hides what should not
/// show; the session stays as a page with its questions and answers.
@Suite("Public information: live Q&A")
struct LiveQATests {
    static let session = [
        "topic": "Layanan kesehatan gratis 2027", "official": "dr. Siti Rahma, Kepala Dinas Kesehatan",
        "starts_at": "2026-06-10T19:00", "live_url": "https://www.instagram.com/dinkes.contoh/live",
        "summary": "Tanya apa saja tentang layanan kesehatan gratis.",
    ]

    @Test(arguments: TestDatabase.all)
    func citizensAskAndVoteTheHostAnswersAndThePageStays(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let admin = try await Given(app).browser(signedInAs: o.admin)
            var bad = Self.session
            (bad["topic"], bad["starts_at"], bad["live_url"]) = ("", "besok", "javascript:alert(1)")
            let refused = try await admin.post(InfoRoute.qaEditor(slug).path, form: bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(try await o.scope.query(QASession.self).count() == 0)
            #expect(try await admin.post(InfoRoute.qaEditor(slug).path, form: Self.session).status == .seeOther)
            let session = try #require(try await o.scope.query(QASession.self).first())
            let page = InfoRoute.qaSession(slug, .value(.init(session.id!))).path

            let citizen = Browser(app)
            #expect(
                try await citizen.get(InfoRoute.qaSessions(slug).path).body.string.contains("Layanan kesehatan gratis"))
            #expect(
                try await citizen.post(page, form: ["question": "Apakah cek gigi termasuk gratis?", "name": "Budi"])
                    .status == .seeOther)
            #expect(
                try await citizen.post(page, form: ["question": "Jam buka puskesmas hari Sabtu?"]).status == .seeOther)
            let empty = try await citizen.post(page, form: ["question": "  "])
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("Tulis pertanyaan Anda."))
            let questions = try await o.scope.query(QAQuestion.self).sort(\.$createdAt).all()
            #expect(questions.count == 2)
            let teeth = try #require(questions.first { $0.text.contains("gigi") })

            // One vote per browser: a second from the same one is not counted; another browser's is.
            let vote = InfoRoute.qaVote(slug, .value(.init(session.id!))).path
            #expect(try await citizen.post(vote, form: ["question": teeth.id!.uuidString]).status == .seeOther)
            #expect(try await citizen.post(vote, form: ["question": teeth.id!.uuidString]).status == .seeOther)
            #expect(try await Browser(app).post(vote, form: ["question": teeth.id!.uuidString]).status == .seeOther)
            #expect(try await o.scope.find(QAQuestion.self, teeth.id)?.votes == 2)
            // A script that sheds its cookie each time is one address: twenty votes, then no more.
            let other = try #require(questions.first { $0.text.contains("puskesmas") })
            for _ in 0..<LiveQA.votesPerSender {
                #expect(try await Browser(app).post(vote, form: ["question": other.id!.uuidString]).status == .seeOther)
            }
            #expect(
                try await Browser(app).post(vote, form: ["question": other.id!.uuidString]).status == .tooManyRequests)
            #expect(try await o.scope.find(QAQuestion.self, other.id)?.votes == LiveQA.votesPerSender)
            let order = try await citizen.get(page).body.string
            let first = try #require(order.range(of: "puskesmas")), second = try #require(order.range(of: "cek gigi"))
            #expect(first.lowerBound < second.lowerBound, "most backed first")

            // The host goes live, answers one and hides the other.
            let host = InfoRoute.qaHost(slug, .value(.init(session.id!))).path
            // The host mends the session's details; a blank topic is refused, nothing changed.
            var details = Self.session
            details["official"] = "dr. Siti Rahma, M.Kes., Kepala Dinas Kesehatan"
            #expect(try await admin.post(host, form: details).status == .seeOther)
            details["topic"] = ""
            #expect(try await admin.post(host, form: details).status == .unprocessableEntity)
            #expect(try await o.scope.find(QASession.self, session.id)?.official.contains("M.Kes.") == true)
            #expect(try await o.scope.find(QASession.self, session.id)?.topic == Self.session["topic"])
            #expect(try await admin.get(InfoRoute.qaEditor(slug).path).body.string.contains("Layanan kesehatan gratis"))
            #expect(try await admin.post(host + "/status", form: ["state": "live"]).status == .seeOther)
            #expect(
                try await admin.post(
                    host + "/pertanyaan",
                    form: [
                        "question": teeth.id!.uuidString, "move": "answered",
                        "answer": "Ya, pemeriksaan gigi dasar gratis.",
                    ]
                ).status == .seeOther)
            #expect(
                try await admin.post(host + "/pertanyaan", form: ["question": other.id!.uuidString, "move": "hide"])
                    .status == .seeOther)
            #expect(try await admin.post(host + "/status", form: ["state": "ended"]).status == .seeOther)
            let after = try await citizen.get(page).body.string
            #expect(after.contains("Ya, pemeriksaan gigi dasar gratis.") && !after.contains("puskesmas"))
            #expect(!after.contains("Kirim pertanyaan"), "an ended session takes no questions")
            #expect(try await citizen.post(page, form: ["question": "Masih bisa?"]).status == .unprocessableEntity)
            #expect(try await admin.get(host).body.string.contains("puskesmas"), "the host still sees the hidden one")

            // Only the tenant's administrators and coordinators host.
            let officer = try await Given(app).browser(signedInAs: o.officer)
            #expect(try await officer.get(host).status == .forbidden)
            #expect(try await officer.post(host + "/status", form: ["state": "live"]).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAPIShowsSessionsAndTakesQuestionsUpToALimit(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            var draft = LiveQA.Draft()
            (draft.topic, draft.official, draft.startsAt) = ("Perizinan usaha", "Kepala DPMPTSP", "2026-06-12T10:00")
            let session = try await LiveQA.add(draft, in: o.scope, now: Date())
            let citizen = APIClient(app: app, headers: [:])
            let base = InfoAPIRoute.qaSession(slug, .value(.init(session.id!))).path
            for n in 1...5 {
                #expect(
                    try await citizen.call(.POST, base + "/questions", ["question": "Pertanyaan \(n)?"]).status
                        == .created)
            }
            var form = HTTPHeaders()
            form.contentType = .urlEncodedForm
            let posted = try await app.testing().performTest(
                request: .init(
                    method: .POST, url: .init(string: base + "/questions"), headers: form,
                    body: ByteBuffer(string: "question=Dari+situs+lain")))
            #expect(posted.status == .unsupportedMediaType, "another site's form is refused")
            let sixth = try await citizen.call(.POST, base + "/questions", ["question": "Keenam?"])
            #expect(sixth.status == .tooManyRequests)
            let read = try await citizen.call(.GET, base)
            #expect((read["questions"] as? [[String: Any]])?.count == 5)
            #expect(
                (try await citizen.call(.GET, InfoAPIRoute.qaSessions(slug).path)["sessions"] as? [[String: Any]])?
                    .count == 1)
            let other = try await OfficeDeskTests.office(app)
            #expect(
                try await citizen.call(
                    .GET, InfoAPIRoute.qaSession(other.tenant.routeSlug, .value(.init(session.id!))).path
                ).status == .notFound)
        }
    }
}
