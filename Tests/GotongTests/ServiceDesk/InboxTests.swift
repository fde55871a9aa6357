import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// The desk's inbox: the webhook only records a signed delivery's messages and answers; the
/// intake makes cases of them in arrival order, empties what it took, and a message whose intake
/// keeps failing is marked failed rather than tried for ever.
@Suite("Service desk: the inbox of platform messages")
struct InboxTests {
    typealias C = ChannelTests

    /// A WhatsApp delivery of several messages (`from`, `id`, `text`), signed as Meta signs.
    static func whatsApp(_ messages: [(from: String, id: String, text: String)]) -> SocialStandIn.Signed {
        let items = messages.map { m in
            """
            {"from":"\(m.from)","id":"\(m.id)","timestamp":"1767225600","type":"text","text":{"body":"\(m.text)"}}
            """
        }
        let body = """
            {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",\
            "value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"\(C.waAccount)"},\
            "messages":[\(items.joined(separator: ","))]}}]}]}
            """
        let hex = Signature.code(Data(body.utf8), secret: C.secret).map { String(format: "%02x", $0) }.joined()
        return SocialStandIn.Signed(body: body, header: "X-Hub-Signature-256", signature: "sha256=" + hex)
    }

    static func post(
        _ app: Application, _ o: OfficeDeskTests.Office, _ signed: SocialStandIn.Signed
    ) async throws
        -> (HTTPStatus, [String: Int])
    {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: signed.header, value: signed.signature)
        let path = DeskAPIRoute.hook(.value(HookChannel(pathSegment: "whatsapp")!), o.tenant.routeSlug).path
        let response = try await app.testing().performTest(
            request: .init(method: .POST, url: .init(string: path), headers: headers, body: .init(string: signed.body)))
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Int]
        return (response.status, json ?? [:])
    }

    @Test(arguments: TestDatabase.all)
    func theWebhookRecordsAndTheIntakeTakesInOrderOnce(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                let o = try await C.connected(app, standIn)
                let delivery = Self.whatsApp([
                    ("6281255550000", "wamid.IN1", "Halo, mau lapor."),
                    ("6281255550000", "wamid.IN2", "Lampu jalan di Jl. Riau padam."),
                    ("bukan-nomor", "wamid.IN3", "Pesan tanpa nomor pengirim."),
                ])

                // MUT: the webhook records two, ignores the one without a person's number
                let (status, answer) = try await Self.post(app, o, delivery)
                #expect(status == .ok)
                #expect(answer == ["received": 2, "repeated": 0, "ignored": 1, "reports": 0])
                // validate: nothing made yet; the two wait with their content
                #expect(try await C.cases(o).isEmpty)
                let waiting = try await o.scope.query(DeskInbound.self).sort(\.$at).all()
                #expect(waiting.map(\.state) == [.waiting, .waiting])
                #expect(waiting.map(\.body) == ["Halo, mau lapor.", "Lampu jalan di Jl. Riau padam."])

                // MUT: a round of the intake
                let tally = try await DeskInbox.drain(app)
                #expect(tally == DeskInbox.Tally(opened: 1, added: 1))
                // validate: one case, its conversation in the order sent; the inbox emptied
                let cases = try await C.cases(o)
                #expect(cases.count == 1 && cases.first?.text == "Halo, mau lapor.")
                let said = try await o.scope.query(DeskMessage.self).filter(\.$caseID == cases[0].id!)
                    .sort(\.$createdAt).all().map(\.body)
                #expect(said == ["Halo, mau lapor.", "Lampu jalan di Jl. Riau padam."])
                let taken = try await o.scope.query(DeskInbound.self).all()
                #expect(
                    taken.allSatisfy {
                        $0.state == .taken && $0.body.isEmpty && $0.handle.isEmpty && $0.name.isEmpty
                            && $0.comment == nil && $0.media.isEmpty
                    })
                #expect(Set(taken.map(\.externalID)) == ["wamid.IN1", "wamid.IN2"])

                // MUT + validate: the platform's retry is counted once and makes nothing
                let (_, again) = try await Self.post(app, o, delivery)
                #expect(again == ["received": 0, "repeated": 2, "ignored": 1, "reports": 0])
                #expect(try await DeskInbox.drain(app) == DeskInbox.Tally())
                #expect(try await C.cases(o).count == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anIntakeThatKeepsFailingIsMarkedFailedAfterItsAttempts(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                // setup: a message recorded, then the desk turned off under it
                let o = try await C.connected(app, standIn)
                let (status, _) = try await Self.post(
                    app, o, Self.whatsApp([("6281266660000", "wamid.F1", "Banjir di Jl. Sukajadi.")]))
                #expect(status == .ok)
                try await o.scope.query(DeskSettings.self).set(\.$enabled, to: false).update()

                // MUT: the intake tries every round
                for round in 1...DeskInbox.maxAttempts {
                    #expect(try await DeskInbox.drain(app).failed == 1, "round \(round)")
                }

                // validate: failed after its attempts, its content kept, and no longer tried
                let row = try #require(try await o.scope.query(DeskInbound.self).first())
                #expect(row.state == .failed && row.attempts == DeskInbox.maxAttempts)
                #expect(row.body == "Banjir di Jl. Sukajadi.")
                #expect(try await DeskInbox.drain(app) == DeskInbox.Tally())
                #expect(try await C.cases(o).isEmpty)

                // MUT: the desk back on, the administrator sees the failure and has it tried again
                try await o.scope.query(DeskSettings.self).set(\.$enabled, to: true).update()
                let admin = try await Given(app).browser(signedInAs: o.admin)
                let page = try await admin.get(DeskRoute.channels(o.tenant.routeSlug).path)
                #expect(page.body.string.contains("0 menunggu diproses, 1 gagal diproses"))
                let retry = DeskRoute.channelsRetry(o.tenant.routeSlug).path
                let officer = try await Given(app).browser(signedInAs: o.officer)
                #expect(try await officer.post(retry, form: ["channel": "whatsapp"]).status == .forbidden)
                #expect(try await admin.post(retry, form: ["channel": "instagram"]).status == .notFound)
                #expect(try await admin.post(retry, form: ["channel": "whatsapp"]).status == .seeOther)

                // validate: the next round takes it; the page no longer lists the inbox
                #expect(try await DeskInbox.drain(app) == DeskInbox.Tally(opened: 1))
                #expect(try await C.cases(o).map(\.text) == ["Banjir di Jl. Sukajadi."])
                #expect(
                    !(try await admin.get(DeskRoute.channels(o.tenant.routeSlug).path).body.string
                        .contains("gagal diproses")))
                #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "desk.channel.retry").count() == 1)
            }
        }
    }

    /// A photo on WhatsApp: the message (its caption) opens the case at once; the job fetches the
    /// bytes from the platform with the channel's token and keeps them as the message's file.
    /// A platform that is down is tried again; media that is not a photo or a PDF is left.
    @Test(arguments: TestDatabase.all)
    func aWhatsAppPhotoIsFetchedFromThePlatformAndKeptWithItsMessage(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                let o = try await C.connected(app, standIn)
                let photo = Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data((0..<5000).map { UInt8($0 % 199) })
                let media = try await standIn.media(photo, type: "image/jpeg")
                let signed = try await standIn.mediaDelivery(
                    secret: C.secret, account: C.waAccount, from: "6281288880000", id: "wamid.M1", kind: "image",
                    media: media, caption: "Got di Jl. Pasteur tersumbat sampah.")

                // MUT: delivered and taken; the platform is down for the first fetch
                #expect(try await C.deliver(app, o, "whatsapp", signed).1["opened"] as? Int == 1)
                let item = try #require(try await C.cases(o).first)
                #expect(item.text == "Got di Jl. Pasteur tersumbat sampah.")
                try await standIn.fail(next: 1, status: 503)
                await JobQueue.runDue(app)
                #expect(try await o.scope.query(DeskAttachment.self).count() == 0)
                o.time.advance(120)
                await JobQueue.runDue(app)

                // validate: the photo is the message's file, as the platform kept it
                let row = try #require(try await o.scope.query(DeskAttachment.self).first())
                let message = try #require(
                    try await o.scope.query(DeskMessage.self).filter(\.$caseID == item.id!).first())
                #expect(row.messageID == message.id && row.kind == "jpeg" && row.size == photo.count)
                #expect(try await app.files.get(row.key) == ByteBuffer(data: photo))

                // MUT + validate: a "document" that is a web page is not kept, and not tried again
                let page = try await standIn.media(Data("<html>hai</html>".utf8), type: "application/pdf")
                let second = try await standIn.mediaDelivery(
                    secret: C.secret, account: C.waAccount, from: "6281288880000", id: "wamid.M2", kind: "document",
                    media: page, caption: "Surat dari kelurahan.")
                #expect(try await C.deliver(app, o, "whatsapp", second).1["added"] as? Int == 1)
                await JobQueue.runDue(app)
                #expect(try await o.scope.query(DeskAttachment.self).count() == 1)
                let jobs = try await QueuedJob.query(on: app.db).filter(\.$kind == ChannelMedia.job).all()
                #expect(jobs.count == 2 && jobs.allSatisfy { $0.status == .done })
            }
        }
    }

    /// Only the platform's own download address is given the token.
    @Test
    func theTokenGoesOnlyToThePlatformsDownloadAddress() {
        #expect(
            ChannelMedia.allowed(
                "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1", base: "https://graph.facebook.com"))
        #expect(ChannelMedia.allowed("http://127.0.0.1:18027/media/1", base: "http://127.0.0.1:18027"))
        for address in [
            "http://lookaside.fbsbx.com/x", "https://evil.example/fbsbx.com",
            "https://lookaside.fbsbx.com.evil.example/",
            "http://127.0.0.1:9999/media/1", "file:///etc/passwd", "not a url",
        ] {
            #expect(!ChannelMedia.allowed(address, base: "http://127.0.0.1:18027"), "\(address)")
        }
    }

    /// The worker runs the intake with its sweeps: a recorded message becomes a case with no
    /// one calling the intake by hand.
    @Test
    func theJobWorkersSweepTakesTheInbox() async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(.sqlite) { app, _ in
                let o = try await C.connected(app, standIn)
                _ = try await Self.post(app, o, Self.whatsApp([("6281277770000", "wamid.S1", "Pohon tumbang.")]))
                #expect(try await JobQueue.runSweeps(app) == 1)
                #expect(try await C.cases(o).count == 1)
            }
        }
    }
}
