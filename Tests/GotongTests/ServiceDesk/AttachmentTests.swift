import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import GotongIdentity
@testable import GotongPlatform
@testable import GotongServiceDesk
@testable import GotongTenancy

/// Citizens' photos and PDFs: sent with a report or a reply (web and API), checked by their
/// bytes, read by the case's citizen with the code and by the officers who see the case, and
/// never left behind by a refused form.
@Suite("Service desk: attachments")
struct AttachmentTests {
    static let photo = Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data((0..<60_000).map { UInt8($0 % 251) })
    static let pdf = Data("%PDF-1.4\n".utf8) + Data(repeating: 0x20, count: 2000)

    /// The files the store holds for `tenant` (keys' last parts).
    static func stored(_ app: Application, _ tenant: Tenant) -> [String] {
        let folder = app.gotong.dataDirectory + "/files/desk/" + tenant.id!.uuidString.lowercased()
        return (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    }

    static func report(
        _ citizen: Browser, _ o: OfficeDeskTests.Office, file: Data, name: String, type: String,
        form: [String: String] = CitizenDeskTests.form()
    ) async throws -> TestingHTTPResponse {
        _ = try await citizen.get(DeskRoute.desk(o.tenant.routeSlug).path)
        return try await citizen.upload(
            DeskRoute.desk(o.tenant.routeSlug).path, field: DeskFiles.field, filename: name, contentType: type,
            data: file, form: form)
    }

    @Test(arguments: TestDatabase.all)
    func aReportsPhotoIsReadByItsCitizenAndTheOfficersWhoSeeTheCase(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let citizen = Browser(app)

            // MUT: a report with a photo whose name has a folder and an upper-case extension
            let sent = try await Self.report(
                citizen, o, file: Self.photo, name: "../DCIM/jalan rusak.JPG", type: "image/jpeg")
            #expect(sent.status == .seeOther)
            let address = try #require(sent.headers.first(name: .location))

            // validate: kept with the report's message, by its bytes
            let item = try #require(try await o.scope.query(DeskCase.self).first())
            let row = try #require(try await o.scope.query(DeskAttachment.self).first())
            let first = try #require(try await o.scope.query(DeskMessage.self).filter(\.$caseID == item.id!).first())
            #expect(row.caseID == item.id && row.messageID == first.id)
            #expect(row.name == "jalan rusak.jpg" && row.kind == "jpeg" && row.size == Self.photo.count)
            #expect(try await app.files.get(row.key) == ByteBuffer(data: Self.photo))

            // the citizen's page links it; the link with the code gives the file, without it nothing
            let page = try await citizen.get(address)
            let code = String(address.split(separator: "=").last!)
            let slug = o.tenant.routeSlug
            let number = Param<CaseNumber>.value(CaseNumber(item.number)!)
            let link = DeskRoute.citizenFile(slug, number, .value(AttachmentID(row.id!))).path(query: ["kode": code])
            #expect(page.body.string.contains("jalan rusak.jpg"))
            #expect(page.body.string.contains(HTMLText().attr(link).string))
            let download = try await citizen.get(link)
            #expect(download.status == .ok && Data(download.body.readableBytesView) == Self.photo)
            #expect(download.headers.contentType == .jpeg)
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
            #expect(download.headers.first(name: .cacheControl) == "private, no-store")
            let bare = DeskRoute.citizenFile(slug, number, .value(AttachmentID(row.id!))).path
            #expect(try await citizen.get(bare + "?kode=SALAH-KODE-0000").status == .notFound)
            #expect(try await citizen.get(bare).status == .notFound)
            // another case's file is not this case's, even with this case's code
            let (other, otherCode) = try await OfficeDeskTests.report(o, app, text: "Trotoar rusak di Jl. Braga.")
            let otherLink = DeskRoute.citizenFile(
                slug, .value(CaseNumber(other.number)!), .value(AttachmentID(row.id!)))
            #expect(try await citizen.get(otherLink.path(query: ["kode": otherCode])).status == .notFound)

            // officers: the roads unit's officer (the case is routed there) and the administrator
            // read it; the health unit's officer does not see the case
            let officeLink = DeskRoute.officeFile(slug, number, .value(AttachmentID(row.id!))).path
            for person in [o.officer, o.admin] {
                let browser = try await Given(app).browser(signedInAs: person)
                let casePage = try await browser.get(DeskRoute.officeCase(slug, number).path)
                #expect(casePage.body.string.contains(HTMLText().attr(officeLink).string))
                let file = try await browser.get(officeLink)
                #expect(file.status == .ok && Data(file.body.readableBytesView) == Self.photo, "\(person.name)")
            }
            let stranger = try await Given(app).browser(signedInAs: o.otherOfficer)
            #expect(try await stranger.get(officeLink).status == .notFound)
            let signedOut = try await Browser(app).get(officeLink)
            #expect(
                signedOut.status == .seeOther && signedOut.headers.first(name: .location)?.hasPrefix("/masuk") == true)
            // another tenant's address with this case's number, file and code finds nothing
            let elsewhere = try await Given(app).tenant("Dinas Lain")
            try await DeskSetup.enable(TenantScope(tenantID: elsewhere.id!, db: app.db), now: app.clock.now())
            let foreign = DeskRoute.citizenFile(elsewhere.routeSlug, number, .value(AttachmentID(row.id!)))
            #expect(try await citizen.get(foreign.path(query: ["kode": code])).status == .notFound)

            // the API lists it under the message, and gives it to the officer and the citizen
            let api = try await APIClient.signIn(app, o.officer.email)
            let view = try await api.call(.GET, DeskAPIRoute.officeCase(slug, number).path)
            let messages = try #require(view["messages"] as? [[String: Any]])
            let listed = try #require((messages.first?["files"] as? [[String: Any]])?.first)
            #expect(listed["name"] as? String == "jalan rusak.jpg" && listed["kind"] as? String == "jpeg")
            let apiFile = DeskAPIRoute.officeFile(slug, number, .value(AttachmentID(row.id!))).path
            let (got, _) = try await api.raw(.GET, apiFile)
            #expect(got.status == .ok && got.body == Self.photo)
            let otherUnit = try await APIClient.signIn(app, o.otherOfficer.email)
            #expect(try await otherUnit.raw(.GET, apiFile).0.status == .notFound)
            let anyone = APIClient(app: app, headers: [:])
            let citizenFile = DeskAPIRoute.citizenFile(slug, number, .value(AttachmentID(row.id!))).path
            #expect(try await anyone.raw(.GET, citizenFile + "?secret=\(code)").0.body == Self.photo)
            #expect(try await anyone.raw(.GET, citizenFile + "?secret=salah").0.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFileThatIsNotAPhotoOrPDFIsRefusedWithTheFormsOtherProblemsAndLeavesNothing(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let citizen = Browser(app)

            // MUT + validate: a good photo, but the report's text missing: nothing kept
            let untold = try await Self.report(
                citizen, o, file: Self.photo, name: "foto.jpg", type: "image/jpeg",
                form: CitizenDeskTests.form(["text": ""]))
            #expect(untold.status == .unprocessableEntity && untold.body.string.contains("Tuliskan isi laporan."))
            #expect(Self.stored(app, o.tenant).isEmpty)
            #expect(try await o.scope.query(DeskAttachment.self).count() == 0)

            // MUT: a page saved as .jpg, with the report's text missing too
            let fake = Data("<html><script>alert(1)</script></html>".utf8)
            let refused = try await Self.report(
                citizen, o, file: fake, name: "foto.jpg", type: "image/jpeg",
                form: CitizenDeskTests.form(["text": ""]))

            // validate: both problems told at once; nothing written, nothing stored
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Lampiran harus foto (JPG atau PNG) atau PDF."))
            #expect(refused.body.string.contains("Tuliskan isi laporan."))
            #expect(try await o.scope.query(DeskCase.self).count() == 0)
            #expect(Self.stored(app, o.tenant).isEmpty)

            // MUT + validate: too large (within the request's limit), refused by its size
            let big = Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data(repeating: 1, count: DeskFiles.maxBytes)
            let large = try await Self.report(citizen, o, file: big, name: "besar.jpg", type: "image/jpeg")
            #expect(large.status == .unprocessableEntity && large.body.string.contains("Berkas terlalu besar"))
            #expect(Self.stored(app, o.tenant).isEmpty)

            // MUT + validate: a PDF passes; the report's number is the first (none was taken)
            let fine = try await Self.report(citizen, o, file: Self.pdf, name: "surat.pdf", type: "application/pdf")
            #expect(fine.status == .seeOther)
            let item = try #require(try await o.scope.query(DeskCase.self).first())
            #expect(CaseNumber(item.number)?.sequence == 1)
            #expect(Self.stored(app, o.tenant).count == 1)
        }
    }

    /// An anonymous reporter's photo is stored without what it says of who took it and where;
    /// a public reporter's as sent.
    @Test
    func anAnonymousReportersPhotoLosesItsMetadata() async throws {
        try await withGotong(.sqlite) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let m = ImageMetadataTests.self
            let photo = Data(
                [0xFF, 0xD8] + m.jfif + m.exif + m.comment + m.quantisation + m.scanHeader + m.scanData)
            for privacy in ["anonymous", "public"] {
                let sent = try await Self.report(
                    Browser(app), o, file: photo, name: "\(privacy).jpg", type: "image/jpeg",
                    form: CitizenDeskTests.form(["privacy": privacy]))
                #expect(sent.status == .seeOther)
            }
            let rows = try await o.scope.query(DeskAttachment.self).all()
            let anonymous = try #require(rows.first { $0.name == "anonymous.jpg" })
            let open = try #require(rows.first { $0.name == "public.jpg" })
            let cleaned = try #require(try await app.files.get(anonymous.key))
            #expect(Data(buffer: cleaned) == ImageMetadata.stripped(photo, as: .jpeg))
            #expect(anonymous.size == cleaned.readableBytes && anonymous.size < photo.count)
            #expect(try await app.files.get(open.key) == ByteBuffer(data: photo))
            // a photo whose structure is broken is refused for an anonymous reporter
            let broken = try await Self.report(
                Browser(app), o, file: Data([0xFF, 0xD8, 0xFF, 0xE1, 0x7F]), name: "rusak.jpg", type: "image/jpeg",
                form: CitizenDeskTests.form(["privacy": "anonymous"]))
            #expect(broken.status == .unprocessableEntity && broken.body.string.contains("Foto ini rusak"))
            #expect(try await o.scope.query(DeskCase.self).count() == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aReplyMayBeAPhotoAloneAndAClosedCaseTakesNoFile(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let o = try await OfficeDeskTests.office(app)
            let (item, code) = try await OfficeDeskTests.report(o, app)
            let slug = o.tenant.routeSlug
            let number = Param<CaseNumber>.value(CaseNumber(item.number)!)
            let citizen = Browser(app)
            _ = try await citizen.get(CitizenPage.address(slug, number: item.number, secret: code))
            let reply = DeskRoute.citizenReply(slug, number).path

            // MUT: a photo with no words
            let sent = try await citizen.upload(
                reply, field: DeskFiles.field, filename: "IMG_0042.png", contentType: "image/png",
                data: Data([0x89, 0x50, 0x4E, 0x47]) + Data(repeating: 3, count: 500), form: ["kode": code])
            #expect(sent.status == .seeOther)
            let messages = try await o.scope.query(DeskMessage.self).filter(\.$caseID == item.id!).sort(\.$createdAt)
                .all()
            #expect(messages.count == 2 && messages[1].body.isEmpty)
            let row = try #require(try await o.scope.query(DeskAttachment.self).first())
            #expect(row.messageID == messages[1].id && row.name == "IMG_0042.png")
            // nothing at all is still a refused reply
            let nothing = try await citizen.upload(
                reply, field: DeskFiles.field, filename: "", contentType: "application/octet-stream", data: Data(),
                form: ["kode": code, "body": ""])
            #expect(nothing.status == .unprocessableEntity)

            // MUT: through the API, a PDF; then the case closes and takes no more
            let api = APIClient(app: app, headers: [:])
            let files = DeskAPIRoute.citizenFiles(slug, number).path
            let (added, _) = try await api.raw(.POST, files + "?secret=\(code)&name=surat%20RT.pdf", data: Self.pdf)
            #expect(added.status == .created && added["name"] as? String == "surat RT.pdf")
            let (wrong, _) = try await api.raw(.POST, files + "?secret=\(code)", data: Data("MZ\u{90}".utf8))
            #expect(wrong.status == .unprocessableEntity && wrong.fields == ["body"])
            #expect(try await api.raw(.POST, files + "?secret=salah", data: Self.pdf).0.status == .notFound)
            let admin = DeskAccess(personID: o.admin.id!, coordinator: true, units: [])
            _ = try await CaseWork(scope: o.scope, now: app.clock.now(), access: admin)
                .take(.refuse, on: item, unit: nil, note: "Bukan kewenangan kami.")
            let before = Self.stored(app, o.tenant).count
            let late = try await citizen.upload(
                reply, field: DeskFiles.field, filename: "lagi.jpg", contentType: "image/jpeg", data: Self.photo,
                form: ["kode": code])
            #expect(late.status == .unprocessableEntity)
            #expect(
                try await api.raw(.POST, files + "?secret=\(code)", data: Self.photo).0.status
                    == .unprocessableEntity)

            // validate: two files kept, none from the refused ones
            #expect(try await o.scope.query(DeskAttachment.self).count() == 2)
            #expect(Self.stored(app, o.tenant).count == before)
        }
    }
}
