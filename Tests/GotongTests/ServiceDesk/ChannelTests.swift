import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// The social channels: a tenant connects its WhatsApp, Instagram and X accounts (keys sealed,
/// never shown again); the platforms' stand-in delivers signed messages to the webhooks, which
/// become cases once however often they are retried; officers' replies go back through the
/// platforms' send APIs from an outbox that tries again with back-off.
@Suite("Service desk: social channels")
struct ChannelTests {
    static let (waAccount, igAccount, xAccount) = ("106540352242922", "17841400000000001", "1400000000000000001")
    static let secret = "rahasia-aplikasi-meta-2026"

    /// The office of ``OfficeDeskTests`` with the three channels connected through the page,
    /// and sends going to the stand-in.
    static func connected(_ app: Application, _ standIn: SocialStandIn) async throws -> OfficeDeskTests.Office {
        let o = try await OfficeDeskTests.office(app)
        app.gotong.socialAPIBase = standIn.base
        let admin = try await Given(app).browser(signedInAs: o.admin)
        for (channel, account) in [("whatsapp", waAccount), ("instagram", igAccount), ("x", xAccount)] {
            let done = try await admin.post(
                DeskRoute.channels(o.tenant.routeSlug).path,
                form: [
                    "channel": channel, "account": account, "app_secret": secret,
                    "access_token": "token-kirim-\(channel)",
                ])
            #expect(done.status == .seeOther)
        }
        return o
    }

    /// Posts a signed delivery to the webhook, then runs a round of the intake: the webhook's
    /// answer with what the intake made of the inbox.
    static func deliver(
        _ app: Application, _ o: OfficeDeskTests.Office, _ channel: String, _ signed: SocialStandIn.Signed,
        body: String? = nil, type: HTTPMediaType = .json
    ) async throws -> (HTTPStatus, [String: Any]) {
        var headers = HTTPHeaders()
        headers.contentType = type
        headers.add(name: signed.header, value: signed.signature)
        let path = DeskAPIRoute.hook(.value(HookChannel(pathSegment: channel)!), o.tenant.routeSlug).path
        let response = try await app.testing().performTest(
            request: .init(
                method: .POST, url: .init(string: path), headers: headers, body: .init(string: body ?? signed.body)))
        var json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
        guard response.status == .ok else { return (response.status, json ?? [:]) }
        // What the intake then made of the inbox (as the worker would, kicked by the webhook).
        let tally = try await DeskInbox.drain(app)
        json?["opened"] = tally.opened
        json?["added"] = tally.added
        json?["answered"] = tally.answered
        json?["taken_elsewhere"] = tally.repeated
        json?["failed"] = tally.failed
        return (response.status, json ?? [:])
    }

    static func cases(_ o: OfficeDeskTests.Office) async throws -> [DeskCase] {
        // By number, the order they came in (the test clock stands still between them).
        try await o.scope.query(DeskCase.self).sort(\.$number).all()
    }

    @Test(arguments: TestDatabase.all)
    func aWhatsAppMessageBecomesOneCaseAndTheOfficersReplyReachesTheSendAPI(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                let o = try await Self.connected(app, standIn)
                let text = "Jalan berlubang di depan pasar Kosambi sudah sebulan, mohon diperbaiki."
                let first = try await standIn.delivery(
                    "whatsapp", secret: Self.secret, account: Self.waAccount, from: "6281234567890", name: "Siti",
                    id: "wamid.HBgLNjI4MTIzNDU2Nzg5MA1", text: text)
                let (status, taken) = try await Self.deliver(app, o, "whatsapp", first)
                #expect(status == .ok && taken["opened"] as? Int == 1)
                // the platform retries the same delivery: counted once
                let (again, retaken) = try await Self.deliver(app, o, "whatsapp", first)
                #expect(again == .ok && retaken["repeated"] as? Int == 1 && retaken["opened"] as? Int == 0)
                var cases = try await Self.cases(o)
                #expect(cases.count == 1)
                let item = try #require(cases.first)
                #expect(item.channel == .whatsapp && item.privacy == .confidential && item.text == text)
                #expect(item.contactMasked == "0812****7890" && item.number.hasPrefix("ADU-2026-"))
                // a changed body, or one signed with another secret, is refused and writes nothing
                let (forged, _) = try await Self.deliver(
                    app, o, "whatsapp", first, body: first.body.replacingOccurrences(of: "Kosambi", with: "Baru"))
                #expect(forged == .unauthorized)
                #expect(try await Self.deliver(app, o, "whatsapp", first, type: .plainText).0 == .unsupportedMediaType)
                let other = try await standIn.delivery(
                    "whatsapp", secret: "bukan-rahasianya", account: Self.waAccount, from: "6281234567890",
                    id: "wamid.X", text: text)
                #expect(try await Self.deliver(app, o, "whatsapp", other).0 == .unauthorized)
                // the same contact writes again: a message on the open case, not a new case
                let second = try await standIn.delivery(
                    "whatsapp", secret: Self.secret, account: Self.waAccount, from: "6281234567890",
                    id: "wamid.HBgLNjI4MTIzNDU2Nzg5MA2", text: "Lubangnya makin besar setelah hujan.")
                #expect(try await Self.deliver(app, o, "whatsapp", second).1["added"] as? Int == 1)
                cases = try await Self.cases(o)
                #expect(cases.count == 1)
                let messages = try await o.scope.query(DeskMessage.self).filter(\.$caseID == item.id!).all()
                #expect(messages.count == 2 && messages.allSatisfy { $0.channel == .whatsapp })

                // the officer's reply goes to the stand-in's send API, from the outbox
                let admin = try await Given(app).browser(signedInAs: o.admin)
                let path = OfficeDeskTests.casePath(o, item)
                #expect(
                    try await admin.post(path + "/tulis", form: ["body": "Terima kasih, kami teruskan."]).status
                        == .seeOther)
                #expect(try await admin.get(path).body.string.contains("Menunggu dikirim"))
                await JobQueue.runDue(app)
                let sent = try await standIn.sent()
                #expect(sent.count == 1)
                #expect(sent.first?.platform == "whatsapp" && sent.first?.path == "/v21.0/\(Self.waAccount)/messages")
                #expect(sent.first?.authorization == "Bearer token-kirim-whatsapp")
                #expect(sent.first?.body["to"]?.string == "6281234567890")
                #expect(sent.first?.body["text"]?["body"]?.string == "Terima kasih, kami teruskan.")
                let row = try #require(try await o.scope.query(DeskOutbox.self).first())
                #expect(row.state == .sent && row.externalID.hasPrefix("wamid.") && row.part == 0)
                // WhatsApp reports it read
                let read = try await standIn.status(
                    secret: Self.secret, account: Self.waAccount, id: row.externalID, status: "read")
                #expect(try await Self.deliver(app, o, "whatsapp", read).0 == .ok)
                #expect(try await o.scope.find(DeskOutbox.self, row.id)?.state == .read)
                #expect(try await admin.get(path).body.string.contains("Dibaca"))

                // "status ADU-…" from the reporter answers with the status; from someone else, not
                let ask = try await standIn.delivery(
                    "whatsapp", secret: Self.secret, account: Self.waAccount, from: "6281234567890", id: "wamid.S1",
                    text: "status \(item.number)")
                #expect(try await Self.deliver(app, o, "whatsapp", ask).1["answered"] as? Int == 1)
                let stranger = try await standIn.delivery(
                    "whatsapp", secret: Self.secret, account: Self.waAccount, from: "6289999999999", id: "wamid.S2",
                    text: "STATUS \(item.number)")
                #expect(try await Self.deliver(app, o, "whatsapp", stranger).1["answered"] as? Int == 1)
                await JobQueue.runDue(app)
                let answers = try await standIn.sent().dropFirst()
                #expect(answers.count == 2)
                let toReporter = answers.first { $0.body["to"]?.string == "6281234567890" }
                let toStranger = answers.first { $0.body["to"]?.string == "6289999999999" }
                #expect(toReporter?.body["text"]?["body"]?.string?.contains("\(item.number): Baru") == true)
                #expect(toStranger?.body["text"]?["body"]?.string?.contains("tidak ditemukan") == true)
                #expect(try await Self.cases(o).count == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFailedSendIsTriedAgainWithBackOffAndARefusedOneIsShownAndSentAgain(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                let o = try await Self.connected(app, standIn)
                let dm = try await standIn.delivery(
                    "x", secret: Self.secret, account: Self.xAccount, from: "2244994945", name: "warga_bdg",
                    id: "1582838293849238", text: "Lampu jalan di Jl. Soekarno-Hatta mati sejak minggu lalu.")
                #expect(try await Self.deliver(app, o, "x", dm).1["opened"] as? Int == 1)
                let item = try #require(try await Self.cases(o).first)
                #expect(item.channel == .x && item.contactMasked == "@wa*******")
                let admin = try await Given(app).browser(signedInAs: o.admin)
                let path = OfficeDeskTests.casePath(o, item)

                // the platform is down once: tried again 30 s later, then sent
                try await standIn.fail(next: 1, status: 503)
                #expect(try await admin.post(path + "/tulis", form: ["body": "Sudah kami catat."]).status == .seeOther)
                await JobQueue.runDue(app)
                var row = try #require(try await o.scope.query(DeskOutbox.self).first())
                #expect(row.state == .pending && row.attempts == 1 && row.lastError.hasPrefix("HTTP 503"))
                await JobQueue.runDue(app)
                #expect(try await standIn.sent().count == 1)
                o.time.advance(31)
                await JobQueue.runDue(app)
                let sent = try await standIn.sent()
                #expect(sent.count == 2 && sent.last?.failed == false)
                #expect(sent.last?.path == "/2/dm_conversations/with/2244994945/messages")
                #expect(sent.last?.body["text"]?.string == "Sudah kami catat.")
                row = try #require(try await o.scope.find(DeskOutbox.self, row.id))
                #expect(row.state == .sent && row.attempts == 2 && row.lastError.isEmpty)

                // refused as it is (400): failed at once, shown on the case, sent again by hand
                try await standIn.fail(next: 1, status: 400)
                #expect(
                    try await admin.post(path + "/tulis", form: ["body": "Petugas menuju lokasi."]).status
                        == .seeOther)
                await JobQueue.runDue(app)
                let failed = try #require(
                    try await o.scope.query(DeskOutbox.self).filter(\.$body == "Petugas menuju lokasi.").first())
                #expect(failed.state == .failed && failed.attempts == 1)
                let page = try await admin.get(path).body.string
                #expect(page.contains("Gagal terkirim") && page.contains("Kirim ulang"))
                let api = try await APIClient.signIn(app, o.admin.email)
                let seen = try await api.call(
                    .GET, DeskAPIRoute.officeCase(o.tenant.routeSlug, .value(CaseNumber(item.number)!)).path)
                let last = (seen["messages"] as? [[String: Any]])?.last
                #expect(
                    last?["delivery"] as? String == "failed"
                        && (last?["delivery_error"] as? String)?.hasPrefix("HTTP 400") == true)
                let again = try await admin.post(path + "/kirim-ulang", form: ["kirim": failed.id!.uuidString])
                #expect(again.status == .seeOther)
                #expect(
                    try await admin.post(path + "/kirim-ulang", form: ["kirim": failed.id!.uuidString]).status
                        == .conflict)
                await JobQueue.runDue(app)
                #expect(try await o.scope.find(DeskOutbox.self, failed.id)?.state == .sent)
                // an officer of another unit may not send it again
                let health = try await Given(app).browser(signedInAs: o.otherOfficer)
                #expect(
                    try await health.post(path + "/kirim-ulang", form: ["kirim": failed.id!.uuidString]).status
                        == .notFound)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anInstagramCommentIsAnsweredPrivatelyAndTheHandshakesAnswerOnlyTheirToken(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                let o = try await Self.connected(app, standIn)
                let comment = try await standIn.delivery(
                    "instagram", secret: Self.secret, account: Self.igAccount, from: "17841405309211844",
                    name: "ibu.rina", id: "17858893269000001", text: "Puskesmas Cibeunying tutup jam 10, kenapa?",
                    kind: "comment")
                #expect(try await Self.deliver(app, o, "instagram", comment).1["opened"] as? Int == 1)
                let item = try #require(try await Self.cases(o).first)
                let admin = try await Given(app).browser(signedInAs: o.admin)
                let path = OfficeDeskTests.casePath(o, item)
                for body in ["Mohon maaf, kami cek ke puskesmas.", "Jam buka sudah kembali normal."] {
                    #expect(try await admin.post(path + "/tulis", form: ["body": body]).status == .seeOther)
                    await JobQueue.runDue(app)
                }
                let sent = try await standIn.sent()
                #expect(sent.count == 2 && sent.allSatisfy { $0.path == "/v21.0/\(Self.igAccount)/messages" })
                // the first privately by the comment (the platform takes one such), then by the id
                #expect(sent.first?.body["recipient"]?["comment_id"]?.string == "17858893269000001")
                #expect(sent.last?.body["recipient"]?["id"]?.string == "17841405309211844")
                // an echo of the account's own message is no case
                let echo = try await standIn.delivery(
                    "instagram", secret: Self.secret, account: Self.igAccount, from: Self.igAccount, id: "m_1",
                    text: "Mohon maaf, kami cek ke puskesmas.")
                #expect(try await Self.deliver(app, o, "instagram", echo).1["opened"] as? Int == 0)

                // Meta's handshake echoes the challenge for the verify token shown on the page only
                let page = try await admin.get(DeskRoute.channels(o.tenant.routeSlug).path).body.string
                #expect(!page.contains(Self.secret) && !page.contains("token-kirim"))
                let row = try #require(
                    try await o.scope.query(DeskChannel.self).filter(\.$channel == .instagram).first())
                #expect(!row.sealed.contains(Self.secret))
                let token = try #require(Channels.verifyToken(row, sealer: Sealer.of(app)))
                #expect(page.contains(token))
                let hook = DeskAPIRoute.hook(.value(HookChannel(.instagram)), o.tenant.routeSlug).path
                let citizen = Browser(app)
                let good = try await citizen.get(
                    hook + "?hub.mode=subscribe&hub.verify_token=\(token)&hub.challenge=1158201444")
                #expect(good.status == .ok && good.body.string == "1158201444")
                let bad = try await citizen.get(hook + "?hub.mode=subscribe&hub.verify_token=salah&hub.challenge=1")
                #expect(bad.status == .forbidden)
                // X's CRC: the answer the stand-in computes
                let xHook = DeskAPIRoute.hook(.value(HookChannel(.x)), o.tenant.routeSlug).path
                let crc = try await citizen.get(xHook + "?crc_token=abc123")
                let expected = try await standIn.crc(secret: Self.secret, token: "abc123")
                #expect(crc.status == .ok && crc.body.string.contains(expected))

                // a channel disconnected has no webhook; a tenant without the desk neither
                #expect(
                    try await admin.post(
                        DeskRoute.channelsRemove(o.tenant.routeSlug).path, form: ["channel": "instagram"]
                    ).status == .seeOther)
                #expect(try await Self.deliver(app, o, "instagram", comment).0 == .notFound)
                let other = try await Given(app).tenant("Tanpa Layanan")
                #expect(try await citizen.get("/hooks/whatsapp/\(other.slug)?crc_token=1").status == .notFound)
                #expect(try await citizen.get("/hooks/web/\(o.tenant.slug)").status == .notFound)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func connectingIsForAdministratorsWithEveryProblemAtOnceAndNeedsTheKey(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let officer = try await Given(app).browser(signedInAs: o.officer)
            #expect(try await officer.get(DeskRoute.channels(slug).path).status == .forbidden)
            #expect(try await officer.post(DeskRoute.channels(slug).path, form: ["channel": "x"]).status == .forbidden)
            let admin = try await Given(app).browser(signedInAs: o.admin)
            let bad = try await admin.post(
                DeskRoute.channels(slug).path,
                form: ["channel": "whatsapp", "account": "nomor-saya", "app_secret": "  "])
            #expect(bad.status == .unprocessableEntity)
            for message in ["ID akun dari platform", "kunci rahasia aplikasi", "token akses"] {
                #expect(bad.body.string.contains(message))
            }
            #expect(
                try await admin.post(DeskRoute.channels(slug).path, form: ["channel": "web"]).status
                    == .unprocessableEntity)
            #expect(try await o.scope.query(DeskChannel.self).count() == 0)
            // without the configured key nothing can be sealed, and the page says why
            app.gotong.credentialsKey = nil
            let keyless = try await admin.post(
                DeskRoute.channels(slug).path,
                form: ["channel": "x", "account": "1", "app_secret": "rahasia", "access_token": "token"])
            #expect(keyless.status == .unprocessableEntity && keyless.body.string.contains("GOTONG_CREDENTIALS_KEY"))
            #expect(try await o.scope.query(DeskChannel.self).count() == 0)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["desk.channel.connect"]).count()
            #expect(audit == 0)
        }
    }

    @Test func longRepliesGoInPartsCutBetweenWords() {
        let text = String(repeating: "kata ", count: 500)
        let parts = Outbox.parts(text, max: 1000)
        #expect(parts.count == 3 && parts.allSatisfy { $0.count <= 1000 && !$0.hasPrefix(" ") && !$0.hasSuffix(" ") })
        #expect(parts.joined(separator: " ") == text.trimmingCharacters(in: .whitespaces))
        #expect(Outbox.parts("pendek", max: 1000) == ["pendek"])
        #expect(Outbox.parts(String(repeating: "x", count: 2500), max: 1000).map(\.count) == [1000, 1000, 500])
        #expect(
            Data(hexString: "0aFf") == Data([10, 255]) && Data(hexString: "0g") == nil && Data(hexString: "abc") == nil)
        #expect(ChannelIntake.statusRequest("  status   ADU-2026-000123 ")?.sequence == 123)
        #expect(ChannelIntake.statusRequest("status ADU-2026-12") == nil)
        #expect(ChannelIntake.statusRequest("status tolong ADU-2026-000123") == nil)
    }
}
