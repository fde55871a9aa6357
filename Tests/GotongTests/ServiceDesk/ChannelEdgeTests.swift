import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// The channels' harder paths: every kind of message the platforms deliver, deliveries at the
/// same moment, reports out of order, long replies in parts, back-off to its end, a forged
/// handshake, a channel disconnected with replies waiting.
@Suite("Service desk: social channels, edge paths")
struct ChannelEdgeTests {
    typealias C = ChannelTests

    static func wa(_ s: SocialStandIn, from: String, id: String, text: String) async throws -> SocialStandIn.Signed {
        try await s.delivery("whatsapp", secret: C.secret, account: C.waAccount, from: from, id: id, text: text)
    }

    /// What a delivery did, as numbers (sendable, for deliveries at once).
    static func taken(
        _ app: Application, _ o: OfficeDeskTests.Office, _ signed: SocialStandIn.Signed
    ) async throws -> [String: Int] {
        try await C.deliver(app, o, "whatsapp", signed).1.compactMapValues { $0 as? Int }
    }

    @Test(arguments: TestDatabase.all)
    func deliveriesAtOnceOpenOneCaseAndARetryTakesNoNumber(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                let o = try await C.connected(app, standIn)
                // the same delivery five times at once: one case
                let same = try await Self.wa(
                    standIn, from: "6281211110000", id: "wamid.SAME", text: "Sampah menumpuk di TPS Cicadas.")
                let outcomes = try await withThrowingTaskGroup(of: [String: Int].self) { group in
                    for _ in 0..<5 { group.addTask { try await Self.taken(app, o, same) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(outcomes.compactMap { $0["opened"] }.reduce(0, +) == 1)
                #expect(outcomes.compactMap { $0["repeated"] }.reduce(0, +) == 4)
                // two messages of a new contact at once: one case holding both
                let a = try await Self.wa(standIn, from: "6281222220000", id: "wamid.A", text: "Halo, mau lapor.")
                let b = try await Self.wa(
                    standIn, from: "6281222220000", id: "wamid.B", text: "Air PDAM mati tiga hari.")
                async let first = Self.taken(app, o, a)
                async let second = Self.taken(app, o, b)
                let both = try await [first, second]
                #expect(both.compactMap { $0["opened"] }.reduce(0, +) == 1)
                #expect(both.compactMap { $0["added"] }.reduce(0, +) == 1)
                let cases = try await C.cases(o)
                #expect(cases.count == 2)
                let water = try #require(cases.last)
                #expect(try await o.scope.query(DeskMessage.self).filter(\.$caseID == water.id!).count() == 2)
                // numbers follow without a gap: the retries took none
                let numbers = cases.compactMap { CaseNumber($0.number)?.sequence }.sorted()
                #expect(numbers == [numbers[0], numbers[0] + 1])

                // a case closed: the contact's next message opens a new one
                let admin = DeskAccess(personID: o.admin.id!, coordinator: true, units: [])
                let work = CaseWork(scope: o.scope, now: app.clock.now(), access: admin)
                _ = try await work.take(.refuse, on: water, unit: nil, note: "Bukan kewenangan kami.")
                let again = try await Self.wa(standIn, from: "6281222220000", id: "wamid.C", text: "Masih mati.")
                #expect(try await C.deliver(app, o, "whatsapp", again).1["opened"] as? Int == 1)
                let newest = try #require(try await C.cases(o).last)
                #expect(CaseNumber(newest.number)?.sequence == numbers[0] + 2)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyKindOfMessageIsReadAndReportsOnlyMoveOn(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                let o = try await C.connected(app, standIn)
                // an Instagram direct message (not an echo) and an X mention each open a case
                let dm = try await standIn.delivery(
                    "instagram", secret: C.secret, account: C.igAccount, from: "17841405309299999", name: "pak.dedi",
                    id: "aWdfZAG1DM1", text: "Trotoar di Jl. Braga rusak, mohon diperbaiki.")
                #expect(try await C.deliver(app, o, "instagram", dm).1["opened"] as? Int == 1)
                let mention = """
                    {"for_user_id":"\(C.xAccount)","tweet_create_events":[{"id_str":"1850000000000000001",\
                    "text":"@pemkot jembatan Cikapundung retak","user":{"id_str":"2244994946","screen_name":"warga2"}}]}
                    """
                let signed = SocialStandIn.Signed(
                    body: mention, header: "x-twitter-webhooks-signature",
                    signature: "sha256=" + Signature.code(Data(mention.utf8), secret: C.secret).base64EncodedString())
                #expect(try await C.deliver(app, o, "x", signed).1["opened"] as? Int == 1)
                let texts = try await C.cases(o).map(\.text)
                #expect(texts.contains("Trotoar di Jl. Braga rusak, mohon diperbaiki."))
                #expect(texts.contains("@pemkot jembatan Cikapundung retak"))

                // a WhatsApp reply: delivered, read, then a late "delivered" changes nothing
                let wa = try await Self.wa(standIn, from: "6281233330000", id: "wamid.R1", text: "Lampu taman padam.")
                _ = try await C.deliver(app, o, "whatsapp", wa)
                let item = try #require(try await C.cases(o).last)
                let browser = try await Given(app).browser(signedInAs: o.admin)
                let path = OfficeDeskTests.casePath(o, item)
                _ = try await browser.post(path + "/tulis", form: ["body": "Kami cek besok."])
                await JobQueue.runDue(app)
                let sent = try #require(try await o.scope.query(DeskOutbox.self).filter(\.$caseID == item.id!).first())
                for (status, expected) in [
                    ("delivered", DeskOutbox.State.delivered), ("read", .read), ("delivered", .read),
                ] {
                    let report = try await standIn.status(
                        secret: C.secret, account: C.waAccount, id: sent.externalID, status: status)
                    #expect(try await C.deliver(app, o, "whatsapp", report).0 == .ok)
                    #expect(try await o.scope.find(DeskOutbox.self, sent.id)?.state == expected)
                }
                // WhatsApp reports a later one failed: shown, and it can be sent again
                _ = try await browser.post(path + "/tulis", form: ["body": "Petugas sudah di lokasi."])
                await JobQueue.runDue(app)
                let later = try #require(
                    try await o.scope.query(DeskOutbox.self).filter(\.$body == "Petugas sudah di lokasi.").first())
                let failed = try await standIn.status(
                    secret: C.secret, account: C.waAccount, id: later.externalID, status: "failed")
                _ = try await C.deliver(app, o, "whatsapp", failed)
                #expect(try await o.scope.find(DeskOutbox.self, later.id)?.state == .failed)
                #expect(
                    try await browser.post(path + "/kirim-ulang", form: ["kirim": later.id!.uuidString]).status
                        == .seeOther)
                await JobQueue.runDue(app)
                #expect(try await o.scope.find(DeskOutbox.self, later.id)?.state == .sent)
                #expect(
                    try await standIn.sent().filter { $0.body["text"]?["body"]?.string == "Petugas sudah di lokasi." }
                        .count == 2)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func longRepliesGoInOrderAndBackOffEndsInFailure(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                let o = try await C.connected(app, standIn)
                let comment = try await standIn.delivery(
                    "instagram", secret: C.secret, account: C.igAccount, from: "17841405309211111", name: "bu.sri",
                    id: "17858893269000009", text: "Kapan pasar murah di kecamatan kami?", kind: "comment")
                _ = try await C.deliver(app, o, "instagram", comment)
                let item = try #require(try await C.cases(o).first)
                let browser = try await Given(app).browser(signedInAs: o.admin)
                let path = OfficeDeskTests.casePath(o, item)
                // 1,500 characters with an en dash in each sentence: more than Instagram's 1,000 bytes
                let reply = String(repeating: "Jadwal pasar murah – Senin pagi di balai warga. ", count: 31)
                try await standIn.fail(next: 1, status: 503)
                #expect(try await browser.post(path + "/tulis", form: ["body": reply]).status == .seeOther)
                await JobQueue.runDue(app)
                // the first part failed once: the second waits for it
                #expect(try await standIn.sent().count == 1)
                o.time.advance(31)
                await JobQueue.runDue(app)
                let sent = try await standIn.sent().filter { !$0.failed }
                let parts = sent.compactMap { $0.body["message"]?["text"]?.string }
                #expect(parts.count >= 2 && parts.allSatisfy { $0.utf8.count <= 1000 })
                #expect(parts.joined(separator: " ") == reply.trimmingCharacters(in: .whitespaces))
                #expect(sent.first?.body["recipient"]?["comment_id"]?.string == "17858893269000009")
                #expect(sent.dropFirst().allSatisfy { $0.body["recipient"]?["id"]?.string == "17841405309211111" })

                // down all along: tried six times with growing waits, then failed
                try await standIn.fail(next: 10, status: 503)
                _ = try await browser.post(path + "/tulis", form: ["body": "Info tambahan."])
                for wait in [0.0, 31, 61, 121, 241, 481] {
                    o.time.advance(wait)
                    await JobQueue.runDue(app)
                }
                let gaveUp = try #require(
                    try await o.scope.query(DeskOutbox.self).filter(\.$body == "Info tambahan.").first())
                #expect(gaveUp.state == .failed && gaveUp.attempts == 6 && gaveUp.lastError.hasPrefix("HTTP 503"))

                // disconnected with a reply waiting: it fails, saying why
                _ = try await browser.post(path + "/tulis", form: ["body": "Balasan terakhir."])
                _ = try await browser.post(
                    DeskRoute.channelsRemove(o.tenant.routeSlug).path, form: ["channel": "instagram"])
                await JobQueue.runDue(app)
                let orphan = try #require(
                    try await o.scope.query(DeskOutbox.self).filter(\.$body == "Balasan terakhir.").first())
                #expect(orphan.state == .failed && orphan.lastError == "channel not connected")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anXHandshakeTokenThatCouldBeABodyIsRefused(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                let o = try await C.connected(app, standIn)
                let body = #"{"for_user_id":"\#(C.xAccount)","direct_message_events":[]}"#
                let hook = DeskAPIRoute.hook(.value(HookChannel(.x)), o.tenant.routeSlug).path
                let encoded = body.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                #expect(try await Browser(app).get(hook + "?crc_token=" + encoded).status == .forbidden)
                #expect(try await Browser(app).get(hook + "?crc_token=a%20b").status == .forbidden)
                #expect(try await Browser(app).get(hook + "?crc_token=abc-DEF_123%3D").status == .ok)
            }
        }
    }
}
