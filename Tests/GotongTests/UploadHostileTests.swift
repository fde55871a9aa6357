import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongPlatform

/// Bodies shaped to hurt the upload reader: each is refused with a clear status, over a real
/// connection where it matters, and leaves no temporary file behind.
@Suite("Uploads, hostile bodies")
struct UploadHostileTests {
    static let boundary = "----gotong-hostile"

    /// A test application with upload routes that take 1 MB and 3 MB and report what they read,
    /// and a signed-in person (in memory, so each body arrives as one chunk; the test of large
    /// bodies sends them over a socket).
    static func withRoute(_ body: (Application, Browser) async throws -> Void) async throws {
        try await withGotong(.sqlite) { app, _ in
            for (name, size) in [("kecil", "1mb"), ("sedang", "3mb")] as [(String, ByteCount)] {
                app.grouped("uji").upload(.POST, .constant(name), maxSize: size) { req async throws -> String in
                    let form = try await req.receivedForm()
                    let files = form.files.keys.sorted().joined(separator: ",")
                    let values = form.values.keys.filter { $0 != CSRF.fieldName }.sorted().joined(separator: ",")
                    return "values=\(values) files=\(files)"
                }
            }
            app.grouped("uji").upload(.POST, "dua-kali", maxSize: "1mb") { req async throws -> String in
                _ = try await req.receivedForm()
                return "\(try await req.receivedFile(named: "x").size)"
            }
            let given = Given(app)
            let browser = try await given.browser(signedInAs: try await given.person(in: try await given.tenant()))
            try await body(app, browser)
            #expect(UploadTests.uploadsLeft(app).isEmpty)
        }
    }

    /// Sends `parts` (raw part text, headers and body) as one multipart body with the form's token.
    static func send(
        _ browser: Browser, _ path: String, parts: [String], end: Bool = true
    ) async throws -> TestingHTTPResponse {
        let (headers, body) = Self.body(parts: parts, end: end)
        return try await browser.send(.POST, path, headers: headers, body: body)
    }

    static func body(parts: [String], end: Bool = true) -> (HTTPHeaders, ByteBuffer) {
        var body =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(CSRF.fieldName)\"\r\n\r\n\(Browser.csrf)\r\n"
        for part in parts { body += "--\(boundary)\r\n\(part)\r\n" }
        if end { body += "--\(boundary)--\r\n" }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return (headers, ByteBuffer(string: body))
    }

    static func field(_ name: String, _ value: String) -> String {
        "Content-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)"
    }

    static func file(_ name: String, _ filename: String, _ content: String) -> String {
        "Content-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\n\r\n\(content)"
    }

    @Test
    func oversizedBodiesGetTheirAnswerOverARealConnection() async throws {
        try await Self.withRoute { app, browser in
            try await LiveServer.with(app) { server in
                func send(_ parts: [String]) async throws -> LiveServer.Reply {
                    let (headers, body) = Self.body(parts: parts)
                    return try await server.send(
                        .POST, "/uji/sedang", cookies: browser.cookies, headers: headers, body: body)
                }
                // A declared length over the limit: refused before reading.
                let declared = try await send([Self.file("f", "a.bin", String(repeating: "a", count: 3_300_000))])
                #expect(declared.status == .payloadTooLarge)
                // Within the route's limit, but text over the text limit: refused in mid-stream,
                // the rest read and dropped, so the answer arrives.
                let wordy = try await send([
                    Self.field("a", String(repeating: "k", count: 600_000)),
                    Self.field("b", String(repeating: "k", count: 600_000)),
                ])
                #expect(wordy.status == .payloadTooLarge)
                #expect(wordy.body.contains("Kiriman terlalu besar"))
                // And the connection still serves a fine one.
                let fine = try await send([Self.field("catatan", String(repeating: "k", count: 900_000))])
                #expect(fine.status == .ok)
                #expect(fine.body == "values=catatan files=")
            }
        }
    }

    @Test
    func partsBeyondWhatAFormHasAreRefused() async throws {
        try await Self.withRoute { _, browser in
            // A header longer than any form sends.
            let header = "Content-Disposition: form-data; name=\"\(String(repeating: "n", count: 20_000))\"\r\n\r\nx"
            #expect(try await Self.send(browser, "/uji/kecil", parts: [header]).status == .badRequest)
            // More parts than a form has, and more files.
            let fields = (0...Uploads.maxParts).map { Self.field("f\($0)", "x") }
            #expect(try await Self.send(browser, "/uji/kecil", parts: fields).status == .badRequest)
            let files = (0...Uploads.maxFiles).map { Self.file("f\($0)", "a\($0).bin", "isi") }
            #expect(try await Self.send(browser, "/uji/kecil", parts: files).status == .badRequest)
            // A body cut off inside a part.
            let cut = try await Self.send(
                browser, "/uji/kecil", parts: [Self.file("f", "a.bin", "separuh")], end: false)
            #expect(cut.status == .badRequest)
            // Within the bounds all of it is read.
            let fine = try await Self.send(
                browser, "/uji/kecil", parts: Array(files.prefix(Uploads.maxFiles)) + [Self.field("judul", "x")])
            #expect(fine.status == .ok)
            #expect(fine.body.string.hasPrefix("values=judul files=f0,f1,"))
        }
    }

    @Test
    func anEmptyFileFieldIsNoFileAndQuotedSemicolonsStayInTheName() async throws {
        try await Self.withRoute { _, browser in
            // A file field left empty (browsers send the part with an empty filename), and a
            // filename with a semicolon and a name= inside its quotes.
            let response = try await Self.send(
                browser, "/uji/kecil",
                parts: [
                    Self.file("kosong", "", ""), Self.file("berkas", "x; name=judul.pdf", "isi"),
                    Self.field("judul", "Modul"),
                ])
            #expect(response.body.string == "values=judul files=berkas")
            #expect(
                ContentDisposition(#"form-data; name="berkas"; filename="x; name=judul.pdf""#).filename
                    == "x; name=judul.pdf")
            #expect(ContentDisposition(#"form-data; name="berkas"; filename="x; name=judul.pdf""#).name == "berkas")
        }
    }

    @Test
    func readingTheBodyTwiceIsAnErrorNotAHang() async throws {
        try await Self.withRoute { _, browser in
            let response = try await Self.send(browser, "/uji/dua-kali", parts: [Self.field("judul", "x")])
            #expect(response.status == .internalServerError)
        }
    }
}
