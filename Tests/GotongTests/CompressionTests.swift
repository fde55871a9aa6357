import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting
@testable import Gotong
@testable import GotongPlatform
@testable import GotongTenancy

/// gzip of responses: what is compressed, what is not, and that a real gzip (the system's
/// `gzip -d`) reads what we write.
@Suite("Response compression")
struct CompressionTests {
    /// The system's gzip, as a third party, decodes `data`.
    static func gunzip(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Write on another thread: a large output would otherwise fill the pipe and stall both.
        let writer = Thread {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let decoded = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "gzip -d refused the stream")
        return decoded
    }

    static func data(_ buffer: ByteBuffer) -> Data { Data(buffer.readableBytesView) }

    @Test(arguments: [
        ("gzip", true), ("GZIP", true), ("x-gzip", true), ("gzip, deflate, br", true), ("br;q=1, gzip;q=0.5", true),
        ("gzip;q=0", false), ("gzip; q=0.000", false), ("*", true), ("*;q=0", false), ("gzip;q=0, *", false),
        ("deflate, br", false), ("", false), ("identity", false), ("gzip;q=oops", true), (";;;,,,", false),
        ("gzip;q=-1", false),
    ])
    func readsAcceptEncodingAsHTTPSays(header: String, accepts: Bool) {
        #expect(ResponseCompression.acceptsGzip(HTTPHeaders([("Accept-Encoding", header)])) == accepts)
    }

    @Test func aHugeAcceptEncodingIsReadWithoutTrouble() {
        // 100,000 entries: only the first few count, and gzip far down is not looked for.
        let header = Array(repeating: "br", count: 100_000).joined(separator: ",") + ",gzip"
        #expect(ResponseCompression.acceptsGzip(HTTPHeaders([("Accept-Encoding", header)])) == false)
        #expect(ResponseCompression.acceptsGzip(HTTPHeaders([("Accept-Encoding", "gzip," + header)])))
    }

    @Test(arguments: [0, 1, 1399, 5000, 300_000])
    func theSystemGzipReadsWhatGzipWrites(size: Int) throws {
        // Text like a page's, and bytes that do not compress.
        let text = String(
            repeating: "<li><a href=\"/t/bppk/pelatihan/x\">Pengelolaan Keuangan</a></li>\n", count: size / 60 + 1
        ).prefix(size)
        let random = (0..<size).map { _ in UInt8.random(in: 0...255) }
        for input in [Data(text.utf8), Data(random)] {
            let gzip = try #require(Gzip.compress(ByteBuffer(data: input)))
            #expect(try Self.gunzip(Self.data(gzip)) == input)
        }
    }

    @Test(arguments: TestDatabase.all)
    func pagesAreCompressedForClientsThatAskAndPlainForOthers(db: TestDatabase) async throws {
        try await withGotong(db, seedDemo: true) { app, _ in
            let guest = Browser(app)
            let plain = try await guest.get("/katalog")
            let gzip = try await guest.get("/katalog", headers: ["Accept-Encoding": "gzip, deflate, br"])

            #expect(plain.headers.first(name: .contentEncoding) == nil)
            #expect(gzip.headers.first(name: .contentEncoding) == "gzip")
            #expect(gzip.headers[.vary].contains("Accept-Encoding"))
            #expect(plain.headers[.vary].contains("Accept-Encoding"))
            #expect(gzip.body.readableBytes * 2 < plain.body.readableBytes)
            #expect(try Self.gunzip(Self.data(gzip.body)) == Self.data(plain.body))

            // Refused by q=0, and small answers (under one TCP segment) are left as they are.
            let refused = try await guest.get("/katalog", headers: ["Accept-Encoding": "gzip;q=0"])
            #expect(refused.headers.first(name: .contentEncoding) == nil)
            let health = try await guest.get("/healthz", headers: ["Accept-Encoding": "gzip"])
            #expect(health.headers.first(name: .contentEncoding) == nil)
            #expect(health.body.string == "ok\n")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theStylesheetIsSentCompressedAndStillRevalidates(db: TestDatabase) async throws {
        try await withGotong(db) { app, _ in
            let guest = Browser(app)
            let plain = try await guest.get(PlatformRoute.stylesheet.path)
            let gzip = try await guest.get(PlatformRoute.stylesheet.path, headers: ["Accept-Encoding": "gzip"])
            #expect(gzip.headers.first(name: .contentEncoding) == "gzip")
            #expect(try Self.gunzip(Self.data(gzip.body)) == Self.data(plain.body))
            let etag = try #require(plain.headers.first(name: .eTag))
            let again = try await guest.get(
                PlatformRoute.stylesheet.path, headers: ["Accept-Encoding": "gzip", "If-None-Match": etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
        }
    }
}
