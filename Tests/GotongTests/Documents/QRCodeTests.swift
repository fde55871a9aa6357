import Foundation
import Testing

@testable import GotongPlatform

/// The QR encoder, read back by zbar (`zbarimg`), a decoder we did not write.
@Suite("QR codes read by zbar")
struct QRCodeTests {
    /// The symbol as a greyscale PGM image, `scale` pixels a module, with the standard's
    /// four-module light margin.
    static func pgm(_ code: QRCode, scale: Int = 4) -> Data {
        let side = (code.size + 8) * scale
        var data = Data("P5\n\(side) \(side)\n255\n".utf8)
        for pixelRow in 0..<side {
            for pixelColumn in 0..<side {
                let x = pixelColumn / scale - 4, y = pixelRow / scale - 4
                let dark = (0..<code.size).contains(x) && (0..<code.size).contains(y) && code.isDark(x: x, y: y)
                data.append(dark ? 0 : 255)
            }
        }
        return data
    }

    static func decode(_ code: QRCode) throws -> String {
        let folder = try Peers.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("code.pgm")
        try pgm(code).write(to: file)
        let result = try Peers.run("zbarimg", ["-q", "--raw", file.path])
        #expect(result.status == 0, "zbarimg found no code")
        return result.output.hasSuffix("\n") ? String(result.output.dropLast()) : result.output
    }

    @Test("a verification address decodes to itself")
    func verificationAddress() throws {
        let url = "https://gotong.example.id/verifikasi/7KQ2-M9XD-4HRT"
        let code = try #require(QRCode(url))
        #expect(code.size == 33, "51 bytes need version 4 (62 at level M; version 3 holds 42)")
        #expect(try Self.decode(code) == url)
    }

    /// Lengths chosen to land in versions 1, 2, 4, 7 (the first with version bits), 9, 10
    /// (the first with a 16-bit count), 15, 23, 32 (its odd alignment step) and 40.
    @Test("texts across the versions decode", arguments: [1, 20, 60, 120, 180, 213, 370, 780, 1_480, 2_331])
    func acrossVersions(length: Int) throws {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-.:?=&")
        let text = String((0..<length).map { alphabet[($0 * 7 + length) % alphabet.count] })
        let code = try #require(QRCode(text))
        #expect(try Self.decode(code) == text)
    }

    @Test("the symbol grows with the text and refuses what no version holds")
    func sizes() throws {
        #expect(QRCode("A")?.size == 21)
        #expect(QRCode(String(repeating: "A", count: 2_331))?.size == 177)
        #expect(QRCode(String(repeating: "A", count: 2_332)) == nil)
    }
}
