import Foundation
import NIOCore
import Testing

@testable import GotongPlatform

/// The PDF writer, read back by poppler (`pdftotext`, `pdfinfo`, `pdftoppm`), checked by
/// qpdf, and its QR code decoded by zbar from the rendered page.
@Suite("PDF documents read by poppler and qpdf")
struct PDFDocumentTests {
    static let created = Date(timeIntervalSince1970: 1_796_000_000)

    /// Writes the document to a file in `folder` and returns its path.
    static func write(_ document: PDFDocument, title: String = "Uji", in folder: URL) throws -> String {
        let file = folder.appendingPathComponent("doc.pdf")
        try Data(document.rendered(title: title, created: created).readableBytesView).write(to: file)
        return file.path
    }

    @Test("qpdf finds the structure sound and poppler reads the text, accents and escapes too")
    func textReadsBack() throws {
        let folder = try Peers.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var document = PDFDocument(pageWidth: PDFDocument.a4Landscape.width, pageHeight: PDFDocument.a4Landscape.height)
        document.fill(x: 0, y: 0, width: 842, height: 40, colour: PDFColour(hex: "#0B5394"))
        document.stroke(x: 20, y: 20, width: 802, height: 555, colour: .grey, lineWidth: 2)
        document.text("SERTIFIKAT", x: 421, y: 480, size: 36, font: .bold, alignment: .centre)
        document.text("Siti Nur'aini (Ané) \\ 50% – “lulus”", x: 60, y: 400, size: 18)
        document.text("Nomor: BPS/2026/000042", x: 782, y: 60, size: 11, alignment: .right)
        document.line(x1: 300, y1: 380, x2: 540, y2: 380, colour: .black)
        let path = try Self.write(document, title: "Sertifikat — Siti", in: folder)

        let check = try Peers.run("qpdf", ["--check", path])
        #expect(check.status == 0, "qpdf: \(check.output)")
        let text = try Peers.run("pdftotext", ["-layout", path, "-"]).output
        #expect(text.contains("SERTIFIKAT"))
        #expect(text.contains("Siti Nur'aini (Ané) \\ 50% – “lulus”"))
        #expect(text.contains("Nomor: BPS/2026/000042"))
        let info = try Peers.run("pdfinfo", [path]).output
        #expect(info.contains("Title:           Sertifikat — Siti"))
        #expect(info.contains("Page size:       841.89 x 595.28 pts (A4)"))
        #expect(info.contains("Pages:           1"))
    }

    /// poppler places each word by the font's own metrics; a centred or right-aligned line
    /// lands where we meant only if our width table agrees with them.
    @Test("centred and right-aligned text sits where it was meant, by poppler's measure")
    func alignmentMatchesTheReader() throws {
        let folder = try Peers.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var document = PDFDocument(pageWidth: 600, pageHeight: 400)
        document.text("Pelatihanmandiri", x: 300, y: 300, size: 24, font: .bold, alignment: .centre)
        document.text("Widyaiswara", x: 550, y: 200, size: 14, alignment: .right)
        let path = try Self.write(document, in: folder)
        let boxes = try Peers.run("pdftotext", ["-bbox", path, "-"]).output
        func box(_ word: String) throws -> (xMin: Double, xMax: Double) {
            let line = try #require(boxes.split(separator: "\n").first { $0.contains(">\(word)<") })
            func value(_ name: String) throws -> Double {
                let start = try #require(line.range(of: "\(name)=\""))
                return try #require(Double(line[start.upperBound...].prefix { $0 != "\"" }))
            }
            return (try value("xMin"), try value("xMax"))
        }
        let centred = try box("Pelatihanmandiri")
        #expect(abs((centred.xMin + centred.xMax) / 2 - 300) < 1)
        #expect(abs(try box("Widyaiswara").xMax - 550) < 1)
    }

    @Test("pages follow one another and wrapped lines stay inside the width")
    func pagesAndWrapping() throws {
        let folder = try Peers.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var document = PDFDocument(pageWidth: PDFDocument.a4Portrait.width, pageHeight: PDFDocument.a4Portrait.height)
        let long =
            "Pelatihan Kepemimpinan Administrator Angkatan XII bagi pejabat administrator di lingkungan "
            + "pemerintah daerah provinsi"
        let lines = document.wrap(long, width: 200, size: 12)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { document.width(of: $0, size: 12) <= 200 })
        #expect(lines.joined(separator: " ") == long)
        document.text("Halaman satu", x: 50, y: 800, size: 12)
        document.newPage()
        document.text("Halaman dua", x: 50, y: 800, size: 12)
        #expect(document.pageCount == 2)
        let path = try Self.write(document, in: folder)
        #expect(try Peers.run("qpdf", ["--check", path]).status == 0)
        #expect(try Peers.run("pdfinfo", [path]).output.contains("Pages:           2"))
        let second = try Peers.run("pdftotext", ["-f", "2", "-l", "2", path, "-"]).output
        #expect(second.contains("Halaman dua") && !second.contains("Halaman satu"))
    }

    @Test("a QR code drawn on the page is read by zbar from poppler's rendering")
    func qrCodeOnThePage() throws {
        let folder = try Peers.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = "http://127.0.0.1:8080/verifikasi/AB12-CD34-EF56"
        var document = PDFDocument(pageWidth: PDFDocument.a4Landscape.width, pageHeight: PDFDocument.a4Landscape.height)
        document.text("Pindai untuk memeriksa", x: 640, y: 40, size: 9)
        document.draw(try #require(QRCode(url)), x: 650, y: 60, side: 110)
        let path = try Self.write(document, in: folder)
        let image = folder.appendingPathComponent("page").path
        #expect(try Peers.run("pdftoppm", ["-r", "150", "-png", "-singlefile", path, image]).status == 0)
        let decoded = try Peers.run("zbarimg", ["-q", "--raw", image + ".png"])
        #expect(decoded.status == 0)
        #expect(decoded.output == url + "\n")
    }

    @Test("numbers and strings are spelled as PDF wants them")
    func spelling() {
        #expect(PDFText.number(12) == "12")
        #expect(PDFText.number(0.5) == "0.5")
        #expect(PDFText.number(-3.256) == "-3.26")
        #expect(PDFText.number(841.89) == "841.89")
        #expect(PDFText.number(1.05) == "1.05")
        #expect(PDFText.literal(PDFText.encode("a(b)c\\é")) == "(a\\(b\\)c\\\\\\351)")
        #expect(PDFText.encode("漢") == [0x3F])
        #expect(PDFText.encode("e\u{301}") == [0xE9])
        #expect(PDFText.encode("€“”") == [0x80, 0x93, 0x94])
        #expect(PDFText.date(Date(timeIntervalSince1970: 0)) == "D:19700101000000Z")
    }
}
