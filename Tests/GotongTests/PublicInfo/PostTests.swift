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

/// The site's posts: written with a schedule, an expiry and channels; shown and in the feed
/// from their time; sent once then through the desk's outbox to the platforms' stand-in — the
/// feed of Instagram (which fetches the image from the live server), a post on X, the Telegram
/// channel and WhatsApp's broadcast list — each within its platform's length; refused sends
/// tried again; the platforms' figures imported.
@Suite("Public information: posts sent to the channels")
struct PostTests {
    typealias C = ChannelTests
    static let png = Data(
        base64Encoded:
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!
    static let telegram = (account: "@kabarlayanan", secret: "rahasia-webhook-telegram", token: "123456:ABC-def_ghi")

    static let form: [String: String] = [
        "kind": "pengumuman", "title": "Perekaman KTP-el keliling di Kecamatan Cibeunying",
        "body": String(
            repeating: "Disdukcapil membuka perekaman KTP-el keliling bagi warga yang belum merekam, bawa KK asli. ",
            count: 8),
        "image_text": "Petugas merekam sidik jari warga", "channel_instagram": "1", "channel_x": "1",
        "channel_telegram": "1", "channel_whatsapp": "1",
    ]

    /// The text of a WhatsApp template message's one body parameter.
    static func templateText(_ body: [String: JSONValue]) -> String? {
        guard case .array(let components)? = body["template"]?["components"],
            case .array(let parameters)? = components.first?["parameters"]
        else { return nil }
        return parameters.first?["text"]?.string
    }

    /// The office with WhatsApp, Instagram and X connected (``ChannelTests``), and Telegram.
    static func connected(_ app: Application, _ standIn: SocialStandIn) async throws -> OfficeDeskTests.Office {
        let o = try await C.connected(app, standIn)
        let admin = try await Given(app).browser(signedInAs: o.admin)
        let refused = try await admin.post(
            DeskRoute.channels(o.tenant.routeSlug).path,
            form: [
                "channel": "telegram", "account": "kabar layanan", "app_secret": telegram.secret, "access_token": "x",
            ])
        #expect(refused.status == .unprocessableEntity && refused.body.string.contains("nama kanal Telegram"))
        let done = try await admin.post(
            DeskRoute.channels(o.tenant.routeSlug).path,
            form: [
                "channel": "telegram", "account": telegram.account, "app_secret": telegram.secret,
                "access_token": telegram.token,
            ])
        #expect(done.status == .seeOther)
        return o
    }

    @Test(arguments: TestDatabase.all)
    func aScheduledPostGoesOutOnceToEachChannelWithinItsLength(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                try await LiveServer.with(app) { live in
                    app.gotong.baseURL = live.base
                    let o = try await Self.connected(app, standIn)
                    let slug = o.tenant.routeSlug
                    // A citizen joins the broadcast list on WhatsApp, and is told how to leave it.
                    let join = try await standIn.delivery(
                        "whatsapp", secret: C.secret, account: C.waAccount, from: "6281300000009", id: "wamid.J1",
                        text: "LANGGANAN")
                    #expect(try await C.deliver(app, o, "whatsapp", join).1["answered"] as? Int == 1)
                    #expect(try await C.cases(o).isEmpty)
                    _ = await JobQueue.runDue(app)
                    #expect(try await standIn.sent().last?.body["text"]?["body"]?.string?.contains("BERHENTI") == true)

                    let admin = try await Given(app).browser(signedInAs: o.admin)
                    var form = Self.form
                    form["publish_at"] = LocalDates.formValue(moment: app.clock.now().addingTimeInterval(3600))
                    // Instagram takes no post without an image: refused, nothing written.
                    let refused = try await admin.post(InfoRoute.postEditor(slug).path, form: form)
                    #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Instagram hanya"))
                    #expect(try await o.scope.query(InfoPost.self).count() == 0)
                    // Instagram's publishing takes JPEG only.
                    let png = try await admin.upload(
                        InfoRoute.postEditor(slug).path, field: Posts.imageField, filename: "keliling.png",
                        contentType: "image/png", data: Self.png, form: form)
                    #expect(
                        png.status == .unprocessableEntity && png.body.string.contains("hanya menerima gambar JPEG"))
                    let made = try await admin.upload(
                        InfoRoute.postEditor(slug).path, field: Posts.imageField, filename: "keliling.jpg",
                        contentType: "image/jpeg", data: DocumentTests.jpeg, form: form)
                    #expect(made.status == .seeOther)
                    let post = try #require(try await o.scope.query(InfoPost.self).first())
                    let id = Param<PostID>.value(.init(post.id!))

                    // Before its time: not on the site, nothing sent, the officers see each text.
                    let citizen = Browser(app)
                    #expect(try await citizen.get(InfoRoute.post(slug, id).path).status == .notFound)
                    #expect(!(try await citizen.get(InfoRoute.posts(slug).path).body.string.contains("Cibeunying")))
                    let before = try await standIn.sent().count
                    _ = await JobQueue.runDue(app)
                    #expect(try await standIn.sent().count == before)
                    let editor = try await admin.get(InfoRoute.postEdit(slug, id).path).body.string
                    #expect(editor.contains("Terjadwal") && editor.contains("dari 280 karakter"))
                    #expect(editor.contains("1 warga di daftar siaran"))

                    o.time.advance(3601)
                    _ = await JobQueue.runDue(app)
                    _ = await JobQueue.runDue(app)
                    // On a loaded machine Instagram's fetch of the image may outlast the send's
                    // wait: that send is tried again by the outbox, as it would be in service.
                    for _ in 0..<6 {
                        let open = try await Outbox.deliveries(of: post.id!, in: o.scope).filter {
                            $0.state == .pending || $0.state == .sending
                        }
                        if open.isEmpty { break }
                        o.time.advance(600)
                        _ = await JobQueue.runDue(app)
                    }
                    let sent = try await standIn.sent().dropFirst(before)
                    let link = live.base + InfoRoute.post(slug, id).path
                    let states = try await Outbox.deliveries(of: post.id!, in: o.scope)
                    let tweet = try #require(
                        sent.first { $0.platform == "x_post" }?.body["text"]?.string,
                        "\(sent.map(\.platform)) \(states)")
                    #expect(PostRules.length(tweet, on: .x) <= 280 && tweet.hasSuffix("Selengkapnya: " + link))
                    #expect(tweet.hasPrefix(Self.form["title"]!) && tweet.contains("…"))
                    let container = try #require(sent.first { $0.platform == "instagram_media" })
                    #expect(
                        container.body["image_url"]?.string?.hasPrefix(
                            live.base + InfoRoute.postImage(slug, id).path + "?v=") == true)
                    #expect(sent.contains { $0.platform == "instagram_publish" })
                    let photo = try #require(sent.first { $0.platform == "telegram" })
                    #expect(photo.path.hasSuffix("sendPhoto") && photo.body["chat_id"]?.string == Self.telegram.account)
                    #expect((photo.body["caption"]?.string?.count ?? 9999) <= 1024)
                    let broadcast = try #require(sent.first { $0.platform == "whatsapp" })
                    #expect(broadcast.body["to"]?.string == "6281300000009")
                    // Outside WhatsApp's 24 hours a post goes as the approved template, on one line.
                    #expect(broadcast.body["template"]?["name"]?.string == "kabar_layanan")
                    let parameter = Self.templateText(broadcast.body)
                    #expect(parameter?.hasSuffix(link) == true && parameter?.contains("\n") == false)
                    // One post each; a retried Instagram send may have made more than one container.
                    for platform in ["x_post", "instagram_publish", "telegram", "whatsapp"] {
                        #expect(sent.filter { $0.platform == platform && !$0.failed }.count == 1, "\(platform)")
                    }
                    let after = try await standIn.sent().count

                    // Sent once: another round of jobs, or a save, sends nothing more.
                    var changed = form
                    changed["title"] = "Perekaman KTP-el keliling (jadwal diperbarui)"
                    #expect(try await admin.post(InfoRoute.postEdit(slug, id).path, form: changed).status == .seeOther)
                    _ = await JobQueue.runDue(app)
                    #expect(try await standIn.sent().count == after)
                    let status = try await admin.get(InfoRoute.postEdit(slug, id).path).body.string
                    #expect(status.components(separatedBy: "Terkirim").count - 1 == 4)
                    #expect(status.contains("ID di platform: 179"))

                    let page = try await citizen.get(InfoRoute.post(slug, id).path)
                    #expect(page.status == .ok && page.body.string.contains("jadwal diperbarui"))
                    #expect(try await citizen.get(InfoRoute.postImage(slug, id).path).headers.contentType == .jpeg)
                    let feed = try await citizen.get(InfoRoute.postFeed(slug).path)
                    #expect(feed.headers.first(name: .contentType)?.hasPrefix("application/atom+xml") == true)
                    #expect(feed.body.string.contains("<entry>") && feed.body.string.contains(link))
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRefusedSendIsTriedAgainAndTheFiguresAreImported(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                let o = try await Self.connected(app, standIn)
                let slug = o.tenant.routeSlug
                let admin = try await Given(app).browser(signedInAs: o.admin)
                var form = Self.form
                (form["channel_instagram"], form["channel_whatsapp"]) = (nil, nil)
                // A refusal that may pass is tried again by itself; one that will not waits for
                // an officer's "kirim ulang".
                try await standIn.fail(next: 1, status: 503)
                #expect(try await admin.post(InfoRoute.postEditor(slug).path, form: form).status == .seeOther)
                let post = try #require(try await o.scope.query(InfoPost.self).first())
                let id = Param<PostID>.value(.init(post.id!))
                _ = await JobQueue.runDue(app)
                _ = await JobQueue.runDue(app)
                var deliveries = try await Outbox.deliveries(of: post.id!, in: o.scope)
                #expect(deliveries.map(\.state).contains(.pending))
                o.time.advance(31)
                try await standIn.fail(next: 1, status: 400)
                _ = await JobQueue.runDue(app)
                deliveries = try await Outbox.deliveries(of: post.id!, in: o.scope)
                let failed = try #require(deliveries.first { $0.state == .failed })
                let page = try await admin.get(InfoRoute.postEdit(slug, id).path).body.string
                #expect(page.contains("Kirim ulang yang gagal") && page.contains("HTTP 400"))
                let retried = try await admin.post(
                    InfoRoute.postRetry(slug, id).path, form: ["channel": failed.channel.rawValue])
                #expect(retried.status == .seeOther)
                _ = await JobQueue.runDue(app)
                deliveries = try await Outbox.deliveries(of: post.id!, in: o.scope)
                #expect(deliveries.count == 2 && deliveries.allSatisfy { $0.state == .sent }, "\(deliveries)")

                // Figures by the platform's id of the post, or by its address on the site.
                let tweet = try #require(deliveries.first { $0.channel == .x }?.externalID)
                let address = InfoRoute.post(slug, id).path
                let bad =
                    "channel,post,reach,likes\nfacebook,1,5,1\nx,\(tweet),lima,2\ntelegram,/kabar/bukan-kabar,1,1\n"
                let refused = try await APIClient.signIn(app, o.admin.email).call(
                    .POST, InfoAPIRoute.postFigures(slug).path, csv: bad)
                #expect(refused.status == .unprocessableEntity)
                #expect(try await o.scope.query(InfoPostFigures.self).count() == 0)
                let good =
                    "channel;post;reach;views;likes;comments;shares\nx;\(tweet);12.500;30.000;410;22;97\n"
                    + "telegram;\(address);3100;;;;\n"
                let imported = try await APIClient.signIn(app, o.admin.email).call(
                    .POST, InfoAPIRoute.postFigures(slug).path, csv: good)
                #expect(imported["imported"] as? Int == 2)
                let x = try #require(
                    try await o.scope.query(InfoPostFigures.self).filter(\.$channel == .x).first())
                #expect(x.reach == 12_500 && x.views == 30_000 && x.shares == 97)
                #expect(
                    try await admin.get(InfoRoute.postEdit(slug, id).path).body.string.contains("Jangkauan 12500"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anExpiredPostLeavesTheListAndTheAPIKeepsScheduledOnesForOfficers(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let api = try await APIClient.signIn(app, o.admin.email)
            let now = app.clock.now()
            let body: [String: Any] = [
                "kind": "kampanye", "title": "Gerakan 3M Plus", "body": "Menguras, menutup, mendaur ulang.",
                "expires_at": LocalDates.iso(now.addingTimeInterval(7200)),
            ]
            let made = try await api.call(.POST, InfoAPIRoute.posts(slug).path, body)
            #expect(made.status == .created && made["state"] as? String == "live")
            var later = body
            (later["title"], later["publish_at"]) = ("Vaksinasi HPV", LocalDates.iso(now.addingTimeInterval(86_400)))
            later["expires_at"] = nil
            let scheduled = try await api.call(.POST, InfoAPIRoute.posts(slug).path, later)
            #expect(scheduled["state"] as? String == "scheduled")
            var wrong = body
            (wrong["kind"], wrong["expires_at"], wrong["channels"]) = ("iklan", "kemarin", ["facebook"])
            let refused = try await api.call(.POST, InfoAPIRoute.posts(slug).path, wrong)
            #expect(
                refused.status == .unprocessableEntity && Set(refused.fields) == ["kind", "expires_at", "channels"])

            let citizen = APIClient(app: app, headers: [:])
            let live = try await citizen.call(.GET, InfoAPIRoute.posts(slug).path)
            #expect((live["posts"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Gerakan 3M Plus"])
            let hidden = InfoAPIRoute.posts(slug).path + "/" + (scheduled["id"] as? String ?? "")
            #expect(try await citizen.call(.GET, hidden).status == .notFound)
            #expect(try await api.call(.GET, hidden)["deliveries"] != nil)
            #expect(try await citizen.call(.POST, InfoAPIRoute.posts(slug).path, body).status == .unauthorized)
            let all = try await api.call(.GET, InfoAPIRoute.posts(slug).path + "?all=1")
            #expect(all["total"] as? Int == 2)

            o.time.advance(7201)
            #expect(try await citizen.call(.GET, InfoAPIRoute.posts(slug).path)["total"] as? Int == 0)
            let first = InfoRoute.post(slug, .value(.init(UUID(uuidString: made["id"] as! String)!))).path
            let page = try await Browser(app).get(first)
            #expect(page.status == .ok && page.body.string.contains("sudah berakhir"))
            #expect(!(try await Browser(app).get(InfoRoute.postFeed(slug).path).body.string.contains("3M Plus")))
        }
    }

    @Test func eachChannelsTextKeepsTheLinkWithinTheLimit() {
        let link =
            "Selengkapnya: https://gotong.example.id/layanan/bpsdm-jabar/kabar/6b0f1f1e-2f6a-4f0e-9a55-5d2c4a8f9e10"
        let body = String(repeating: "Sosialisasi pencegahan DBD di setiap RW. ", count: 200)
        for (channel, image) in [
            (DeskCase.Channel.x, false), (.instagram, true), (.telegram, true), (.telegram, false), (.whatsapp, false),
        ] {
            let text = PostRules.text(title: "Waspada DBD", body: body, link: link, on: channel, image: image)
            #expect(PostRules.length(text, on: channel) <= PostRules.limit(channel, image: image), "\(channel)")
            let gap = channel == .whatsapp ? " — " : "\n\n"
            #expect(text.hasPrefix("Waspada DBD" + gap) && text.hasSuffix(link) && text.contains("… \n") == false)
            // WhatsApp's template parameter is one line.
            #expect(channel != .whatsapp || !text.contains("\n"))
        }
        // X counts a link as 23 and an emoji as 2; a short post is sent whole.
        #expect(PostRules.length("Halo 🙂 https://contoh.id/sangat/panjang/sekali", on: .x) == 4 + 1 + 2 + 1 + 23)
        #expect(PostRules.text(title: "A", body: "B", link: "C", on: .x, image: false) == "A\n\nB\n\nC")
        // A title too long for X is cut as well, and the link kept.
        let long = PostRules.text(
            title: String(repeating: "judul ", count: 80), body: "isi", link: link, on: .x, image: false)
        #expect(PostRules.length(long, on: .x) <= 280 && long.hasSuffix(link))
    }

    @Test(arguments: TestDatabase.all)
    func aTelegramMessageBecomesACaseAndTheReplyGoesBack(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                let o = try await Self.connected(app, standIn)
                let message = try await standIn.delivery(
                    "telegram", secret: Self.telegram.secret, account: Self.telegram.account, from: "55443322",
                    name: "wargabdg", id: "77", text: "Lampu jalan di Jl. Dago padam sejak tiga hari.")
                let forged = SocialStandIn.Signed(
                    body: message.body, header: message.header, signature: "bukan-rahasianya")
                #expect(try await C.deliver(app, o, "telegram", forged).0 == .unauthorized)
                let taken = try await C.deliver(app, o, "telegram", message)
                #expect(taken.0 == .ok && taken.1["opened"] as? Int == 1)
                let item = try #require(try await C.cases(o).first)
                #expect(item.channel == .telegram)
                let admin = try await Given(app).browser(signedInAs: o.admin)
                let reply = try await admin.post(
                    OfficeDeskTests.casePath(o, item) + "/tulis",
                    form: ["body": "Terima kasih, laporan diteruskan ke Dinas PUPR."])
                #expect(reply.status == .seeOther)
                _ = await JobQueue.runDue(app)
                let sent = try #require(try await standIn.sent().last)
                #expect(sent.platform == "telegram" && sent.path.hasSuffix("sendMessage"))
                #expect(sent.body["chat_id"]?.string == "55443322")
            }
        }
    }
}
