import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongCatalog
@testable import GotongIdentity
@testable import GotongLearning
@testable import GotongPlatform
@testable import GotongTenancy

/// Uploads are streamed to temporary files by one reader (``UploadReader``), within the route's
/// limit, and the temporary files go when the request ends.
@Suite("Uploads")
struct UploadTests {
    static func multipart(
        _ values: [(String, String)], file: (name: String, filename: String, data: Data)?, boundary: String
    ) -> Data {
        var body = Data()
        for (name, value) in values {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        if let file {
            body.append(
                Data(
                    """
                    --\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; \
                    filename=\"\(file.filename)\"\r\n
                    """
                    .utf8))
            body.append(Data("Content-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return body
    }

    static func uploadsLeft(_ app: Application) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: Uploads.directory(of: app))) ?? []
    }

    /// The parts come out the same however the body is cut into chunks on the wire (a boundary,
    /// a header or a CRLF split between two chunks).
    @Test(arguments: [1, 2, 3, 7, 61, 4096, Int.max])
    func aMultipartBodyReadsTheSameInChunksOfAnySize(chunkSize: Int) throws {
        // setup: two text fields, a file whose bytes contain CRLFs and dashes like a boundary
        let boundary = "----gotong-test"
        let fileBytes = Data("--\r\n--gotong\r\n\r\n--".utf8) + Data((0..<3000).map { UInt8($0 % 251) })
        let body = Self.multipart(
            [("title", "Modul 1"), ("_csrf", "abc")], file: ("file", "modul.pdf", fileBytes), boundary: boundary)

        // MUT: feed it in chunks of `chunkSize`
        let events = MultipartEvents(boundary: boundary)
        var values: [String: String] = [:], files: [String: Data] = [:]
        var name = "", isFile = false, current = Data()
        var offset = 0
        while offset < body.count {
            let end = chunkSize == Int.max ? body.count : min(body.count, offset + chunkSize)
            for event in try events.feed(ByteBuffer(data: body[offset..<end])) {
                switch event {
                case .header(let header, let value):
                    guard header.lowercased() == "content-disposition" else { break }
                    let disposition = ContentDisposition(value)
                    name = disposition.name ?? ""
                    isFile = disposition.filename != nil
                case .body(let chunk): current.append(contentsOf: chunk.readableBytesView)
                case .partComplete:
                    if isFile { files[name] = current } else { values[name] = String(decoding: current, as: UTF8.self) }
                    current = Data(); isFile = false
                }
            }
            offset = end
        }

        // validate
        #expect(values == ["title": "Modul 1", "_csrf": "abc"])
        #expect(files["file"] == fileBytes)
    }

    /// A route declared with `upload` never holds the body in memory: over a real connection the
    /// body is not collected, the file arrives on disk whole, and is gone after the answer.
    @Test
    func anUploadRouteStreamsTheFileToDiskAndDeletesItAfterwards() async throws {
        try await withGotong(.sqlite) { app, _ in
            // setup: a test route that reports what the reader gave it, and a person signed in
            let seen = NIOLockedValueBox<(collected: Bool, path: String, bytes: Data)?>(nil)
            app.grouped("uji").upload(.POST, "unggah", maxSize: "40mb") { req async throws -> String in
                let form = try await req.receivedForm()
                let file = try #require(form.files["berkas"])
                let bytes = try Data(contentsOf: URL(fileURLWithPath: file.path))
                seen.withLockedValue { $0 = (req.body.data != nil, file.path, bytes) }
                return "\(form.values["judul"] ?? "")|\(file.filename)|\(file.size)|\(file.head.count)"
            }
            let given = Given(app)
            let signedIn = try await given.browser(signedInAs: try await given.person(in: try await given.tenant()))
            // Sixteen times the most one read from the socket brings (64 KB).
            let data = Data((0..<1_048_576).map { UInt8($0 % 251) })
            let (headers, body) = Browser.multipart(
                field: "berkas", filename: "rekaman.mp4", contentType: "video/mp4", data: data,
                form: ["judul": "Rekaman"])

            // MUT: over a real connection
            try await LiveServer.with(app) { server in
                let response = try await server.send(
                    .POST, "/uji/unggah", cookies: signedIn.cookies, headers: headers, body: body)
                #expect(response.status == .ok)
                #expect(response.body == "Rekaman|rekaman.mp4|\(data.count)|16")
            }

            // validate: the file was whole on disk, the body never collected, nothing left behind
            let report = try #require(seen.withLockedValue { $0 })
            #expect(report.collected == false)
            #expect(report.bytes == data)
            #expect(!FileManager.default.fileExists(atPath: report.path))
            #expect(Self.uploadsLeft(app).isEmpty)
        }
    }

    /// Over the route's limit the reader stops with 413 and deletes what it wrote; text fields
    /// have their own, small, limit; a stranger gets the default limit only.
    @Test
    func tooMuchIsRefusedAndLeavesNothing() async throws {
        try await withGotong(.sqlite) { app, _ in
            // setup
            let reached = NIOLockedValueBox(0)
            app.grouped("uji").upload(.POST, "kecil", maxSize: "1mb") { req async throws -> String in
                _ = try await req.receivedForm()
                reached.withLockedValue { $0 += 1 }
                return "ok"
            }
            let given = Given(app)
            let member = try await given.browser(signedInAs: try await given.person(in: try await given.tenant()))
            let stranger = Browser(app)
            _ = try await stranger.get("/masuk")

            // MUT + validate: a file over the limit
            let big = try await member.upload(
                "/uji/kecil", field: "berkas", filename: "a.bin", contentType: "application/octet-stream",
                data: Data(repeating: 1, count: 2 * 1_048_576))
            #expect(big.status == .payloadTooLarge)
            #expect(big.body.string.contains("Kiriman terlalu besar"))
            // Text beyond the text limit, though the whole is within the route's.
            let wordy = try await member.upload(
                "/uji/kecil", field: "berkas", filename: "a.bin", contentType: "application/octet-stream",
                data: Data("x".utf8), form: ["catatan": String(repeating: "k", count: Uploads.maxTextBytes + 1)])
            #expect(wordy.status == .payloadTooLarge)
            // A stranger on a route that takes 210 MB is held to the default 16 MB.
            app.grouped("uji").upload(.POST, "besar", maxSize: Uploads.maxRequestSize) { _ async throws -> String in
                "ok"
            }
            let strangersFile = try await stranger.upload(
                "/uji/besar", field: "berkas", filename: "a.bin", contentType: "application/octet-stream",
                data: Data(repeating: 2, count: 17 * 1_048_576))
            #expect(strangersFile.status == .payloadTooLarge)
            // Within the limit it passes.
            let fine = try await member.upload(
                "/uji/kecil", field: "berkas", filename: "a.bin", contentType: "application/octet-stream",
                data: Data(repeating: 1, count: 1000))
            #expect(fine.status == .ok)
            #expect(reached.withLockedValue { $0 } == 1)
            #expect(Self.uploadsLeft(app).isEmpty)
        }
    }

    /// The activity form takes a file through the upload reader, checks the form's token first,
    /// and the stored file is the one sent (moved into the store, not left in the upload folder).
    @Test(arguments: TestDatabase.all)
    func theActivityFormStoresAnUploadedFileAndChecksItsToken(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            // setup
            let given = Given(app)
            let f = try await LearningTests.fixture(given)
            let topic = try await LearningTests.section(f, "Topik 1")
            let coordinator = try await given.browser(signedInAs: f.coordinator)
            let form = "/t/\(f.tenant.slug)/kelola/pelatihan/\(f.courseID)/materi/baru"
            let video = Data([0, 0, 0, 0x18]) + Data("ftypmp42".utf8) + Data(repeating: 7, count: 3 * 1_048_576)
            let fields = ["type": "video", "section": topic, "title": "Rekaman kelas", "completion": "none"]

            // MUT + validate: without the form's token nothing is made, and the upload is gone
            let boundary = "----gotong-forged"
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let forged = try await coordinator.send(
                .POST, form, headers: headers,
                body: ByteBuffer(
                    data: Self.multipart(
                        fields.map { ($0.key, $0.value) }, file: ("file", "kelas.mp4", video), boundary: boundary)))
            #expect(forged.status == .forbidden)
            #expect(try await Activity.query(on: app.db).filter(\.$title == "Rekaman kelas").count() == 0)
            #expect(Self.uploadsLeft(app).isEmpty)

            // MUT + validate: with it, the activity holds the file as sent
            let made = try await coordinator.upload(
                form, field: "file", filename: "kelas.mp4", contentType: "video/mp4", data: video, form: fields)
            #expect(made.status == .seeOther, "\(made.body.string.prefix(2000))")
            let activity = try #require(
                try await Activity.query(on: app.db).filter(\.$title == "Rekaman kelas").first())
            let key = activity.settings.string("file")
            #expect(activity.settings.int("file_size") == video.count)
            #expect(try await app.files.get(key) == ByteBuffer(data: video))
            #expect(Self.uploadsLeft(app).isEmpty)
        }
    }

    /// What a stopped process left in the upload folder is swept at start; a fresh upload of
    /// another process sharing the folder is not.
    @Test
    func staleUploadsAreSweptAndFreshOnesKept() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gotong-tests/uploads-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let old = directory + "/old", fresh = directory + "/fresh"
        FileManager.default.createFile(atPath: old, contents: Data("a".utf8))
        FileManager.default.createFile(atPath: fresh, contents: Data("b".utf8))
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-2 * Uploads.staleAfter)], ofItemAtPath: old)

        Uploads.removeStale(in: directory)

        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(FileManager.default.fileExists(atPath: fresh))
    }
}
