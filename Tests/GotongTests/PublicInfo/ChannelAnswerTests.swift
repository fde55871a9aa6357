import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongPlatform
@testable import GotongPublicInfo
@testable import GotongServiceDesk
@testable import GotongTenancy

/// The answerer on the desk's channels, against the platforms' stand-in: a question it is sure
/// of is answered on WhatsApp and opens no case; a report, a question it is not sure of, and
/// what the citizen sends after an answer reach the officers as cases.
@Suite("Public information: the answerer on the channels")
struct ChannelAnswerTests {
    typealias C = ChannelTests

    @Test(arguments: TestDatabase.all)
    func aQuestionOnWhatsAppIsAnsweredAndAReportBecomesACase(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                let o = try await C.connected(app, standIn)
                try await AnswererTests.catalogue(o, app)
                func send(_ from: String, _ id: String, _ text: String) async throws -> [String: Any] {
                    let delivery = try await standIn.delivery(
                        "whatsapp", secret: C.secret, account: C.waAccount, from: from, id: id, text: text)
                    return try await C.deliver(app, o, "whatsapp", delivery).1
                }

                let asked = try await send("6281300000001", "wamid.Q1", "syarat bikin ktp yg hilang apa aja ya?")
                #expect(asked["opened"] as? Int == 0 && asked["answered"] as? Int == 1)
                #expect(try await C.cases(o).isEmpty)
                await JobQueue.runDue(app)
                let reply = try #require(try await standIn.sent().first?.body["text"]?["body"]?.string)
                #expect(reply.hasPrefix("KTP-el\nPersyaratan:\n• Fotokopi Kartu Keluarga"))
                #expect(reply.contains("Selengkapnya: \(app.gotong.baseURL)/layanan/\(o.tenant.slug)/informasi/ktp-el"))

                // A thank-you needs no officer; what the citizen sends next goes to one, question
                // or not, with what they were asked and told before it.
                let thanks = try await send("6281300000001", "wamid.T1", "makasih min 🙏")
                #expect(thanks["opened"] as? Int == 0 && thanks["answered"] as? Int == 1)
                let next = try await send("6281300000001", "wamid.Q2", "kalau kehilangannya di luar kota gimana?")
                #expect(next["opened"] as? Int == 1)
                let opened = try #require(try await C.cases(o).first)
                let note = try #require(
                    try await o.scope.query(DeskMessage.self).filter(\.$caseID == opened.id!).filter(
                        \.$direction == .note
                    )
                    .first())
                #expect(
                    note.body.contains("«syarat bikin ktp yg hilang apa aja ya?»") && note.body.contains("Persyaratan:")
                )

                // A report is a case; a question the answerer is not sure of too, and it waits
                // on the officers' list of unanswered questions.
                #expect(
                    try await send("6281300000002", "wamid.R1", "Lampu jalan di Jl. Riau padam.")["opened"] as? Int == 1
                )
                let unsure = try await send("6281300000003", "wamid.U1", "kapan pasar murah berikutnya diadakan?")
                #expect(unsure["opened"] as? Int == 1)
                let waiting = try await o.scope.query(InfoUnanswered.self).all(\.$question)
                #expect(waiting == ["kapan pasar murah berikutnya diadakan?"], "\(waiting)")
                #expect(try await C.cases(o).count == 3)
            }
        }
    }

    @Test(arguments: [
        ("syarat bikin ktp", true), ("Jam buka kantor sabtu", true), ("bisa bayar online?", true),
        ("Jalan di depan pasar rusak parah", false), ("Lampu PJU padam sejak kemarin.", false), ("", false),
        ("Mohon info, jalan di depan pasar rusak", false),
    ])
    func aMessageReadsAsAQuestionByItsMarkOrItsFirstWords(text: String, question: Bool) {
        #expect(ChannelAnswerer.isQuestion(text) == question)
    }
}
