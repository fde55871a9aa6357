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

/// What happens to a post after it is written: the WhatsApp broadcast list joined and left by a
/// word (and what leaving does to sends not yet made), a post changed, its image replaced and
/// removed, sent to a channel not connected, removed with its sends withdrawn; figures uploaded
/// from the page.
@Suite("Public information: posts changed, removed, and the broadcast list")
struct PostChangeTests {
    typealias C = ChannelTests

    static func whatsApp(
        _ standIn: SocialStandIn, _ app: Application, _ o: OfficeDeskTests.Office, from: String,
        id: String, text: String
    ) async throws -> [String: Any] {
        let delivery = try await standIn.delivery(
            "whatsapp", secret: C.secret, account: C.waAccount, from: from, id: id, text: text)
        return try await C.deliver(app, o, "whatsapp", delivery).1
    }

    @Test(arguments: TestDatabase.all)
    func theBroadcastListIsJoinedAndLeftByAWord(db: TestDatabase) async throws {
        try await SocialStandIn.with { standIn in
            try await withGotong(db) { app, _ in
                let o = try await C.connected(app, standIn)
                let slug = o.tenant.routeSlug
                for (n, phone) in ["6281300000011", "6281300000012"].enumerated() {
                    _ = try await Self.whatsApp(standIn, app, o, from: phone, id: "wamid.J\(n)", text: "langganan")
                }
                #expect(try await Outbox.subscribers(on: .whatsapp, in: o.scope) == 2)
                _ = await JobQueue.runDue(app)
                let before = try await standIn.sent().count
                let admin = try await Given(app).browser(signedInAs: o.admin)
                let form = [
                    "kind": "pengumuman", "title": "Pemadaman air PDAM Sabtu", "body": "Air mati pukul 08.00–14.00.",
                    "channel_whatsapp": "1",
                ]
                // The first send is refused for now; before it is tried again, its contact leaves.
                try await standIn.fail(next: 1, status: 503)
                #expect(try await admin.post(InfoRoute.postEditor(slug).path, form: form).status == .seeOther)
                _ = await JobQueue.runDue(app)
                _ = await JobQueue.runDue(app)
                let waiting = try #require(
                    try await o.scope.query(DeskOutbox.self).filter(\.$postID != nil).filter(\.$state == .pending)
                        .first())
                let left = try await Self.whatsApp(
                    standIn, app, o, from: waiting.handle, id: "wamid.L1", text: "BERHENTI")
                #expect(left["answered"] as? Int == 1)
                o.time.advance(60)
                _ = await JobQueue.runDue(app)
                let sent = try await standIn.sent().dropFirst(before)
                // One post reached the one who stayed; the one who left got only the goodbye.
                #expect(sent.filter { $0.body["type"]?.string == "template" && !$0.failed }.count == 1)
                #expect(sent.last?.body["text"]?["body"]?.string?.contains("LANGGANAN") == true)
                let rows = try await o.scope.query(DeskOutbox.self).filter(\.$postID != nil).all()
                #expect(rows.count == 1 && rows.allSatisfy { $0.handle.isEmpty && $0.state == .sent })
                #expect(try await Outbox.subscribers(on: .whatsapp, in: o.scope) == 1)

                // "stop" in the conversation of an open case is for the officer.
                let stayer = try #require(try await o.scope.query(DeskSubscriber.self).first()).handle
                _ = try await Self.whatsApp(
                    standIn, app, o, from: stayer, id: "wamid.R1", text: "Lampu jalan di Jl. Riau padam.")
                let inCase = try await Self.whatsApp(standIn, app, o, from: stayer, id: "wamid.S1", text: "stop")
                #expect(inCase["added"] as? Int == 1)
                #expect(try await Outbox.subscribers(on: .whatsapp, in: o.scope) == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func officersChangeReplaceAndRemovePosts(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let slug = o.tenant.routeSlug
            let admin = try await Given(app).browser(signedInAs: o.admin)
            let later = LocalDates.formValue(moment: app.clock.now().addingTimeInterval(86_400))
            var form = [
                "kind": "edukasi", "title": "Cara daftar BPJS PBI", "body": "Datang ke kantor desa dengan KK.",
                "publish_at": later, "channel_x": "1",
            ]
            let made = try await admin.upload(
                InfoRoute.postEditor(slug).path, field: Posts.imageField, filename: "bpjs.png",
                contentType: "image/png",
                data: PostTests.png, form: form)
            #expect(made.status == .seeOther)
            let post = try #require(try await o.scope.query(InfoPost.self).first())
            let id = Param<PostID>.value(.init(post.id!))
            let firstImage = try #require(post.imageKey)
            // X is not connected here: the editor says so before anything is sent.
            #expect(try await admin.get(InfoRoute.postEdit(slug, id).path).body.string.contains("belum disambungkan"))

            // A new image replaces the old one (its file goes), and the post keeps its time.
            form["title"] = "Cara daftar BPJS PBI (diperbarui)"
            form["publish_at"] = nil
            let replaced = try await admin.upload(
                InfoRoute.postEdit(slug, id).path, field: Posts.imageField, filename: "bpjs-2.jpg",
                contentType: "image/jpeg", data: DocumentTests.jpeg, form: form)
            #expect(replaced.status == .seeOther)
            var row = try #require(try await o.scope.find(InfoPost.self, post.id!))
            #expect(row.imageKey != firstImage && row.publishAt == post.publishAt)
            #expect(try await app.files.get(firstImage) == nil)
            // Removed: the page shows no image.
            form["remove_image"] = "1"
            #expect(try await admin.post(InfoRoute.postEdit(slug, id).path, form: form).status == .seeOther)
            row = try #require(try await o.scope.find(InfoPost.self, post.id!))
            #expect(row.imageKey == nil)

            // The API's PUT without a publishing time keeps the one it had.
            let api = try await APIClient.signIn(app, o.admin.email)
            let one = InfoAPIRoute.post(slug, id).path
            let put = try await api.call(
                .PUT, one, ["kind": "edukasi", "title": "BPJS PBI", "body": "Bawa KK.", "channels": ["x"]])
            #expect(put.status == .ok && put["state"] as? String == "scheduled")

            // Due, it goes to the outbox, where X (not connected) refuses it for good.
            o.time.advance(86_401)
            _ = await JobQueue.runDue(app)
            _ = await JobQueue.runDue(app)
            let deliveries = try await Outbox.deliveries(of: post.id!, in: o.scope)
            #expect(deliveries.first?.state == .failed && deliveries.first?.lastError == "channel not connected")

            // Figures uploaded on the page: by the post's address.
            let csv = "channel,post,reach,likes\nx,\(InfoRoute.post(slug, id).path),420,17\n"
            let upload = try await admin.upload(
                InfoRoute.postFigures(slug).path, field: PostFigureImport.field, filename: "angka.csv",
                contentType: "text/csv", data: Data(csv.utf8))
            #expect(upload.status == .seeOther)
            #expect(try await o.scope.query(InfoPostFigures.self).first()?.reach == 420)
            let bad = try await admin.upload(
                InfoRoute.postFigures(slug).path, field: PostFigureImport.field, filename: "angka.csv",
                contentType: "text/csv", data: Data("channel,post\nfacebook,1\n".utf8))
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("Baris 2"))

            // Removed on the page: gone from the site, its figures too; the API's DELETE of
            // another post withdraws it the same way.
            #expect(try await admin.post(InfoRoute.postRemove(slug, id).path).status == .seeOther)
            #expect(try await o.scope.query(InfoPost.self).count() == 0)
            #expect(try await o.scope.query(InfoPostFigures.self).count() == 0)
            #expect(try await Browser(app).get(InfoRoute.post(slug, id).path).status == .notFound)
            let second = try await api.call(
                .POST, InfoAPIRoute.posts(slug).path,
                ["kind": "pengumuman", "title": "Libur", "body": "Kantor libur.", "channels": ["telegram"]])
            let secondID = try #require(second["id"].flatMap { $0 as? String }.flatMap(UUID.init(uuidString:)))
            _ = await JobQueue.runDue(app)
            #expect(try await o.scope.query(DeskOutbox.self).filter(\.$postID == secondID).count() == 1)
            #expect(
                try await api.call(.DELETE, InfoAPIRoute.posts(slug).path + "/" + secondID.uuidString).status
                    == .noContent)
            #expect(try await o.scope.query(DeskOutbox.self).filter(\.$postID == secondID).count() == 0)
        }
    }
}
