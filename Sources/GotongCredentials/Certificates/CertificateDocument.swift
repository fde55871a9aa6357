import Foundation
import GotongPlatform
import NIOCore

/// The printed certificate: A4 landscape in the tenant's colour, its text in Indonesian (the
/// language of the civil service's records), and a QR code of the public verification address
/// so anyone holding the paper can check it.
enum CertificateDocument {
    static let width = PDFDocument.a4Landscape.width
    static let height = PDFDocument.a4Landscape.height

    static func pdf(_ c: Certificate, verificationURL: String) -> ByteBuffer {
        var page = PDFDocument(pageWidth: width, pageHeight: height)
        let brand = PDFColour(hex: c.brandColor)
        let centre = width / 2
        frame(&page, brand: brand)
        block(&page, c.tenantName, y: 520, size: 16, minSize: 9, lines: 1, font: .bold, colour: brand)
        page.text("SERTIFIKAT", x: centre, y: 462, size: 40, font: .bold, alignment: .centre)
        page.text("Nomor: \(c.number)", x: centre, y: 436, size: 12, alignment: .centre)
        page.text("diberikan kepada", x: centre, y: 404, size: 13, colour: .grey, alignment: .centre)
        var y = block(&page, c.personName, y: 372, size: 28, minSize: 14, lines: 2, font: .bold)
        if let nip = c.personNIP, !nip.isEmpty {
            page.text("NIP \(nip)", x: centre, y: y + 4, size: 12, alignment: .centre)
            y -= 16
        }
        page.text("telah menyelesaikan pelatihan", x: centre, y: y - 8, size: 13, colour: .grey, alignment: .centre)
        // The title and its dates end above the signature's date (baseline 176).
        y = block(&page, c.courseTitle, y: y - 38, size: 20, minSize: 11, lines: 4, bottom: 208, font: .bold)
        page.text(period(c), x: centre, y: max(y, 194), size: 12, alignment: .centre)
        signature(&page, c)
        verification(&page, c, url: verificationURL)
        return page.rendered(
            title: "Sertifikat \(c.number) — \(c.personName)", author: c.tenantName, created: c.issuedAt)
    }

    /// Centred text from baseline `y` down, in as few lines as it fits at the largest size from
    /// `size` to `minSize`, its last baseline not below `bottom`; past `lines` at the smallest,
    /// the last line ends in "…". Returns the baseline below the block. Names with all their
    /// degrees and long course titles stay inside the frame and off each other.
    @discardableResult
    static func block(
        _ page: inout PDFDocument, _ text: String, x: Double = width / 2, y: Double, maxWidth: Double = 640,
        size: Double, minSize: Double, lines: Int, bottom: Double = 0, font: PDFFont = .regular,
        colour: PDFColour = .black
    ) -> Double {
        func fits(_ wrapped: [String], _ size: Double) -> Bool {
            wrapped.count <= lines && y - Double(wrapped.count - 1) * size * 1.25 >= bottom
        }
        var chosen = size
        var wrapped = page.wrap(text, width: maxWidth, size: size, font: font)
        while !fits(wrapped, chosen), chosen > minSize {
            chosen -= 1
            wrapped = page.wrap(text, width: maxWidth, size: chosen, font: font)
        }
        if wrapped.count > lines {
            wrapped = Array(wrapped.prefix(lines))
            var last = wrapped[lines - 1]
            while !last.isEmpty, page.width(of: last + " …", size: chosen, font: font) > maxWidth {
                last = String(last.dropLast())
            }
            wrapped[lines - 1] = last.trimmingCharacters(in: .whitespaces) + " …"
        }
        var baseline = y
        for line in wrapped {
            // A single word wider than the frame is shrunk to fit on its own.
            let fit = min(chosen, chosen * maxWidth / max(page.width(of: line, size: chosen, font: font), 1))
            page.text(line, x: x, y: baseline, size: fit, font: font, colour: colour, alignment: .centre)
            baseline -= chosen * 1.25
        }
        return baseline - chosen * 0.25
    }

    /// A band of the tenant's colour at the top and bottom, and a thin rule inside the edge.
    private static func frame(_ page: inout PDFDocument, brand: PDFColour) {
        page.fill(x: 0, y: height - 14, width: width, height: 14, colour: brand)
        page.fill(x: 0, y: 0, width: width, height: 14, colour: brand)
        page.stroke(x: 28, y: 30, width: width - 56, height: height - 60, colour: brand, lineWidth: 1.5)
    }

    /// "20 JP · 3 November 2026 – 5 Desember 2026".
    static func period(_ c: Certificate) -> String {
        let end = LocalDates.longDayID.string(from: c.completedAt)
        guard let start = c.startedAt else { return "\(c.jp) JP · \(end)" }
        let first = LocalDates.longDayID.string(from: start)
        return first == end ? "\(c.jp) JP · \(end)" : "\(c.jp) JP · \(first) – \(end)"
    }

    private static func signature(_ page: inout PDFDocument, _ c: Certificate) {
        let x = width - 190
        page.text(LocalDates.longDayID.string(from: c.issuedAt), x: x, y: 176, size: 11, alignment: .centre)
        block(&page, c.signerPosition, x: x, y: 160, maxWidth: 250, size: 11, minSize: 8, lines: 2)
        page.line(x1: x - 120, y1: 86, x2: x + 120, y2: 86, colour: .grey, width: 0.75)
        if !c.signerName.isEmpty {
            block(&page, c.signerName, x: x, y: 72, maxWidth: 250, size: 12, minSize: 8, lines: 2, font: .bold)
        }
    }

    /// The QR code at the bottom left, with the code and address in words for those without
    /// a camera.
    private static func verification(_ page: inout PDFDocument, _ c: Certificate, url: String) {
        if let code = QRCode(url) { page.draw(code, x: 60, y: 50, side: 96) }
        page.text("Periksa keaslian:", x: 168, y: 112, size: 9, colour: .grey)
        page.text(url, x: 168, y: 98, size: 9)
        page.text("Kode \(VerificationCode(c.code)?.description ?? c.code)", x: 168, y: 84, size: 9, colour: .grey)
    }
}
