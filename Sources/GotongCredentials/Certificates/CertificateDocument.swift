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
        page.text(c.tenantName, x: centre, y: 520, size: 16, font: .bold, colour: brand, alignment: .centre)
        page.text("SERTIFIKAT", x: centre, y: 462, size: 40, font: .bold, alignment: .centre)
        page.text("Nomor: \(c.number)", x: centre, y: 436, size: 12, alignment: .centre)
        page.text("diberikan kepada", x: centre, y: 400, size: 13, colour: .grey, alignment: .centre)
        page.text(c.personName, x: centre, y: 366, size: 28, font: .bold, alignment: .centre)
        if let nip = c.personNIP, !nip.isEmpty {
            page.text("NIP \(nip)", x: centre, y: 344, size: 12, alignment: .centre)
        }
        page.text("telah menyelesaikan pelatihan", x: centre, y: 312, size: 13, colour: .grey, alignment: .centre)
        var y = 284.0
        for line in page.wrap(c.courseTitle, width: 620, size: 20, font: .bold).prefix(3) {
            page.text(line, x: centre, y: y, size: 20, font: .bold, alignment: .centre)
            y -= 25
        }
        page.text(period(c), x: centre, y: y - 4, size: 12, alignment: .centre)
        signature(&page, c)
        verification(&page, c, url: verificationURL)
        return page.rendered(
            title: "Sertifikat \(c.number) — \(c.personName)", author: c.tenantName, created: c.issuedAt)
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
        page.text(LocalDates.longDayID.string(from: c.issuedAt), x: x, y: 170, size: 11, alignment: .centre)
        page.text(c.signerPosition, x: x, y: 154, size: 11, alignment: .centre)
        page.line(x1: x - 110, y1: 86, x2: x + 110, y2: 86, colour: .grey, width: 0.75)
        page.text(c.signerName.isEmpty ? " " : c.signerName, x: x, y: 72, size: 12, font: .bold, alignment: .centre)
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
